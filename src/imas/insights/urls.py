from django.urls import path

from imas.insights import operators_view, views

app_name = "insights"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("trends/heatmap/", views.heatmap, name="heatmap"),
    path("trends/year/", views.year_review_current, name="year_current"),
    path("trends/year/<int:year>/", views.year_review, name="year"),
    path("staff/usage/", operators_view.usage_trends_page, name="operators"),
]
