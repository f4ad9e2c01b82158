"""`Auth(request, config)`: one flow per request, driven async or sync (Auth.js `src/index.ts`).

Request-caused problems get Auth.js-shaped answers (400 `"Bad request."`, 200 `null`, or an
error redirect), never a traceback. Unexpected exceptions are logged (type and message)
and answered like Auth.js: the `Configuration` error redirect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import quote, urlsplit

from ._config import AuthConfig
from ._cookies import Cookie, clear_own_cookies
from ._flow import Flow, drive_async, drive_sync
from ._http import Request, Response
from ._logging import build_logger
from ._normalise import normalise
from ._options import Options
from .actions import dispatch
from .actions._context import (
    BadRequest,
    Context,
    CookieHeaderTooLarge,
    new_context,
    parse_request,
)
from .actions._fast_session import fast_session
from .actions._response import dumps, html, json_response, redirect
from .actions._routing import PAGE_ACTIONS, parse_action
from .errors import AuthError, ConfigError, CredentialsSignin, ErrorPageLoop, OAuthCallbackError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "Auth",
    "auth_flow",
    "auth_sync",
    "drive_with_async",
    "drive_with_sync",
    "run_async",
    "run_sync",
]


_BAD_REQUEST = b'"Bad request."'
_CONFIG_MESSAGE = {
    "message": "There was a problem with the server configuration. "
    "Check the server logs for more information."
}


def _bad_request(clears: Sequence[Cookie] = ()) -> Response:
    headers = [("Content-Type", "application/json")]
    headers += [("Set-Cookie", c.serialize()) for c in clears]
    return Response(400, headers, _BAD_REQUEST)


def _builtin_error_page(origin: str, signin_url: str) -> Response:
    try:
        from .pages import Theme, error_page

        status, body = error_page(
            error="Configuration", signin_url=signin_url, origin=origin, theme=Theme()
        )
    except Exception:  # the pages themselves failed: a static answer, never a loop
        status, body = (
            500,
            (
                '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Error</title>'
                "</head><body><h1>Server error</h1><p>There is a problem with the server "
                "configuration.</p></body></html>"
            ),
        )
    return html(body, status=status)


def _config_failure(request: Request, base_path: str, origin: str) -> Response:
    """Auth.js `src/index.ts`: GET page actions get the error page (500), the rest 500 JSON.
    The custom `pages.error` is not used here: the config (or the host) is not trusted."""
    try:
        action, _ = parse_action(urlsplit(request.url).path, base_path)
    except Exception:
        action = None
    if request.method == "GET" and action in PAGE_ACTIONS:
        return _builtin_error_page(origin, f"{origin}{base_path}/signin")
    return json_response(_CONFIG_MESSAGE, status=500)


def _raw_base_path(config: Mapping[str, Any]) -> str:
    value = config.get("base_path") if isinstance(config, Mapping) else None
    return value.rstrip("/") if isinstance(value, str) else "/api/auth"


def _request_origin(request: Request) -> str:
    try:
        parts = urlsplit(request.url)
        return f"{parts.scheme}://{parts.netloc}"
    except ValueError:
        return ""


def _check_cookie_clears(ctx: Context) -> list[Cookie]:
    """Deliberate fix (docs/differences.md row 9): a failed callback clears the check cookies it
    had (the passkey challenge included)."""
    defs = ctx.cookie_defs
    jar = ctx.parsed.cookies
    present = set(jar.values) | set(jar.duplicates)
    checks = (defs.state, defs.pkce_code_verifier, defs.nonce, defs.webauthn_challenge)
    return [d.clear() for d in checks if d.name in present]


def _error_response(ctx: Context, error: Exception) -> Response:
    options = ctx.options
    options.logger.error(error)
    parsed = ctx.parsed
    if parsed.method == "POST" and parsed.action == "session":
        return json_response(None, status=400, encoded=b"null")
    kind = error.kind if isinstance(error, AuthError) else "error"
    safe = isinstance(error, AuthError) and error.client_safe
    type_ = error.type if isinstance(error, AuthError) and safe else "Configuration"
    query = f"error={quote(type_, safe='')}"
    if isinstance(error, CredentialsSignin):
        query += f"&code={quote(str(error.code), safe='')}"
    elif isinstance(error, OAuthCallbackError) and error.details.get("error") == "access_denied":
        # The user pressed Cancel at the provider: the sign-in page says so instead of
        # "try a different account" (`error` stays Auth.js's OAuthCallbackError).
        query += "&code=access_denied"
    if parsed.method == "GET" and parsed.action == "error":
        options.logger.error(ErrorPageLoop("The error page itself failed"))
        return _builtin_error_page(ctx.origin, f"{ctx.base_url}/signin")
    if kind == "signIn":
        page = options.pages.sign_in or f"{options.base_path}/signin"
    else:
        page = options.pages.error or f"{options.base_path}/error"
    cookies = _check_cookie_clears(ctx) if parsed.action == "callback" else []
    return redirect(f"{ctx.origin}{page}?{query}", cookies=cookies)


def _return_redirect(response: Response) -> Response:
    """Auth.js `src/index.ts`: `X-Auth-Return-Redirect` turns a redirect into 200 `{"url"}`,
    keeping every header (Set-Cookie and Location included)."""
    location = response.location
    assert location is not None
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-type"]
    return Response(200, [("Content-Type", "application/json"), *headers], dumps({"url": location}))


def _config_error(request: Request, config: Mapping[str, Any], exc: ConfigError) -> Response:
    """The config's own `logger.error` hears of it (Auth.js: `assertConfig` errors go to the
    user's logger), so monitoring that ships `logger.error` sees a broken deployment."""
    user_logger = config.get("logger") if isinstance(config, Mapping) else None
    debug = isinstance(config, Mapping) and config.get("debug") is True
    build_logger(user_logger, debug=debug).error(exc)
    return _config_failure(request, _raw_base_path(config), _request_origin(request))


def _options_or_error(request: Request, config: Mapping[str, Any]) -> Options | Response:
    """The normalised config, or the answer to a request made with a broken one."""
    try:
        return normalise(config)
    except ConfigError as exc:
        return _config_error(request, config, exc)


def auth_flow(request: Request, config: AuthConfig | Mapping[str, Any]) -> Flow[Response]:
    """The whole request as one flow (what `Auth` and `auth_sync` drive)."""
    options = _options_or_error(request, config)
    if isinstance(options, Response):
        return options
    return (yield from _run(request, options))


def _run(request: Request, options: Options) -> Flow[Response]:
    logger = options.logger
    try:
        parsed = parse_request(request, options)
    except BadRequest as exc:
        logger.error(exc)
        logger.debug("request", {"method": request.method})  # noqa: PLE1205
        if isinstance(exc, CookieHeaderTooLarge):
            return _bad_request(clear_own_cookies(request.cookie_header, options))
        return _bad_request()
    try:
        ctx = new_context(request, parsed, options)
    except AuthError as exc:
        logger.error(exc)
        return _config_failure(request, options.base_path, _request_origin(request))
    try:
        response = yield from dispatch(ctx)
    except Exception as exc:
        response = _error_response(ctx, exc)
    return _returned(request, response)


def _returned(request: Request, response: Response) -> Response:
    if request.header("x-auth-return-redirect") is not None and response.location:
        return _return_redirect(response)
    return response


def _fast_flow(request: Request, options: Options, flow: Flow[Response]) -> Flow[Response]:
    """The fast path's database read (`fast_session`), answering an unexpected exception
    as `_run` does: the request parsed again (it was, without error), the error response."""
    try:
        return (yield from flow)
    except Exception as exc:
        ctx = new_context(request, parse_request(request, options), options)
        return _returned(request, _error_response(ctx, exc))


class _LazySync:
    """Hands `drive_sync` the config's pooled client, created only at the first send."""

    def __init__(self, options: Options) -> None:
        self._options = options

    def stream(self, *args: Any, **kwargs: Any) -> Any:
        return self._options.clients.sync().stream(*args, **kwargs)


class _LazyAsync:
    def __init__(self, options: Options) -> None:
        self._options = options

    def stream(self, *args: Any, **kwargs: Any) -> Any:
        return self._options.clients.for_loop().stream(*args, **kwargs)


T = TypeVar("T")


def drive_with_sync(flow: Flow[T], options: Options | None) -> T:
    """Drive any flow with the config's pooled sync client (None: a flow that sends nothing)."""
    return drive_sync(flow, None if options is None else cast("httpx.Client", _LazySync(options)))


async def drive_with_async(flow: Flow[T], options: Options | None) -> T:
    client = None if options is None else cast("httpx.AsyncClient", _LazyAsync(options))
    return await drive_async(flow, client)


def run_sync(request: Request, options: Options) -> Response:
    """`auth_sync` for callers that already hold the normalised config."""
    fast = fast_session(request, options)
    if fast is None:
        return drive_with_sync(_run(request, options), options)
    if isinstance(fast, Response):
        return fast
    return drive_with_sync(_fast_flow(request, options, fast), options)


async def run_async(request: Request, options: Options) -> Response:
    fast = fast_session(request, options)
    if fast is None:
        return await drive_with_async(_run(request, options), options)
    if isinstance(fast, Response):
        return fast
    return await drive_with_async(_fast_flow(request, options, fast), options)


async def Auth(request: Request, config: AuthConfig | Mapping[str, Any]) -> Response:
    """Handle one Auth.js request (`/api/auth/...`) and return the response."""
    options = _options_or_error(request, config)
    if isinstance(options, Response):
        return options
    return await run_async(request, options)


def auth_sync(request: Request, config: AuthConfig | Mapping[str, Any]) -> Response:
    """The blocking twin of `Auth`: no event loop unless a user callback is async."""
    options = _options_or_error(request, config)
    if isinstance(options, Response):
        return options
    return run_sync(request, options)
