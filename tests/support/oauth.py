"""Drive `begin_signin` / `finish_callback` against the live mock IdP, as a browser would."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

import httpx

from authcore._cookies import Cookie, ParsedCookies, default_cookies, parse_cookie_header
from authcore._flow import drive_sync
from authcore._options import Limits
from authcore.oauth import CallbackOutcome, SigninStart, begin_signin, finish_callback
from authcore.oauth._env import CheckEnv
from authcore.providers.oauth import OAuthProvider
from tests.support.security import Clock, RecordingLogger

__all__ = [
    "ORIGIN",
    "SECRET",
    "Clock",
    "authorize",
    "callback",
    "full_flow",
    "jar",
    "make_env",
    "signin",
]

SECRET = "test-secret-do-not-use-0123456789abcdef"
ORIGIN = "http://app.test"


def make_env(
    *, limits: Limits | None = None, clock: Clock | None = None, secure: bool = False
) -> CheckEnv:
    import time

    return CheckEnv(
        origin=ORIGIN,
        base_path="/api/auth",
        secrets=(SECRET,),
        cookies=default_cookies(secure),
        now=clock or time.time,
        limits=limits or Limits(),
        logger=RecordingLogger(),
    )


def jar(cookies: list[Cookie]) -> ParsedCookies:
    header = "; ".join(
        f"{c.name}={c.serialize().split(';', 1)[0].split('=', 1)[1]}" for c in cookies
    )
    return parse_cookie_header(header)


def signin(
    provider: OAuthProvider,
    env: CheckEnv,
    client: httpx.Client,
    query: Mapping[str, str] | None = None,
) -> SigninStart:
    return drive_sync(begin_signin(provider, env, query=query or {}), client)


def authorize(client: httpx.Client, url: str) -> dict[str, str]:
    """GET the authorization URL like a browser; return the callback's query parameters."""
    response = client.get(url, follow_redirects=False)
    assert response.status_code in (302, 303), (response.status_code, response.text[:300])
    location = response.headers["location"]
    assert location.startswith(ORIGIN), location
    return dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))


def callback(
    provider: OAuthProvider,
    env: CheckEnv,
    client: httpx.Client,
    params: Mapping[str, str],
    cookies: ParsedCookies,
) -> CallbackOutcome:
    return drive_sync(finish_callback(provider, env, params=params, cookies=cookies), client)


def full_flow(provider: OAuthProvider, env: CheckEnv, client: httpx.Client) -> CallbackOutcome:
    start = signin(provider, env, client)
    params = authorize(client, start.url)
    return callback(provider, env, client, params, jar(start.cookies))
