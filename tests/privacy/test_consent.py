"""The consent record: append-only, tied to the policy text by version and hash."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from imas.privacy.models import ConsentRecord, PolicyVersion
from imas.privacy.policies import policy_html
from imas.privacy.selectors import body_data_allowed, consent_given, consent_states, policy_current
from imas.privacy.services import consent_record, consent_set_many, purposes_parse

pytestmark = pytest.mark.django_db


def test_first_policy_is_published_with_its_hash() -> None:
    policy = policy_current()
    assert policy.version == "1"
    assert policy.text.startswith("# Privacy policy")
    assert policy.text_hash == hashlib.sha256(policy.text.encode()).hexdigest()


def test_policy_page_shows_the_current_text(client: Client) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Privacy policy</h1>" in html
    assert policy_current().text_hash in html


def test_policy_markdown_cannot_inject_script() -> None:
    html = policy_html("# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<h1>Title</h1>" in html


def test_latest_decision_wins_and_history_stays(make_user: Any) -> None:
    user = make_user()
    assert not body_data_allowed(user)
    consent_record(user=user, purpose="body_data", granted=True, channel="web")
    assert body_data_allowed(user)
    consent_record(user=user, purpose="body_data", granted=False, channel="api")
    assert not body_data_allowed(user)
    history = list(ConsentRecord.objects.filter(user=user, purpose="body_data").order_by("id"))
    assert [(r.granted, r.channel) for r in history] == [(True, "web"), (False, "api")]


def test_records_point_at_the_policy_in_force(make_user: Any) -> None:
    user = make_user()
    newer = PolicyVersion.objects.create(version="2", text="# Privacy policy\n\nNew words.")
    record = consent_record(user=user, purpose="health_data", granted=True)
    assert record.policy_version == newer
    assert record.text_hash == hashlib.sha256(newer.text.encode()).hexdigest()
    assert consent_given(user, "health_data")


def test_records_cannot_be_edited(make_user: Any) -> None:
    user = make_user()
    record = consent_record(user=user, purpose="body_data", granted=True)
    record.granted = False
    with pytest.raises(ValueError, match="append-only"):
        record.save()


def test_set_many_writes_only_changes(make_user: Any) -> None:
    user = make_user(consents=("body_data",))
    written = consent_set_many(user=user, granted={"body_data": True, "health_data": True})
    assert [r.purpose for r in written] == ["health_data"]
    assert consent_states(user) == {"privacy_policy": True, "body_data": True, "health_data": True}


def test_unknown_purpose_or_channel_is_refused(make_user: Any) -> None:
    user = make_user()
    with pytest.raises(ValueError, match="purpose"):
        consent_record(user=user, purpose="sell_my_data", granted=True)
    with pytest.raises(ValueError, match="channel"):
        consent_record(user=user, purpose="body_data", granted=True, channel="carrier pigeon")


def test_purposes_parse() -> None:
    assert purposes_parse("body_data, health_data,") == ["body_data", "health_data"]
    assert purposes_parse("") == []
    with pytest.raises(ValueError, match="privacy_policy"):
        purposes_parse("privacy_policy")  # accepting the policy is not a --consent choice
