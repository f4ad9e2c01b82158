"""Starlette and FastAPI adapter.

```python
auth = StarletteAuth(config)
app = Starlette(routes=[*auth.routes, Route("/", home)], middleware=[auth.middleware])
# or auth.install(app): the routes and the middleware

@app.get("/me")                                            # FastAPI
async def me(session: Session = Depends(auth.require_session)) -> Session: ...
```

The request URL is Starlette's own `request.url`, built from the ASGI scope: the scheme
there already reflects the server's proxy settings (uvicorn `--proxy-headers`,
`--forwarded-allow-ips`). `X-Forwarded-*` headers travel to the core untouched and count
only when the config trusts the host (docs/security.md).

Session reads in app code run the `jwt` callback and roll the expiry; the middleware writes
the resulting session cookie on that request's response (without it, the change is lost and
a warning is logged once).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import authcore

from .. import _server_actions as actions
from .._session import configured_provider, read_session_async, token_of
from ._common import (
    Session,
    SessionUser,
    as_session,
    base_path_of,
    body_limit,
    header_pairs,
    signin_redirect,
    wants_redirect,
)

__all__ = [
    "AuthMiddleware",
    "Session",
    "SessionUser",
    "StarletteAuth",
    "requires_auth",
    "to_auth_request",
]

Endpoint = Callable[[Request], Awaitable[Response]]
_PENDING = "authcore.set_cookies"  # scope key: Set-Cookie headers for this response
_SESSION = "authcore.session"  # scope key: this request's session, read once
_log = logging.getLogger("authcore")


class AuthMiddleware:
    """ASGI middleware: adds the `Set-Cookie` headers that session reads and `csrf_token`
    queued during the request to its response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pending: list[str] = []
        scope[_PENDING] = pending

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start" and pending:
                headers = list(message.get("headers", []))
                headers += [(b"set-cookie", v.encode("latin-1")) for v in pending]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookies)


async def to_auth_request(request: Request, max_body: int | None = None) -> authcore.Request:
    return authcore.Request(
        request.method,
        str(request.url),
        header_pairs(request.headers.raw),
        await _body(request, max_body),
        request.client.host if request.client else None,
    )


async def _body(request: Request, limit: int | None) -> bytes:
    if limit is None:
        return await request.body()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) >= limit:
            break
    return bytes(body[:limit])


def from_auth_response(response: authcore.Response) -> Response:
    """Every header goes out as given, several `Set-Cookie` included (byte for byte)."""
    out = Response(content=response.body, status_code=response.status)
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    out.raw_headers = [h for h in out.raw_headers if h[0] != b"content-length"] + raw
    if not any(k == b"content-length" for k, _ in raw):
        out.raw_headers.append((b"content-length", str(len(response.body)).encode()))
    return out


class _AuthRoutes:
    """The auth routes as a raw ASGI app: the `authcore.Request` is built straight from the
    scope (the URL exactly as Starlette's `request.url`) and the response goes out as two ASGI
    messages, with no Starlette `Request`/`Response` objects in between (about a fifth of a
    session read through uvicorn went to them; docs/performance.md)."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.limit = body_limit(config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "GET":
            body = b""  # the core reads no GET body: not waiting for one saves a hop
        else:
            received = await _receive_body(receive, self.limit)
            if received is None:
                return  # the client went away before its body arrived: nobody to answer
            body = received
        peer = scope.get("client")
        request = authcore.Request(
            scope["method"],
            _request_url(scope),
            header_pairs(scope["headers"]),
            body,
            peer[0] if peer else None,
        )
        response = await authcore.Auth(request, self.config)
        headers = [(_header_name(k), v.encode("latin-1")) for k, v in response.headers]
        if not any(k == b"content-length" for k, _ in headers):
            headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})


def _request_url(scope: Scope) -> str:
    """`str(request.url)` of this scope, from a cache: building Starlette's `URL` is a fair
    share of a session read, and a server sees the same few URLs over and over."""
    host: bytes | None = None
    for key, value in scope["headers"]:
        if key == b"host":
            host = value
            break
    server = scope.get("server")
    return _url_of(
        (
            scope.get("scheme", "http"),
            tuple(server) if server is not None else None,
            scope.get("root_path", ""),
            scope["path"],
            scope.get("query_string", b""),
            host,
        )
    )


_UrlKey = tuple[str, "tuple[str, int] | None", str, str, bytes, "bytes | None"]


@functools.lru_cache(maxsize=256)
def _url_of(key: _UrlKey) -> str:
    scheme, server, root_path, path, query_string, host = key
    scope: Scope = {
        "type": "http",
        "scheme": scheme,
        "server": server,
        "root_path": root_path,
        "path": path,
        "query_string": query_string,
        "headers": [] if host is None else [(b"host", host)],
    }
    return str(URL(scope=scope))


_HEADER_NAMES: dict[str, bytes] = {
    name: name.lower().encode("latin-1")
    for name in ("Content-Type", "Cache-Control", "Expires", "Pragma", "Set-Cookie", "Location")
}


def _header_name(name: str) -> bytes:
    raw = _HEADER_NAMES.get(name)
    return raw if raw is not None else name.lower().encode("latin-1")


async def _receive_body(receive: Receive, limit: int) -> bytes | None:
    """The request body, cut at `limit` bytes (as `to_auth_request` with `max_body`), or None
    when the client disconnects first."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) >= limit or not message.get("more_body", False):
            return bytes(body[:limit])


class StarletteAuth:
    """Serves `<base_path>/*` and reads sessions, for one config."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        authcore.validate_config(config)  # fail at start-up, not per request
        self.config = config
        self.base_path = base_path_of(config)
        self.routes: list[BaseRoute] = [
            Route(self.base_path + "/{rest:path}", _AuthRoutes(config), methods=["GET", "POST"])
        ]

        self.middleware = Middleware(AuthMiddleware)
        self._warned = False

    def install(self, app: Any) -> None:
        """Add the auth routes and `AuthMiddleware` to a Starlette or FastAPI app."""
        app.router.routes.extend(self.routes)
        app.add_middleware(AuthMiddleware)

    def _queue(self, request: HTTPConnection, set_cookies: list[str]) -> None:
        pending = request.scope.get(_PENDING)
        if isinstance(pending, list):
            pending.extend(set_cookies)
        elif set_cookies and not self._warned:
            self._warned = True
            _log.warning(
                "authcore: a session read cannot update the session cookie without "
                "AuthMiddleware (what the jwt callback changed and the rolling expiry are "
                "lost): use auth.install(app) or add auth.middleware to the app"
            )

    async def endpoint(self, request: Request) -> Response:
        """The auth routes as a Starlette endpoint, for mounting them by hand (`self.routes`
        serve the same through a faster raw ASGI path)."""
        auth_request = await to_auth_request(request, body_limit(self.config))
        response = await authcore.Auth(auth_request, self.config)
        return from_auth_response(response)

    def provider(self, provider_id: str) -> Any:
        """The configured provider (its URLs as resolved, the mock's under
        `AUTH_MOCK_IDP_URL`): what `refresh_long_lived_token(provider=...)` takes."""
        return configured_provider(self.config, provider_id)

    def _auth_request(self, request: HTTPConnection) -> authcore.Request:
        peer = request.client
        return authcore.Request(
            "GET",
            str(request.url),
            header_pairs(request.headers.raw),
            client=peer.host if peer else None,
        )

    async def get_session(self, request: HTTPConnection) -> Session | None:
        """The signed-in user's session, or None (also on any error: fail closed). Read
        once per request; the refreshed cookie goes out through `AuthMiddleware`."""
        if _SESSION not in request.scope:
            read = await read_session_async(self._auth_request(request), self.config)
            self._queue(request, read.set_cookies)
            request.scope[_SESSION] = as_session(read.session)
        session: Session | None = request.scope[_SESSION]
        return session

    def get_token(self, request: HTTPConnection) -> dict[str, Any] | None:
        """The decoded session token (provider `access_token` and whatever the `jwt`
        callback stored), with the configured secret; None when signed out. Server only."""
        return token_of(self._auth_request(request), self.config)

    # FastAPI dependencies: `Depends(auth.session)`, `Depends(auth.require_session)`,
    # `Depends(auth.token)`.
    async def session(self, request: Request) -> Session | None:
        return await self.get_session(request)

    async def require_session(self, request: Request) -> Session:
        session = await self.get_session(request)
        if session is None:
            raise HTTPException(status_code=401, detail="Not signed in")
        return session

    async def token(self, request: Request) -> dict[str, Any] | None:
        return self.get_token(request)

    # Server-side sign-in, sign-out and CSRF, for server-rendered pages.
    async def csrf_token(self, request: HTTPConnection) -> str:
        """The CSRF token for a form posting to `<base_path>/...`; its cookie goes out with
        this response through `AuthMiddleware`."""
        plan = actions.csrf_flow(self._auth_request(request), self.config)
        csrf: actions.CsrfToken = await actions.drive_async(plan, self.config)
        self._queue(request, csrf.set_cookies)
        return csrf.token

    async def sign_in(
        self,
        request: Request,
        provider: str,
        *,
        callback_url: str = "/",
        params: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
    ) -> Response:
        """A redirect that starts the sign-in with `provider` (its state / PKCE cookies
        set), landing on `callback_url` afterwards; `form={"email": ...}` for an email
        provider."""
        plan = actions.sign_in_flow(
            self._auth_request(request),
            self.config,
            provider,
            callback_url=callback_url,
            params=params,
            form=form,
        )
        return from_auth_response(await actions.drive_async(plan, self.config))

    async def sign_out(self, request: Request, *, callback_url: str = "/") -> Response:
        """A redirect to `callback_url` that clears the session cookies."""
        request.scope.pop(_SESSION, None)
        pending = request.scope.get(_PENDING)
        if isinstance(pending, list):
            pending.clear()  # no rolled session cookie after the clearing ones
        plan = actions.sign_out_flow(
            self._auth_request(request), self.config, callback_url=callback_url
        )
        return from_auth_response(await actions.drive_async(plan, self.config))

    def signin_url(self, request: HTTPConnection) -> str:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return signin_redirect(self.base_path, path)


def requires_auth(auth: StarletteAuth) -> Callable[[Endpoint], Endpoint]:
    """Guard a Starlette endpoint: a page load without a session redirects to the sign-in
    page, an API call (not GET/HEAD, or asking for JSON) gets 401. The session is put on
    `request.state.session`."""

    def decorator(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            session = await auth.get_session(request)
            if session is None:
                if wants_redirect(request.method, request.headers.get("accept")):
                    return RedirectResponse(auth.signin_url(request), status_code=303)
                return Response("Not signed in", status_code=401)
            request.state.session = session
            return await endpoint(request)

        return guarded

    return decorator
