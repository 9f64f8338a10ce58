"""End to end in headless Chromium: a member withdraws and grants health-data consent and sees
their activity page change; staff publish a new privacy policy in the admin and the member meets
the acceptance gate. Screenshots of the privacy pages go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.activities.files import gpx_run
from tests.support.browser import ARTIFACTS, BROWSER_MARKS, chromium, session_context
from tests.support.sessions import second_factor_used

pytestmark = BROWSER_MARKS


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with chromium(monkeypatch) as chromium_browser:
        yield chromium_browser


def _context(browser: Any, live_server: Any, user: Any, *, second_factor: bool = False) -> Any:
    """A browser signed in as `user` (staff: with the second factor used in this session,
    what the admin asks for; the TOTP sign-in itself is tested in tests/core)."""
    client = Client()
    client.force_login(user)
    if second_factor:
        second_factor_used(client, user)
    return session_context(browser, live_server, client, viewport={"width": 1200, "height": 900})


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"privacy-{name}.png"), full_page=True)


def test_consent_changes_the_activity_page_and_a_new_policy_gates_the_member(
    browser: Any, live_server: Any, make_user: Any, settings: Any
) -> None:
    from imas.activities.services import activity_upload

    settings.IMAS_TILES_ENABLED = False  # a plain map background: no tile host involved
    member = make_user(
        name="Mia Member",
        consents=("body_data", "health_data"),
        birthday=dt.date(1992, 3, 4),
        weight_kg=58.0,
        gender="female",
    )
    activity, _created = activity_upload(owner=member, data=gpx_run(1200), filename="run.gpx")
    staff = make_user(name="Sam Staff")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    base = live_server.url
    detail = f"{base}/activities/{activity.pk}/"

    # Both sign-ins happen before the browser loads anything: the in-memory test database
    # locks whole tables while the live server reads, so no writes from here afterwards.
    page = _context(browser, live_server, member).new_page()
    admin = _context(browser, live_server, staff, second_factor=True).new_page()
    page.goto(detail)
    assert "Avg heart rate" in page.content()

    # Settings link to the privacy page; withdraw health data there.
    page.goto(base + "/settings/")
    page.click("#privacy-settings-link")
    page.wait_for_url("**/privacy/settings/")
    card = page.locator("#consent-health_data")
    assert card.get_attribute("data-granted") == "1"
    shot(page, "settings")
    with page.expect_navigation():
        card.locator("button[name=withdraw]").click()
    assert "Consent withdrawn" in page.content()
    assert page.locator("#consent-health_data").get_attribute("data-granted") == "0"
    shot(page, "settings-withdrawn")
    page.goto(detail)
    assert "Avg heart rate" not in page.content()
    shot(page, "activity-without-heart-rate")

    # Granting again brings heart rate back.
    page.goto(base + "/privacy/settings/")
    with page.expect_navigation():
        page.locator("#consent-health_data button[name=grant]").click()
    page.goto(detail)
    assert "Avg heart rate" in page.content()

    # Staff write and publish version 2 in the admin.
    admin.goto(base + "/admin/privacy/policyversion/add/")
    admin.fill("#id_version", "2")
    admin.fill("#id_effective_on", timezone.localdate().isoformat())
    admin.fill("#id_change_summary", "Privacy zones: hide where you live.")
    admin.fill("#id_text", "# Privacy policy\n\nVersion 2: you can now draw privacy zones.")
    admin.click("input[name=_save]")
    admin.wait_for_url("**/admin/privacy/policyversion/")
    admin.locator("#result_list tr", has_text="Privacy policy").filter(
        has=admin.locator("th a", has_text="2")
    ).locator("input[name=_selected_action]").check()
    admin.select_option("select[name=action]", "publish")
    with admin.expect_navigation():
        admin.click("button[name=index]")
    assert "Published 2" in admin.content()

    # The member is asked at their next page; only accepting (and export, delete, sign out)
    # works until then.
    page.goto(base + "/activities/")
    page.wait_for_url("**/privacy/accept/**")
    assert "Privacy zones: hide where you live." in page.content()
    shot(page, "acceptance-gate")
    page.goto(detail)
    assert "/privacy/accept/" in page.url
    page.goto(base + "/privacy/exports/")
    assert "/privacy/exports/" in page.url
    page.goto(detail)
    page.locator("#accept-form input[name=accept]").check()
    page.click("#accept-form button[type=submit]")
    page.wait_for_url(detail)
    assert "Avg heart rate" in page.content()

    # The public page shows version 2 and version 1 with what changed.
    page.goto(base + "/privacy/")
    assert "you can now draw privacy zones" in page.content()
    assert page.locator("#policy-history details").count() >= 1
    shot(page, "policy-page")
