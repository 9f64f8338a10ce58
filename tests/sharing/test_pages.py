"""The sharing pages: profiles show only what their owner chose, the settings page approves,
removes and blocks, the privacy-zones page draws zones on a Leaflet map, and the account
settings page links to both."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.sharing.models import Follow, PrivacyZone
from imas.sharing.services import follow_approve, follow_request, sharing_settings_update
from tests.sharing.conftest import HOME, from_home


def _session(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_profile_is_private_until_its_owner_opens_it(
    alice: User, bob: User, carol: User, upload: Callable[..., Activity]
) -> None:
    public = upload(alice, from_home(10.0), visibility="public")
    shared = upload(alice, from_home(40.0), visibility="followers")
    private = upload(alice, from_home(70.0), visibility="private")
    url = f"/people/{alice.pk}/"
    assert Client().get(url).status_code == 404
    assert _session(bob).get(url).status_code == 404
    assert Client().get("/people/999999/").status_code == 404
    own = _session(alice).get(url)
    assert own.status_code == 200
    assert {c.activity.pk for c in own.context["cards"]} == {public.pk, shared.pk, private.pk}

    sharing_settings_update(user=alice, profile_visibility="followers")
    assert _session(bob).get(url).status_code == 404
    follow_request(follower=bob, followee_id=alice.pk)
    follow_approve(owner=alice, follower_id=bob.pk)
    as_bob = _session(bob).get(url)
    assert as_bob.status_code == 200
    assert {c.activity.pk for c in as_bob.context["cards"]} == {public.pk, shared.pk}
    assert _session(carol).get(url).status_code == 404

    sharing_settings_update(user=alice, profile_visibility="public")
    visitor = Client().get(url)
    assert visitor.status_code == 200
    assert [c.activity.pk for c in visitor.context["cards"]] == [public.pk]
    assert "follower_count" not in visitor.context  # not chosen
    assert "activity_count" not in visitor.context

    sharing_settings_update(
        user=alice,
        profile_shows_activities=False,
        profile_shows_follow_counts=True,
        profile_shows_totals=True,
    )
    visitor = Client().get(url)
    assert visitor.context.get("cards") is None
    assert visitor.context["follower_count"] == 1
    assert visitor.context["activity_count"] == 1
    assert private.name.encode() not in visitor.content


@pytest.mark.django_db
def test_the_profile_page_asks_to_follow_and_the_settings_page_approves(
    alice: User, bob: User
) -> None:
    sharing_settings_update(user=alice, profile_visibility="public")
    bob_client, alice_client = _session(bob), _session(alice)
    page = bob_client.get(f"/people/{alice.pk}/")
    assert b"Ask to follow" in page.content
    bob_client.post(f"/people/{alice.pk}/follow/")
    assert Follow.objects.get(follower=bob, followee=alice).status == "requested"
    assert b"Request sent" in bob_client.get(f"/people/{alice.pk}/").content

    settings_page = alice_client.get("/settings/sharing/")
    assert settings_page.status_code == 200
    assert [f.follower_id for f in settings_page.context["requests"]] == [bob.pk]
    alice_client.post(f"/settings/sharing/followers/{bob.pk}/approve/")
    assert Follow.objects.get(follower=bob, followee=alice).status == "approved"
    alice_client.post(f"/settings/sharing/followers/{bob.pk}/remove/")
    assert not Follow.objects.exists()

    alice_client.post(f"/people/{bob.pk}/block/")
    assert bob_client.get(f"/people/{alice.pk}/").status_code == 404
    assert [b.blocked_id for b in alice_client.get("/settings/sharing/").context["blocks"]] == [
        bob.pk
    ]
    # Someone else's approve/remove of a request that is not theirs finds nothing.
    assert bob_client.post(f"/settings/sharing/followers/{alice.pk}/approve/").status_code == 404


@pytest.mark.django_db
def test_the_sharing_form_saves_and_refuses_bad_values(alice: User) -> None:
    client = _session(alice)
    response = client.post(
        "/settings/sharing/",
        {"profile_visibility": "public", "hide_ends_m": "300", "profile_shows_totals": "on"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.sharing_settings.hide_ends_m == 300
    assert alice.sharing_settings.profile_shows_totals is True
    bad = client.post("/settings/sharing/", {"profile_visibility": "all", "hide_ends_m": "-5"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"profile_visibility", "hide_ends_m"}


@pytest.mark.django_db
def test_the_zones_page_draws_on_a_map_and_saves_a_zone(alice: User) -> None:
    client = _session(alice)
    settings_page = client.get("/settings/")
    assert b'href="/settings/privacy-zones/"' in settings_page.content
    assert b'href="/settings/sharing/"' in settings_page.content
    page = client.get("/settings/privacy-zones/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "leaflet/leaflet.js" in html
    assert "sharing/zones.js" in html
    assert 'id="zone-map"' in html
    assert 'id="id_radius_m"' in html
    saved = client.post(
        "/settings/privacy-zones/", {"lat": HOME[0], "lon": HOME[1], "radius_m": "300"}
    )
    assert saved.status_code == 302
    zone = PrivacyZone.objects.get(owner=alice)
    assert zone.radius_m == 300
    page = client.get("/settings/privacy-zones/").content.decode()
    # The page holds the zone as drawn, never the hidden circle.
    assert f"{zone.lat}" in page
    assert f"{zone.hidden_lat}" not in page
    assert f"{zone.hidden_lon}" not in page
    refused = client.post("/settings/privacy-zones/", {"lat": "95", "lon": "16", "radius_m": "5"})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"lat", "radius_m"}
    client.post(f"/settings/privacy-zones/{zone.pk}/delete/")
    assert not PrivacyZone.objects.exists()


@pytest.mark.django_db
def test_an_activity_s_sharing_options_page_is_the_owner_s_only(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(10.0), visibility="public")
    url = f"/activities/{run.pk}/sharing/"
    assert _session(bob).get(url).status_code == 404
    detail = _session(alice).get(f"/activities/{run.pk}/")
    assert url.encode() in detail.content
    response = _session(alice).post(url, {"hide_map": "on"})
    assert response.status_code == 302
    page = Client().get(f"/activities/{run.pk}/")
    assert page.status_code == 200
    assert page.context["route_polyline"] == ""
    assert b'id="map"' not in page.content
