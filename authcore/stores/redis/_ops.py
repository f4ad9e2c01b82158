"""Every store method once, as a generator that yields Redis calls and receives their
replies; `RedisStore` runs it on a blocking client, `AsyncRedisStore` on `redis.asyncio`."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from .._types import (
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    ProviderAccountKey,
    SessionAndUser,
    VerificationToken,
)
from . import _codec as codec
from ._keys import Keys

__all__ = ["Call", "Op", "Ops", "RedisStoreError"]

# Compare-and-set writes retry when the record changed under them; past this, give up.
_MAX_RETRIES = 64


class RedisStoreError(RuntimeError):
    """A write the store refused (duplicate key, missing user); the message has no token."""


@dataclass(frozen=True)
class Call:
    """One round trip: a client command (`script` empty) or one of `_scripts.SCRIPTS`."""

    command: str = ""
    args: tuple[Any, ...] = ()
    script: str = ""
    keys: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)


T = TypeVar("T")
Op = Generator[Call, Any, T]


def _script(name: str, keys: tuple[str, ...], *args: Any) -> Call:
    return Call(script=name, keys=keys, args=args)


def _cmd(command: str, *args: Any, **options: Any) -> Call:
    return Call(command=command, args=args, options=options)


def _user_json(user: dict[str, Any]) -> str:
    return codec.dumps(user, ("email_verified",))


def _session_json(session: dict[str, Any]) -> str:
    return codec.dumps(session, ("expires",))


def _retries_exhausted(what: str) -> RedisStoreError:
    return RedisStoreError(f"{what} kept changing under concurrent writes; gave up")


class Ops:
    """The store's logic, free of any client."""

    def __init__(self, prefix: str, retain: timedelta) -> None:
        self.keys = Keys(prefix)
        self.prefix = prefix
        self.retain_ms = int(retain.total_seconds() * 1000)

    def _ttl_at(self, expires: object) -> int:
        """Redis drops a session or token `retain` after its `expires`: until then the core
        still gets it back, and can tell "expired" from "unknown"."""
        return codec.epoch_ms(expires) + self.retain_ms

    def _email_key(self, email: object) -> str:
        return self.keys.email(email) if isinstance(email, str) else ""

    # users

    def create_user(self, user: AdapterUser) -> Op[AdapterUser]:
        record = dict(user)
        record.setdefault("email", None)
        record.setdefault("email_verified", None)
        yield _script(
            "create_user",
            (self.keys.user(user["id"]), self._email_key(user.get("email"))),
            _user_json(record),
            user["id"],
        )
        return codec.loads_user(_user_json(record))

    def get_user(self, user_id: str) -> Op[AdapterUser | None]:
        raw = yield _cmd("get", self.keys.user(user_id))
        return None if raw is None else codec.loads_user(raw)

    def get_user_by_email(self, email: str) -> Op[AdapterUser | None]:
        raw = yield _script("user_by_email", (self.keys.email(email),), self.prefix)
        return None if raw is None else codec.loads_user(raw)

    def get_user_by_account(self, key: ProviderAccountKey) -> Op[AdapterUser | None]:
        account = self.keys.account(key["provider"], key["provider_account_id"])
        raw = yield _script("user_by_account", (account,), self.prefix)
        return None if raw is None else codec.loads_user(raw)

    def update_user(self, patch: dict[str, object]) -> Op[AdapterUser]:
        user_id = patch.get("id")
        if not isinstance(user_id, str):
            raise TypeError("update_user needs the user's id")
        key = self.keys.user(user_id)
        for _ in range(_MAX_RETRIES):
            raw = yield _cmd("get", key)
            if raw is None:
                raise RedisStoreError("update_user: no such user")
            current = codec.decode(raw, ("email_verified",))
            merged = {**current, **patch}
            new = _user_json(merged)
            done = yield _script(
                "replace_user",
                (key, self._email_key(current.get("email")), self._email_key(merged.get("email"))),
                codec.text(raw),
                new,
                user_id,
            )
            if done:
                return codec.loads_user(new)
        raise _retries_exhausted("update_user")

    def delete_user(self, user_id: str) -> Op[AdapterUser | None]:
        k = self.keys
        for _ in range(_MAX_RETRIES):
            raw = yield _cmd("get", k.user(user_id))
            if raw is None:
                return None
            user = codec.loads_user(raw)
            keys = (
                k.user(user_id),
                self._email_key(user.get("email")),
                k.user_sessions(user_id),
                k.user_accounts(user_id),
                k.user_authenticators(user_id),
            )
            if (yield _script("delete_user", keys, codec.text(raw), self.prefix, user_id)):
                return user
        raise _retries_exhausted("delete_user")

    # accounts

    def link_account(self, account: AdapterAccount) -> Op[AdapterAccount]:
        provider, account_id = account["provider"], account["provider_account_id"]
        user_id = account["user_id"]
        raw = codec.dumps(dict(account))
        yield _script(
            "create_owned",
            (
                self.keys.account(provider, account_id),
                self.keys.user(user_id),
                self.keys.user_accounts(user_id),
            ),
            raw,
            self.keys.account_member(provider, account_id),
            "account",
        )
        return codec.loads_account(raw)

    def unlink_account(self, key: ProviderAccountKey) -> Op[AdapterAccount | None]:
        provider, account_id = key["provider"], key["provider_account_id"]
        raw = yield _script(
            "delete_owned",
            (self.keys.account(provider, account_id),),
            self.prefix,
            "user-accounts",
            self.keys.account_member(provider, account_id),
        )
        return None if raw is None else codec.loads_account(raw)

    def get_account(self, provider_account_id: str, provider: str) -> Op[AdapterAccount | None]:
        raw = yield _cmd("get", self.keys.account(provider, provider_account_id))
        return None if raw is None else codec.loads_account(raw)

    # sessions

    def create_session(self, session: AdapterSession) -> Op[AdapterSession]:
        token, user_id = session["session_token"], session["user_id"]
        raw = _session_json(dict(session))
        yield _script(
            "create_session",
            (self.keys.session(token), self.keys.user(user_id), self.keys.user_sessions(user_id)),
            raw,
            self._ttl_at(session["expires"]),
            token,
            self.prefix,
        )
        return codec.loads_session(raw)

    def get_session_and_user(self, session_token: str) -> Op[SessionAndUser | None]:
        reply = yield _script("session_and_user", (self.keys.session(session_token),), self.prefix)
        if not reply:
            return None
        result: SessionAndUser = {
            "session": codec.loads_session(reply[0]),
            "user": codec.loads_user(reply[1]),
        }
        return result

    def update_session(self, patch: dict[str, object]) -> Op[AdapterSession | None]:
        token = patch.get("session_token")
        if not isinstance(token, str):
            raise TypeError("update_session needs the session_token")
        key = self.keys.session(token)
        for _ in range(_MAX_RETRIES):
            raw = yield _cmd("get", key)
            if raw is None:
                return None
            current = codec.decode(raw, ("expires",))
            merged = {**current, **patch}
            if merged["user_id"] != current["user_id"]:
                raise RedisStoreError("update_session cannot move a session to another user")
            new = _session_json(merged)
            done = yield _script(
                "replace_session",
                (key, self.keys.user_sessions(current["user_id"])),
                codec.text(raw),
                new,
                self._ttl_at(merged["expires"]),
            )
            if done:
                return codec.loads_session(new)
        raise _retries_exhausted("update_session")

    def delete_session(self, session_token: str) -> Op[AdapterSession | None]:
        raw = yield _script(
            "delete_owned",
            (self.keys.session(session_token),),
            self.prefix,
            "user-sessions",
            session_token,
        )
        return None if raw is None else codec.loads_session(raw)

    # verification tokens

    def create_verification_token(self, token: VerificationToken) -> Op[VerificationToken]:
        raw = codec.dumps(dict(token), ("expires",))
        at = self._ttl_at(token["expires"])
        yield _cmd("set", self.keys.token(token["identifier"], token["token"]), raw, pxat=at)
        return codec.loads_token(raw)

    def use_verification_token(self, identifier: str, token: str) -> Op[VerificationToken | None]:
        raw = yield _cmd("getdel", self.keys.token(identifier, token))
        return None if raw is None else codec.loads_token(raw)

    # WebAuthn authenticators

    def create_authenticator(self, authenticator: AdapterAuthenticator) -> Op[AdapterAuthenticator]:
        credential_id, user_id = authenticator["credential_id"], authenticator["user_id"]
        raw = codec.dumps(dict(authenticator))
        yield _script(
            "create_owned",
            (
                self.keys.authenticator(credential_id),
                self.keys.user(user_id),
                self.keys.user_authenticators(user_id),
            ),
            raw,
            credential_id,
            "authenticator",
        )
        return codec.loads_authenticator(raw)

    def get_authenticator(self, credential_id: str) -> Op[AdapterAuthenticator | None]:
        raw = yield _cmd("get", self.keys.authenticator(credential_id))
        return None if raw is None else codec.loads_authenticator(raw)

    def list_authenticators_by_user_id(self, user_id: str) -> Op[list[AdapterAuthenticator]]:
        raws = yield _script(
            "list_authenticators", (self.keys.user_authenticators(user_id),), self.prefix
        )
        found = [codec.loads_authenticator(raw) for raw in raws]
        return sorted(found, key=lambda a: a["credential_id"])

    def update_authenticator_counter(
        self, credential_id: str, counter: int
    ) -> Op[AdapterAuthenticator]:
        key = self.keys.authenticator(credential_id)
        for _ in range(_MAX_RETRIES):
            raw = yield _cmd("get", key)
            if raw is None:
                raise RedisStoreError("update_authenticator_counter: no such authenticator")
            new = codec.dumps({**codec.decode(raw), "counter": int(counter)})
            if (yield _script("replace", (key,), codec.text(raw), new)):
                return codec.loads_authenticator(new)
        raise _retries_exhausted("update_authenticator_counter")

    # upkeep

    def _scan(self, family: str) -> Generator[Call, Any, list[str]]:
        literal = "".join("\\" + c if c in "\\*?[]" else c for c in self.prefix)
        found: list[str] = []
        cursor: int = 0
        while True:
            cursor, keys = yield _cmd("scan", cursor, match=f"{literal}{family}:*", count=1000)
            found.extend(codec.text(key) for key in keys)
            if int(cursor) == 0:
                return found

    def purge_expired(self, now: datetime) -> Op[int]:
        """Delete sessions and tokens that expired before `now` but are still retained, and
        the index entries of those Redis already dropped. Walks the prefix with SCAN."""
        removed = 0
        start = len(self.keys.session(""))
        for key in (yield from self._scan("session")):
            raw = yield _cmd("get", key)
            if raw is not None and codec.loads_session(raw)["expires"] < now:
                removed += (yield from self.delete_session(key[start:])) is not None
        for key in (yield from self._scan("token")):
            raw = yield _cmd("get", key)
            if raw is not None and codec.loads_token(raw)["expires"] < now:
                removed += (yield _script("delete_if", (key,), codec.text(raw))) or 0
        for key in (yield from self._scan("user-sessions")):
            removed += yield _script("prune_sessions", (key,), self.prefix)
        return removed
