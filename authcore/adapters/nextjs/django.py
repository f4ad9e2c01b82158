"""Django middleware and decorators that read a Next.js app's session; no URLs mounted.

    # settings.py
    AUTHCORE_NEXTAUTH = {"secret": os.environ["AUTH_SECRET"]}    # + NextAuthReader options
    MIDDLEWARE = [..., "authcore.adapters.nextjs.django.NextAuthMiddleware"]

    @nextauth_required
    @nextauth_csrf_protect
    def create(request):
        request.nextauth.session.user.email

`request.nextauth` is read lazily: the cookie is decrypted on first access, once.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test.signals import setting_changed

from ... import _http
from ...nextjs import NextAuthReader, ReadResult, Session
from ..django import request_headers
from . import UNAUTHORIZED_HEADERS, from_settings

__all__ = [
    "NextAuthContext",
    "NextAuthMiddleware",
    "Session",
    "get_nextauth",
    "get_reader",
    "nextauth_csrf_protect",
    "nextauth_required",
    "unauthorized",
]

V = TypeVar("V", bound=Callable[..., Any])
_SETTING = "AUTHCORE_NEXTAUTH"
_lock = threading.Lock()
_cached: tuple[NextAuthReader, str] | None = None


def _load() -> tuple[NextAuthReader, str]:
    global _cached  # noqa: PLW0603 - one reader per settings value, rebuilt on change
    with _lock:
        if _cached is None:
            _cached = from_settings(getattr(settings, _SETTING, None), source=_SETTING)
        return _cached


def get_reader() -> NextAuthReader:
    """The reader built from ``settings.AUTHCORE_NEXTAUTH`` (once; rebuilt if it changes)."""
    return _load()[0]


def _reset(*, setting: str, **_: Any) -> None:
    global _cached  # noqa: PLW0603
    if setting == _SETTING:
        with _lock:
            _cached = None


setting_changed.connect(_reset)


def _to_request(request: HttpRequest) -> _http.Request:
    # No build_absolute_uri(): it validates Host and may raise; reading needs headers only.
    return _http.Request(request.method or "GET", request.path, request_headers(request))


class NextAuthContext:
    """What ``request.nextauth`` holds: the read is done on first access and cached."""

    __slots__ = ("_request", "_result")

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._result: ReadResult | None = None

    @property
    def result(self) -> ReadResult:
        if self._result is None:
            self._result = get_reader().inspect(_to_request(self._request))
        return self._result

    @property
    def session(self) -> Session | None:
        return self.result.session

    @property
    def token(self) -> dict[str, Any] | None:
        return self.result.token

    @property
    def reason(self) -> str | None:
        return self.result.reason

    def verify_csrf(self) -> bool:
        reader, header = _load()
        return reader.verify_csrf(_to_request(self._request), header)

    def __bool__(self) -> bool:
        return self.session is not None

    def __repr__(self) -> str:
        return f"<NextAuthContext {'read' if self._result is not None else 'unread'}>"


def get_nextauth(request: HttpRequest) -> NextAuthContext:
    """``request.nextauth``, attached on the fly when the middleware is not installed."""
    context = getattr(request, "nextauth", None)
    if not isinstance(context, NextAuthContext):
        context = NextAuthContext(request)
        request.nextauth = context  # type: ignore[attr-defined]
    return context


class NextAuthMiddleware:
    """Attaches ``request.nextauth`` (lazy); sync and async capable. Builds the reader at
    start-up so a bad ``AUTHCORE_NEXTAUTH`` fails when the server starts."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)
        get_reader()

    def __call__(self, request: HttpRequest) -> Any:
        if self._async:
            return self.__acall__(request)
        get_nextauth(request)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> Any:
        get_nextauth(request)
        return await self.get_response(request)


def unauthorized() -> HttpResponse:
    response = JsonResponse({"error": "Unauthorized"}, status=401)
    for name, value in UNAUTHORIZED_HEADERS:
        response[name] = value
    return response


def _guard(check: Callable[[HttpRequest], HttpResponse | None], view: V) -> V:
    if inspect.iscoroutinefunction(view) or iscoroutinefunction(view):

        @functools.wraps(view)
        async def guarded_async(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            denied = check(request)
            return denied if denied is not None else await view(request, *args, **kwargs)

        return cast(V, guarded_async)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        denied = check(request)
        return denied if denied is not None else view(request, *args, **kwargs)

    return cast(V, guarded)


def _session_check(request: HttpRequest) -> HttpResponse | None:
    return unauthorized() if get_nextauth(request).session is None else None


def _csrf_check(request: HttpRequest) -> HttpResponse | None:
    reader, header = _load()
    if reader.csrf_required(_to_request(request), header):
        return JsonResponse({"error": "MissingCSRF"}, status=403)
    return None


def nextauth_required(view: V) -> V:
    """401 JSON unless the request carries a Next.js session (sync or async view)."""
    return _guard(_session_check, view)


def nextauth_csrf_protect(view: V) -> V:
    """403 for unsafe methods unless the CSRF header matches the Next.js CSRF cookie.

    The view is also marked ``csrf_exempt``: the Next.js front end has no Django CSRF
    token, and this check replaces Django's for it.
    """
    guarded = _guard(_csrf_check, view)
    guarded.csrf_exempt = True  # type: ignore[attr-defined]
    return guarded
