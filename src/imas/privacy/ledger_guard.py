"""The database guard that keeps the consent ledger append-only, below the application.

Triggers on `privacy_consentrecord` (created by migration 0003, one version per database):
- UPDATE is always refused.
- DELETE is refused while the person's account row exists, unless the erasure of that account
  has released it: a row with the person's id in `privacy_consent_release`.

How erasure gets through: deleting a User sends pre_delete before Django deletes anything (the
collector signals first, then deletes the dependents, then the user row, all in one
transaction). Our pre_delete receiver inserts the release row, the cascade removes the consent
rows, and post_delete removes the release row again, so nothing of the person is left and the
release never outlives the transaction that erased them. A raw `DELETE` by hand or by a bug in
some other path finds no release row and fails.

`privacy_consent_release` is a plain table, not a Django model, so `manage.py flush` (which
empties every model's table in an arbitrary order on SQLite) does not touch it; our own
`flush` command (imas.privacy.management.commands.flush) writes the wildcard release (-1) for
the duration of the flush, which is how test databases are emptied between browser tests.
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

RELEASE_TABLE = "privacy_consent_release"
EVERYONE = -1  # the wildcard release written during `flush`

SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS privacy_consent_release (user_id integer NOT NULL PRIMARY KEY)",
    """
    CREATE TRIGGER IF NOT EXISTS privacy_consent_no_update
    BEFORE UPDATE ON privacy_consentrecord
    BEGIN
        SELECT RAISE(ABORT, 'consent records are append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS privacy_consent_no_delete
    BEFORE DELETE ON privacy_consentrecord
    WHEN EXISTS (SELECT 1 FROM accounts_user WHERE id = OLD.user_id)
     AND NOT EXISTS (SELECT 1 FROM privacy_consent_release WHERE user_id IN (OLD.user_id, -1))
    BEGIN
        SELECT RAISE(ABORT, 'consent records are append-only: no DELETE while the account exists');
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS privacy_consent_no_update",
    "DROP TRIGGER IF EXISTS privacy_consent_no_delete",
    "DROP TABLE IF EXISTS privacy_consent_release",
]

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS privacy_consent_release (user_id bigint NOT NULL PRIMARY KEY)",
    """
    CREATE OR REPLACE FUNCTION privacy_consent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'consent records are append-only: UPDATE refused';
        END IF;
        IF EXISTS (SELECT 1 FROM accounts_user WHERE id = OLD.user_id)
           AND NOT EXISTS (
               SELECT 1 FROM privacy_consent_release WHERE user_id IN (OLD.user_id, -1)
           ) THEN
            RAISE EXCEPTION
                'consent records are append-only: DELETE refused while the account exists';
        END IF;
        RETURN OLD;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS privacy_consent_append_only ON privacy_consentrecord",
    """
    CREATE TRIGGER privacy_consent_append_only
    BEFORE UPDATE OR DELETE ON privacy_consentrecord
    FOR EACH ROW EXECUTE FUNCTION privacy_consent_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS privacy_consent_append_only ON privacy_consentrecord",
    "DROP FUNCTION IF EXISTS privacy_consent_append_only()",
    "DROP TABLE IF EXISTS privacy_consent_release",
]


def _statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    raise NotImplementedError(f"no consent-ledger guard for the {vendor} database")


def guard_install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, create=True):
            cursor.execute(sql)


def guard_remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, create=False):
            cursor.execute(sql)


def release(user_id: int, connection: Any = default_connection) -> None:
    """Let the consent rows of `user_id` be deleted (call inside the erasing transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_consent_release WHERE user_id = %s", [user_id])
        cursor.execute("INSERT INTO privacy_consent_release (user_id) VALUES (%s)", [user_id])


def unrelease(user_id: int, connection: Any = default_connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_consent_release WHERE user_id = %s", [user_id])


def on_user_pre_delete(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    from django.db import connections

    release(int(instance.pk), connections[using])


def on_user_post_delete(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    from django.db import connections

    unrelease(int(instance.pk), connections[using])
