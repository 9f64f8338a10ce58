"""Every URL of IMAS: pages, accounts (allauth), the JSON API and the staff admin."""

from django.contrib import admin
from django.urls import include, path

from imas.api.api import api
from imas.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("", include("imas.accounts.urls")),
    path("", include("imas.privacy.urls")),
    path("", include("imas.activities.urls")),
    path("", include("imas.segments.urls")),
    path("tiles/", include("imas.tiles.urls")),
    path("", include("imas.goals.urls")),
    path("", include("imas.insights.urls")),
    path("", include("imas.sharing.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
