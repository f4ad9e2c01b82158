"""POST `/signin[/<id>]` (Auth.js `src/lib/index.ts`,
`src/lib/actions/signin/authorization-url.ts`): CSRF required; OAuth providers are handed to
`authcore.oauth.begin_signin`, every other type goes back to the sign-in page."""

from __future__ import annotations

from .._flow import Flow
from .._http import Response
from ..errors import MissingCSRF
from ._context import Context
from ._response import redirect

__all__ = ["signin"]


def signin(ctx: Context) -> Flow[Response]:
    if not ctx.csrf_verified:
        raise MissingCSRF("CSRF token was missing during an action signin")
    provider = ctx.provider
    if provider is None or provider.type not in ("oauth", "oidc"):
        return redirect(f"{ctx.base_url}/signin", cookies=ctx.cookies)
    from ..oauth import begin_signin

    start = yield from begin_signin(
        provider,  # type: ignore[arg-type]
        ctx.check_env(),
        query=ctx.parsed.query,
    )
    return redirect(start.url, cookies=[*ctx.cookies, *start.cookies])
