"""Privacy pages: the public policy, the person's consents, acceptance of a new version,
disclosures, exports and deleting the account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from imas.accounts.models import User
from imas.privacy import selectors
from imas.privacy.models import (
    ACCEPTANCE_PURPOSES,
    Channel,
    ExportJob,
    PolicyKind,
    Purpose,
)
from imas.privacy.policies import policy_html

# What each consent enables, and what withdrawing it does, as the privacy page says it.
PURPOSE_EFFECTS: dict[str, tuple[Any, Any]] = {
    Purpose.BODY_DATA: (
        gettext_lazy(
            "Your birthday, height, weight and gender are used to estimate calories and "
            "heart-rate zones from age."
        ),
        gettext_lazy(
            "Without it, calories come only from your device or power meter, or are left "
            "unknown with the reason shown on each activity."
        ),
    ),
    Purpose.HEALTH_DATA: (
        gettext_lazy(
            "Your heart rate is analysed and shown: averages, zones, TRIMP and heart-rate charts."
        ),
        gettext_lazy(
            "Without it, heart rate is removed from your activities' figures, zones and charts "
            "(the files you uploaded are kept, so granting again brings it back)."
        ),
    ),
    Purpose.AGGREGATE_ANALYTICS: (
        gettext_lazy(
            "You are counted in anonymous usage trends the operators see (never a group of "
            "fewer than 10 people)."
        ),
        gettext_lazy("Without it, you are left out of every count."),
    ),
    Purpose.STRAVA: (
        gettext_lazy("Activities are exchanged with Strava, as you set up the connection."),
        gettext_lazy("Without it, nothing is sent to or fetched from Strava."),
    ),
    Purpose.GARMIN: (
        gettext_lazy("Activities are fetched from Garmin Connect, as you set up the connection."),
        gettext_lazy("Without it, nothing is fetched from Garmin Connect."),
    ),
}
CHOICE_PURPOSES = [p for p in Purpose.values if p not in ACCEPTANCE_PURPOSES]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _versions(kind: str) -> list[dict[str, Any]]:
    return [
        {"policy": p, "html": mark_safe(policy_html(p.text))}  # noqa: S308  (nh3-cleaned)
        for p in selectors.policy_history(kind)
    ]


def privacy_policy(request: HttpRequest) -> HttpResponse:
    """Public: the policy in force, the terms of use, and every earlier version."""
    policy = selectors.policy_current()
    terms = selectors.policy_in_force(PolicyKind.TERMS_OF_USE)
    return render(
        request,
        "privacy/policy.html",
        {
            "policy": policy,
            "policy_html": mark_safe(policy_html(policy.text)),  # noqa: S308  (nh3-cleaned)
            "terms": terms,
            "terms_html": mark_safe(policy_html(terms.text)) if terms else "",  # noqa: S308
            "history": [v for v in _versions(PolicyKind.PRIVACY_POLICY) if v["policy"] != policy],
            "terms_history": [
                v for v in _versions(PolicyKind.TERMS_OF_USE) if v["policy"] != terms
            ],
            "upcoming": selectors.policies_upcoming(),
        },
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=[(p, p) for p in CHOICE_PURPOSES])
    granted = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


def consent_rows(user: User) -> list[dict[str, Any]]:
    states = selectors.consent_states(user)
    in_effect: dict[str, bool] = {Purpose.HEALTH_DATA: selectors.health_data_allowed(user)}
    rows = []
    for purpose in CHOICE_PURPOSES:
        enables, without = PURPOSE_EFFECTS[purpose]
        rows.append(
            {
                "purpose": purpose,
                "label": Purpose(purpose).label,
                "granted": in_effect.get(purpose, states.get(purpose, False)),
                "decided": purpose in states,
                "enables": enables,
                "without": without,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request: HttpRequest) -> HttpResponse:
    from imas.privacy.services import consent_record

    user = _user(request)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a consent and whether you give it."))
            return redirect("privacy_settings")
        purpose, granted = form.cleaned_data["purpose"], form.cleaned_data["granted"]
        consent_record(user=user, purpose=purpose, granted=granted, channel=Channel.WEB)
        label = Purpose(purpose).label
        if granted:
            messages.success(request, _("Consent given: %(what)s.") % {"what": label})
        else:
            messages.success(
                request,
                _("Consent withdrawn: %(what)s. %(effect)s")
                % {"what": label, "effect": PURPOSE_EFFECTS[purpose][1]},
            )
        return redirect("privacy_settings")
    return render(
        request,
        "privacy/settings.html",
        {
            "rows": consent_rows(user),
            "history": selectors.consent_history(user)[:50],
            "exports": selectors.exports_of(user)[:5],
            "disclosure_count": selectors.disclosures_of(user).count(),
            "to_accept": selectors.policies_to_accept(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_accept_page(request: HttpRequest) -> HttpResponse:
    """The gate: a person asked to accept the version in force."""
    from imas.privacy.services import policy_accept

    user = _user(request)
    pending = selectors.policies_to_accept(user)
    if request.method == "GET" and not pending:
        return redirect("home")
    if request.method == "POST":
        for policy in pending:
            if str(policy.pk) in request.POST.getlist("accept"):
                policy_accept(user=user, policy=policy, channel=Channel.WEB)
        pending = selectors.policies_to_accept(user)
        if not pending:
            messages.success(request, _("Thank you; you can carry on."))
            target = request.GET.get("next", "")
            if target.startswith("/") and not target.startswith("//"):
                return redirect(target)
            return redirect("home")
        messages.error(request, _("Tick each version to accept it, or export or delete your data."))
    return render(
        request,
        "privacy/accept.html",
        {
            "pending": [
                {"policy": p, "html": mark_safe(policy_html(p.text))}  # noqa: S308
                for p in pending
            ]
        },
        status=200,
    )


@login_required
def disclosures_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/disclosures.html",
        {"disclosures": selectors.disclosures_of(_user(request))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exports_page(request: HttpRequest) -> HttpResponse:
    from imas.privacy.exports import export_request

    user = _user(request)
    if request.method == "POST":
        export_request(user=user)
        messages.success(
            request, _("Your export is being built; we email you a link when it is ready.")
        )
        return redirect("privacy_exports")
    return render(request, "privacy/exports.html", {"exports": selectors.exports_of(user)})


@login_required
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    from imas.privacy.exports import export_available

    try:
        job = selectors.export_get_for_owner(request.user, export_id)
    except ExportJob.DoesNotExist:
        raise Http404(_("No such export.")) from None
    if not export_available(job):
        raise Http404(_("This export has expired or is not ready; ask for a new one."))
    handle = default_storage.open(job.file_name, "rb")
    stamp = job.created_at.strftime("%Y%m%d")
    return FileResponse(handle, as_attachment=True, filename=f"imas-export-{stamp}.zip")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Enter it again to confirm that it is you."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_page(request: HttpRequest) -> HttpResponse:
    from imas.privacy.erasure import WrongPassword, account_erase

    user = _user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(user=user, password=form.cleaned_data["password"])
        except WrongPassword as exc:
            form.add_error("password", str(exc))
        else:
            logout(request)
            messages.success(request, _("Your account and everything in it have been deleted."))
            return redirect("home")
    return render(
        request,
        "privacy/delete_account.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
