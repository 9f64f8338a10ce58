from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from imas.accounts.services import token_create


@pytest.fixture
def ann(make_user: Any) -> Any:
    return make_user(email="ann@example.org", name="Ann", birthday=None)


@pytest.fixture
def ann_token(ann: Any) -> str:
    return token_create(user=ann, name="tests")[1]


@pytest.fixture
def api(ann_token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ann_token}")
