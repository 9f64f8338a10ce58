from django.urls import path

from imas.segments import views

app_name = "segments"

urlpatterns = [
    path("segments/", views.segment_list_page, name="list"),
    path("segments/new/gpx/", views.segment_gpx_page, name="create_gpx"),
    path(
        "segments/new/from-activity/<int:activity_id>/",
        views.segment_create_page,
        name="create_from_activity",
    ),
    path("segments/<int:segment_id>/", views.segment_detail_page, name="detail"),
    path("segments/<int:segment_id>/edit/", views.segment_edit, name="edit"),
    path("segments/<int:segment_id>/delete/", views.segment_delete, name="delete"),
    path("records/", views.records_page, name="records"),
]
