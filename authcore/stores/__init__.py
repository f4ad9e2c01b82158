"""Persistence: what Auth.js calls database *adapters* (`authcore.adapters` means framework
adapters here). The config key keeps Auth.js's name: `{"adapter": store}`.

This module holds the contract; each store lives in a submodule of its own
(`authcore.stores.memory`, `.sqlalchemy`, `.redis`, `.django`) and imports its driver only there.
"""

from __future__ import annotations

from ._types import (
    ACCOUNT_TOKEN_FIELDS,
    EMAIL_METHODS,
    SESSION_METHODS,
    WEBAUTHN_METHODS,
    AccountType,
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    AsyncStore,
    ProviderAccountKey,
    SessionAndUser,
    Store,
    VerificationToken,
)

__all__ = [
    "ACCOUNT_TOKEN_FIELDS",
    "EMAIL_METHODS",
    "SESSION_METHODS",
    "WEBAUTHN_METHODS",
    "AccountType",
    "AdapterAccount",
    "AdapterAuthenticator",
    "AdapterSession",
    "AdapterUser",
    "AsyncStore",
    "ProviderAccountKey",
    "SessionAndUser",
    "Store",
    "VerificationToken",
]
