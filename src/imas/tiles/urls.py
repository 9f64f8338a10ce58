from django.urls import path

from imas.tiles import views

app_name = "tiles"

urlpatterns = [
    path("<int:z>/<int:x>/<int:y>.png", views.tile, name="tile"),
]
