"""No input gives a 500: every operation of the OpenAPI schema, fuzzed by schemathesis.

The schema is loaded from the Django application in-process (WSGI), so it is the schema
clients get, and each operation is called through the full middleware stack. Every answer must
not be a server error, and every 4xx must be DESIGN §7's `{"error": {"code", "message",
"field"}}`. Runs are derandomized, so a failure replays the same way.

- Signed in (a verified person with a personal access token who owns real activities, a
  segment, a goal and a privacy zone, and knows another person): each operation is its own
  test in its own rolled-back transaction, with schemathesis's coverage cases (boundaries,
  missing and wrongly typed values, another method) plus a bounded number of generated ones,
  valid and invalid. Small integer ids are aimed at the real rows, so updates reach the
  services' own validation.
- Signed in, ids no row has (zero, negative, past 32 and 64 bits) on every path with an id.
- Signed out: with no credentials at all everything answers 401 (404 for a path that cannot
  exist, 405 for a method the path does not have).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.result import Ok

from imas.wsgi import application
from tests.api.schema_fuzz import (
    FuzzWorld,
    build_world,
    connections_kept_open,
    error_shape_problem,
    with_hostile_text,
)

pytestmark = pytest.mark.django_db

# Kept under a minute on a busy two-core machine: the coverage phase tries the schema's
# boundary values, which reach the services; its invalid cases (about 1000 more requests) only
# meet ninja's uniform validation, which the generated invalid cases below still exercise. A
# method a path does not have is answered by one piece of middleware for every path, so one such
# method per operation is enough (the default tries seven).
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            "coverage": {"unexpected-methods": ["put"], "generation": {"mode": "positive"}},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

OPERATIONS = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]

SIGNED_IN = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Authentication comes before anything else looks at the request, so a few generated requests
# per operation show it; the coverage cases would only repeat that.
SIGNED_OUT = settings(SIGNED_IN, max_examples=4, phases=(Phase.generate,))

# Generated integer ids below this pick one of the real rows; others (negative, huge, text)
# stay as generated, so unknown and overflowing ids are tried too.
AIMED_ID_RANGE = 1000

# Ids no row has: zero, negative, and past the 32- and 64-bit integer columns of the databases
# (SQLite's driver raises OverflowError on a number it cannot bind instead of finding nothing).
HOSTILE_IDS = [0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]

# Reads a visitor may make (public activities and profiles, see imas.sharing.auth): with no
# public rows in the signed-out run they answer 404, or 422 for an id that is not a number.
VISITOR_OPERATIONS = {
    "GET /api/v1/activities/{activity_id}",
    "GET /api/v1/activities/{activity_id}/streams",
    "GET /api/v1/activities/{activity_id}/gpx",
    "GET /api/v1/people/{person_id}",
}


def error_shape(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx/5xx is DESIGN §7's JSON error shape."""
    content_type = response.headers.get("content-type", [""])[0]
    problem = error_shape_problem(response.status_code, content_type, response.content)
    if problem is not None:
        raise AssertionError(problem)


def only_401_or_404(ctx: Any, response: Any, case: Any) -> None:
    """Without credentials nothing is served; a path that names nothing may be 404 first, and
    a method the path does not have is 405 before anyone is asked who they are."""
    status = response.status_code
    foreign_method = case.method.upper() != case.operation.method.upper()
    allowed = {401, 404}
    if foreign_method:
        allowed.add(405)
    elif case.operation.label in VISITOR_OPERATIONS:
        allowed.add(422)
    if status not in allowed:
        raise AssertionError(f"{case.method} without credentials got {status}")


@pytest.fixture
def in_process() -> Iterator[None]:
    with connections_kept_open():
        yield


@pytest.fixture
def world(make_user: Any, in_process: None) -> FuzzWorld:
    return build_world(make_user)


def aim_at_real_rows(case: Any, world: FuzzWorld) -> None:
    for name, value in dict(case.path_parameters or {}).items():
        ids = world.ids.get(name)
        if ids and isinstance(value, int) and 0 <= value < AIMED_ID_RANGE:
            case.path_parameters[name] = ids[value % len(ids)]


def without_credentials(case: Any) -> None:
    """Drop the Authorization header and session cookie schemathesis makes up from the
    schema's security schemes: this run is about a caller with no credentials at all."""
    for name in [h for h in case.headers or {} if h.lower() == "authorization"]:
        del case.headers[name]
    if case.cookies:
        case.cookies.pop("sessionid", None)


@schema.parametrize()
@SIGNED_IN
def test_signed_in_no_input_gives_a_server_error(case: Any, world: FuzzWorld) -> None:
    aim_at_real_rows(case, world)
    auth = {"Authorization": f"Bearer {world.token}"}
    case.call_and_validate(headers=auth, checks=[not_a_server_error, error_shape])
    # A valid request is the one that reaches the database, so it is sent once more with text
    # no database can keep in every field (PostgreSQL turned NUL into a 500 once).
    if case.meta.generation.mode.is_positive:
        for hostile in with_hostile_text(case):
            hostile.call_and_validate(headers=auth, checks=[not_a_server_error, error_shape])


@schema.parametrize()
@SIGNED_OUT
def test_signed_out_everything_is_401(case: Any, in_process: None) -> None:
    without_credentials(case)
    case.call_and_validate(checks=[not_a_server_error, error_shape, only_401_or_404])


def test_ids_no_row_has_are_404_or_422(world: FuzzWorld) -> None:
    with_ids = [op for op in OPERATIONS if "{" in op.path]
    assert len(with_ids) > 20  # the schema really was read
    for operation in with_ids:
        names = [part[1:-1] for part in operation.path.split("/") if part.startswith("{")]
        json_body = any(alt.media_type == "application/json" for alt in operation.body)
        for value in HOSTILE_IDS:
            case = operation.Case(
                path_parameters=dict.fromkeys(names, value),
                body={} if json_body else NOT_SET,
                media_type="application/json" if json_body else None,
            )
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {world.token}"},
                checks=[not_a_server_error, error_shape],
            )
            assert response.status_code in (404, 422), (operation.label, value, response.content)
