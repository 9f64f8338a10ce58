from django.urls import path

from imas.sharing import views

app_name = "sharing"

urlpatterns = [
    path("people/<int:person_id>/", views.profile_page, name="profile"),
    path("people/<int:person_id>/follow/", views.follow, name="follow"),
    path("people/<int:person_id>/unfollow/", views.unfollow, name="unfollow"),
    path("people/<int:person_id>/block/", views.block, name="block"),
    path("people/<int:person_id>/unblock/", views.unblock, name="unblock"),
    path("settings/sharing/", views.sharing_page, name="settings"),
    path("settings/sharing/followers/<int:person_id>/approve/", views.approve, name="approve"),
    path("settings/sharing/followers/<int:person_id>/remove/", views.remove, name="remove"),
    path("settings/privacy-zones/", views.zones_page, name="zones"),
    path("settings/privacy-zones/<int:zone_id>/delete/", views.zone_delete, name="zone_delete"),
    path("activities/<int:activity_id>/sharing/", views.activity_sharing_page, name="activity"),
]
