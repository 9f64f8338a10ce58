"""Pages: the home page says what IMAS is; security headers; nothing from third parties."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES_ANONYMOUS = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/privacy/",
]
PAGES_SIGNED_IN = [
    "/",
    "/profile/",
    "/settings/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
]


def assert_own_origin_only(html: str) -> None:
    for match in re.finditer(r'(?:src|href|action)="([^"]+)"', html):
        url = match.group(1)
        assert not re.match(r"^(https?:)?//", url), f"third-party URL in page: {url}"


def test_home_page_says_what_imas_is(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "self-hosted fitness platform" in html
    assert 'href="/accounts/signup/"' in html
    assert '<meta name="viewport"' in html


@pytest.mark.parametrize("path", PAGES_ANONYMOUS)
def test_anonymous_pages(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert_own_origin_only(html)
    assert "/static/imas/imas.css" in html


@pytest.mark.parametrize("path", PAGES_SIGNED_IN)
def test_signed_in_pages(client: Client, make_user: Any, path: str) -> None:
    client.force_login(make_user(name="Ann Example"))
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert_own_origin_only(html)
    assert 'action="/accounts/logout/"' in html  # sign out is a POST form with CSRF
    assert "csrfmiddlewaretoken" in html


def test_security_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no third-party origin anywhere in the policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_need_csrf(make_user: Any) -> None:
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/profile/", {"name": "x"}).status_code == 403
    assert client.post("/accounts/login/", {"login": "a@b.org", "password": "x"}).status_code == 403


def test_stylesheet_is_served(client: Client) -> None:
    from django.test import override_settings

    with override_settings(DEBUG=False):
        response = client.get("/static/imas/imas.css")
    assert response.status_code == 200


def test_every_template_string_is_translatable() -> None:
    """Visible text in our templates sits in translate/blocktranslate tags (a rough check)."""
    from pathlib import Path

    import imas

    root = Path(imas.__file__).parent
    templates = [
        p
        for app in ("core", "accounts", "privacy")
        for p in (root / app).glob("templates/**/*.html")
        if p.parts[-3:-1] != ("allauth", "elements")
    ]
    assert templates
    for path in templates:
        text = path.read_text()
        text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", " ", text, flags=re.S)
        text = re.sub(r"{% block main_class %}.*?{% endblock %}", " ", text, flags=re.S)
        stripped = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>|&\w+;|[◆…—·()]", " ", text, flags=re.S)
        words = re.findall(r"[A-Za-z]{3,}", stripped)
        assert not words, f"{path}: untranslated text {words[:5]}"


def test_unknown_page_gets_our_404(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html
    assert "/static/imas/imas.css" in html


def test_throttled_sign_ups_get_our_429(client: Client) -> None:
    for n in range(25):  # sign-ups are limited to 20 a minute per address
        response = client.post("/accounts/signup/", {"email": f"x{n}@example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_server_error_page_renders_without_a_request_context() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


def test_health_check(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
