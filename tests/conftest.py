"""Suite-wide fixtures.

Every test gets its own data folder (files, mail, media) under pytest's tmp_path, an empty
cache (login throttling lives there) and a fast password hasher. Background tasks run eagerly,
in-process, through the same Celery task code (see README: Testing).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "a long enough passphrase 42"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def imas_data_dir(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    data = tmp_path / "imas-data"
    (data / "mail").mkdir(parents=True)
    monkeypatch.setenv("IMAS_DATA_DIR", str(data))
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = str(data / "media")
    settings.EMAIL_FILE_PATH = str(data / "mail")
    # Argon2 is the real hasher (tests/accounts check it is first); MD5 keeps tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()
    yield data
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _celery_eager() -> None:
    from imas.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """A person created the way `imas user create` does; verified unless told otherwise."""
    from imas.accounts.services import user_create

    def make(
        *,
        email: str | None = None,
        password: str = PASSWORD,
        name: str | None = None,
        verified: bool = True,
        consents: tuple[str, ...] = (),
        **profile: Any,
    ) -> Any:
        n = next(_numbers)
        return user_create(
            email=email or f"person{n}@example.org",
            password=password,
            name=name or f"Person {n}",
            verified=verified,
            consents=consents,
            **profile,
        )

    return make
