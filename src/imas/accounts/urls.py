from django.urls import path

from imas.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
