"""Django adapter: URLs at the base path, config from settings, a lazy-session middleware,
`login_required`. Works under WSGI (sync, no event loop for a session read) and ASGI.

```python
# settings.py
AUTHCORE = {"providers": [Instagram()], ...}       # or a dotted path to such a dict
MIDDLEWARE = [..., "authcore.adapters.django.AuthMiddleware"]
# urls.py
urlpatterns = [path("api/auth/", include("authcore.adapters.django")), ...]
# (ASGI: include(auth_urls(asynchronous=True)) serves the auth routes with async views)
```

The request URL is `request.build_absolute_uri()`: Django has already checked the host
against `ALLOWED_HOSTS` and applied `USE_X_FORWARDED_HOST` / `SECURE_PROXY_SSL_HEADER`.
`X-Forwarded-*` headers reach the core untouched and count only when the config trusts the
host (security.md §4.10).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Container, Mapping
from http.cookies import Morsel
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, re_path
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

import authcore

from ._common import (
    Session,
    SessionUser,
    as_session,
    base_path_of,
    header_pairs,
    signin_redirect,
)

__all__ = [
    "AuthMiddleware",
    "Session",
    "SessionUser",
    "aget_session",
    "auth_urls",
    "auth_view",
    "auth_view_async",
    "get_config",
    "get_session",
    "login_required",
    "request_headers",
    "urlpatterns",
]

V = TypeVar("V", bound=Callable[..., Any])
_CACHE = "_authcore_session"


def get_config() -> Mapping[str, Any]:
    """`settings.AUTHCORE`: the config dict, or a dotted path to it."""
    value = getattr(settings, "AUTHCORE", None)
    if isinstance(value, str):
        value = import_string(value)
    if not isinstance(value, Mapping):
        raise RuntimeError("authcore: set settings.AUTHCORE to a config dict (or its dotted path)")
    return value


def request_headers(request: HttpRequest) -> list[tuple[str, str]]:
    """The request's headers as pairs, each repeated header kept apart."""
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict) and isinstance(scope.get("headers"), (list, tuple)):
        # Under ASGI, Django joins repeated headers with "," in META, which corrupts the
        # Cookie headers HTTP/2 splits (RFC 9113 §8.2.3); the raw scope keeps each one.
        return header_pairs(scope["headers"])
    return list(request.headers.items())


def _auth_request(request: HttpRequest, *, with_body: bool) -> authcore.Request:
    body = request.body if with_body else b""
    return authcore.Request(
        request.method or "GET", request.build_absolute_uri(), request_headers(request), body
    )


class _RawSetCookie(Morsel[str]):
    """One `Set-Cookie` header that Django emits byte for byte.

    `HttpResponse.headers` holds one value per name, and a plain `response.cookies` entry is
    re-serialised by `http.cookies` (its own attribute order, quoting and date format). This
    morsel outputs the core's header unchanged; the WSGI and ASGI handlers and the test
    client all read `response.cookies`."""

    def __init__(self, header: str) -> None:
        super().__init__()
        name, _, rest = header.partition("=")
        self.set(name.strip(), rest.split(";", 1)[0], rest.split(";", 1)[0])
        self._raw = header

    def output(self, attrs: Container[str] | None = None, header: str = "Set-Cookie:") -> str:
        return f"{header} {self._raw}" if header else self._raw

    def OutputString(self, attrs: Container[str] | None = None) -> str:
        return self._raw


def _django_response(response: authcore.Response) -> HttpResponse:
    out = HttpResponse(response.body, status=response.status)
    del out.headers["Content-Type"]  # only the core's headers go out
    for index, (name, value) in enumerate(response.headers):
        if name.lower() == "set-cookie":
            morsel = _RawSetCookie(value)
            key = morsel.key if morsel.key not in out.cookies else f"{morsel.key}#{index}"
            dict.__setitem__(out.cookies, key, morsel)
        else:
            out.headers[name] = value
    return out


@csrf_exempt  # the core does its own double-submit CSRF check (SPEC §5)
def auth_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    return _django_response(
        authcore.auth_sync(_auth_request(request, with_body=True), get_config())
    )


@csrf_exempt
async def auth_view_async(request: HttpRequest, rest: str = "") -> HttpResponse:
    response = await authcore.Auth(_auth_request(request, with_body=True), get_config())
    return _django_response(response)


def auth_urls(*, asynchronous: bool = False) -> list[URLPattern]:
    """Patterns to `include()` at the base path (`path("api/auth/", include(auth_urls()))`)."""
    view = auth_view_async if asynchronous else auth_view
    return [re_path(r"^(?P<rest>.*)$", view, name="authcore")]


urlpatterns = auth_urls()


def get_session(request: HttpRequest) -> Session | None:
    """The request's session (read once, cached on the request), None on any error."""
    if not hasattr(request, _CACHE):
        value = authcore.get_session(_auth_request(request, with_body=False), get_config())
        setattr(request, _CACHE, as_session(value))
    return cast("Session | None", getattr(request, _CACHE))


async def aget_session(request: HttpRequest) -> Session | None:
    if not hasattr(request, _CACHE):
        auth_request = _auth_request(request, with_body=False)
        setattr(
            request,
            _CACHE,
            as_session(await authcore.get_session_async(auth_request, get_config())),
        )
    return cast("Session | None", getattr(request, _CACHE))


class AuthMiddleware:
    """Attaches `request.auth_session` (lazy; the session dict, empty when signed out) and
    `await request.aauth_session()` (Session | None) for async views."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        authcore.validate_config(get_config())  # fail at start-up, not per request
        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self._async:
            return self.__acall__(request)
        _attach(request)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        _attach(request)
        return cast(HttpResponse, await self.get_response(request))


def _attach(request: HttpRequest) -> None:
    r = cast(Any, request)
    r.auth_session = SimpleLazyObject(lambda: get_session(request) or {})
    r.aauth_session = functools.partial(aget_session, request)


def _signed_out(request: HttpRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        target = signin_redirect(base_path_of(get_config()), request.get_full_path())
        return HttpResponseRedirect(target, status=303)
    return HttpResponse("Not signed in", status=401, content_type="text/plain")


def login_required(view: V) -> V:
    """GET/HEAD without a session redirect to the sign-in page; other methods get 401.
    Works on sync and async views."""
    if iscoroutinefunction(view) or inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def guarded_async(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if await aget_session(request) is None:
                return _signed_out(request)
            return await cast(Callable[..., Awaitable[Any]], view)(request, *args, **kwargs)

        return cast(V, guarded_async)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if get_session(request) is None:
            return _signed_out(request)
        return view(request, *args, **kwargs)

    return cast(V, guarded)
