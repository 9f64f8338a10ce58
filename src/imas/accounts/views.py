"""Account pages: the profile and the settings overview with personal access tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imas.accounts import selectors, services
from imas.accounts.forms import ProfileForm, TokenCreateForm
from imas.accounts.models import TOKEN_PREFIX, User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    from imas.privacy.models import Channel, Purpose
    from imas.privacy.selectors import consent_states, health_data_allowed
    from imas.privacy.services import consent_set_many

    user = _user(request)
    states = consent_states(user)
    # Someone who never decided about health data keeps heart rate (health_data_allowed): the
    # box shows that, and saving it unchanged records no decision (an unticked box used to
    # withdraw the consent whenever the person only changed their units).
    health_in_effect = health_data_allowed(user)
    initial = {
        "consent_body_data": states.get(Purpose.BODY_DATA, False),
        "consent_health_data": health_in_effect,
    }
    # The form edits a copy, so a rejected submission never changes the signed-in user object.
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=User.objects.get(pk=user.pk), initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in ProfileForm.Meta.fields}
        services.user_profile_update(user=user, data=changes)
        granted: dict[str, bool] = {Purpose.BODY_DATA: form.cleaned_data["consent_body_data"]}
        health = form.cleaned_data["consent_health_data"]
        if Purpose.HEALTH_DATA in states or health != health_in_effect:
            granted[Purpose.HEALTH_DATA] = health
        consent_set_many(user=user, granted=granted, channel=Channel.WEB)
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "email_verified": selectors.user_email_verified(user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = services.token_create(user=user, name=form.cleaned_data["name"])
        form = TokenCreateForm()
    from allauth.mfa.utils import is_mfa_enabled

    return render(
        request,
        "accounts/settings.html",
        {
            "token_form": form,
            "tokens": selectors.tokens_of(user),
            "new_token": new_token,
            "mfa_enabled": is_mfa_enabled(user),
            "email_verified": selectors.user_email_verified(user),
            "bearer_example": f"Authorization: Bearer {TOKEN_PREFIX}…",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if services.token_revoke(user=_user(request), token_id=token_id):
        messages.success(request, _("The token has been revoked; it no longer works."))
    else:
        messages.error(request, _("There is no such token."))
    return redirect("settings")
