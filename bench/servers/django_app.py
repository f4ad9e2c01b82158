"""Django project in one module for `bench/run --server`: `application` (WSGI, gunicorn) and
`asgi_application` (uvicorn) serve the auth routes (async views under ASGI) and `/bare`
returning the same JSON as a session read."""

from __future__ import annotations

import os

import django
from _spec import BARE_JSON, config
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

_ASGI = os.environ.get("AUTHCORE_BENCH_ASGI") == "1"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_JSON, content_type="application/json")


async def bare_async(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_JSON, content_type="application/json")


settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bench-only-not-secret",
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    AUTHCORE=config(),
)
django.setup()

from authcore.adapters.django import auth_urls  # noqa: E402  (needs configured settings)

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/auth/", include(auth_urls(asynchronous=_ASGI))),
    path("bare", bare_async if _ASGI else bare),
]

if _ASGI:
    from django.core.asgi import get_asgi_application

    asgi_application = get_asgi_application()
else:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
