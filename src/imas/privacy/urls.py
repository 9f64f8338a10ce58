from django.urls import path

from imas.privacy import views

urlpatterns = [
    path("privacy/", views.privacy_policy, name="privacy_policy"),
    path("privacy/settings/", views.privacy_settings, name="privacy_settings"),
    path("privacy/accept/", views.policy_accept_page, name="privacy_accept"),
    path("privacy/disclosures/", views.disclosures_page, name="privacy_disclosures"),
    path("privacy/exports/", views.exports_page, name="privacy_exports"),
    path(
        "privacy/exports/<int:export_id>/download/",
        views.export_download,
        name="privacy_export_download",
    ),
    path("privacy/delete-account/", views.account_delete_page, name="privacy_delete_account"),
]
