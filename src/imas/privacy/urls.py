from django.urls import path

from imas.privacy import views

urlpatterns = [path("privacy/", views.privacy_policy, name="privacy_policy")]
