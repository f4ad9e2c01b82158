"""An in-process store: for tests, examples and single-process demos.

Everything lives in dicts behind one lock, so it is safe across threads but forgotten when
the process ends. It keeps the constraints a database would: unique email (when present),
unique (provider, provider account id), a session or credential only for an existing user,
and `delete_user` removing the user's sessions, accounts and authenticators.
`AsyncMemoryStore` is the same store with coroutine methods, for async apps and tests.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, cast

from ._types import (
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    ProviderAccountKey,
    SessionAndUser,
    VerificationToken,
)

__all__ = ["AsyncMemoryStore", "MemoryStore"]


class MemoryStore:
    """A sync store held in memory (`{"adapter": MemoryStore()}`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: dict[str, dict[str, Any]] = {}
        self._emails: dict[str, str] = {}
        self._accounts: dict[tuple[str, str], dict[str, Any]] = {}
        self._sessions: dict[str, dict[str, Any]] = {}
        self._tokens: dict[tuple[str, str], dict[str, Any]] = {}
        self._authenticators: dict[str, dict[str, Any]] = {}

    # users

    def create_user(self, user: AdapterUser) -> AdapterUser:
        row: dict[str, Any] = dict(user)
        with self._lock:
            if row["id"] in self._users:
                raise ValueError("a user with this id already exists")
            email = row.get("email")
            if email is not None and email in self._emails:
                raise ValueError("a user with this email already exists")
            self._users[row["id"]] = row
            if email is not None:
                self._emails[email] = row["id"]
            return _user(row)

    def get_user(self, id: str) -> AdapterUser | None:
        with self._lock:
            row = self._users.get(id)
            return _user(row) if row is not None else None

    def get_user_by_email(self, email: str) -> AdapterUser | None:
        with self._lock:
            user_id = self._emails.get(email)
            return _user(self._users[user_id]) if user_id is not None else None

    def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        with self._lock:
            account = self._accounts.get((key["provider"], key["provider_account_id"]))
            if account is None:
                return None
            return _user(self._users[account["user_id"]])

    def update_user(self, user: Mapping[str, object]) -> AdapterUser:
        with self._lock:
            row = self._users.get(cast(str, user["id"]))
            if row is None:
                raise LookupError("no user with this id")
            old_email, new_email = row.get("email"), user.get("email", row.get("email"))
            if new_email != old_email and new_email is not None and new_email in self._emails:
                raise ValueError("a user with this email already exists")
            row.update(user)
            if new_email != old_email:
                if old_email is not None:
                    del self._emails[old_email]
                if new_email is not None:
                    self._emails[cast(str, new_email)] = row["id"]
            return _user(row)

    def delete_user(self, id: str) -> AdapterUser | None:
        with self._lock:
            row = self._users.pop(id, None)
            if row is None:
                return None
            if row.get("email") is not None:
                del self._emails[row["email"]]
            for table in (self._accounts, self._sessions, self._authenticators):
                for key in [k for k, v in table.items() if v["user_id"] == id]:
                    del table[key]  # type: ignore[arg-type]
            return _user(row)

    # accounts

    def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        row: dict[str, Any] = dict(account)
        key = (row["provider"], row["provider_account_id"])
        with self._lock:
            if row["user_id"] not in self._users:
                raise LookupError("no user with this id")
            if key in self._accounts:
                raise ValueError("this provider account is already linked")
            self._accounts[key] = row
            return cast(AdapterAccount, dict(row))

    def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        with self._lock:
            row = self._accounts.pop((key["provider"], key["provider_account_id"]), None)
            return cast(AdapterAccount, dict(row)) if row is not None else None

    def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        with self._lock:
            row = self._accounts.get((provider, provider_account_id))
            return cast(AdapterAccount, dict(row)) if row is not None else None

    # sessions

    def create_session(self, session: AdapterSession) -> AdapterSession:
        row: dict[str, Any] = dict(session)
        with self._lock:
            if row["user_id"] not in self._users:
                raise LookupError("no user with this id")
            if row["session_token"] in self._sessions:
                raise ValueError("a session with this token already exists")
            self._sessions[row["session_token"]] = row
            return _session(row)

    def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        with self._lock:
            row = self._sessions.get(session_token)
            if row is None:
                return None
            return {"session": _session(row), "user": _user(self._users[row["user_id"]])}

    def update_session(self, session: Mapping[str, object]) -> AdapterSession | None:
        with self._lock:
            row = self._sessions.get(cast(str, session["session_token"]))
            if row is None:
                return None
            row.update({k: v for k, v in session.items() if k in ("expires", "user_id")})
            return _session(row)

    def delete_session(self, session_token: str) -> AdapterSession | None:
        with self._lock:
            row = self._sessions.pop(session_token, None)
            return _session(row) if row is not None else None

    # email sign-in

    def create_verification_token(self, token: VerificationToken) -> VerificationToken | None:
        row: dict[str, Any] = dict(token)
        key = (row["identifier"], row["token"])
        with self._lock:
            if key in self._tokens:
                raise ValueError("this verification token already exists")
            self._tokens[key] = row
            return cast(VerificationToken, dict(row))

    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        with self._lock:
            row = self._tokens.pop((identifier, token), None)
            return cast(VerificationToken, row) if row is not None else None

    # WebAuthn

    def create_authenticator(self, authenticator: AdapterAuthenticator) -> AdapterAuthenticator:
        row: dict[str, Any] = dict(authenticator)
        with self._lock:
            if row["user_id"] not in self._users:
                raise LookupError("no user with this id")
            if row["credential_id"] in self._authenticators:
                raise ValueError("an authenticator with this credential id already exists")
            self._authenticators[row["credential_id"]] = row
            return cast(AdapterAuthenticator, dict(row))

    def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        with self._lock:
            row = self._authenticators.get(credential_id)
            return cast(AdapterAuthenticator, dict(row)) if row is not None else None

    def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        with self._lock:
            return [
                cast(AdapterAuthenticator, dict(row))
                for row in self._authenticators.values()
                if row["user_id"] == user_id
            ]

    def update_authenticator_counter(
        self, credential_id: str, new_counter: int
    ) -> AdapterAuthenticator:
        with self._lock:
            row = self._authenticators.get(credential_id)
            if row is None:
                raise LookupError("no authenticator with this credential id")
            row["counter"] = new_counter
            return cast(AdapterAuthenticator, dict(row))

    # for demos and tests: what is stored

    def users(self) -> list[tuple[AdapterUser, list[str]]]:
        """Every user with the providers of their linked accounts."""
        with self._lock:
            providers: dict[str, list[str]] = {}
            for (provider, _), account in self._accounts.items():
                providers.setdefault(account["user_id"], []).append(provider)
            return [
                (_user(row), sorted(providers.get(uid, []))) for uid, row in self._users.items()
            ]

    # maintenance

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete sessions and verification tokens that expired before `now` (default: the
        current time); returns how many rows went."""
        cutoff = now or datetime.now(timezone.utc)
        with self._lock:
            gone = 0
            for table in (self._sessions, self._tokens):
                for key in [k for k, v in table.items() if v["expires"] < cutoff]:
                    del table[key]  # type: ignore[arg-type]
                    gone += 1
            return gone


def _user(row: Mapping[str, Any]) -> AdapterUser:
    return cast(AdapterUser, dict(row))


def _session(row: Mapping[str, Any]) -> AdapterSession:
    return cast(AdapterSession, dict(row))


class AsyncMemoryStore:
    """`MemoryStore` with coroutine methods: exercises the async path of an app or a test."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        self.sync = store if store is not None else MemoryStore()

    async def create_user(self, user: AdapterUser) -> AdapterUser:
        return self.sync.create_user(user)

    async def get_user(self, id: str) -> AdapterUser | None:
        return self.sync.get_user(id)

    async def get_user_by_email(self, email: str) -> AdapterUser | None:
        return self.sync.get_user_by_email(email)

    async def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        return self.sync.get_user_by_account(key)

    async def update_user(self, user: Mapping[str, object]) -> AdapterUser:
        return self.sync.update_user(user)

    async def delete_user(self, id: str) -> AdapterUser | None:
        return self.sync.delete_user(id)

    async def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        return self.sync.link_account(account)

    async def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        return self.sync.unlink_account(key)

    async def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        return self.sync.get_account(provider_account_id, provider)

    async def create_session(self, session: AdapterSession) -> AdapterSession:
        return self.sync.create_session(session)

    async def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        return self.sync.get_session_and_user(session_token)

    async def update_session(self, session: Mapping[str, object]) -> AdapterSession | None:
        return self.sync.update_session(session)

    async def delete_session(self, session_token: str) -> AdapterSession | None:
        return self.sync.delete_session(session_token)

    async def create_verification_token(self, token: VerificationToken) -> VerificationToken | None:
        return self.sync.create_verification_token(token)

    async def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        return self.sync.use_verification_token(identifier, token)

    async def create_authenticator(
        self, authenticator: AdapterAuthenticator
    ) -> AdapterAuthenticator:
        return self.sync.create_authenticator(authenticator)

    async def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        return self.sync.get_authenticator(credential_id)

    async def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        return self.sync.list_authenticators_by_user_id(user_id)

    async def update_authenticator_counter(
        self, credential_id: str, new_counter: int
    ) -> AdapterAuthenticator:
        return self.sync.update_authenticator_counter(credential_id, new_counter)

    async def purge_expired(self, now: datetime | None = None) -> int:
        return self.sync.purge_expired(now)
