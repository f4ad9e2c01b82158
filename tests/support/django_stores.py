"""Django for the store tests, in this process: other test modules may have configured
Django already (without this app or a database), so the app and the database are put in with
`override_settings`, and Django's connection handler is reset around them."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

__all__ = ["APPS", "django_database", "postgres_database", "sqlite_settings"]

APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "authcore.stores.django",
]


def _ensure_django() -> None:
    if not settings.configured:
        settings.configure(SECRET_KEY="authcore-store-tests", USE_TZ=True, INSTALLED_APPS=[])
        django.setup()


def _reset_connections() -> None:
    connections.close_all()
    connections.__dict__.pop("settings", None)  # a cached_property: read DATABASES again
    connections._settings = None  # type: ignore[attr-defined]
    connections._connections = Local(connections.thread_critical)  # type: ignore[attr-defined]


def sqlite_settings(path: str) -> dict[str, Any]:
    # IMMEDIATE transactions and a busy timeout: concurrent writers wait instead of failing
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    }


@contextmanager
def postgres_database(url: str) -> Iterator[dict[str, Any]]:
    """A PostgreSQL database of its own, dropped afterwards."""
    import psycopg

    name = f"authcore_django_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(url)
    try:
        yield {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": info.get("user", "postgres"),
            "PASSWORD": info.get("password", ""),
            "HOST": info.get("host", "127.0.0.1"),
            "PORT": str(info.get("port", 5432)),
        }
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def django_database(database: dict[str, Any], **extra: Any) -> Iterator[None]:
    """The store's app installed and migrated on `database`, for the duration."""
    _ensure_django()
    override = override_settings(
        INSTALLED_APPS=APPS,
        DATABASES={"default": database},
        USE_TZ=True,
        AUTHCORE_USER_MODEL="authcore.User",
        **extra,
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Overriding setting DATABASES")  # handled below
        override.enable()
    _reset_connections()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        _reset_connections()
        override.disable()
