"""Staff views of sharing rows. Privacy zones are not in the admin at all: their places are
the person's secret, and staff have no need to see them."""

from django.contrib import admin

from imas.sharing.models import Block, Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin[Follow]):
    list_display = ("id", "follower", "followee", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("follower", "followee")


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin[Block]):
    list_display = ("id", "blocker", "blocked", "created_at")
    raw_id_fields = ("blocker", "blocked")
