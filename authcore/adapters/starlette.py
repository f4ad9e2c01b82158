"""Starlette and FastAPI adapter.

```python
auth = StarletteAuth(config)
app = Starlette(routes=[*auth.routes, Route("/", home)])   # or auth.install(app)

@app.get("/me")                                            # FastAPI
async def me(session: Session = Depends(auth.require_session)) -> Session: ...
```

The request URL is Starlette's own `request.url`, built from the ASGI scope: the scheme
there already reflects the server's proxy settings (uvicorn `--proxy-headers`,
`--forwarded-allow-ips`). `X-Forwarded-*` headers travel to the core untouched and count
only when the config trusts the host (security.md §4.10).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

import authcore

from ._common import (
    Session,
    SessionUser,
    as_session,
    base_path_of,
    body_limit,
    header_pairs,
    signin_redirect,
)

__all__ = ["Session", "SessionUser", "StarletteAuth", "requires_auth", "to_auth_request"]

Endpoint = Callable[[Request], Awaitable[Response]]


async def to_auth_request(request: Request, max_body: int | None = None) -> authcore.Request:
    return authcore.Request(
        request.method,
        str(request.url),
        header_pairs(request.headers.raw),
        await _body(request, max_body),
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


class StarletteAuth:
    """Serves `<base_path>/*` and reads sessions, for one config."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        authcore.validate_config(config)  # fail at start-up, not per request
        self.config = config
        self.base_path = base_path_of(config)
        self.routes: list[BaseRoute] = [
            Route(self.base_path + "/{rest:path}", self.endpoint, methods=["GET", "POST"])
        ]

    def install(self, app: Any) -> None:
        """Add the auth routes to a Starlette or FastAPI app."""
        app.router.routes.extend(self.routes)

    async def endpoint(self, request: Request) -> Response:
        auth_request = await to_auth_request(request, body_limit(self.config))
        response = await authcore.Auth(auth_request, self.config)
        return from_auth_response(response)

    async def get_session(self, request: HTTPConnection) -> Session | None:
        """The signed-in user's session, or None (also on any error: fail closed)."""
        auth_request = authcore.Request("GET", str(request.url), header_pairs(request.headers.raw))
        return as_session(await authcore.get_session_async(auth_request, self.config))

    # FastAPI dependencies: `Depends(auth.session)` / `Depends(auth.require_session)`.
    async def session(self, request: Request) -> Session | None:
        return await self.get_session(request)

    async def require_session(self, request: Request) -> Session:
        session = await self.get_session(request)
        if session is None:
            raise HTTPException(status_code=401, detail="Not signed in")
        return session

    def signin_url(self, request: HTTPConnection) -> str:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return signin_redirect(self.base_path, path)


def requires_auth(auth: StarletteAuth) -> Callable[[Endpoint], Endpoint]:
    """Guard a Starlette endpoint: GET/HEAD without a session redirect to the sign-in page,
    other methods get 401. The session is put on `request.state.session`."""

    def decorator(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            session = await auth.get_session(request)
            if session is None:
                if request.method in ("GET", "HEAD"):
                    return RedirectResponse(auth.signin_url(request), status_code=303)
                return Response("Not signed in", status_code=401)
            request.state.session = session
            return await endpoint(request)

        return guarded

    return decorator
