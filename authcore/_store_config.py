"""The start-up checks of a config's store (Auth.js `assertConfig`, `lib/utils/assert.ts`).

Computed per config, where Auth.js keeps module-level flags that leak from one config into
the next. Deviations: the implied database strategy (a store and no strategy) is checked like
an explicit one, and a store under the JWT strategy must have the methods an OAuth sign-in
calls, so a missing one is named at start-up rather than failing a user's sign-in.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any, Literal

from ._store_methods import EMAIL_METHODS, SESSION_METHODS, WEBAUTHN_METHODS
from .errors import (
    ConfigError,
    ExperimentalFeatureNotEnabled,
    MissingAdapter,
    MissingAdapterMethods,
    UnsupportedStrategy,
)
from .providers._base import Provider

__all__ = ["OAUTH_METHODS", "check_store", "new_session_token"]

# What an OAuth sign-in calls with a store, whatever the session strategy
# (`lib/actions/callback/index.ts` and `handle-login.ts`).
OAUTH_METHODS: tuple[str, ...] = (
    "create_user",
    "get_user",
    "get_user_by_email",
    "get_user_by_account",
    "link_account",
)


def new_session_token() -> str:
    """A database session token: 256 random bits, URL-safe (Auth.js uses a UUID; both are
    accepted on read, so a database shared with Auth.js works either way)."""
    return secrets.token_urlsafe(32)


def check_store(
    adapter: Any, strategy: Any, providers: Sequence[Provider], *, webauthn: bool = False
) -> Literal["jwt", "database"]:
    """The session strategy of the config; raises if the store cannot serve it.
    `webauthn`: the config's `experimental.enable_webauthn`."""
    if strategy not in (None, "jwt", "database"):
        raise UnsupportedStrategy(
            "'session.strategy' must be 'jwt' or 'database'", option="session.strategy"
        )
    if isinstance(adapter, type):
        raise ConfigError(
            f"'adapter' must be a store instance, not the class {adapter.__name__} "
            f"(write {adapter.__name__}(...))",
            option="adapter",
        )
    resolved: Literal["jwt", "database"] = strategy or ("jwt" if adapter is None else "database")
    kinds = {p.type for p in providers}
    if resolved == "database" and providers and kinds == {"credentials"}:
        raise UnsupportedStrategy(
            "Signing in with credentials only supported if JWT strategy is enabled: set "
            "session={'strategy': 'jwt'}",
            option="session.strategy",
        )
    if "webauthn" in kinds:
        if not webauthn:
            raise ExperimentalFeatureNotEnabled(
                "WebAuthn is an experimental feature. To enable it, set "
                "experimental={'enable_webauthn': True} in your config",
                option="experimental.enable_webauthn",
            )
        if adapter is None:
            raise MissingAdapter("WebAuthn requires an adapter", option="adapter")
    if adapter is None:
        if "email" in kinds:
            raise MissingAdapter("Email login requires an adapter", option="adapter")
        if resolved == "database":
            raise MissingAdapter("Database session requires an adapter", option="adapter")
        return resolved
    required: list[str] = []
    if resolved == "database":
        required += SESSION_METHODS
    if kinds & {"oauth", "oidc"}:
        required += OAUTH_METHODS
    if "email" in kinds:
        required += EMAIL_METHODS
    if "webauthn" in kinds:
        required += WEBAUTHN_METHODS
    missing = sorted({m for m in required if not callable(getattr(adapter, m, None))})
    if missing:
        raise MissingAdapterMethods(
            f"Required adapter methods were missing: {', '.join(missing)}", option="adapter"
        )
    return resolved
