"""The store contract: what Auth.js calls an adapter, in Python.

Auth.js's `Adapter` (`packages/core/src/adapters.ts` at `@auth/core@0.41.3`) is an object of
optional async methods. authcore keeps the method names, in snake_case, and accepts a store
whose methods are plain functions (for Flask and Django WSGI, no event loop) or coroutines
(for Starlette and Django ASGI). Nothing is required by the type: what a config needs is
checked once, at start-up, against the lists at the bottom of this module.

Records are plain dicts (TypedDicts) with snake_case keys, as a user's own store would
build them; the SQL stores map them onto Auth.js's camelCase columns. Datetimes are
timezone-aware UTC everywhere.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Literal, Protocol, TypedDict, runtime_checkable

from typing_extensions import NotRequired

from .._store_methods import (
    ACCOUNT_TOKEN_FIELDS,
    EMAIL_METHODS,
    SESSION_METHODS,
    WEBAUTHN_METHODS,
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

AccountType = Literal["oauth", "oidc", "email", "webauthn"]


class AdapterUser(TypedDict):
    """A stored user. `email` is None for providers that give none (Instagram); it is unique
    when present. Extra keys a `profile()` adds may be kept or dropped by a store."""

    id: str
    email: str | None
    email_verified: datetime | None
    name: NotRequired[str | None]
    image: NotRequired[str | None]


class AdapterAccount(TypedDict):
    """A provider account linked to a user; the token fields are those of the token response
    (`expires_at` absolute, in seconds)."""

    user_id: str
    type: AccountType
    provider: str
    provider_account_id: str
    access_token: NotRequired[str | None]
    token_type: NotRequired[str | None]
    id_token: NotRequired[str | None]
    refresh_token: NotRequired[str | None]
    scope: NotRequired[str | None]
    expires_at: NotRequired[int | None]
    session_state: NotRequired[str | None]


class ProviderAccountKey(TypedDict):
    provider: str
    provider_account_id: str


class AdapterSession(TypedDict):
    """A database session: `session_token` is the cookie value itself."""

    session_token: str
    user_id: str
    expires: datetime


class SessionAndUser(TypedDict):
    session: AdapterSession
    user: AdapterUser


class VerificationToken(TypedDict):
    """An email sign-in token. `token` is the *hashed* token; the raw one lives only in the
    link that was mailed."""

    identifier: str
    token: str
    expires: datetime


class AdapterAuthenticator(TypedDict):
    """A WebAuthn credential. `credential_id` and `credential_public_key` use standard base64
    with padding, as Auth.js stores them, so rows are shared with a Node app."""

    credential_id: str
    user_id: str
    provider_account_id: str
    counter: int
    credential_backed_up: bool
    credential_public_key: str
    transports: str | None
    credential_device_type: str


@runtime_checkable
class Store(Protocol):
    """A blocking store. Implement the methods your config needs (see the lists below);
    `authcore.testing` has a conformance suite to run against it."""

    def create_user(self, user: AdapterUser) -> AdapterUser: ...
    def get_user(self, id: str) -> AdapterUser | None: ...
    def get_user_by_email(self, email: str) -> AdapterUser | None: ...
    def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None: ...
    def update_user(self, user: dict[str, object]) -> AdapterUser: ...
    def delete_user(self, id: str) -> AdapterUser | None: ...
    def link_account(self, account: AdapterAccount) -> AdapterAccount | None: ...
    def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None: ...
    def create_session(self, session: AdapterSession) -> AdapterSession: ...
    def get_session_and_user(self, session_token: str) -> SessionAndUser | None: ...
    def update_session(self, session: dict[str, object]) -> AdapterSession | None: ...
    def delete_session(self, session_token: str) -> AdapterSession | None: ...
    def create_verification_token(self, token: VerificationToken) -> VerificationToken | None: ...
    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None: ...


@runtime_checkable
class AsyncStore(Protocol):
    """The same contract with coroutine methods, for async apps."""

    def create_user(self, user: AdapterUser) -> Awaitable[AdapterUser]: ...
    def get_user(self, id: str) -> Awaitable[AdapterUser | None]: ...
    def get_user_by_email(self, email: str) -> Awaitable[AdapterUser | None]: ...
    def get_user_by_account(self, key: ProviderAccountKey) -> Awaitable[AdapterUser | None]: ...
    def update_user(self, user: dict[str, object]) -> Awaitable[AdapterUser]: ...
    def delete_user(self, id: str) -> Awaitable[AdapterUser | None]: ...
    def link_account(self, account: AdapterAccount) -> Awaitable[AdapterAccount | None]: ...
    def unlink_account(self, key: ProviderAccountKey) -> Awaitable[AdapterAccount | None]: ...
    def create_session(self, session: AdapterSession) -> Awaitable[AdapterSession]: ...
    def get_session_and_user(self, session_token: str) -> Awaitable[SessionAndUser | None]: ...
    def update_session(self, session: dict[str, object]) -> Awaitable[AdapterSession | None]: ...
    def delete_session(self, session_token: str) -> Awaitable[AdapterSession | None]: ...
    def create_verification_token(
        self, token: VerificationToken
    ) -> Awaitable[VerificationToken | None]: ...
    def use_verification_token(
        self, identifier: str, token: str
    ) -> Awaitable[VerificationToken | None]: ...
