"""Goal pages: the list with progress and a form to add one; edit; delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imas.accounts.models import User
from imas.goals import periods, selectors, services
from imas.goals.forms import GoalForm
from imas.goals.models import Goal
from imas.goals.presentation import goal_cards

# How many periods of a recurring goal the goals page draws.
HISTORY_PERIODS = 8


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _save(form: GoalForm, user: User, goal: Goal | None) -> Goal | None:
    today = periods.local_today(timezone.now(), periods.zone_of(user.time_zone))
    try:
        if goal is None:
            return services.goal_create(owner=user, **form.goal_fields(today))
        return services.goal_update(goal=goal, **form.goal_fields(today))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def goal_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = GoalForm(request.POST or None, units=user.units)
    if request.method == "POST" and form.is_valid() and _save(form, user, None) is not None:
        messages.success(request, _("Your goal has been added."))
        return redirect("goals:list")
    return render(
        request,
        "goals/list.html",
        {"form": form, "cards": goal_cards(user, history=HISTORY_PERIODS)},
        status=400 if form.errors else 200,
    )


def _own_goal(request: HttpRequest, goal_id: int) -> Goal:
    try:
        return selectors.goal_get_for_owner(owner=request.user, goal_id=goal_id)
    except Goal.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    user = _user(request)
    goal = _own_goal(request, goal_id)
    form = GoalForm(request.POST or None, units=user.units, goal=goal)
    if request.method == "POST" and form.is_valid() and _save(form, user, goal) is not None:
        messages.success(request, _("Your goal has been saved."))
        return redirect("goals:list")
    return render(
        request,
        "goals/edit.html",
        {"form": form, "goal": goal, "title": services.goal_title(goal)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    services.goal_delete(goal=_own_goal(request, goal_id))
    messages.success(request, _("The goal has been deleted."))
    return redirect("goals:list")
