"""Django adapter: URLs at the base path, config from settings, a lazy-session middleware,
`login_required`. Works under WSGI (sync, no event loop for a session read) and ASGI.
Over 400 lines because it carries both the sync and the async twin of every view and helper;
the translation itself is small.

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
host; then `X-Forwarded-Host` is checked against `ALLOWED_HOSTS` too (`DisallowedHost`, a
400, as Django does for `Host`).

The auth views read at most one byte more than the core accepts (`limits.max_body_bytes`),
never `request.body`, so Django's own `DATA_UPLOAD_MAX_MEMORY_SIZE` does not decide how much
is read. Under WSGI a chunked body (no Content-Length) is read from the server's de-chunked
`wsgi.input` when the server says it ends there (`wsgi.input_terminated`, as gunicorn does);
Django itself would see it as empty.

Session reads run the `jwt` callback and roll the expiry; `AuthMiddleware` writes the
resulting session cookie (and a `csrf_token()` cookie) on the response. Without it the change
is lost, and a warning is logged once.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Container, Mapping
from http.cookies import Morsel
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port, validate_host
from django.urls import URLPattern, re_path
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

import authcore

from .. import _server_actions as actions
from .._session import (
    SessionRead,
    configured_provider,
    read_session,
    read_session_async,
    token_of,
)
from ._common import (
    Session,
    SessionUser,
    as_session,
    base_path_of,
    body_limit,
    header_pairs,
    signin_redirect,
    uses_forwarded_host,
    wants_redirect,
)

__all__ = [
    "AuthMiddleware",
    "Session",
    "SessionUser",
    "acsrf_token",
    "aget_session",
    "asign_in",
    "asign_out",
    "auth_urls",
    "auth_view",
    "auth_view_async",
    "csrf_token",
    "get_config",
    "get_provider",
    "get_session",
    "get_token",
    "limit_auth_bodies",
    "login_required",
    "request_headers",
    "sign_in",
    "sign_out",
    "urlpatterns",
]

V = TypeVar("V", bound=Callable[..., Any])
_CACHE = "_authcore_session"
_PENDING = "_authcore_set_cookies"  # Set-Cookie headers for this request's response
_log = logging.getLogger("authcore")
_warned = False


def get_config() -> Mapping[str, Any]:
    """`settings.AUTHCORE`: the config dict, or a dotted path to it."""
    value = getattr(settings, "AUTHCORE", None)
    if type(value) is dict:  # the usual case, without the `Mapping` ABC check
        return value
    if isinstance(value, str):
        value = import_string(value)
    if not isinstance(value, Mapping):
        raise RuntimeError("authcore: set settings.AUTHCORE to a config dict (or its dotted path)")
    return value


def get_provider(provider_id: str) -> Any:
    """The configured provider (its URLs as resolved, the mock's under
    `AUTH_MOCK_IDP_URL`): what `refresh_long_lived_token(provider=...)` takes."""
    return configured_provider(get_config(), provider_id)


def request_headers(request: HttpRequest) -> list[tuple[str, str]]:
    """The request's headers as pairs, each repeated header kept apart."""
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict) and isinstance(scope.get("headers"), (list, tuple)):
        # Under ASGI, Django joins repeated headers with "," in META, which corrupts the
        # Cookie headers HTTP/2 splits (RFC 9113 §8.2.3); the raw scope keeps each one.
        return header_pairs(scope["headers"])
    return _meta_headers(request.META)


_UNPREFIXED = frozenset(("CONTENT_TYPE", "CONTENT_LENGTH"))  # Django's UNPREFIXED_HEADERS


def _meta_headers(meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    """`request.headers.items()` (Django's `HttpHeaders`) read straight from `META`, without
    building the mapping: `HTTP_*` and the two unprefixed entity headers, one value per
    name (the last, as `HttpHeaders` keeps it), names lowercase as `authcore.Request` keeps
    them."""
    found: dict[str, str] = {
        (key[5:] if key[0] == "H" else key).replace("_", "-").lower(): value
        for key, value in meta.items()
        if key[:5] == "HTTP_" or key in _UNPREFIXED
    }
    return list(found.items())


def _auth_request(
    request: HttpRequest, config: Mapping[str, Any] | None = None
) -> authcore.Request:
    """The request for the core; with `config`, the body too (at most one byte more than
    the core accepts), and only for a POST: the core reads no other body."""
    method = request.method or "GET"
    body = b""
    if config is not None and method == "POST":
        body = _read_body(request, body_limit(config))
    return authcore.Request(
        method,
        _request_url(request),
        request_headers(request),
        body,
        request.META.get("REMOTE_ADDR") or None,
    )


_URLS: dict[tuple[str | None, str, str, str], str] = {}
_URLS_MAX = 256


def _request_url(request: HttpRequest) -> str:
    """`request.build_absolute_uri()`, which depends only on the scheme, the host, the path
    and the query string, cached on them: a server sees the same few URLs over and over, and
    the quoting and URL splitting were a fair share of building the request. `get_host()`
    still runs on every request (the `ALLOWED_HOSTS` check, `DisallowedHost`)."""
    query: str = request.META.get("QUERY_STRING", "")
    key = (request.scheme, request.get_host(), request.path, query)
    url = _URLS.get(key)
    if url is None:
        url = request.build_absolute_uri()
        if len(_URLS) >= _URLS_MAX:
            _URLS.clear()
        _URLS[key] = url
    return url


def _read_body(request: HttpRequest, limit: int) -> bytes:
    """At most `limit` bytes of the body, whatever Django's settings or the framing."""
    read: Callable[[int], bytes] = request.read
    environ = getattr(request, "environ", None)
    if (
        getattr(request, "scope", None) is None
        and isinstance(environ, dict)
        and not environ.get("CONTENT_LENGTH")
        and environ.get("wsgi.input_terminated") is True
    ):
        read = environ["wsgi.input"].read  # chunked: Django's LimitedStream would stop at 0
    body = bytearray()
    while len(body) < limit:
        chunk = read(limit - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _check_forwarded_host(request: HttpRequest, config: Mapping[str, Any]) -> None:
    """When the core will build URLs on `X-Forwarded-Host`, hold it to `ALLOWED_HOSTS` as
    Django holds `Host` (its own `USE_X_FORWARDED_HOST` check does the same)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_HOST")  # what request.headers reads
    if forwarded is None:
        return
    if not uses_forwarded_host(config):
        return
    host = forwarded.split(",", 1)[0].strip()
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, allowed):
        raise DisallowedHost(
            "X-Forwarded-Host is not in ALLOWED_HOSTS; authcore would build its URLs on it"
        )


def _view_request(request: HttpRequest, config: Mapping[str, Any]) -> authcore.Request:
    _check_forwarded_host(request, config)
    return _auth_request(request, config)


_BLANK_ATTRIBUTES = dict.fromkeys(Morsel._reserved, "")  # type: ignore[attr-defined]


class _RawSetCookie(Morsel[str]):
    """One `Set-Cookie` header that Django emits byte for byte.

    `HttpResponse.headers` holds one value per name, and a plain `response.cookies` entry is
    re-serialised by `http.cookies` (its own attribute order, quoting and date format). This
    morsel outputs the core's header unchanged; the WSGI and ASGI handlers and the test
    client all read `response.cookies`. Built without `Morsel.__init__` and `Morsel.set`
    (a loop over the attribute names and a regex check of a name the core wrote), to the
    same state: `key`, `value` and `coded_value` are the cookie's own, every attribute blank."""

    def __init__(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        dict.update(self, _BLANK_ATTRIBUTES)
        self._key = name.strip()
        self._value = self._coded_value = value
        self._raw = header

    def output(self, attrs: Container[str] | None = None, header: str = "Set-Cookie:") -> str:
        return f"{header} {self._raw}" if header else self._raw

    def OutputString(self, attrs: Container[str] | None = None) -> str:
        return self._raw


def _add_set_cookie(out: HttpResponse, value: str) -> None:
    morsel = _RawSetCookie(value)
    cookies = out.cookies
    key, n = morsel.key, 0
    while key in cookies:
        n += 1
        key = f"{morsel.key}#{n}"
    dict.__setitem__(cookies, key, morsel)


def _django_response(response: authcore.Response) -> HttpResponse:
    headers: dict[str, str] = {}
    cookies: list[str] = []
    typed = False
    for name, value in response.headers:
        lower = name.lower()
        if lower == "set-cookie":
            cookies.append(value)
        else:
            headers[name] = value  # a repeated name: the last one, as assigning them would
            typed = typed or lower == "content-type"
    out = HttpResponse(response.body, status=response.status, headers=headers)
    if not typed:
        del out.headers["Content-Type"]  # Django's default: only the core's headers go out
    for value in cookies:
        _add_set_cookie(out, value)
    return out


def _queue(request: HttpRequest, set_cookies: list[str]) -> None:
    global _warned  # noqa: PLW0603 - one warning per process, not per request
    pending = getattr(request, _PENDING, None)
    if isinstance(pending, list):
        pending.extend(set_cookies)
    elif set_cookies and not _warned:
        _warned = True
        _log.warning(
            "authcore: a session read cannot update the session cookie without "
            "authcore.adapters.django.AuthMiddleware in MIDDLEWARE (what the jwt callback "
            "changed and the rolling expiry are lost)"
        )


def _store(request: HttpRequest, read: SessionRead) -> None:
    _queue(request, read.set_cookies)
    setattr(request, _CACHE, as_session(read.session))


# the core does its own double-submit CSRF check (Auth.js
# `src/lib/actions/callback/oauth/csrf-token.ts`)
@csrf_exempt
def auth_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    config = get_config()
    return _django_response(authcore.auth_sync(_view_request(request, config), config))


@csrf_exempt
async def auth_view_async(request: HttpRequest, rest: str = "") -> HttpResponse:
    config = get_config()
    response = await authcore.Auth(_view_request(request, config), config)
    return _django_response(response)


ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[..., Awaitable[None]]],
    Awaitable[None],
]


def limit_auth_bodies(app: ASGIApp) -> ASGIApp:
    """Wrap Django's ASGI application (`limit_auth_bodies(get_asgi_application())`) so a request
    under the auth base path hands Django at most one byte more than the core accepts.

    Django's ASGI handler reads and spools the whole body before any view runs; past the cap
    this wrapper ends the body early (the core then answers 400) and discards the rest as
    the server delivers it. Other paths pass through untouched."""

    async def capped(
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[..., Awaitable[None]],
    ) -> None:
        if scope.get("type") != "http":
            return await app(scope, receive, send)
        config = get_config()
        base = base_path_of(config)
        path = str(scope.get("path", ""))
        if path != base and not path.startswith(base + "/"):
            return await app(scope, receive, send)
        room = body_limit(config)
        ended = False

        async def receive_capped() -> dict[str, Any]:
            nonlocal room, ended
            while True:
                message = await receive()
                if message.get("type") != "http.request":
                    return message
                if ended:
                    continue  # the rest of an oversized body: dropped as it arrives
                body = message.get("body", b"")
                if len(body) >= room and (message.get("more_body") or len(body) > room):
                    ended = True
                    return {**message, "body": body[:room], "more_body": False}
                room -= len(body)
                if not message.get("more_body"):
                    ended = True
                return message

        return await app(scope, receive_capped, send)

    return capped


def auth_urls(*, asynchronous: bool = False) -> list[URLPattern]:
    """Patterns to `include()` at the base path (`path("api/auth/", include(auth_urls()))`)."""
    view = auth_view_async if asynchronous else auth_view
    return [re_path(r"^(?P<rest>.*)$", view, name="authcore")]


urlpatterns = auth_urls()


def get_session(request: HttpRequest) -> Session | None:
    """The request's session (read once, cached on the request), None on any error."""
    if not hasattr(request, _CACHE):
        _store(request, read_session(_auth_request(request), get_config()))
    return cast("Session | None", getattr(request, _CACHE))


async def aget_session(request: HttpRequest) -> Session | None:
    if not hasattr(request, _CACHE):
        auth_request = _auth_request(request)
        _store(request, await read_session_async(auth_request, get_config()))
    return cast("Session | None", getattr(request, _CACHE))


def get_token(request: HttpRequest) -> dict[str, Any] | None:
    """The decoded session token (provider `access_token` and whatever the `jwt` callback
    stored), with the configured secret; None when signed out. Server only."""
    return token_of(_auth_request(request), get_config())


def csrf_token(request: HttpRequest) -> str:
    """The CSRF token for a form posting to `<base_path>/...`; `AuthMiddleware` sets its
    cookie on the response."""
    config = get_config()
    plan = actions.csrf_flow(_auth_request(request), config)
    csrf: actions.CsrfToken = actions.drive_sync(plan, config)
    _queue(request, csrf.set_cookies)
    return csrf.token


async def acsrf_token(request: HttpRequest) -> str:
    config = get_config()
    plan = actions.csrf_flow(_auth_request(request), config)
    csrf: actions.CsrfToken = await actions.drive_async(plan, config)
    _queue(request, csrf.set_cookies)
    return csrf.token


def _sign_in_plan(
    request: HttpRequest,
    provider: str,
    callback_url: str,
    params: Mapping[str, str] | None,
    form: Mapping[str, str] | None,
) -> actions.Plan:
    auth_request = _auth_request(request)
    return actions.sign_in_flow(
        auth_request, get_config(), provider, callback_url=callback_url, params=params, form=form
    )


def sign_in(
    request: HttpRequest,
    provider: str,
    *,
    callback_url: str = "/",
    params: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A redirect that starts the sign-in with `provider` (its state / PKCE cookies set),
    landing on `callback_url` afterwards; `form={"email": ...}` for an email provider."""
    plan = _sign_in_plan(request, provider, callback_url, params, form)
    return _django_response(actions.drive_sync(plan, get_config()))


async def asign_in(
    request: HttpRequest,
    provider: str,
    *,
    callback_url: str = "/",
    params: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> HttpResponse:
    plan = _sign_in_plan(request, provider, callback_url, params, form)
    return _django_response(await actions.drive_async(plan, get_config()))


def _sign_out_plan(request: HttpRequest, callback_url: str) -> actions.Plan:
    pending = getattr(request, _PENDING, None)
    if isinstance(pending, list):
        pending.clear()  # no rolled session cookie after the clearing ones
    auth_request = _auth_request(request)
    return actions.sign_out_flow(auth_request, get_config(), callback_url=callback_url)


def sign_out(request: HttpRequest, *, callback_url: str = "/") -> HttpResponse:
    """A redirect to `callback_url` that clears the session cookies."""
    return _django_response(actions.drive_sync(_sign_out_plan(request, callback_url), get_config()))


async def asign_out(request: HttpRequest, *, callback_url: str = "/") -> HttpResponse:
    plan = _sign_out_plan(request, callback_url)
    return _django_response(await actions.drive_async(plan, get_config()))


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
        return _send_pending(request, self.get_response(request))

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        _attach(request)
        return _send_pending(request, cast(HttpResponse, await self.get_response(request)))


def _send_pending(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    for value in getattr(request, _PENDING, ()):
        _add_set_cookie(response, value)
    return response


def _attach(request: HttpRequest) -> None:
    r = cast(Any, request)
    setattr(r, _PENDING, [])
    r.auth_session = SimpleLazyObject(lambda: get_session(request) or {})
    r.aauth_session = functools.partial(aget_session, request)


def _signed_out(request: HttpRequest) -> HttpResponse:
    if wants_redirect(request.method or "GET", request.headers.get("Accept")):
        target = signin_redirect(base_path_of(get_config()), request.get_full_path())
        return HttpResponseRedirect(target, status=303)
    return HttpResponse("Not signed in", status=401, content_type="text/plain")


def login_required(view: V) -> V:
    """A page load without a session redirects to the sign-in page; an API call (not
    GET/HEAD, or asking for JSON) gets 401. Works on sync and async views."""
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
