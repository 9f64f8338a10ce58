"""Policy versions: writing and publishing, the public history, the mailing, the gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django.core.mail
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from imas.privacy import policies
from imas.privacy.models import PolicyMailing, PolicyVersion
from imas.privacy.policies import policy_mailing_run, policy_publish
from imas.privacy.selectors import policies_to_accept, policy_current
from tests.privacy.conftest import bearer, signed_in, staff_client

pytestmark = pytest.mark.django_db


def draft(version: str = "2", *, days: int = 0, kind: str = "privacy_policy") -> PolicyVersion:
    return PolicyVersion.objects.create(
        kind=kind,
        version=version,
        published_at=None,
        effective_on=timezone.localdate() + dt.timedelta(days=days),
        change_summary=f"Version {version}: zones are now drawn by you.",
        text=f"# Privacy policy\n\nVersion {version} words.\n\n<script>alert(1)</script>",
    )


def publish(policy: PolicyVersion, commits: Any) -> PolicyVersion:
    with commits(execute=True):
        return policy_publish(policy=policy)


def test_an_effective_date_in_the_past_is_refused() -> None:
    policy = draft(days=-1)
    with pytest.raises(ValidationError) as caught:
        policy_publish(policy=policy)
    assert "effective_on" in caught.value.message_dict
    policy.refresh_from_db()
    assert policy.published_at is None


def test_a_version_without_summary_or_text_is_refused() -> None:
    policy = draft()
    policy.change_summary = " "
    policy.text = ""
    with pytest.raises(ValidationError) as caught:
        policy_publish(policy=policy)
    assert {"change_summary", "text"} <= set(caught.value.message_dict)


def test_a_draft_is_not_in_force_and_not_shown(client: Client) -> None:
    draft()
    assert policy_current().version == "1"
    assert "Version 2 words" not in client.get("/privacy/").content.decode()


def test_published_version_is_current_and_the_page_keeps_every_earlier_one(
    client: Client, commits: Any
) -> None:
    publish(draft("2"), commits)
    assert policy_current().version == "2"
    html = client.get("/privacy/").content.decode()
    assert "Version 2 words" in html
    assert "<script>alert" not in html  # Markdown is cleaned
    assert 'id="policy-history"' in html
    assert "version 1" in html  # the earlier version, still readable
    history = html[html.index('id="policy-history"') :]
    assert "IMAS is software that the operator" in history


def test_a_future_version_is_announced_but_not_yet_in_force(client: Client, commits: Any) -> None:
    publish(draft("3", days=10), commits)
    assert policy_current().version == "1"
    html = client.get("/privacy/").content.decode()
    assert "Coming changes" in html
    assert "Version 3: zones" in html


def test_every_active_person_is_emailed_once(
    make_user: Any, mailoutbox: list[Any], commits: Any
) -> None:
    people = [make_user() for _ in range(3)]
    asleep = make_user()
    asleep.is_active = False
    asleep.save()
    policy = publish(draft("2"), commits)
    sent = [m for m in mailoutbox if "version 2" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in people)
    assert "zones are now drawn by you" in sent[0].body
    assert PolicyMailing.objects.filter(policy_version=policy, sent_at__isnull=False).count() == 3
    # Run again (a redelivered task, a restart): nobody gets it twice.
    assert policy_mailing_run(policy_id=policy.pk) == 0
    assert len([m for m in mailoutbox if "version 2" in m.subject]) == 3


def test_a_mailing_interrupted_part_way_resumes_with_the_rest(
    make_user: Any, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [make_user() for _ in range(5)]
    policy = draft("2")
    policy.published_at = timezone.now()
    policy.save()
    monkeypatch.setattr(policies, "MAILING_BATCH", 2)
    real_send = django.core.mail.send_mail
    calls = {"n": 0}

    def dying_send(*args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the worker is killed mid-mailing
        return real_send(*args, **kwargs)

    monkeypatch.setattr(policies, "send_mail", dying_send)
    with pytest.raises(KeyboardInterrupt):
        policy_mailing_run(policy_id=policy.pk)
    monkeypatch.setattr(policies, "send_mail", real_send)
    policy_mailing_run(policy_id=policy.pk)
    received = sorted(m.to[0] for m in mailoutbox if "version 2" in m.subject)
    # The one being sent when the worker died is claimed but not known to be sent: at most
    # once, never twice; everyone else gets exactly one.
    assert len(received) == len(set(received)) == 4
    assert set(received) < {p.email for p in people}


def test_the_gate_on_pages_until_accepted(make_user: Any, commits: Any) -> None:
    user = make_user()
    client = signed_in(user)
    assert client.get("/activities/").status_code == 200
    publish(draft("2"), commits)
    blocked = client.get("/activities/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/privacy/accept/")
    for still_open in (
        "/privacy/",
        "/privacy/accept/",
        "/privacy/exports/",
        "/privacy/delete-account/",
        "/privacy/settings/",  # withdrawing stays as easy as giving
    ):
        assert client.get(still_open).status_code == 200, still_open
    page = client.get("/privacy/accept/").content.decode()
    assert "Version 2 words" in page
    assert "zones are now drawn by you" in page
    policy = PolicyVersion.objects.get(version="2")
    answer = client.post("/privacy/accept/?next=/activities/", {"accept": [str(policy.pk)]})
    assert answer.status_code == 302
    assert answer["Location"] == "/activities/"
    assert client.get("/activities/").status_code == 200
    assert policies_to_accept(user) == []
    assert client.get("/privacy/accept/")["Location"] == "/"  # nothing left to accept


def test_signing_out_works_behind_the_gate(make_user: Any, commits: Any) -> None:
    client = signed_in(make_user())
    publish(draft("2"), commits)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_the_gate_in_the_api(make_user: Any, commits: Any) -> None:
    user = make_user()
    api = bearer(user)
    assert api.get("/api/v1/activities").status_code == 200
    publish(draft("2"), commits)
    blocked = api.get("/api/v1/activities")
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "policy_acceptance_required"
    assert api.get("/api/v1/me").status_code == 403
    assert api.post("/api/v1/privacy/exports").status_code == 202
    assert api.get("/api/v1/privacy/consents").status_code == 200
    refused = api.delete("/api/v1/me", {"password": "not the one"}, "application/json")
    assert refused.json()["error"]["code"] == "wrong_password"  # erasure stays open
    wrong = api.post("/api/v1/privacy/policy/accept", {"version": "1"}, "application/json")
    assert wrong.status_code == 422
    ok = api.post("/api/v1/privacy/policy/accept", {"version": "2"}, "application/json")
    assert ok.status_code == 200
    assert ok.json() == {"pending": []}
    assert api.get("/api/v1/activities").status_code == 200


def test_terms_of_use_are_accepted_separately(make_user: Any, commits: Any) -> None:
    user = make_user()
    publish(draft("terms-1", kind="terms_of_use"), commits)
    assert [p.version for p in policies_to_accept(user)] == ["terms-1"]
    html = Client().get("/privacy/").content.decode()
    assert 'id="terms-current"' in html


def test_new_people_accept_the_version_in_force_at_sign_up(make_user: Any, commits: Any) -> None:
    publish(draft("2"), commits)
    assert policies_to_accept(make_user()) == []


def test_staff_publish_in_the_admin(make_user: Any, mailoutbox: list[Any], commits: Any) -> None:
    member = make_user()
    client = staff_client(make_user())
    form = {
        "kind": "privacy_policy",
        "version": "7",
        "effective_on": timezone.localdate().isoformat(),
        "change_summary": "Shorter.",
        "text": "# Privacy policy\n\nSeven.",
    }
    past = client.post("/admin/privacy/policyversion/add/", {**form, "effective_on": "2000-01-01"})
    assert past.status_code == 200
    assert "cannot be in the past" in past.content.decode()
    assert client.post("/admin/privacy/policyversion/add/", form).status_code == 302
    policy = PolicyVersion.objects.get(version="7")
    assert policy.published_at is None
    with commits(execute=True):
        client.post(
            "/admin/privacy/policyversion/",
            {"action": "publish", "_selected_action": [policy.pk]},
        )
    policy.refresh_from_db()
    assert policy.published_at is not None
    assert any(m.to == [member.email] for m in mailoutbox)
