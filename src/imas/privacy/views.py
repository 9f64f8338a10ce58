from __future__ import annotations

import markdown
import nh3
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from imas.privacy.selectors import policy_current


def policy_html(text: str) -> str:
    """Markdown to HTML, cleaned so that even a careless edit of the policy cannot inject script."""
    return nh3.clean(markdown.markdown(text, extensions=["sane_lists"]))


def privacy_policy(request: HttpRequest) -> HttpResponse:
    policy = policy_current()
    return render(
        request,
        "privacy/policy.html",
        {"policy": policy, "policy_html": mark_safe(policy_html(policy.text))},  # noqa: S308
    )
