"""The opt-in bridge to `django.contrib.auth`: `request.user` follows the authcore session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from ...adapters.django import get_config
from ._store import AsyncDjangoStore, DjangoStore

__all__ = ["UserBridgeMiddleware"]

# Auth.js's database-session cookie, on https and on http.
_COOKIES = ("__Secure-authjs.session-token", "authjs.session-token")
_MARK = "_authcore_bridge"  # in Django's session: this login came from the bridge


class UserBridgeMiddleware:
    """Sets `request.user` to the `AUTH_USER_MODEL` row of the authcore database session,
    for code that relies on `request.user` and `login_required`. Put it after Django's
    `AuthenticationMiddleware`; the store must be a `DjangoStore` whose `UserMapping` is
    onto `AUTH_USER_MODEL`.

    With `AUTHCORE_DJANGO_LOGIN = True` it also calls `django.contrib.auth.login` (Django's
    own session then carries the user, e.g. for the admin), and `logout` once the authcore
    session is gone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _store() -> DjangoStore:
        store = get_config().get("adapter")
        if isinstance(store, AsyncDjangoStore):
            store = store.sync
        if not isinstance(store, DjangoStore):
            raise ImproperlyConfigured("UserBridgeMiddleware needs a DjangoStore as the adapter")
        if store.users.resolve() is not get_user_model():
            raise ImproperlyConfigured(
                "UserBridgeMiddleware needs the store's users in AUTH_USER_MODEL "
                "(DjangoStore(users=UserMapping(...)) and AUTHCORE_USER_MODEL = AUTH_USER_MODEL)"
            )
        return store

    def _authcore_user(self, request: HttpRequest) -> Any:
        token = next((request.COOKIES[n] for n in _COOKIES if n in request.COOKIES), None)
        if not token:
            return None
        store = self._store()
        found = store.get_session_and_user(token)
        if found is None or found["session"]["expires"] <= datetime.now(timezone.utc):
            return None
        return store._find_user(found["user"]["id"])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = getattr(request, "user", None)
        bridged_login = getattr(settings, "AUTHCORE_DJANGO_LOGIN", False)
        if current is None or not current.is_authenticated:
            user = self._authcore_user(request)
            if user is not None:
                if bridged_login:
                    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                    request.session[_MARK] = True
                request.user = user
        elif bridged_login and request.session.get(_MARK) and self._authcore_user(request) is None:
            logout(request)  # signed out of authcore: out of Django's session too
        return self.get_response(request)
