"""End to end in a real browser: sign up, verify from the mail folder, sign in, edit the
profile, sign out. Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS, BROWSER_MARKS, chromium

PASSWORD = "orchard-lantern-river-58"

pytestmark = BROWSER_MARKS


def confirmation_link(mail_dir: Path) -> str:
    """The verification link of the newest mail in the folder the file backend writes."""
    files = sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
    assert files, f"no mail written to {mail_dir}"
    for raw in reversed(files[-1].read_bytes().split(b"\n" + b"-" * 79 + b"\n")):
        if not raw.strip():
            continue
        body = message_from_bytes(raw.strip()).get_payload(decode=True)
        text = body.decode() if isinstance(body, bytes) else str(body)
        match = re.search(r"https?://\S+/accounts/confirm-email/\S+", text)
        if match:
            return match.group(0)
    raise AssertionError("no confirmation link in the mail folder")


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Any:
    with chromium(monkeypatch) as browser:
        context = browser.new_context(viewport={"width": 412, "height": 915})  # a phone
        yield context.new_page()
        context.close()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"account-{name}.png"), full_page=True)


def test_sign_up_verify_sign_in_edit_profile_sign_out(
    page: Any, live_server: Any, settings: Any, imas_data_dir: Path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    mail_dir = imas_data_dir / "mail"
    settings.EMAIL_FILE_PATH = str(mail_dir)
    base = live_server.url

    page.goto(base + "/")
    assert "self-hosted fitness platform" in page.content()
    shot(page, "1-home")
    page.get_by_role("link", name="Create an account").click()

    page.get_by_label("Email", exact=True).fill("journey@example.org")
    page.get_by_label("Name", exact=True).fill("Jo Journey")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Birthday", exact=True).fill("1994-08-09")
    page.get_by_label("Height (cm)", exact=True).fill("174")
    page.get_by_label("Weight (kg)", exact=True).fill("68.5")
    page.get_by_label("Gender", exact=True).select_option("prefer_not_to_say")
    page.get_by_label("Main activity", exact=True).select_option("hiking")
    page.locator("#id_accept_privacy_policy").check()
    assert not page.locator("#id_consent_body_data").is_checked()
    shot(page, "2-signup-filled")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    shot(page, "3-verification-sent")

    page.goto(confirmation_link(mail_dir))
    shot(page, "4-confirm")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/login/")

    page.get_by_label("Email", exact=True).fill("journey@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/")
    assert "Welcome back, Jo Journey" in page.content()
    shot(page, "5-signed-in")

    page.get_by_role("link", name="Profile").first.click()
    page.get_by_label("Height (cm) (optional)", exact=True).fill("175.5")
    page.get_by_label("Units", exact=True).select_option("imperial")
    page.get_by_label("Time zone", exact=True).select_option("Europe/Vienna")
    page.locator("#id_consent_body_data").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/profile/")
    assert "Your profile has been saved." in page.content()
    assert page.get_by_label("Height (cm) (optional)", exact=True).input_value() == "175.5"
    shot(page, "6-profile-saved")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("navigation").get_by_role("link", name="Sign in").is_visible()
    shot(page, "7-signed-out")

    from django.db import connections

    from imas.accounts.models import User
    from imas.privacy.selectors import consent_states

    try:
        user = User.objects.get(email="journey@example.org")
        assert (user.height_cm, user.units, user.time_zone) == (175.5, "imperial", "Europe/Vienna")
        assert consent_states(user)["body_data"] is True
    finally:
        # Under Playwright's event loop these queries use a connection of their own, which
        # pytest-django does not see; close it so PostgreSQL can drop the test database.
        connections.close_all()
