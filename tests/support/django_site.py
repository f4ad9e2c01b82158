"""A Django site served by real servers in tests: `wsgi` for gunicorn, `asgi` for uvicorn.

Imported only in the server subprocesses of tests/adapters/test_django_servers.py (it
configures Django's settings at import)."""

from __future__ import annotations

import os
from typing import Any

import django
from django.conf import settings

from authcore.providers.credentials import Credentials


def _authorize(credentials: dict[str, Any], request: Any) -> dict[str, Any] | None:
    if credentials.get("password") == "pw":
        return {"id": "1", "name": credentials.get("username")}
    return None


CONFIG = {
    "secret": "django-server-tests-secret-0123456789abcdef",
    "trust_host": True,
    "env": {},
    "providers": [Credentials(authorize=_authorize)],
}

settings.configure(
    DEBUG=False,
    SECRET_KEY="django-server-tests",
    ALLOWED_HOSTS=["127.0.0.1", "app.example"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["authcore.adapters.django.AuthMiddleware"],
    AUTHCORE=CONFIG,
    # Django would read a body of any size: authcore must not
    DATA_UPLOAD_MAX_MEMORY_SIZE=None,
)
django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import include, path  # noqa: E402

from authcore.adapters.django import auth_urls, limit_auth_bodies  # noqa: E402

# uvicorn serves the async views, gunicorn the sync ones
_async_views = os.environ.get("AUTHCORE_TEST_ASYNC_VIEWS") == "1"
urlpatterns = [path("api/auth/", include(auth_urls(asynchronous=_async_views)))]

wsgi = get_wsgi_application()
asgi = limit_auth_bodies(get_asgi_application())
