"""Who sees what: following needs approval, followers can be removed, blocks hide everything,
and every way in (API detail, streams, GPX, page, leaderboards' source query) answers the same
for anonymous visitors, other people, followers and the owner; forbidden looks like missing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.activities.selectors import activity_visible_q
from imas.sharing.selectors import activity_visible_to
from tests.sharing.conftest import bearer, from_home


def _sees(client: Client, activity_id: int) -> bool:
    """Whether every way of reading the activity answers; all must agree."""
    urls = [
        f"/api/v1/activities/{activity_id}",
        f"/api/v1/activities/{activity_id}/streams",
        f"/api/v1/activities/{activity_id}/gpx",
        f"/activities/{activity_id}/",
    ]
    codes = {client.get(url).status_code for url in urls}
    assert len(codes) == 1, f"the ways in disagree: {codes}"
    code = codes.pop()
    assert code in (200, 404)
    return code == 200


def _follow(follower: User, followee: User) -> None:
    response = bearer(follower).post(f"/api/v1/people/{followee.pk}/follow")
    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    approved = bearer(followee).post(f"/api/v1/followers/{follower.pk}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"


def _session(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visibility", "anonymous", "other", "follower", "owner"),
    [
        ("private", False, False, False, True),
        ("followers", False, False, True, True),
        ("public", True, True, True, True),
    ],
)
def test_visibility_for_each_kind_of_viewer(
    alice: User,
    bob: User,
    carol: User,
    upload: Callable[..., Activity],
    visibility: str,
    anonymous: bool,
    other: bool,
    follower: bool,
    owner: bool,
) -> None:
    run = upload(alice, from_home(10.0), visibility=visibility)
    _follow(bob, alice)
    assert _sees(Client(), run.pk) is anonymous
    assert _sees(_session(carol), run.pk) is other
    assert _sees(_session(bob), run.pk) is follower
    assert _sees(_session(alice), run.pk) is owner
    # The query and the one-object policy agree.
    for viewer, expected in ((carol, other), (bob, follower), (alice, owner)):
        assert activity_visible_to(viewer, run) is expected
        assert Activity.objects.filter(activity_visible_q(viewer), pk=run.pk).exists() is expected


@pytest.mark.django_db
def test_a_missing_id_and_a_forbidden_one_answer_alike(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(10.0), visibility="private")
    missing = bearer(bob).get("/api/v1/activities/999999")
    forbidden = bearer(bob).get(f"/api/v1/activities/{run.pk}")
    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


@pytest.mark.django_db
def test_following_needs_approval_and_a_removed_follower_loses_access(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(10.0), visibility="followers")
    bob_api, alice_api = bearer(bob), bearer(alice)
    assert bob_api.post(f"/api/v1/people/{alice.pk}/follow").status_code == 201
    assert bob_api.post(f"/api/v1/people/{alice.pk}/follow").status_code == 201  # idempotent
    assert not _sees(_session(bob), run.pk)  # requested, not approved yet
    waiting = alice_api.get("/api/v1/followers?status=requested").json()
    assert [row["person"]["id"] for row in waiting] == [bob.pk]
    assert alice_api.post(f"/api/v1/followers/{bob.pk}/approve").status_code == 200
    assert _sees(_session(bob), run.pk)
    assert [r["person"]["id"] for r in alice_api.get("/api/v1/followers").json()] == [bob.pk]
    assert bob_api.get("/api/v1/following").json()[0]["status"] == "approved"

    assert alice_api.delete(f"/api/v1/followers/{bob.pk}").status_code == 204
    assert not _sees(_session(bob), run.pk)
    assert alice_api.delete(f"/api/v1/followers/{bob.pk}").status_code == 404


@pytest.mark.django_db
def test_a_declined_request_and_an_unfollow_leave_no_access(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(10.0), visibility="followers")
    bearer(bob).post(f"/api/v1/people/{alice.pk}/follow")
    assert bearer(alice).delete(f"/api/v1/followers/{bob.pk}").status_code == 204  # decline
    assert bearer(alice).post(f"/api/v1/followers/{bob.pk}/approve").status_code == 404
    _follow(bob, alice)
    assert _sees(_session(bob), run.pk)
    assert bearer(bob).delete(f"/api/v1/people/{alice.pk}/follow").status_code == 204
    assert not _sees(_session(bob), run.pk)


@pytest.mark.django_db
def test_a_block_hides_even_public_activities_and_ends_following(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    public = upload(alice, from_home(10.0), visibility="public")
    shared = upload(alice, from_home(50.0), visibility="followers")
    _follow(bob, alice)
    _follow(alice, bob)
    assert _sees(_session(bob), public.pk)
    assert _sees(_session(bob), shared.pk)

    assert bearer(alice).post(f"/api/v1/people/{bob.pk}/block").status_code == 204
    assert not _sees(_session(bob), public.pk)
    assert not _sees(_session(bob), shared.pk)
    assert bearer(alice).get("/api/v1/followers").json() == []
    assert bearer(bob).get("/api/v1/followers").json() == []
    # Bob cannot ask again, and is told alike as for someone who does not exist.
    again = bearer(bob).post(f"/api/v1/people/{alice.pk}/follow")
    assert again.status_code == 404
    assert again.json() == bearer(bob).post("/api/v1/people/999999/follow").json()
    # Visitors who are not signed in still see the public one.
    assert _sees(Client(), public.pk)

    assert bearer(alice).delete(f"/api/v1/people/{bob.pk}/block").status_code == 204
    assert _sees(_session(bob), public.pk)
    assert not _sees(_session(bob), shared.pk)  # the follow does not come back by itself


@pytest.mark.django_db
def test_people_cannot_follow_or_block_themselves(alice: User) -> None:
    api = bearer(alice)
    assert api.post(f"/api/v1/people/{alice.pk}/follow").status_code == 422
    assert api.post(f"/api/v1/people/{alice.pk}/block").status_code == 422


@pytest.mark.django_db
def test_visibility_is_changed_with_patch_and_checked(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(10.0))
    assert run.visibility == "private"
    assert not _sees(Client(), run.pk)
    api = bearer(alice)
    response = api.patch(
        f"/api/v1/activities/{run.pk}", {"visibility": "public"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["visibility"] == "public"
    assert _sees(Client(), run.pk)
    bad = api.patch(
        f"/api/v1/activities/{run.pk}", {"visibility": "friends"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "visibility"
    # Someone else cannot change it, and learns nothing about the id.
    other = bearer(bob).patch(
        f"/api/v1/activities/{run.pk}", {"visibility": "private"}, content_type="application/json"
    )
    assert other.status_code == 404


@pytest.mark.django_db
def test_a_bad_token_is_refused_not_served_as_a_visitor(
    alice: User, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(10.0), visibility="public")
    response = Client(HTTP_AUTHORIZATION="Bearer imas_pat_not-a-token").get(
        f"/api/v1/activities/{run.pk}"
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_profile_api_shows_only_what_the_owner_chose(
    alice: User, bob: User, upload: Callable[..., Activity]
) -> None:
    upload(alice, from_home(10.0), visibility="public")
    url = f"/api/v1/people/{alice.pk}"
    assert Client().get(url).status_code == 404  # profiles start private
    assert bearer(bob).get(url).json() == Client().get("/api/v1/people/999999").json()
    own = bearer(alice).get(url).json()
    assert own["follow_state"] == "self"
    assert own["activities"] == 1
    bearer(alice).patch(
        "/api/v1/privacy/sharing", {"profile_visibility": "public"}, content_type="application/json"
    )
    seen = Client().get(url).json()
    assert seen["name"] == "Alice"
    assert seen["followers"] is None
    assert seen["activities"] is None
    bad = bearer(alice).patch(
        "/api/v1/privacy/sharing", {"profile_visibility": "world"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "profile_visibility"
    too_far = bearer(alice).patch(
        "/api/v1/privacy/sharing", {"hide_ends_m": 99_999}, content_type="application/json"
    )
    assert too_far.status_code == 422
    assert too_far.json()["error"]["field"] == "hide_ends_m"
