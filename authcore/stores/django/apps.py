"""The Django app behind `authcore.stores.django` (app label `authcore`)."""

from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings

__all__ = ["AuthcoreStoreConfig"]

# The setting that swaps the user model must exist for Django's migration machinery; it is
# read when the app is loaded, before any model or migration.
if not hasattr(settings, "AUTHCORE_USER_MODEL"):
    settings.AUTHCORE_USER_MODEL = "authcore.User"


class AuthcoreStoreConfig(AppConfig):
    name = "authcore.stores.django"
    label = "authcore"
    verbose_name = "authcore"
    default_auto_field = "django.db.models.BigAutoField"
