"""A Django site on the Django store with database sessions, served by uvicorn in the
multi-process tests. Imported only in those server processes (it configures Django at import);
the database comes from AUTHCORE_TEST_DJANGO_DB (the `DATABASES["default"]` dict, as JSON)."""

from __future__ import annotations

import json
import os

import django
from django.conf import settings

from authcore.providers.github import GitHub

settings.configure(
    DEBUG=False,
    SECRET_KEY="django-store-servers",
    USE_TZ=True,
    ALLOWED_HOSTS=["127.0.0.1"],
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "authcore.stores.django",
    ],
    DATABASES={"default": json.loads(os.environ["AUTHCORE_TEST_DJANGO_DB"])},
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)
django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402
from django.urls import include, path  # noqa: E402

from authcore.adapters.django import auth_urls  # noqa: E402
from authcore.stores.django import AsyncDjangoStore  # noqa: E402

settings.AUTHCORE = {
    "secret": "django-store-servers-secret-0123456789abcdef",
    "trust_host": True,
    "env": {},
    # never contacted: the sessions here are made by the test, not by a sign-in
    "providers": [GitHub(client_id="id", client_secret="secret")],
    "adapter": AsyncDjangoStore(),
    "session": {"strategy": "database"},
}
urlpatterns = [path("api/auth/", include(auth_urls(asynchronous=True)))]

asgi = get_asgi_application()
