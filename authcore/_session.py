"""`get_session` for apps: the session of a request, fail-closed; `read_session` also
returns the session cookie to send back; `token_of` the decoded token with the config's
secret.

`get_session` answers None on ANY error (GHSA-8fpg-xm3f-6cx3): a broken config or a bad
cookie must never look like a signed-in user.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ._config import AuthConfig
from ._http import Request, Response
from ._normalise import normalise
from ._options import Options

__all__ = [
    "SessionRead",
    "configured_provider",
    "get_session",
    "get_session_async",
    "read_session",
    "read_session_async",
    "secure_cookies",
    "token_of",
]


def _session_request(request: Request, options: Options) -> Request:
    parts = urlsplit(request.url)
    headers = [(k, v) for k, v in request.headers if k not in ("content-type", "content-length")]
    return Request("GET", f"{parts.scheme}://{parts.netloc}{options.base_path}/session", headers)


def _session_of(response: Response) -> dict[str, Any] | None:
    if response.status != 200:
        return None
    body = json.loads(response.body)
    return body if isinstance(body, dict) else None


@dataclass(frozen=True, slots=True)
class SessionRead:
    """A session read in app code: the session (or None) and the `Set-Cookie` headers of the
    session cookie that `GET /session` would have sent. Those carry whatever the `jwt`
    callback changed and the rolling expiry; an app response must send them or the change
    is lost (the adapters' middleware does)."""

    session: dict[str, Any] | None
    set_cookies: list[str] = field(default_factory=list)


def secure_cookies(request: Request, options: Options) -> bool:
    """Whether this request's cookies are the `__Secure-` ones."""
    if options.use_secure_cookies is not None:
        return options.use_secure_cookies
    url = options.url_origin or request.url
    return urlsplit(url).scheme.lower() == "https"


def _read(request: Request, options: Options, response: Response) -> SessionRead:
    name = options.cookies(secure_cookies(request, options)).session_token.name
    kept = [
        value
        for key, value in response.headers
        if key.lower() == "set-cookie"
        and (value.split("=", 1)[0] == name or value.startswith(name + "."))
    ]
    return SessionRead(_session_of(response), kept)


def read_session(request: Request, config: AuthConfig | Mapping[str, Any]) -> SessionRead:
    """`get_session` plus the session cookie to send back; never an error."""
    from ._core import run_sync

    try:
        options = normalise(config)
        return _read(request, options, run_sync(_session_request(request, options), options))
    except Exception:
        return SessionRead(None)


async def read_session_async(
    request: Request, config: AuthConfig | Mapping[str, Any]
) -> SessionRead:
    from ._core import run_async

    try:
        options = normalise(config)
        response = await run_async(_session_request(request, options), options)
        return _read(request, options, response)
    except Exception:
        return SessionRead(None)


def get_session(request: Request, config: AuthConfig | Mapping[str, Any]) -> dict[str, Any] | None:
    """The session of a request (what `GET /session` answers) or None, never an error."""
    return read_session(request, config).session


async def get_session_async(
    request: Request, config: AuthConfig | Mapping[str, Any]
) -> dict[str, Any] | None:
    return (await read_session_async(request, config)).session


def token_of(request: Request, config: AuthConfig | Mapping[str, Any]) -> dict[str, Any] | None:
    """The decoded session token (the `jwt` callback's last result: provider tokens such as
    `access_token` live here) with the config's secret and cookie name; None when signed out
    or on any error. It never reaches the browser, unlike the session."""
    try:
        options = normalise(config)
        name = options.cookies(secure_cookies(request, options)).session_token.name
        from .jwt import get_token

        token = get_token(
            request,
            secret=list(options.secrets),
            secure_cookie=secure_cookies(request, options),
            cookie_name=name,
            now=options.clock(),
        )
    except Exception:
        return None
    return token if isinstance(token, dict) else None


def configured_provider(config: AuthConfig | Mapping[str, Any], provider_id: str) -> Any:
    """The provider as the config resolved it (environment defaults and `AUTH_MOCK_IDP_URL`
    applied), e.g. for `refresh_long_lived_token(..., provider=...)`. `KeyError` if absent."""
    return normalise(config).provider_map[provider_id]
