"""`imas user create ...`: make an account from a script, without questions."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from imas.accounts.models import ActivityType, Gender
from imas.core.management.parsers import OneLineErrorCommand, OneLineErrorParser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 1990-04-21") from None


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value:  # NaN
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def validation_message(exc: ValidationError) -> str:
    """One line naming the field, e.g. `--height-cm: Height must be between 50 and 250 cm.`"""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        text = " ".join(m for e in errors for m in e.messages)
        return text if field == "__all__" else f"--{field.replace('_', '-')}: {text}"
    return " ".join(exc.messages)


class Command(OneLineErrorCommand):
    help = "Manage accounts: `imas user create --email E --password P --name N ...`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="create", parser_class=OneLineErrorParser
        )
        create = sub.add_parser("create", help="create an account", called_from_command_line=True)
        create.add_argument("--email", required=True)
        create.add_argument("--password", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--birthday", type=_date, help="YYYY-MM-DD; at least 16 years ago")
        create.add_argument("--height-cm", type=_number, help="50 to 250")
        create.add_argument("--weight-kg", type=_number, help="20 to 350")
        create.add_argument("--gender", choices=Gender.values)
        create.add_argument("--activity-type", choices=ActivityType.values)
        create.add_argument("--resting-hr", type=_integer)
        create.add_argument("--max-hr", type=_integer)
        create.add_argument("--time-zone")
        create.add_argument("--verified", action="store_true", help="mark the email confirmed")
        create.add_argument("--staff", action="store_true", help="staff (admin needs 2FA)")
        create.add_argument("--consent", default="", help="comma-separated: body_data,health_data")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)

    def _create(self, options: dict[str, Any]) -> None:
        from imas.accounts.services import user_create
        from imas.privacy.services import purposes_parse

        try:
            consents = purposes_parse(options["consent"])
        except ValueError as exc:
            raise CommandError(f"--consent: {exc}") from exc
        profile = {
            key: options[key]
            for key in (
                "birthday",
                "height_cm",
                "weight_kg",
                "gender",
                "activity_type",
                "resting_hr",
                "max_hr",
                "time_zone",
            )
            if options.get(key) is not None
        }
        try:
            user = user_create(
                email=options["email"],
                password=options["password"],
                name=options["name"],
                verified=options["verified"],
                consents=consents,
                channel="cli",
                **profile,
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        if options["staff"]:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(f"created user {user.pk} <{user.email}>")
