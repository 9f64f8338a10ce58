"""Staff see goals to help a person; they change nothing here (people manage their own)."""

from __future__ import annotations

from django.contrib import admin

from imas.goals.models import Goal, GoalAchievement


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ("id", "owner", "period", "sport", "metric", "target", "recurring")
    list_filter = ("period", "metric", "recurring")
    search_fields = ("owner__email", "name")
    readonly_fields = [f.name for f in Goal._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(GoalAchievement)
class GoalAchievementAdmin(admin.ModelAdmin[GoalAchievement]):
    list_display = ("id", "goal", "period_first", "period_last", "reached_at", "emailed_at")
    readonly_fields = [f.name for f in GoalAchievement._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
