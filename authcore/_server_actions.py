"""Sign-in, sign-out and CSRF from app code (Auth.js v5's server-side `signIn()` / `signOut()`).

A server-rendered page (a custom `/login`, a "Sign out" button) needs the core's CSRF token
and its cookie, and a sign-in or sign-out started by the server must pass the same
double-submit check a browser form does. These flows ask the core itself, as a browser would:
`GET <base>/csrf`, then the `POST` with that token and cookie. Each is a generator of core
requests, run as one flow (each request through `auth_flow`) by the sync or async driver.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from ._config import AuthConfig
from ._core import auth_flow, drive_with_async, drive_with_sync
from ._flow import Flow
from ._http import Request, Response
from ._normalise import normalise
from ._options import Options
from ._session import secure_cookies
from .errors import ConfigError

__all__ = [
    "CsrfToken",
    "csrf_flow",
    "drive_async",
    "drive_sync",
    "sign_in_flow",
    "sign_out_flow",
]

Plan = Generator[Request, Response, Any]


@dataclass(frozen=True, slots=True)
class CsrfToken:
    """The token for a form's `csrfToken` field and the `Set-Cookie` headers (none when the
    browser already has the cookie) that must go out with the page."""

    token: str
    set_cookies: list[str]


def _url(request: Request, config: Mapping[str, Any], action: str) -> str:
    parts = urlsplit(request.url)
    return f"{parts.scheme}://{parts.netloc}{normalise(config).base_path}/{action}"


def _set_cookies(response: Response) -> list[str]:
    return [v for k, v in response.headers if k.lower() == "set-cookie"]


def _without(request: Request, replaced: list[str]) -> list[tuple[str, str]]:
    """The request's headers for a follow-up core request: no body headers, and the Cookie
    header without the cookies about to be replaced (a stale CSRF cookie beside the new one
    would be a duplicated security cookie)."""
    names = {_name(c) for c in replaced}
    out: list[tuple[str, str]] = []
    for key, value in request.headers:
        if key.lower() in ("content-type", "content-length"):
            continue
        if key.lower() == "cookie" and names:
            kept = [c for c in value.split(";") if c.split("=", 1)[0].strip() not in names]
            if not kept:
                continue
            out.append((key, ";".join(kept).strip()))
            continue
        out.append((key, value))
    return out


def _name(set_cookie: str) -> str:
    return set_cookie.split("=", 1)[0].strip()


def csrf_flow(request: Request, config: Mapping[str, Any]) -> Plan:
    """Yields `GET <base>/csrf` with the request's cookies; returns a `CsrfToken` with the
    CSRF cookie only (not the callback-URL cookie the core also sets there)."""
    answer = yield Request("GET", _url(request, config, "csrf"), _without(request, []))
    if answer.status != 200:
        raise RuntimeError(f"authcore: the CSRF endpoint answered {answer.status}")
    options = normalise(config)
    name = options.cookies(secure_cookies(request, options)).csrf_token.name
    kept = [c for c in _set_cookies(answer) if _name(c) == name]
    return CsrfToken(json.loads(answer.body)["csrfToken"], kept)


def _post(request: Request, config: Mapping[str, Any], action: str, form: dict[str, str]) -> Plan:
    csrf: CsrfToken = yield from csrf_flow(request, config)
    fresh = [v.split(";", 1)[0] for v in csrf.set_cookies]
    headers = [
        *_without(request, fresh),
        *(("cookie", c) for c in fresh),
        ("content-type", "application/x-www-form-urlencoded"),
    ]
    body = urlencode({**form, "csrfToken": csrf.token}).encode()
    answer = yield Request("POST", _url(request, config, action), headers, body, request.client)
    set_csrf = [("Set-Cookie", c) for c in csrf.set_cookies]
    return Response(answer.status, [*set_csrf, *answer.headers], answer.body)


def sign_in_flow(
    request: Request,
    config: Mapping[str, Any],
    provider: str,
    *,
    callback_url: str = "/",
    params: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> Plan:
    """The core's answer to `POST <base>/signin/<provider>`: a redirect to the provider with
    the state / PKCE cookies (or to the error page). `params` go to the authorization URL,
    `form` into the POST body (Auth.js's `signIn(provider, options)`: `{"email": ...}` for an
    email provider)."""
    action = f"signin/{provider}"
    if params:
        action += "?" + urlencode(dict(params))
    body = {**(form or {}), "callbackUrl": callback_url}
    response: Response = yield from _post(request, config, action, body)
    return response


def sign_out_flow(request: Request, config: Mapping[str, Any], *, callback_url: str = "/") -> Plan:
    """The core's answer to `POST <base>/signout`: a redirect clearing the session cookies
    (the `sign_out` event runs)."""
    response: Response = yield from _post(request, config, "signout", {"callbackUrl": callback_url})
    return response


def _as_flow(plan: Plan, config: AuthConfig | Mapping[str, Any]) -> Flow[Any]:
    """The plan as one flow: each core request it yields is answered by `auth_flow`."""
    answer: Response | None = None
    while True:
        try:
            step = plan.send(answer) if answer is not None else next(plan)
        except StopIteration as done:
            return done.value
        answer = yield from auth_flow(step, config)


def _options(config: AuthConfig | Mapping[str, Any]) -> Options | None:
    """The config's options for its pooled clients; None for a broken config, which
    `auth_flow` answers without a network step."""
    try:
        return normalise(config)
    except ConfigError:
        return None


def drive_sync(plan: Plan, config: AuthConfig | Mapping[str, Any]) -> Any:
    return drive_with_sync(_as_flow(plan, config), _options(config))


async def drive_async(plan: Plan, config: AuthConfig | Mapping[str, Any]) -> Any:
    return await drive_with_async(_as_flow(plan, config), _options(config))
