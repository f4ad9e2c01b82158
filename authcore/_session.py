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

from ._config import AuthConfig
from ._core import drive_with_async, drive_with_sync
from ._flow import Flow
from ._http import Request
from ._normalise import normalise
from ._options import Options
from .actions._context import Context, new_context, parse_app_request
from .actions.session import read

__all__ = [
    "SessionRead",
    "app_context",
    "configured_provider",
    "get_session",
    "get_session_async",
    "read_session",
    "read_session_async",
    "secure_cookies",
    "token_of",
]


@dataclass(frozen=True, slots=True)
class SessionRead:
    """A session read in app code: the session (or None) and the `Set-Cookie` headers of the
    session cookie that `GET /session` would have sent. Those carry whatever the `jwt`
    callback changed and the rolling expiry; an app response must send them or the change
    is lost (the adapters' middleware does)."""

    session: dict[str, Any] | None
    set_cookies: list[str] = field(default_factory=list)


def app_context(request: Request, options: Options) -> Context:
    """An app's request seen as `GET <base_path>/session`: the origin, cookie names and clock
    the endpoint would use for it. Raises what the endpoint would refuse it for (a bad URL,
    oversized headers or cookies, an untrusted host)."""
    return new_context(request, parse_app_request(request, options), options)


def secure_cookies(request: Request, options: Options) -> bool:
    """Whether this request's cookies are the `__Secure-` ones (as the endpoint decides:
    the configured URL, or the request's origin, `X-Forwarded-Proto` under `trust_host`)."""
    try:
        return app_context(request, options).secure
    except Exception:
        if options.use_secure_cookies is not None:
            return options.use_secure_cookies
        return (options.url_origin or request.url).lower().startswith("https:")


def _read(request: Request, options: Options) -> Flow[SessionRead]:
    """`actions.session.read` on the app's request, as `GET /session` would run it, minus
    `init` (the CSRF and callback-URL cookies, which app code never sends). Anything that
    would make the endpoint answer other than 200 is None here, logged the same way."""
    try:
        ctx = app_context(request, options)
        answer = yield from read(ctx)
        # The endpoint's JSON, decoded: a fresh value, exactly what the browser would get.
        session = json.loads(answer.encoded)
    except Exception as exc:
        options.logger.error(exc)
        return SessionRead(None)
    return SessionRead(
        session if isinstance(session, dict) else None,
        [cookie.serialize() for cookie in answer.cookies],
    )


def read_session(request: Request, config: AuthConfig | Mapping[str, Any]) -> SessionRead:
    """`get_session` plus the session cookie to send back; never an error."""
    try:
        options = normalise(config)
        return drive_with_sync(_read(request, options), options)
    except Exception:
        return SessionRead(None)


async def read_session_async(
    request: Request, config: AuthConfig | Mapping[str, Any]
) -> SessionRead:
    try:
        options = normalise(config)
        return await drive_with_async(_read(request, options), options)
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
        secure = secure_cookies(request, options)
        from .jwt import get_token

        token = get_token(
            request,
            secret=list(options.secrets),
            secure_cookie=secure,
            cookie_name=options.cookies(secure).session_token.name,
            now=options.clock(),
        )
    except Exception:
        return None
    return token if isinstance(token, dict) else None


def configured_provider(config: AuthConfig | Mapping[str, Any], provider_id: str) -> Any:
    """The provider as the config resolved it (environment defaults and `AUTH_MOCK_IDP_URL`
    applied), e.g. for `refresh_long_lived_token(..., provider=...)`. `KeyError` if absent."""
    return normalise(config).provider_map[provider_id]
