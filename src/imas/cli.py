"""`imas`: the one command-line entry point.

`imas analyze` is pure (imas.track only: no Django, no database). Every other subcommand is a
Django management command run with IMAS settings, so `imas migrate`, `imas serve`,
`imas user create`, `imas token create`, `imas check --deploy` and whatever commands later
apps add all share one name. Errors are one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "analyze":
            from imas.analyze_cli import analyze_main

            return analyze_main(args[1:])
        return _django(args)
    except BrokenPipeError:
        # The reader went away (`imas analyze f --json | head`): not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _django(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imas.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["imas", *args])
    except ImproperlyConfigured as exc:
        # A configuration mistake (missing IMAS_SECRET_KEY in production, a bad DATABASE_URL):
        # one line that says what to set, not a traceback.
        print(f"imas: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
