from django.contrib.admin.apps import AdminConfig


class IMASAdminConfig(AdminConfig):
    """django.contrib.admin whose site demands a second factor from staff."""

    default_site = "imas.core.admin_site.IMASAdminSite"
