"""Django's `flush`, made to work with the append-only consent ledger.

Emptying the whole database (test runs between browser tests, a development reset) deletes
consent rows while their accounts still exist, which the ledger's trigger refuses; this
command writes the wildcard release for the duration of the flush (see ledger_guard).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from imas.privacy.ledger_guard import EVERYONE, RELEASE_TABLE, release, unrelease


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if RELEASE_TABLE not in connection.introspection.table_names():
            super().handle(**options)  # a database the ledger's migration has not reached
            return
        with transaction.atomic(using=connection.alias):
            release(EVERYONE, connection)
            try:
                super().handle(**options)
            finally:
                unrelease(EVERYONE, connection)
