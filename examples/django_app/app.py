"""Django + authcore in one file (settings, URLs, views): sign in with Instagram.

Run:  .venv/bin/python examples/django_app/app.py             (WSGI, http://127.0.0.1:8000)
      .venv/bin/python examples/django_app/app.py --asgi      (ASGI under uvicorn, async views)
      .venv/bin/python examples/django_app/app.py --port 8001

With AUTH_INSTAGRAM_ID / AUTH_INSTAGRAM_SECRET set it uses the real Instagram (which needs
https: see docs/instagram-setup.md); with AUTH_MOCK_IDP_URL the running `authcore mock-idp`;
otherwise a built-in mock Instagram.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from html import escape
from typing import Any

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from authcore.providers.instagram import Instagram

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8000)
parser.add_argument("--asgi", action="store_true", help="serve with uvicorn and async views")
args = parser.parse_args() if __name__ == "__main__" else parser.parse_args([])
origin = os.environ.get("AUTH_URL") or f"http://{args.host}:{args.port}"

if not os.environ.get("AUTH_INSTAGRAM_ID") and not os.environ.get("AUTH_MOCK_IDP_URL"):
    from authcore.testing import MockIdP

    idp = MockIdP(auto_approve=False).start()  # shows a consent page, like Instagram
    os.environ["AUTH_MOCK_IDP_URL"] = idp.url  # points the providers at it
instagram = Instagram()  # AUTH_INSTAGRAM_ID / _SECRET, or the mock of AUTH_MOCK_IDP_URL

AUTHCORE: dict[str, Any] = {"providers": [instagram], "url": origin}
if not os.environ.get("AUTH_SECRET"):
    AUTHCORE["secret"] = secrets.token_urlsafe(32)  # sessions end when the app stops

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(32),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["authcore.adapters.django.AuthMiddleware"],
    AUTHCORE=AUTHCORE,
)
django.setup()

from authcore.adapters.django import (  # noqa: E402 (after settings.configure)
    Session,
    auth_urls,
    get_session,
    login_required,
)

SIGNIN = "/api/auth/signin?callbackUrl=/protected"
SIGNOUT = "/api/auth/signout?callbackUrl=/"


def page(title: str, body: str) -> HttpResponse:
    return HttpResponse(
        f"<!doctype html><meta charset=utf-8><title>{title} · Django + authcore</title>"
        f"<body style='font-family:system-ui;margin:3rem'><h1>{title}</h1><p>{body}"
    )


def who(session: Session) -> str:
    return f"Signed in as <b id=user>{escape(session['user'].get('name') or '')}</b>."


def home(request: HttpRequest) -> HttpResponse:
    session = get_session(request)  # read once per request, None when signed out
    if session is None:
        return page("Home", f"Not signed in. <a id=signin href='{SIGNIN}'>Sign in</a>")
    return page("Home", f"{who(session)} <a href='/protected'>Protected page</a>")


@login_required  # signed out: redirect to /api/auth/signin?callbackUrl=/protected
def protected(request: HttpRequest) -> HttpResponse:
    session = get_session(request)
    assert session is not None
    return page("Protected page", f"{who(session)} <a id=signout href='{SIGNOUT}'>Sign out</a>")


urlpatterns = [
    path("api/auth/", include(auth_urls(asynchronous=args.asgi))),
    path("", home),
    path("protected", protected),
]

if __name__ == "__main__":
    if args.asgi:
        import uvicorn
        from django.core.asgi import get_asgi_application

        from authcore.adapters.django import limit_auth_bodies

        uvicorn.run(limit_auth_bodies(get_asgi_application()), host=args.host, port=args.port)
    else:
        from django.core.management import execute_from_command_line

        execute_from_command_line(
            [sys.argv[0], "runserver", f"{args.host}:{args.port}", "--noreload"]
        )
