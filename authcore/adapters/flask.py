"""Flask adapter: an extension, a blueprint at the base path, `get_session`, `login_required`.

```python
auth = AuthCore(app, config)          # or AuthCore(config=config); auth.init_app(app)

@app.get("/dashboard")
@login_required
def dashboard(): return f"Hi {get_session()['user']['name']}"
```

Everything runs sync (`authcore.auth_sync`); a session read creates no event loop. The
request URL is Werkzeug's `request.url`, so `ProxyFix` (if you configure it) is honoured;
`X-Forwarded-*` headers reach the core untouched and count only when the config trusts the
host (docs/security.md).

Session reads run the `jwt` callback and roll the expiry; an `after_request` hook writes the
resulting session cookie (and a `csrf_token()` cookie) on the response.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, Request, current_app, g, redirect, request
from flask import Response as FlaskResponse
from werkzeug.datastructures import Headers
from werkzeug.sansio.utils import get_current_url

import authcore

from .. import _server_actions as actions
from .._session import configured_provider, read_session, token_of
from ._common import (
    Session,
    SessionUser,
    as_session,
    base_path_of,
    body_limit,
    signin_redirect,
    wants_redirect,
)

__all__ = [
    "AuthCore",
    "Session",
    "SessionUser",
    "csrf_token",
    "get_session",
    "get_token",
    "login_required",
    "sign_in",
    "sign_out",
]

F = TypeVar("F", bound=Callable[..., Any])
_EXTENSION = "authcore"


_ENTITY_HEADERS = (("CONTENT_TYPE", "content-type"), ("CONTENT_LENGTH", "content-length"))
_ENTITY_DUPLICATES = frozenset(("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"))  # Werkzeug skips
_REWRITTEN = frozenset(("location", "content-location"))  # get_wsgi_headers makes them URIs
# Werkzeug keeps a `Headers` object's pairs in `_list`; without it, the pairs are added one
# by one as before (each value checked again).
_HEADERS_LIST = isinstance(getattr(Headers(), "_list", None), list)


def _current() -> Request:
    """The request object itself: each attribute read through the `request` proxy is a
    context-variable lookup."""
    return cast(Any, request)._get_current_object()  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=256)
def _url_of(scheme: str, host: str, root_path: str, path: str, query_string: bytes) -> str:
    return get_current_url(scheme, host, root_path, path, query_string)


def _request_url(req: Request) -> str:
    """Werkzeug's `request.url`, which is `get_current_url` of these five values, cached on
    them: a server sees the same few URLs over and over, and the quoting and URI-to-IRI pass
    were the largest single cost of building the request. `req.host` is Werkzeug's own,
    checked against `TRUSTED_HOSTS` (and `ProxyFix`, if configured, has already run)."""
    return _url_of(req.scheme, req.host, req.root_path, req.path, req.query_string)


def _request_headers(environ: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Werkzeug's `request.headers.items()` read straight from the environ (names as CGI
    spells them, `COOKIE`; `authcore.Request` lowercases them), the entity headers last."""
    out = [
        (key[5:].replace("_", "-"), value)
        for key, value in environ.items()
        if key.startswith("HTTP_") and key not in _ENTITY_DUPLICATES
    ]
    for key, name in _ENTITY_HEADERS:
        value = environ.get(key)
        if value:
            out.append((name, value))
    return out


def _auth_request(config: Mapping[str, Any] | None = None) -> authcore.Request:
    """The current request for the core; with `config`, the body too (at most one byte more
    than the core accepts), and only for a POST: the core reads no other body."""
    req = _current()
    method = req.method
    body = bytearray()
    if config is not None and method == "POST":
        max_body = body_limit(config)
        while len(body) < max_body:
            chunk = req.stream.read(max_body - len(body))
            if not chunk:
                break
            body += chunk
    return authcore.Request(
        method, _request_url(req), _request_headers(req.environ), bytes(body), req.remote_addr
    )


class _AuthResponse(FlaskResponse):
    """The core's answer as a Flask response: only the core's headers (no default
    `Content-Type`), then `Content-Length`, as `Response(body, status, headers)` builds it.

    Werkzeug checks every header value for CR / LF when it is added, and again when it copies
    the headers to send them; here the core's values are checked once, all together, and the
    copy is skipped when it would change nothing. `after_request` hooks see an ordinary
    `response.headers` (what they add is checked by Werkzeug as usual)."""

    default_mimetype = None

    @classmethod
    def of(cls, response: authcore.Response) -> _AuthResponse:
        body, headers = response.body, response.headers
        pairs = [(k, v) for k, v in headers if k.lower() != "content-length"]
        try:
            values = "".join([v for _, v in pairs])
        except TypeError:  # a value that is not a str: Werkzeug's own way converts it
            values = "\n"
        if not _HEADERS_LIST or len(pairs) != len(headers) or "\n" in values or "\r" in values:
            # Werkzeug's own way: a CR / LF raises ValueError (as it always has), a
            # `Content-Length` of the core's (it sets none) is replaced where it stands.
            return cls(body, status=response.status, headers=headers)
        pairs.append(("Content-Length", str(len(body))))
        out = cls(status=response.status)
        out.response = [body]
        out.headers._list = pairs
        return out

    def get_wsgi_headers(self, environ: dict[str, Any]) -> Headers:
        """Werkzeug's copy of the headers, made URI-safe and completed: when it would be the
        same pairs (no `Location` / `Content-Location`, `Content-Length` set, a status that
        keeps it), the headers themselves."""
        status = self.status_code
        if status < 200 or status in (204, 304):
            return super().get_wsgi_headers(environ)
        has_length = False
        for key, _ in self.headers:
            name = key.lower()
            if name in _REWRITTEN:
                return super().get_wsgi_headers(environ)
            if name == "content-length":
                has_length = True
        return self.headers if has_length else super().get_wsgi_headers(environ)


def _flask_response(response: authcore.Response) -> FlaskResponse:
    return _AuthResponse.of(response)


class AuthCore:
    """The Flask extension. The config comes from the constructor or `app.config["AUTHCORE"]`."""

    def __init__(self, app: Flask | None = None, config: Mapping[str, Any] | None = None) -> None:
        self.config = config
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        config = self.config if self.config is not None else app.config.get("AUTHCORE")
        if config is None:
            raise RuntimeError(
                "authcore: pass a config to AuthCore() or set app.config['AUTHCORE']"
            )
        authcore.validate_config(config)  # fail at start-up, not per request
        self.config = config
        self.base_path = base_path_of(config)
        bp = Blueprint("authcore", __name__, url_prefix=self.base_path)
        bp.add_url_rule("/<path:rest>", "auth", self._view, methods=["GET", "POST"])
        app.register_blueprint(bp)
        app.after_request(_send_pending_cookies)
        app.extensions[_EXTENSION] = self

    def _view(self, rest: str) -> FlaskResponse:
        config = self._config()
        return _AuthResponse.of(authcore.auth_sync(_auth_request(config), config))

    def _config(self) -> Mapping[str, Any]:
        assert self.config is not None
        return self.config

    def provider(self, provider_id: str) -> Any:
        """The configured provider (its URLs as resolved, the mock's under
        `AUTH_MOCK_IDP_URL`): what `refresh_long_lived_token(provider=...)` takes."""
        return configured_provider(self._config(), provider_id)

    def get_session(self) -> Session | None:
        """The current request's session (read once per request), or None on any error."""
        if "authcore_session" not in g:
            read = read_session(_auth_request(), self._config())
            _pending().extend(read.set_cookies)
            g.authcore_session = as_session(read.session)
        return cast("Session | None", g.authcore_session)


def _pending() -> list[str]:
    """`Set-Cookie` headers queued for this request's response."""
    if "authcore_set_cookies" not in g:
        g.authcore_set_cookies = []
    return cast("list[str]", g.authcore_set_cookies)


def _send_pending_cookies(response: FlaskResponse) -> FlaskResponse:
    pending = g.pop("authcore_set_cookies", None)
    if pending:
        for value in pending:
            response.headers.add("Set-Cookie", value)
    return response


def _extension() -> AuthCore:
    ext = current_app.extensions.get(_EXTENSION)
    if not isinstance(ext, AuthCore):
        raise RuntimeError("authcore: call AuthCore(app, config) before using get_session()")
    return ext


def _here() -> str:
    return request.script_root + request.full_path.rstrip("?")


def get_session() -> Session | None:
    return _extension().get_session()


def get_token() -> dict[str, Any] | None:
    """The decoded session token (provider `access_token` and whatever the `jwt` callback
    stored), with the configured secret; None when signed out. Server only."""
    return token_of(_auth_request(), _extension()._config())


def csrf_token() -> str:
    """The CSRF token for a form posting to `<base_path>/...`; its cookie goes out with this
    response."""
    config = _extension()._config()
    csrf: actions.CsrfToken = actions.drive_sync(actions.csrf_flow(_auth_request(), config), config)
    _pending().extend(csrf.set_cookies)
    return csrf.token


def sign_in(
    provider: str,
    *,
    callback_url: str = "/",
    params: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> FlaskResponse:
    """A redirect that starts the sign-in with `provider` (its state / PKCE cookies set),
    landing on `callback_url` afterwards; `form={"email": ...}` for an email provider."""
    config = _extension()._config()
    plan = actions.sign_in_flow(
        _auth_request(), config, provider, callback_url=callback_url, params=params, form=form
    )
    return _flask_response(actions.drive_sync(plan, config))


def sign_out(*, callback_url: str = "/") -> FlaskResponse:
    """A redirect to `callback_url` that clears the session cookies."""
    config = _extension()._config()
    g.pop("authcore_set_cookies", None)  # no rolled session cookie after the clearing ones
    g.pop("authcore_session", None)
    plan = actions.sign_out_flow(_auth_request(), config, callback_url=callback_url)
    return _flask_response(actions.drive_sync(plan, config))


def login_required(view: F) -> F:
    """A page load without a session redirects to the sign-in page; an API call (not
    GET/HEAD, or asking for JSON) gets 401."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        ext = _extension()
        if ext.get_session() is None:
            if wants_redirect(request.method, request.headers.get("Accept")):
                return redirect(signin_redirect(ext.base_path, _here()), 303)
            return FlaskResponse("Not signed in", status=401)
        return view(*args, **kwargs)

    return cast(F, guarded)
