"""`sign_in(client, "instagram")`: a whole OAuth sign-in from an app's own test client.

A framework's test client talks to the app in-process and cannot follow a redirect to the
mock IdP, which is a real server on 127.0.0.1. This helper plays the browser: it asks the app
for a CSRF token, posts the sign-in form, takes the authorization URL to the mock over real
HTTP, and brings the mock's redirect back into the app through the same test client, so the
session cookie ends up in that client's cookie jar.

Clients are recognised by duck typing (no framework is imported here): any `httpx.Client`
(Starlette's and FastAPI's `TestClient` are ones), Werkzeug's / Flask's `test_client()`,
Django's `django.test.Client`; `async_sign_in` takes an `httpx.AsyncClient`.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from ._models import InstagramUser, OAuth2User, OIDCUser

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["SignInFailed", "SignInResult", "async_sign_in", "sign_in"]

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


class SignInFailed(AssertionError):
    """The sign-in could not even reach the provider or come back (a test setup problem)."""


@dataclass(frozen=True)
class SignInResult:
    """The app's answer to the end of the flow: after a sign-in, a redirect to the
    `callback_url`; after a refused or failed one, to the sign-in or error page."""

    status: int
    location: str
    error: str | None
    """The `error` of the page the app sent the browser to (`OAuthCallbackError`, ...)."""
    code: str | None
    """Its `code` (`access_denied` after a Cancel at the provider)."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class _Answer:
    status: int
    location: str | None
    body: bytes


@dataclass(frozen=True)
class _AppGet:
    path: str


@dataclass(frozen=True)
class _AppPost:
    path: str
    form: dict[str, str]


@dataclass(frozen=True)
class _IdpGet:
    url: str


_Step = _AppGet | _AppPost | _IdpGet
_Flow = Generator[_Step, _Answer, SignInResult]


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)  # the fragment (Instagram appends `#_`) never leaves a browser
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _result(answer: _Answer) -> SignInResult:
    location = answer.location or ""
    query = dict(parse_qsl(urlsplit(location).query))
    return SignInResult(answer.status, location, query.get("error"), query.get("code"))


def _flow(provider: str, callback_url: str, base_path: str, decision: str | None) -> _Flow:
    csrf = yield _AppGet(f"{base_path}/csrf")
    if csrf.status != 200:
        raise SignInFailed(
            f"GET {base_path}/csrf answered {csrf.status}: is the auth route installed at "
            f"{base_path}, and does the test config trust the test client's host (set "
            "`url` to the client's origin, e.g. 'http://testserver', or trust_host=True)?"
        )
    token = json.loads(csrf.body)["csrfToken"]
    started = yield _AppPost(
        f"{base_path}/signin/{provider}", {"csrfToken": token, "callbackUrl": callback_url}
    )
    target = urlsplit(started.location or "")
    if started.status not in (302, 303) or target.hostname not in _LOOPBACK or not target.port:
        if started.location and "error" in dict(parse_qsl(target.query)):
            return _result(started)  # refused before the provider (unknown provider, ...)
        raise SignInFailed(
            f"POST {base_path}/signin/{provider} answered {started.status} "
            f"{started.location or ''}: expected a redirect to a mock IdP on 127.0.0.1 (point "
            "the provider at it with idp.provider_options(...) or AUTH_MOCK_IDP_URL)"
        )
    authorize = started.location or ""
    if decision is not None:
        authorize += ("&" if target.query else "?") + urlencode({"decision": decision})
    idp = yield _IdpGet(authorize)
    if idp.status != 302 or not idp.location:
        hint = " (its consent page: pass decision='allow')" if idp.status == 200 else ""
        raise SignInFailed(f"the mock IdP answered {idp.status}{hint}: {idp.body[:300]!r}")
    return _result((yield _AppGet(_path_and_query(idp.location))))


def _prepare(idp: MockIdP | None, user: Any, faults: Mapping[str, Any] | None) -> None:
    if (user is not None or faults) and idp is None:
        raise TypeError("sign_in: pass idp=<the MockIdP> together with user= or faults=")
    if idp is None:
        return
    if isinstance(user, InstagramUser):
        idp.instagram_user = user
    elif isinstance(user, OAuth2User):
        idp.oauth2_user = user
    elif isinstance(user, OIDCUser):
        idp.oidc_user = user
    elif user is not None:
        raise TypeError("sign_in: user= takes an InstagramUser, OAuth2User or OIDCUser")
    if faults:
        idp.misbehave(**faults)


def sign_in(
    client: Any,
    provider: str,
    *,
    callback_url: str = "/",
    idp: MockIdP | None = None,
    user: InstagramUser | OAuth2User | OIDCUser | None = None,
    faults: Mapping[str, Any] | None = None,
    decision: Literal["allow", "deny"] | None = None,
    base_path: str = "/api/auth",
) -> SignInResult:
    """Sign `client` in with `provider` through the mock IdP the provider points at.

    `user` (with `idp`) picks who signs in; `faults` (with `idp`) sets `idp.faults` switches
    first, e.g. `{"token_status": 500}`; `decision="deny"` presses Cancel on the mock's
    consent step. Afterwards the client carries the session cookie (when `result.ok`)."""
    _prepare(idp, user, faults)
    send = _sender(client)
    flow = _flow(provider, callback_url, base_path.rstrip("/"), decision)
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        answer: _Answer | None = None
        while True:
            try:
                step = flow.send(answer) if answer is not None else next(flow)
            except StopIteration as done:
                result: SignInResult = done.value
                return result
            if isinstance(step, _IdpGet):
                r = browser.get(step.url)
                answer = _Answer(r.status_code, r.headers.get("location"), r.content)
            else:
                answer = send(step)


async def async_sign_in(
    client: httpx.AsyncClient,
    provider: str,
    *,
    callback_url: str = "/",
    idp: MockIdP | None = None,
    user: InstagramUser | OAuth2User | OIDCUser | None = None,
    faults: Mapping[str, Any] | None = None,
    decision: Literal["allow", "deny"] | None = None,
    base_path: str = "/api/auth",
) -> SignInResult:
    """`sign_in` for an `httpx.AsyncClient` (e.g. on `httpx.ASGITransport(app)`)."""
    _prepare(idp, user, faults)
    flow = _flow(provider, callback_url, base_path.rstrip("/"), decision)
    async with httpx.AsyncClient(follow_redirects=False, timeout=30) as browser:
        answer: _Answer | None = None
        while True:
            try:
                step = flow.send(answer) if answer is not None else next(flow)
            except StopIteration as done:
                result: SignInResult = done.value
                return result
            if isinstance(step, _IdpGet):
                r = await browser.get(step.url)
            elif isinstance(step, _AppPost):
                r = await client.post(step.path, data=step.form, follow_redirects=False)
            else:
                r = await client.get(step.path, follow_redirects=False)
            answer = _Answer(r.status_code, r.headers.get("location"), r.content)


def _sender(client: Any) -> Any:
    """How to send one request into the app through `client`, by the client's shape."""
    if isinstance(client, httpx.AsyncClient):
        raise TypeError("sign_in: use `await async_sign_in(client, ...)` for httpx.AsyncClient")
    if isinstance(client, httpx.Client):  # also Starlette's / FastAPI's TestClient

        def send_httpx(step: _AppGet | _AppPost) -> _Answer:
            if isinstance(step, _AppPost):
                r = client.post(step.path, data=step.form, follow_redirects=False)
            else:
                r = client.get(step.path, follow_redirects=False)
            return _Answer(r.status_code, r.headers.get("location"), r.content)

        return send_httpx
    if hasattr(client, "application") and hasattr(client, "open"):  # Werkzeug / Flask

        def send_werkzeug(step: _AppGet | _AppPost) -> _Answer:
            if isinstance(step, _AppPost):
                r = client.post(step.path, data=step.form)
            else:
                r = client.get(step.path)
            return _Answer(r.status_code, r.headers.get("Location"), r.get_data())

        return send_werkzeug
    if hasattr(client, "handler") and hasattr(client, "force_login"):  # django.test.Client

        def send_django(step: _AppGet | _AppPost) -> _Answer:
            if isinstance(step, _AppPost):
                r = client.post(
                    step.path,
                    data=urlencode(step.form),
                    content_type="application/x-www-form-urlencoded",
                )
            else:
                r = client.get(step.path)
            return _Answer(r.status_code, r.headers.get("Location"), r.content)

        return send_django
    raise TypeError(
        f"sign_in: unsupported client {type(client).__name__}: pass an httpx.Client (or "
        "Starlette/FastAPI TestClient), a Flask test_client() or a django.test.Client"
    )
