"""Django, day two: what the docs' Django page shows, run by tests/guide.

The docs include the parts between the `--8<--` markers: the config module your settings
point at (`AUTHCORE = "examples.guide.django_app.CONFIG"`), the views and the URLs.
Settings come from the environment: AUTH_SECRET, AUTH_URL, and AUTH_INSTAGRAM_ID / _SECRET or
AUTH_MOCK_IDP_URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import include, path

from authcore.adapters.django import (
    csrf_token,
    get_provider,
    get_session,
    get_token,
    login_required,
    sign_in,
    sign_out,
)
from authcore.providers.instagram import Instagram, refresh_long_lived_token

# --8<-- [start:config]
REFRESH_BELOW = 45 * 86400  # refresh the 60-day Instagram token once less than this is left


def make_config(clock: Callable[[], float] = time.time) -> dict[str, Any]:
    def jwt(
        *,
        token: dict[str, Any],
        account: dict[str, Any] | None = None,
        profile: dict[str, Any] | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        if account is not None and profile is not None:  # sign-in: keep the 60-day token
            return {
                **token,
                "username": profile["username"],
                "access_token": account["access_token"],
                "expires_at": account["expires_at"],
            }
        if token["expires_at"] - clock() < REFRESH_BELOW:
            with httpx.Client() as client:
                fresh = refresh_long_lived_token(
                    token["access_token"],
                    client=client,
                    provider=get_provider("instagram"),
                    now=clock,
                )
            return {**token, **fresh}  # AuthMiddleware writes it back on this response
        return token

    def session(*, session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
        return {**session, "username": token["username"]}

    return {
        "providers": [Instagram(long_lived=True)],
        "callbacks": {"jwt": jwt, "session": session},
        "clock": clock,
    }


CONFIG = make_config()  # settings.py: AUTHCORE = "examples.guide.django_app.CONFIG"
# --8<-- [end:config]


# --8<-- [start:views]
@login_required  # an API call (JSON, or not GET) without a session: 401
def me(request: HttpRequest) -> HttpResponse:
    return JsonResponse(get_session(request))  # `username` included


@login_required
def media_count(request: HttpRequest) -> HttpResponse:
    token = get_token(request)  # the decoded session token: server side only
    assert token is not None
    graph = get_provider("instagram").graph_url  # the Graph API, or the mock's
    answer = httpx.get(
        f"{graph}/v25.0/me",
        params={"fields": "media_count", "access_token": token["access_token"]},
    )
    return JsonResponse({"media_count": answer.json()["media_count"]})


@login_required  # a page load without a session: 303 to the sign-in page
def dashboard(request: HttpRequest) -> HttpResponse:
    session = get_session(request)
    assert session is not None
    return HttpResponse(f"Dashboard of @{session.get('username')}")


# --8<-- [end:views]


# --8<-- [start:forms]
def login(request: HttpRequest) -> HttpResponse:
    page = engines["django"].from_string(LOGIN_PAGE)  # or a file in your templates
    # csrf_token(request): AuthMiddleware sets its cookie on this response
    context = {"csrf": csrf_token(request), "session": get_session(request)}
    return HttpResponse(page.render(context, request))


def login_instagram(request: HttpRequest) -> HttpResponse:
    return sign_in(request, "instagram", callback_url="/dashboard")


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    ...  # delete the user's data, then:
    return sign_out(request, callback_url="/")


LOGIN_PAGE = """
{% if session %}
  <p>Signed in as @{{ session.username }}</p>
  <form method="post" action="/api/auth/signout">
    <input type="hidden" name="csrfToken" value="{{ csrf }}">
    <button>Sign out</button>
  </form>
{% else %}
  <form method="post" action="/api/auth/signin/instagram">
    <input type="hidden" name="csrfToken" value="{{ csrf }}">
    <input type="hidden" name="callbackUrl" value="/dashboard">
    <button>Continue with Instagram</button>
  </form>
{% endif %}
"""
# --8<-- [end:forms]

# --8<-- [start:settings]
SETTINGS = {  # in settings.py, as plain assignments
    "AUTHCORE": "examples.guide.django_app.CONFIG",  # the dict, or its dotted path
    "MIDDLEWARE": [
        # ...
        "authcore.adapters.django.AuthMiddleware",  # validates AUTHCORE at start-up
    ],
    "ROOT_URLCONF": "examples.guide.django_app",
    "TEMPLATES": [{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
}
# --8<-- [end:settings]

# --8<-- [start:urls]
urlpatterns = [
    path("api/auth/", include("authcore.adapters.django")),
    path("api/me", me),
    path("api/media-count", media_count),
    path("dashboard", dashboard),
    path("login", login),
    path("login/instagram", login_instagram),
    path("account/close", close_account),
]
# --8<-- [end:urls]
