"""`imas user create` and `imas token create`: for scripts, so errors are one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from imas.accounts.models import PersonalAccessToken, User, token_hash
from imas.privacy.selectors import consent_states

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_user_create_with_every_option() -> None:
    out = run(
        "user",
        "create",
        "--email",
        "Cli@Example.org",
        "--password",
        "a-strong-cli-pass-9",
        "--name",
        "Cli Person",
        "--birthday",
        "1980-12-24",
        "--height-cm",
        "180",
        "--weight-kg",
        "80",
        "--gender",
        "male",
        "--activity-type",
        "hiking",
        "--verified",
        "--consent",
        "body_data,health_data",
    )
    user = User.objects.get(email="cli@example.org")
    assert f"created user {user.pk}" in out
    assert user.check_password("a-strong-cli-pass-9")
    assert (user.gender, user.activity_type, user.height_cm) == ("male", "hiking", 180)
    assert EmailAddress.objects.get(user=user).verified
    assert consent_states(user) == {"privacy_policy": True, "body_data": True, "health_data": True}


def test_user_create_unverified_by_default() -> None:
    run(
        "user",
        "create",
        "--email",
        "u@example.org",
        "--password",
        "a-strong-cli-pass-9",
        "--name",
        "U",
    )
    assert not EmailAddress.objects.get(email="u@example.org").verified


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--email", "dup@example.org"], "--email: An account with this email address"),
        (["--email", "not-an-email"], "--email: Enter a valid email address"),
        (["--password", "password"], "--password: This password is too"),
        (["--birthday", "2999-01-01"], "--birthday: The birthday cannot be in the future"),
        (["--height-cm", "0"], "--height-cm: Height must be between 50 and 250 cm"),
        (["--consent", "everything"], "--consent: unknown consent 'everything'"),
        (["--time-zone", "Nowhere/City"], "--time-zone: Unknown time zone"),
    ],
)
def test_user_create_errors_name_the_option(make_user: Any, extra: list[str], message: str) -> None:
    make_user(email="dup@example.org")
    args = {"--email": "x@example.org", "--password": "a-strong-cli-pass-9", "--name": "X"}
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        args[flag] = value
    argv = ["user", "create"] + [item for pair in args.items() for item in pair]
    with pytest.raises(CommandError) as info:
        run(*argv)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert User.objects.count() == 1


def test_token_create_prints_a_working_token(make_user: Any) -> None:
    user = make_user(email="tok@example.org")
    token = run("token", "create", "--email", "TOK@example.org").strip()
    assert token.startswith("imas_pat_")
    row = PersonalAccessToken.objects.get(user=user)
    assert row.token_hash == token_hash(token)  # only the hash is stored
    assert token not in (row.hint, row.name, row.token_hash)


def test_token_create_for_unknown_email() -> None:
    with pytest.raises(CommandError, match="no active account"):
        run("token", "create", "--email", "ghost@example.org")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            [
                "user",
                "create",
                "--email",
                "a@b.org",
                "--password",
                "x",
                "--name",
                "n",
                "--weight-kg",
                "abc",
            ],
            "--weight-kg: 'abc' is not a number",
        ),
        (
            [
                "user",
                "create",
                "--email",
                "a@b.org",
                "--password",
                "x",
                "--name",
                "n",
                "--consent",
                "bogus",
            ],
            "--consent: unknown consent 'bogus'",
        ),
        (["user", "create", "--email", "a@b.org"], "required: --password, --name"),
        (["user"], "required: create"),
        (["token", "create"], "required: --email"),
    ],
)
def test_the_imas_command_prints_one_error_line_without_traceback(
    tmp_path: Path, argv: list[str], expected: str
) -> None:
    env = {**os.environ, "IMAS_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "-m", "imas.cli", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
