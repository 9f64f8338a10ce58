"""The consent ledger: append-only below the application, current state, purposes, API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from imas.privacy.models import ConsentRecord, Purpose
from imas.privacy.selectors import consent_is_granted, consent_states, policy_current
from imas.privacy.services import connection_consent_record, consent_record
from tests.privacy.conftest import bearer

pytestmark = pytest.mark.django_db

CONSENTS = "/api/v1/privacy/consents"


def test_purposes_cover_body_health_analytics_and_each_third_party() -> None:
    for purpose in ("body_data", "health_data", "aggregate_analytics", "strava", "garmin"):
        assert purpose in Purpose.values


def test_a_row_carries_person_purpose_decision_policy_hash_time_and_channel(
    make_user: Any,
) -> None:
    user = make_user()
    row = consent_record(user=user, purpose="aggregate_analytics", granted=True, channel="api")
    policy = policy_current()
    assert (row.user_id, row.purpose, row.granted) == (user.pk, "aggregate_analytics", True)
    assert row.policy_version == policy
    assert row.text_hash == policy.text_hash
    assert row.channel == "api"
    assert row.created_at is not None


def test_current_state_is_the_latest_row_per_purpose(make_user: Any) -> None:
    user = make_user()
    consent_record(user=user, purpose="aggregate_analytics", granted=True)
    consent_record(user=user, purpose="aggregate_analytics", granted=False)
    consent_record(user=user, purpose="body_data", granted=True)
    assert not consent_is_granted(user, "aggregate_analytics")
    assert consent_is_granted(user, "body_data")
    assert ConsentRecord.objects.filter(user=user, purpose="aggregate_analytics").count() == 2


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_is_refused_by_the_database(make_user: Any) -> None:
    user = make_user(consents=("body_data",))
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE privacy_consentrecord SET granted = %s WHERE user_id = %s", [False, user.pk])
    assert consent_is_granted(user, "body_data")


def test_raw_sql_delete_is_refused_while_the_account_exists(make_user: Any) -> None:
    user = make_user(consents=("body_data",))
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM privacy_consentrecord WHERE user_id = %s", [user.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsentRecord.objects.filter(user=user).delete()
    assert ConsentRecord.objects.filter(user=user).count() == 2


def test_the_application_cannot_edit_a_row_either(make_user: Any) -> None:
    row = consent_record(user=make_user(), purpose="body_data", granted=True)
    row.granted = False
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_deleting_the_account_takes_its_rows_and_leaves_no_release(make_user: Any) -> None:
    user, other = make_user(consents=("body_data",)), make_user(consents=("body_data",))
    user.delete()
    assert not ConsentRecord.objects.filter(user_id=user.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM privacy_consent_release")
        assert cursor.fetchone() == (0,)
    # The other person's rows are still guarded.
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM privacy_consentrecord WHERE user_id = %s", [other.pk])


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_database_despite_the_guard(make_user: Any) -> None:
    """What test runs do between browser tests: every table emptied, in any order."""
    make_user(consents=("body_data", "health_data"))
    call_command("flush", interactive=False, verbosity=0)
    assert ConsentRecord.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM privacy_consent_release")
        assert cursor.fetchone() == (0,)


def test_a_connection_is_recorded_under_its_third_party(make_user: Any) -> None:
    user = make_user()
    connection_consent_record(user=user, provider="strava", granted=True)
    assert consent_states(user)["strava"] is True
    connection_consent_record(user=user, provider="strava", granted=False)
    assert consent_states(user)["strava"] is False
    with pytest.raises(ValueError, match="unknown third party"):
        connection_consent_record(user=user, provider="facebook", granted=True)


def test_api_lists_and_changes_consents_with_the_api_channel(make_user: Any) -> None:
    user = make_user()
    api = bearer(user)
    listed = {c["purpose"]: c for c in api.get(CONSENTS).json()}
    assert set(listed) == {"body_data", "health_data", "aggregate_analytics", "strava", "garmin"}
    assert listed["aggregate_analytics"]["granted"] is False
    assert listed["aggregate_analytics"]["enables"]
    answer = api.post(
        CONSENTS, {"purpose": "aggregate_analytics", "granted": True}, "application/json"
    )
    assert answer.status_code == 201
    assert {c["purpose"]: c["granted"] for c in answer.json()}["aggregate_analytics"] is True
    latest = ConsentRecord.objects.filter(user=user).first()
    assert latest is not None
    assert latest.channel == "api"


@pytest.mark.parametrize(
    "body",
    [
        {"purpose": "privacy_policy", "granted": False},
        {"purpose": "nonsense", "granted": True},
        {"purpose": "body_data"},
        {"purpose": "body_data", "granted": "maybe"},
        {"purpose": "body_data", "granted": True, "extra": 1},
    ],
)
def test_api_refuses_bad_consent_input_by_field(make_user: Any, body: dict[str, Any]) -> None:
    answer = bearer(make_user()).post(CONSENTS, body, "application/json")
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] in ("purpose", "granted", "extra")


def test_api_needs_a_signed_in_person() -> None:
    from django.test import Client

    assert Client().get(CONSENTS).status_code == 401


def test_who_consents_now_is_one_query_over_the_ledger(
    make_user: Any, django_assert_num_queries: Any
) -> None:
    from imas.privacy.selectors import consenting_user_ids

    yes, no, changed_mind, never = make_user(), make_user(), make_user(), make_user()
    consent_record(user=yes, purpose="aggregate_analytics", granted=True)
    consent_record(user=no, purpose="aggregate_analytics", granted=False)
    consent_record(user=changed_mind, purpose="aggregate_analytics", granted=True)
    consent_record(user=changed_mind, purpose="aggregate_analytics", granted=False)
    consent_record(user=never, purpose="body_data", granted=True)
    with django_assert_num_queries(1):
        ids = set(consenting_user_ids("aggregate_analytics"))
    assert ids == {yes.pk}
