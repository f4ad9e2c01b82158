"""Settings for `django-admin makemigrations --check` on the store's app (scripts/test), and
for the subprocess tests that need a project of their own."""

from __future__ import annotations

import os

SECRET_KEY = "authcore-store-tests"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "authcore.stores.django",
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("AUTHCORE_DJANGO_SQLITE", ":memory:"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
