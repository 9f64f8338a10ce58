"""`imas import-export FILE --email E`: restore an IMAS export into this server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Restore a person's IMAS export (the zip from Privacy > Export) as a new account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the export zip")
        parser.add_argument("--email", required=True, help="address of the new account")

    def handle(self, *args: Any, **options: Any) -> None:
        from imas.privacy.imports import ImportError_, export_restore

        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            report = export_restore(data=data, email=options["email"])
        except ImportError_ as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ValidationError as exc:
            field, errors = next(iter(exc.message_dict.items()))
            raise CommandError(f"{field}: {' '.join(errors)}") from exc
        self.stdout.write(
            f"Restored account {options['email']} (id {report.user_id}): "
            f"{report.activities} activities, {report.goals} goals, "
            f"{report.consents} consents; set a password with 'Forgot password'."
        )
        for problem in report.problems:
            self.stderr.write(f"not restored: {problem}")
