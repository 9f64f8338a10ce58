"""The segment pages and the block on the activity page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from imas.activities.models import Activity
from imas.segments import services
from imas.segments.models import Segment
from tests.segments.routes import LOOP, START, STREET, path, recording, route_gpx

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def street(
    alice: Any, upload: Callable[..., Activity], django_capture_on_commit_callbacks: Any
) -> tuple[Activity, Activity, Segment]:
    first = upload(alice, recording(*STREET, speed=4.0))
    second = upload(alice, recording(*STREET, speed=4.5, start=START + 86_400))
    with django_capture_on_commit_callbacks(execute=True):
        segment = services.segment_create_from_activity(
            owner=alice,
            activity_id=first.pk,
            name="High street",
            start_distance_m=500,
            end_distance_m=1500,
        )
    return first, second, segment


def test_segment_page_shows_efforts_record_and_leaderboard(
    alice: Any, street: tuple[Activity, Activity, Segment]
) -> None:
    first, _second, segment = street
    page = signed_in(alice).get(f"/segments/{segment.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "High street" in html
    assert 'id="efforts-table"' in html
    assert html.count(f'href="/activities/{first.pk}/"') >= 1
    assert 'class="effort-dot best"' in html  # the efforts-over-time chart marks the record
    assert 'id="leaderboard"' in html
    assert "3:42" in html  # the record: 1000 m at 4.5 m/s = 222 s
    assert 'id="segment-config"' in html
    assert "Content-Security-Policy" in page.headers
    assert "<script>" not in html  # data reaches the page's script only as JSON


def test_someone_elses_private_segment_is_404(
    bob: Any, street: tuple[Activity, Activity, Segment]
) -> None:
    _first, _second, segment = street
    assert signed_in(bob).get(f"/segments/{segment.pk}/").status_code == 404
    bob_page = signed_in(bob).post(f"/segments/{segment.pk}/edit/", {"name": "x"})
    assert bob_page.status_code == 404
    assert signed_in(bob).post(f"/segments/{segment.pk}/delete/").status_code == 404


def test_activity_page_lists_the_segments_it_crossed(
    alice: Any, bob: Any, street: tuple[Activity, Activity, Segment]
) -> None:
    _first, second, _segment = street
    html = signed_in(alice).get(f"/activities/{second.pk}/").content.decode()
    assert 'id="activity-segments"' in html
    assert "High street" in html
    assert 'class="is-record"' in html  # the faster of the two efforts
    assert f"/segments/new/from-activity/{second.pk}/" in html


def test_create_page_makes_a_segment(
    alice: Any, street: tuple[Activity, Activity, Segment], django_capture_on_commit_callbacks: Any
) -> None:
    first, _second, _segment = street
    client = signed_in(alice)
    url = f"/segments/new/from-activity/{first.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="create-config"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                "name": "Second half",
                "sport": "running",
                "visibility": "private",
                "start_distance_m": "1000",
                "end_distance_m": "1900",
            },
        )
    assert done.status_code == 302
    created = Segment.objects.get(name="Second half")
    assert done["Location"] == f"/segments/{created.pk}/"
    assert created.efforts.count() == 2
    bad = client.post(url, {"name": "Nope", "start_distance_m": "1000", "end_distance_m": "abc"})
    assert bad.status_code == 422
    assert "Enter a number of metres." in bad.content.decode()


def test_create_page_of_someone_elses_activity_is_404(
    bob: Any, street: tuple[Activity, Activity, Segment]
) -> None:
    first, _second, _segment = street
    assert signed_in(bob).get(f"/segments/new/from-activity/{first.pk}/").status_code == 404


def test_gpx_page(alice: Any) -> None:
    client = signed_in(alice)
    assert client.get("/segments/new/gpx/").status_code == 200
    done = client.post(
        "/segments/new/gpx/",
        {
            "file": SimpleUploadedFile("loop.gpx", route_gpx(*path(*LOOP), name="Loop")),
            "sport": "running",
            "visibility": "private",
            "name": "",
        },
    )
    assert done.status_code == 302
    assert Segment.objects.get(owner=alice).name == "Loop"
    bad = client.post(
        "/segments/new/gpx/", {"file": SimpleUploadedFile("x.gpx", b"junk"), "sport": "running"}
    )
    assert bad.status_code == 422
    assert "cannot be read" in bad.content.decode()


def test_list_edit_delete_and_records_pages(
    alice: Any, street: tuple[Activity, Activity, Segment]
) -> None:
    _first, _second, segment = street
    client = signed_in(alice)
    listing = client.get("/segments/").content.decode()
    assert "High street" in listing
    assert client.get("/segments/?q=nothing-like-it").content.decode().count("High street") == 0
    client.post(f"/segments/{segment.pk}/edit/", {"name": "Main street", "visibility": "shared"})
    segment.refresh_from_db()
    assert (segment.name, segment.visibility) == ("Main street", "shared")
    records = client.get("/records/")
    assert records.status_code == 200
    assert "1km" in records.content.decode()
    assert client.post(f"/segments/{segment.pk}/delete/").status_code == 302
    assert not Segment.objects.filter(pk=segment.pk).exists()


def test_pages_need_signing_in(client: Client) -> None:
    for url in ("/segments/", "/records/", "/segments/new/gpx/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_anonymous_sees_shared_segments_with_public_efforts_only(
    client: Client,
    alice: Any,
    street: tuple[Activity, Activity, Segment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second, segment = street
    assert client.get(f"/segments/{segment.pk}/").status_code == 404  # private
    with django_capture_on_commit_callbacks(execute=True):
        services.segment_update(segment=segment, visibility="shared")
    from imas.activities.services import activity_update

    activity_update(activity=first, visibility="public")
    html = client.get(f"/segments/{segment.pk}/").content.decode()
    assert "High street" in html
    assert f'href="/activities/{first.pk}/"' in html
    assert f'href="/activities/{second.pk}/"' not in html  # private run: never listed
    assert 'id="edit"' not in html


def test_gpx_page_refuses_a_large_file_and_checks_csrf(alice: Any) -> None:
    client = signed_in(alice)
    big = SimpleUploadedFile("big.gpx", b"<" * (services.MAX_GPX_BYTES + 1000))
    response = client.post("/segments/new/gpx/", {"file": big, "sport": "running"})
    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(alice)
    gpx = SimpleUploadedFile("loop.gpx", route_gpx(*path(*LOOP)))
    assert guarded.post("/segments/new/gpx/", {"file": gpx, "sport": "running"}).status_code == 403
    assert not Segment.objects.exists()
