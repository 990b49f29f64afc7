from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Diplomatic remarks archive"


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the archive's own admin site (settings.INSTALLED_APPS)."""

    default = False
    default_site = "archive.admin_site.ArchiveAdminSite"
