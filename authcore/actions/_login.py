"""Sign-in with a store: Auth.js `handleLoginOrRegister`
(`@auth/core@0.41.3` `packages/core/src/lib/actions/callback/handle-login.ts`), OAuth branch.

Written once as a flow, so it serves sync and async stores alike. Who is signed in decides:
a known account signs its user in (or is refused if someone else is signed in), an unknown
account is linked to the signed-in user, or creates a user, unless an existing user has the
same email, which is `OAuthAccountNotLinked` unless the provider allows dangerous linking.

Deviations, each to lose nothing or link nobody by accident: an expired database session
does not count as signed in; a user whose account could not be linked (the other of two
simultaneous first sign-ins won) is deleted again and the winner's user signed in, so two
racing callbacks leave one user and one account; `events.create_user` fires only for a user
that was created.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._flow import Flow
from .._random import uuid4
from .._store_methods import ACCOUNT_TOKEN_FIELDS
from ..errors import AdapterError, CallbackRouteError, OAuthAccountNotLinked
from ._common import decode_session, fire
from ._context import Context
from ._store_calls import store_call, utc

if TYPE_CHECKING:
    from ..stores._types import AdapterAccount, AdapterSession

__all__ = [
    "LoginResult",
    "handle_login_or_register",
    "new_session",
    "signed_in_user",
    "stored_account",
]


@dataclass(frozen=True, slots=True)
class LoginResult:
    user: dict[str, Any]
    session: AdapterSession | None  # database strategy only
    is_new_user: bool


def stored_account(account: Mapping[str, Any], user_id: str) -> AdapterAccount:
    """The account record a store keeps: the standard token fields only (Auth.js's
    `defaultAccount` filter), `expires_at` as whole seconds."""
    record: dict[str, Any] = {
        "user_id": user_id,
        "type": account["type"],
        "provider": account["provider"],
        "provider_account_id": str(account["providerAccountId"]),
    }
    for name in ACCOUNT_TOKEN_FIELDS:
        value = account.get(name)
        if name != "expires_at" and isinstance(value, str):
            record[name] = value
    expires_at = account.get("expires_at")
    if isinstance(expires_at, (int, float)) and not isinstance(expires_at, bool):
        record["expires_at"] = int(expires_at)
    return record  # type: ignore[return-value]


def signed_in_user(
    ctx: Context, cookie_value: str
) -> Flow[tuple[dict[str, Any] | None, AdapterSession | None]]:
    """Who the session cookie belongs to, and (database strategy) their live session."""
    if not cookie_value:
        return None, None
    if ctx.options.session_strategy == "jwt":
        try:
            payload = yield from decode_session(ctx, cookie_value)
        except Exception:  # an unreadable cookie means: not signed in
            return None, None
        sub = payload.get("sub")
        if not isinstance(sub, str) or not sub:
            return None, None
        return (yield from store_call(ctx, "get_user", sub)), None
    found = yield from store_call(ctx, "get_session_and_user", cookie_value)
    if found is None or found["session"]["expires"] < utc(ctx):
        return None, None
    return dict(found["user"]), found["session"]


def new_session(ctx: Context, user_id: str) -> Flow[AdapterSession | None]:
    """The database session a sign-in creates (None under the JWT strategy)."""
    options = ctx.options
    if options.session_strategy == "jwt":
        return None
    token = options.generate_session_token()
    if not isinstance(token, str) or not token:
        raise TypeError("session.generate_session_token must return a non-empty string")
    session = {
        "session_token": token,
        "user_id": user_id,
        "expires": utc(ctx, options.session_max_age),
    }
    created: AdapterSession = yield from store_call(ctx, "create_session", session)
    return created


def _new_user_record(profile_user: Mapping[str, Any]) -> dict[str, Any]:
    record = {k: v for k, v in profile_user.items() if isinstance(k, str) and k != "id"}
    record["id"] = uuid4()
    record["email_verified"] = None
    email = record.get("email")
    record["email"] = email if isinstance(email, str) and email else None
    return record


def _link_new_user(
    ctx: Context, record: dict[str, Any], account: Mapping[str, Any], key: dict[str, str]
) -> Flow[tuple[dict[str, Any], bool]]:
    """Create the user and link the account; (user, created). When the link loses a race
    to a simultaneous first sign-in, the user just made is removed and the winner's user is
    returned, so the store keeps one user and one account."""
    try:
        user = yield from store_call(ctx, "create_user", record)
    except AdapterError:
        winner = yield from store_call(ctx, "get_user_by_account", key)
        if winner is None:
            raise
        return winner, False
    try:
        yield from store_call(ctx, "link_account", stored_account(account, user["id"]))
    except AdapterError:
        if callable(getattr(ctx.options.adapter, "delete_user", None)):
            yield from store_call(ctx, "delete_user", user["id"])
        winner = yield from store_call(ctx, "get_user_by_account", key)
        if winner is None:
            raise
        return winner, False
    return user, True


def handle_login_or_register(
    ctx: Context,
    cookie_value: str,
    profile_user: Mapping[str, Any],
    account: Mapping[str, Any],
    profile: Mapping[str, Any] | None,
) -> Flow[LoginResult]:
    options = ctx.options
    provider_account_id = account.get("providerAccountId")
    if not provider_account_id or account.get("type") not in ("oauth", "oidc"):
        raise CallbackRouteError("Missing or invalid provider account")
    current, session = yield from signed_in_user(ctx, cookie_value)
    key = {"provider": str(account["provider"]), "provider_account_id": str(provider_account_id)}

    owner = yield from store_call(ctx, "get_user_by_account", key)
    if owner is not None:
        if current is not None:
            if current["id"] == owner["id"]:
                return LoginResult(current, session, False)
            raise OAuthAccountNotLinked(
                "The account is already associated with another user", provider=key["provider"]
            )
        return LoginResult(owner, (yield from new_session(ctx, owner["id"])), False)

    if current is not None:  # connecting another provider to the signed-in user
        record = stored_account(account, current["id"])
        yield from store_call(ctx, "link_account", record)
        yield from fire(
            ctx, options.events.link_account, user=current, account=record, profile=profile
        )
        return LoginResult(current, session, False)

    email = profile_user.get("email")
    by_email = None
    if isinstance(email, str) and email:
        by_email = yield from store_call(ctx, "get_user_by_email", email)
    if by_email is not None:
        provider = ctx.provider
        if not getattr(provider, "allow_dangerous_email_account_linking", False):
            raise OAuthAccountNotLinked(
                "Another account already exists with the same e-mail address",
                provider=key["provider"],
            )
        user = by_email
        record = stored_account(account, user["id"])
        yield from store_call(ctx, "link_account", record)
        is_new = False
    else:
        user, is_new = yield from _link_new_user(ctx, _new_user_record(profile_user), account, key)
        record = stored_account(account, user["id"])
        if is_new:
            yield from fire(ctx, options.events.create_user, user=user)
    if is_new or by_email is not None:
        yield from fire(
            ctx, options.events.link_account, user=user, account=record, profile=profile
        )
    return LoginResult(user, (yield from new_session(ctx, user["id"])), is_new)
