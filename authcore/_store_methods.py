"""What the core calls on a store, by feature, and what an account keeps. Here rather than in
`authcore.stores` so the core never imports the stores package (which imports the framework
adapters for its Django bridge); `authcore.stores` re-exports them."""

from __future__ import annotations

__all__ = ["ACCOUNT_TOKEN_FIELDS", "EMAIL_METHODS", "SESSION_METHODS", "WEBAUTHN_METHODS"]

# The token-response fields an account keeps (Auth.js's `defaultAccount` filter,
# `packages/core/src/lib/utils/providers.ts`); `expires_at` is the integer one.
ACCOUNT_TOKEN_FIELDS: tuple[str, ...] = (
    "access_token",
    "token_type",
    "id_token",
    "refresh_token",
    "scope",
    "expires_at",
    "session_state",
)

# What each feature needs, as Auth.js's `assertConfig` lists them
# (`packages/core/src/lib/utils/assert.ts`), plus the two WebAuthn omissions its flow calls.
SESSION_METHODS: tuple[str, ...] = (
    "create_user",
    "get_user",
    "get_user_by_email",
    "get_user_by_account",
    "update_user",
    "link_account",
    "create_session",
    "get_session_and_user",
    "update_session",
    "delete_session",
)
EMAIL_METHODS: tuple[str, ...] = (
    "create_verification_token",
    "use_verification_token",
    "get_user_by_email",
)
WEBAUTHN_METHODS: tuple[str, ...] = (
    "create_user",
    "get_user",
    "get_user_by_email",
    "get_user_by_account",
    "link_account",
    "get_account",
    "get_authenticator",
    "create_authenticator",
    "list_authenticators_by_user_id",
    "update_authenticator_counter",
)
