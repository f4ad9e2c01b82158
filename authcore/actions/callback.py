"""`/callback/<id>`: credentials (Auth.js `src/lib/actions/callback/index.ts`) and the OAuth
completion (Auth.js `src/lib/actions/callback/oauth/callback.ts`, after the provider round trip done
by `authcore.oauth.finish_callback`).

Both end in the same place (`authcore.actions._finish`, which the email callback shares):
`sign_in` callback, `jwt` callback, session cookie, event, 302 to the callback URL.
Deliberate fix (docs/differences.md row 5): an OAuth session's `sub` is the provider account
id (`user["id"]`), not a fresh UUID per sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._cookies import Cookie
from .._flow import Flow, call
from .._http import Response
from .._random import uuid4
from ..errors import (
    AuthError,
    CallbackRouteError,
    CredentialsSignin,
    InvalidProvider,
    MissingCSRF,
)
from ..providers.credentials import Credentials
from ._context import Context
from ._finish import issue_session, sign_in_allowed
from ._login import handle_login_or_register
from ._response import redirect
from ._store_calls import store_call

__all__ = ["callback", "complete_sign_in"]


def complete_sign_in(
    ctx: Context,
    *,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any] | None,
    cookies: list[Cookie],
    credentials: Mapping[str, Any] | None = None,
    is_new_user: bool | None = None,
) -> Flow[Response]:
    """Sign-in without a store: the provider's user is the session's user."""
    out = [*ctx.cookies, *cookies]
    target = yield from sign_in_allowed(ctx, user, account, profile, credentials)
    if target is not None:
        return redirect(target, cookies=out)
    return (
        yield from issue_session(
            ctx,
            out,
            user=user,
            account=account,
            profile=profile,
            is_new_user=is_new_user,
            db_session=None,
        )
    )


def _complete_with_store(
    ctx: Context,
    *,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any],
    cookies: list[Cookie],
) -> Flow[Response]:
    """Sign-in with a store (Auth.js `lib/actions/callback/index.ts`, OAuth branch): the
    `sign_in` callback sees the stored user when the account is known, and the session is
    the stored user's (`sub` = the stored user id under the JWT strategy)."""
    out = [*ctx.cookies, *cookies]
    key = {"provider": account["provider"], "provider_account_id": user["id"]}
    known = yield from store_call(ctx, "get_user_by_account", key)
    target = yield from sign_in_allowed(ctx, known or user, account, profile, None)
    if target is not None:
        return redirect(target, cookies=out)
    result = yield from handle_login_or_register(
        ctx, ctx.session_store().value, user, account, profile
    )
    return (
        yield from issue_session(
            ctx,
            out,
            user=result.user,
            account=account,
            profile=profile,
            is_new_user=result.is_new_user,
            db_session=result.session,
        )
    )


def _credentials(ctx: Context, provider: Credentials) -> Flow[Response]:
    if not ctx.csrf_verified:
        raise MissingCSRF("CSRF token was missing during an action callback")
    body = dict(ctx.parsed.body)
    assert provider.authorize is not None  # checked at config time
    try:
        user = yield from call(provider.authorize, body, ctx.request)
    except AuthError:
        raise
    except Exception as exc:
        raise CallbackRouteError("authorize raised", cause=exc, provider=provider.id) from exc
    if not user:
        raise CredentialsSignin("authorize returned no user")
    if not isinstance(user, Mapping):
        raise CallbackRouteError("authorize must return a dict or None", provider=provider.id)
    user = dict(user)
    raw_id = user.get("id")
    user["id"] = str(raw_id) if raw_id is not None and raw_id != "" else uuid4()
    account = {"providerAccountId": user["id"], "type": "credentials", "provider": provider.id}
    return (
        yield from complete_sign_in(
            ctx,
            user=user,
            account=account,
            profile=None,
            cookies=[],
            credentials=body,
            is_new_user=False,
        )
    )


def _oauth(ctx: Context) -> Flow[Response]:
    from ..oauth import finish_callback
    from ..oauth._proxy import forward_target

    provider = ctx.provider
    assert provider is not None  # callback() checked it
    # Like Auth.js: a `form_post` provider's answer is the form body, any other's the query.
    form_post = getattr(provider, "response_mode", None) == "form_post"
    if form_post and not ctx.is_post:
        raise CallbackRouteError(
            f"{provider.id} answers with response_mode=form_post: the callback must be a POST",
            provider=provider.id,
        )
    params = (
        {k: v for k, v in ctx.parsed.body.items() if isinstance(v, str)}
        if form_post
        else ctx.parsed.query
    )
    env = ctx.check_env()
    target = forward_target(provider, env, params)  # type: ignore[arg-type]
    if target is not None:  # this deployment is the redirect proxy: hand the callback back
        ctx.options.logger.debug("redirect proxy: forwarding the callback")
        return redirect(target, cookies=ctx.cookies)
    outcome = yield from finish_callback(
        provider,  # type: ignore[arg-type]
        env,
        params=params,
        cookies=ctx.parsed.cookies,
    )
    user = dict(outcome.user)
    user["id"] = str(user.get("id") or outcome.account.get("providerAccountId") or uuid4())
    complete = _complete_with_store if ctx.options.adapter is not None else complete_sign_in
    return (
        yield from complete(
            ctx,
            user=user,
            account=dict(outcome.account),
            profile=dict(outcome.profile),
            cookies=list(outcome.cookies),
        )
    )


def callback(ctx: Context) -> Flow[Response]:
    provider = ctx.provider
    if provider is None:
        raise InvalidProvider("Callback without a provider id")
    if isinstance(provider, Credentials) or provider.type == "credentials":
        if not ctx.is_post or not isinstance(provider, Credentials):
            raise InvalidProvider("Credentials callbacks are POST only")
        return (yield from _credentials(ctx, provider))
    if provider.type in ("oauth", "oidc"):
        try:
            return (yield from _oauth(ctx))
        except AuthError:
            raise
        except Exception as exc:
            raise CallbackRouteError(
                "OAuth callback failed", cause=exc, provider=provider.id
            ) from exc
    raise InvalidProvider(f"Provider type {provider.type!r} has no callback")
