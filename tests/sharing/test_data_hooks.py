"""The sharing app's part of export and erasure (imas.privacy.registry): the export holds the
person's follows, blocks, settings and zones as drawn (never the hidden circles); erasing the
account removes every sharing row in both directions."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.privacy.erasure import account_erase_confirmed
from imas.privacy.exports import ZipExportWriter
from imas.privacy.registry import registered
from imas.sharing.models import ActivitySharing, Block, Follow, PrivacyZone, SharingSettings
from imas.sharing.services import (
    activity_sharing_update,
    block_create,
    follow_approve,
    follow_request,
    privacy_zone_create,
    sharing_settings_update,
)
from tests.sharing.conftest import HOME, from_home


@pytest.fixture
def alice_with_everything(
    alice: User, bob: User, carol: User, upload: Callable[..., Activity]
) -> User:
    run = upload(alice, from_home(10.0), visibility="public")
    follow_request(follower=alice, followee_id=bob.pk)
    follow_request(follower=bob, followee_id=alice.pk)
    follow_approve(owner=alice, follower_id=bob.pk)
    block_create(blocker=alice, blocked_id=carol.pk)
    block_create(blocker=carol, blocked_id=alice.pk)
    sharing_settings_update(user=alice, hide_ends_m=250, profile_visibility="followers")
    activity_sharing_update(activity=run, hide_map=True)
    privacy_zone_create(owner=alice, lat=HOME[0], lon=HOME[1], radius_m=200, name="Home")
    return alice


@pytest.mark.django_db
def test_the_export_holds_the_sharing_rows_but_not_the_hidden_circles(
    alice_with_everything: User,
) -> None:
    hooks = {h.app_label: h for h in registered()}["sharing"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        hooks.exporter(alice_with_everything, ZipExportWriter(archive, None))
    with zipfile.ZipFile(buffer) as archive:
        text = archive.read("sharing/sharing.json").decode()
    data = json.loads(text)
    assert data["settings"]["hide_ends_m"] == 250
    assert [f["person"] for f in data["following"]] == ["Bob"]
    assert [f["status"] for f in data["followers"]] == ["approved"]
    assert [b["person"] for b in data["blocked"]] == ["Carol"]
    assert data["activity_sharing"][0]["hide_map"] is True
    assert data["privacy_zones"][0]["radius_m"] == 200
    zone = PrivacyZone.objects.get(owner=alice_with_everything)
    assert "hidden" not in text
    assert repr(zone.hidden_lat)[:9] not in text


@pytest.mark.django_db
def test_erasure_leaves_no_sharing_row_of_the_person(
    alice_with_everything: User, bob: User, carol: User
) -> None:
    user_id = alice_with_everything.pk
    account_erase_confirmed(user=alice_with_everything)
    assert not Follow.objects.filter(follower_id=user_id).exists()
    assert not Follow.objects.filter(followee_id=user_id).exists()
    assert not Block.objects.filter(blocker_id=user_id).exists()
    assert not Block.objects.filter(blocked_id=user_id).exists()
    assert not PrivacyZone.objects.exists()
    assert not SharingSettings.objects.filter(user_id=user_id).exists()
    assert not ActivitySharing.objects.exists()
    assert User.objects.filter(pk__in=[bob.pk, carol.pk]).count() == 2
