"""GET `/signin`, `/signout`, `/error`, `/verify-request` (Auth.js `src/lib/pages/`): the built-in
pages of `authcore.pages`, or a redirect to the configured custom page.

Request data never overrides server-computed values (docs/differences.md row 10): the pages get
the resolved callback URL and CSRF token, and custom-page redirects re-encode what they
carry (docs/differences.md#other-deliberate-choices).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from .._http import Response
from ..providers._base import Provider
from ._context import Context
from ._response import html, redirect

__all__ = ["get_error", "get_signin", "get_signout", "get_verify_request"]


def _join(page: str, query: str) -> str:
    return f"{page}{'&' if '?' in page else '?'}{query}"


def _theme(ctx: Context) -> Any:
    from ..pages import Theme

    return Theme(**ctx.options.theme)  # type: ignore[arg-type]  # validated in _config


def _listed(provider: Provider) -> bool:
    if provider.type == "credentials":
        return bool(getattr(provider, "credentials", None))
    return True


def get_signin(ctx: Context) -> Response:
    error = ctx.parsed.query.get("error")
    custom = ctx.options.pages.sign_in
    if custom is not None:
        params = {"callbackUrl": ctx.callback_url}
        if error is not None:
            params["error"] = error
        return redirect(_join(custom, urlencode(params, quote_via=quote)), cookies=ctx.cookies)
    from ..pages import signin_page as render

    base = ctx.base_url
    body = render(
        providers=[p for p in ctx.options.providers if _listed(p)],
        signin_url=lambda p: f"{base}/signin/{p.id}",
        callback_url_for=lambda p: f"{base}/callback/{p.id}",
        csrf_token=ctx.csrf_token,
        callback_url=ctx.callback_url,
        error=error,
        theme=_theme(ctx),
        code=ctx.parsed.query.get("code"),
        webauthn_options_url=lambda p: f"{base}/webauthn-options/{p.id}",
    )
    csp = None
    if any(p.type == "webauthn" for p in ctx.options.providers):
        from ..pages._webauthn import script_csp

        csp = script_csp()
    return html(body, cookies=ctx.cookies, csp=csp)


def get_signout(ctx: Context) -> Response:
    custom = ctx.options.pages.sign_out
    if custom is not None:
        return redirect(custom, cookies=ctx.cookies)
    from ..pages import signout_page as render

    body = render(
        action_url=f"{ctx.base_url}/signout", csrf_token=ctx.csrf_token, theme=_theme(ctx)
    )
    return html(body, cookies=ctx.cookies)


def get_verify_request(ctx: Context) -> Response:
    custom = ctx.options.pages.verify_request
    if custom is not None:
        query = urlencode(ctx.parsed.query, quote_via=quote)
        return redirect(_join(custom, query) if query else custom, cookies=ctx.cookies)
    from ..pages import verify_request_page as render

    return html(render(origin=ctx.origin, theme=_theme(ctx)), cookies=ctx.cookies)


def get_error(ctx: Context) -> Response:
    error = ctx.parsed.query.get("error")
    custom = ctx.options.pages.error
    if custom is not None:
        target = (
            custom if error is None else _join(custom, urlencode({"error": error}, quote_via=quote))
        )
        return redirect(target, cookies=ctx.cookies)
    from ..pages import error_page as render

    # Deliberate fix (docs/differences.md row 11): the sign-in link is `<base>/signin`.
    status, body = render(
        error=error, signin_url=f"{ctx.base_url}/signin", origin=ctx.origin, theme=_theme(ctx)
    )
    return html(body, status=status, cookies=ctx.cookies)
