"""`imas token create --email E`: print a new personal access token for that account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from imas.core.management.parsers import OneLineErrorCommand, OneLineErrorParser


class Command(OneLineErrorCommand):
    help = "Manage personal access tokens: `imas token create --email E [--name N]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="create", parser_class=OneLineErrorParser
        )
        create = sub.add_parser(
            "create", help="create a token and print it", called_from_command_line=True
        )
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        from imas.accounts.selectors import user_by_email
        from imas.accounts.services import token_create

        user = user_by_email(options["email"])
        if user is None or not user.is_active:
            raise CommandError(f"no active account with the email {options['email']!r}")
        _, secret = token_create(user=user, name=options["name"])
        self.stdout.write(secret)
