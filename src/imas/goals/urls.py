from django.urls import path

from imas.goals import views

app_name = "goals"
urlpatterns = [
    path("goals/", views.goal_list, name="list"),
    path("goals/<int:goal_id>/", views.goal_edit, name="edit"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="delete"),
]
