from django.urls import path

from imas.activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list_page, name="list"),
    path("activities/upload/", views.upload_page, name="upload"),
    path("activities/new/", views.manual_entry_page, name="manual"),
    path("activities/calendar/", views.calendar_page, name="calendar"),
    path("activities/calendar/<int:year>/<int:month>/", views.calendar_page, name="calendar_month"),
    path("activities/<int:activity_id>/", views.activity_detail_page, name="detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:activity_id>/delete/", views.activity_delete_page, name="delete"),
    path("activities/<int:activity_id>/keep/", views.activity_keep, name="keep"),
    path(
        "activities/<int:activity_id>/not-duplicate/",
        views.activity_not_duplicate,
        name="not_duplicate",
    ),
]
