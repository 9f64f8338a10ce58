"""Argument parsing for IMAS commands: a mistake is one line on stderr, not a usage block."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser


class OneLineErrorParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            self.exit(2, f"{self.prog}: error: {message} (see --help)\n")
        raise CommandError(f"Error: {message}")


class OneLineErrorCommand(BaseCommand):
    """A command whose parser, and subcommand parsers, report errors in one line."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Same parser, one overridden method: Django builds the parser itself, so switch class.
        parser.__class__ = OneLineErrorParser
        return parser
