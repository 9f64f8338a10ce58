from django.urls import path

from imas.activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list_page, name="list"),
]
