"""The store conformance suite: what the core relies on from a store, as pytest tests.

Long because it is a flat list of test methods, one behaviour each; splitting it would only
scatter them.

A port of Auth.js's adapter suite (`packages/utils/adapter.ts`, `runBasicTests`, at
`@auth/core@0.41.3`) plus what it leaves out and real adapters got wrong: single-use
verification tokens under concurrency, the right identifier with the wrong token
(CVE-2022-39263), cascades on `delete_user`, users without an email, unicode, 64-bit
provider account ids, timezone-aware datetimes, duplicate keys refused.

Subclass `StoreConformance` in a test module (its name must start with `Test`) and give it
`make_store`; pytest then collects one test per check. Each test runs in an event loop of its
own and makes fresh records, so it may share a database with other tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta, timezone
from typing import Any

from ..stores._types import (
    ACCOUNT_TOKEN_FIELDS,
    EMAIL_METHODS,
    SESSION_METHODS,
    WEBAUTHN_METHODS,
)

__all__ = ["PurgeConformance", "StoreConformance", "WebAuthnConformance"]

_USER_KEYS = ("id", "email", "email_verified", "name", "image")


def _expect(condition: bool, message: str) -> None:
    # Not `assert`: this module is not rewritten by pytest and must fail under `-O` too.
    if not condition:
        raise AssertionError(message)


def _uid() -> str:
    return secrets.token_hex(16)


def _now() -> datetime:
    # Whole seconds, as Auth.js's fixtures: second-precision columns round-trip them.
    return datetime.now(timezone.utc).replace(microsecond=0)


def _hash(raw: str) -> str:
    return hashlib.sha256(f"{raw}anything".encode()).hexdigest()


class _Calls:
    """Calls a sync or an async store the same way: `await s.call("get_user", id)`."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.is_async = inspect.iscoroutinefunction(getattr(store, "create_user", None))

    def has(self, name: str) -> bool:
        return callable(getattr(self.store, name, None))

    async def call(self, name: str, *args: Any) -> Any:
        result = getattr(self.store, name)(*args)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def raises(self, name: str, *args: Any) -> bool:
        try:
            await self.call(name, *args)
        except Exception:
            return True
        return False

    async def together(self, calls: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
        """Run the calls at the same time (threads for a sync store); each result is the
        return value or the exception raised."""

        async def one(name: str, args: tuple[Any, ...]) -> Any:
            if self.is_async:
                return await self.call(name, *args)
            return await asyncio.to_thread(getattr(self.store, name), *args)

        return list(await asyncio.gather(*(one(n, a) for n, a in calls), return_exceptions=True))


def _same_user(got: Any, want: dict[str, Any], what: str) -> None:
    _expect(isinstance(got, dict), f"{what}: expected a user dict, got {type(got).__name__}")
    for key in _USER_KEYS:
        _expect(
            got.get(key) == want.get(key),
            f"{what}: user[{key!r}] is {got.get(key)!r}, expected {want.get(key)!r}",
        )


def _aware(value: Any, what: str) -> None:
    _expect(
        isinstance(value, datetime) and value.utcoffset() == timedelta(0),
        f"{what}: expected a timezone-aware UTC datetime, got {value!r}",
    )


def _same_session(got: Any, want: dict[str, Any], what: str) -> None:
    _expect(isinstance(got, dict), f"{what}: expected a session dict, got {got!r}")
    for key in ("session_token", "user_id", "expires"):
        _expect(got.get(key) == want[key], f"{what}: session[{key!r}] is {got.get(key)!r}")
    _aware(got["expires"], f"{what}: session expires")


class _Conformance:
    """What every part of the suite shares: the store's life cycle and the fixtures."""

    def make_store(self) -> Any:
        raise NotImplementedError("StoreConformance subclasses define make_store()")

    def close_store(self, store: Any) -> Any:
        """Release what `make_store` opened (default: the store's `close()`, if any)."""
        close = getattr(store, "close", None)
        return close() if callable(close) else None

    def _run(self, check: Callable[[_Calls], Coroutine[Any, Any, None]]) -> None:
        async def main() -> None:
            store = self.make_store()
            if inspect.isawaitable(store):
                store = await store
            try:
                await check(_Calls(store))
            finally:
                closed = self.close_store(store)
                if isinstance(closed, Awaitable):
                    await closed

        asyncio.run(main())

    # fixtures

    @staticmethod
    def _user(**overrides: Any) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": _uid(),
            "email": f"fill.{_uid()}@murray.com",
            "email_verified": _now(),
            "name": "Fill Murray",
            "image": "https://www.fillmurray.com/460/300",
        }
        user.update(overrides)
        return user

    @staticmethod
    def _account(user_id: str, **overrides: Any) -> dict[str, Any]:
        account: dict[str, Any] = {
            "user_id": user_id,
            "type": "oauth",
            "provider": "github",
            "provider_account_id": _uid(),
            "access_token": _uid(),
            "token_type": "bearer",
            "id_token": _uid(),
            "refresh_token": _uid(),
            "scope": "user",
            "expires_at": 2_592_000,
            "session_state": _uid(),
        }
        account.update(overrides)
        return account

    @staticmethod
    def _session(user_id: str, days: int = 7) -> dict[str, Any]:
        return {
            "session_token": _uid(),
            "user_id": user_id,
            "expires": _now() + timedelta(days=days),
        }

    async def _new_user(self, s: _Calls, **overrides: Any) -> dict[str, Any]:
        user = self._user(**overrides)
        created = await s.call("create_user", user)
        _same_user(created, {**user, "id": created["id"]}, "create_user")
        return {**user, "id": created["id"]}


class StoreConformance(_Conformance):
    """The store conformance tests.

        from authcore.testing import StoreConformance

        class TestMyStore(StoreConformance):
            def make_store(self):
                return MyStore(url)

    `make_store` (and `close_store`) may be coroutines: they run inside the test's event
    loop, so an async engine is created and disposed on the loop that uses it. Add
    `PurgeConformance` when the store has `purge_expired(now)`, and `WebAuthnConformance`
    when it has the WebAuthn methods.
    """

    # Auth.js's runBasicTests, one test per step

    def test_required_methods_exist(self) -> None:
        async def check(s: _Calls) -> None:
            names = {*SESSION_METHODS, *EMAIL_METHODS, "unlink_account", "delete_user"}
            missing = sorted(n for n in names if not s.has(n))
            _expect(not missing, f"missing store methods: {', '.join(missing)}")

        self._run(check)

    def test_create_and_get_user(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            _same_user(await s.call("get_user", user["id"]), user, "get_user")
            _expect(await s.call("get_user", _uid()) is None, "get_user(unknown) is not None")
            got = await s.call("get_user", user["id"])
            _aware(got["email_verified"], "get_user: email_verified")

        self._run(check)

    def test_get_user_by_email(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            _same_user(await s.call("get_user_by_email", user["email"]), user, "by email")
            missing = await s.call("get_user_by_email", "non-existent-email")
            _expect(missing is None, "get_user_by_email(unknown) is not None")

        self._run(check)

    def test_create_session_and_get_session_and_user(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            session = self._session(user["id"])
            _same_session(await s.call("create_session", session), session, "create_session")
            found = await s.call("get_session_and_user", session["session_token"])
            _expect(isinstance(found, dict), "get_session_and_user found nothing")
            _same_session(found["session"], session, "get_session_and_user")
            _same_user(found["user"], user, "get_session_and_user")
            nothing = await s.call("get_session_and_user", "invalid-token")
            _expect(nothing is None, "get_session_and_user(unknown) is not None")

        self._run(check)

    def test_update_user(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            returned = await s.call("update_user", {"id": user["id"], "name": "Updated Name"})
            _expect(returned.get("name") == "Updated Name", "update_user returned the old name")
            _same_user(await s.call("get_user", user["id"]), {**user, "name": "Updated Name"}, "")

        self._run(check)

    def test_update_user_email_moves_the_email_lookup(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            new_email = f"moved.{_uid()}@example.com"
            await s.call("update_user", {"id": user["id"], "email": new_email})
            _same_user(
                await s.call("get_user_by_email", new_email),
                {**user, "email": new_email},
                "get_user_by_email(new)",
            )
            old = await s.call("get_user_by_email", user["email"])
            _expect(old is None, "the old email still finds the user after update_user")

        self._run(check)

    def test_update_session(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            session = self._session(user["id"])
            await s.call("create_session", session)
            later = _now() + timedelta(days=30)
            returned = await s.call(
                "update_session", {"session_token": session["session_token"], "expires": later}
            )
            if returned is not None:
                _same_session(returned, {**session, "expires": later}, "update_session")
            found = await s.call("get_session_and_user", session["session_token"])
            _same_session(found["session"], {**session, "expires": later}, "after update")
            unknown = await s.call("update_session", {"session_token": _uid(), "expires": later})
            _expect(unknown is None, "update_session(unknown token) is not None")

        self._run(check)

    def test_link_account_and_get_user_by_account(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            account = self._account(user["id"])
            await s.call("link_account", account)
            key = {"provider": "github", "provider_account_id": account["provider_account_id"]}
            _same_user(await s.call("get_user_by_account", key), user, "get_user_by_account")
            unknown = {"provider": "invalid-provider", "provider_account_id": "invalid-id"}
            _expect(
                await s.call("get_user_by_account", unknown) is None,
                "get_user_by_account(unknown) is not None",
            )
            removed = await s.call("unlink_account", key)
            if removed is not None:  # returning the account is optional, as in Auth.js
                for field in (
                    "user_id",
                    "type",
                    "provider",
                    "provider_account_id",
                    *ACCOUNT_TOKEN_FIELDS,
                ):
                    _expect(
                        removed.get(field) == account[field],
                        f"link_account then unlink_account: account[{field!r}] is "
                        f"{removed.get(field)!r}, expected {account[field]!r}",
                    )

        self._run(check)

    def test_delete_session(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            session = self._session(user["id"])
            await s.call("create_session", session)
            await s.call("delete_session", session["session_token"])
            gone = await s.call("get_session_and_user", session["session_token"])
            _expect(gone is None, "the session is still there after delete_session")
            _expect(await s.call("get_user", user["id"]) is not None, "the user went too")

        self._run(check)

    def test_create_and_use_verification_token(self) -> None:
        async def check(s: _Calls) -> None:
            identifier = f"info.{_uid()}@example.com"
            token = {
                "identifier": identifier,
                "token": _hash(_uid()),
                "expires": _now() + timedelta(minutes=15),
            }
            await s.call("create_verification_token", token)
            used = await s.call("use_verification_token", identifier, token["token"])
            _expect(isinstance(used, dict), "use_verification_token found nothing")
            for key in ("identifier", "token", "expires"):
                _expect(used.get(key) == token[key], f"verification token[{key!r}] changed")
            _aware(used["expires"], "verification token expires")
            again = await s.call("use_verification_token", identifier, token["token"])
            _expect(again is None, "a verification token was used twice")

        self._run(check)

    def test_verification_token_needs_both_identifier_and_token(self) -> None:
        # CVE-2021-21310 (wrong identifier) and CVE-2022-39263 (wrong token)
        async def check(s: _Calls) -> None:
            identifier = f"info.{_uid()}@example.com"
            hashed = _hash(_uid())
            token = {"identifier": identifier, "token": hashed, "expires": _now()}
            await s.call("create_verification_token", token)
            wrong_id = await s.call("use_verification_token", "invalid@identifier.com", hashed)
            _expect(wrong_id is None, "a token was usable with another identifier")
            wrong_tok = await s.call("use_verification_token", identifier, _hash(_uid()))
            _expect(wrong_tok is None, "an identifier was usable with another token")
            right = await s.call("use_verification_token", identifier, hashed)
            _expect(right is not None, "the token was lost after the wrong attempts")

        self._run(check)

    def test_expired_verification_token_is_returned_and_deleted(self) -> None:
        # The core checks expiry itself; the store hands the row over and forgets it.
        async def check(s: _Calls) -> None:
            identifier = f"info.{_uid()}@example.com"
            hashed = _hash(_uid())
            expired = _now() - timedelta(hours=1)
            token = {"identifier": identifier, "token": hashed, "expires": expired}
            await s.call("create_verification_token", token)
            used = await s.call("use_verification_token", identifier, hashed)
            _expect(used is not None and used["expires"] == expired, "expired token not given")
            again = await s.call("use_verification_token", identifier, hashed)
            _expect(again is None, "an expired token stayed")

        self._run(check)

    def test_unlink_account(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            account = self._account(user["id"])
            await s.call("link_account", account)
            key = {"provider": "github", "provider_account_id": account["provider_account_id"]}
            await s.call("unlink_account", key)
            _expect(
                await s.call("get_user_by_account", key) is None,
                "the account still finds the user after unlink_account",
            )
            _expect(await s.call("get_user", user["id"]) is not None, "the user went too")

        self._run(check)

    def test_delete_user_cascades(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            other = await self._new_user(s)
            session, keep = self._session(user["id"]), self._session(other["id"])
            account = self._account(user["id"])
            for name, record in (
                ("create_session", session),
                ("create_session", keep),
                ("link_account", account),
            ):
                await s.call(name, record)
            await s.call("delete_user", user["id"])
            _expect(await s.call("get_user", user["id"]) is None, "the user was not deleted")
            gone = await s.call("get_session_and_user", session["session_token"])
            _expect(gone is None, "delete_user left the user's session")
            key = {"provider": "github", "provider_account_id": account["provider_account_id"]}
            _expect(
                await s.call("get_user_by_account", key) is None,
                "delete_user left the user's account",
            )
            _expect(
                await s.call("get_user_by_email", user["email"]) is None,
                "delete_user left the email lookup",
            )
            kept = await s.call("get_session_and_user", keep["session_token"])
            _expect(kept is not None, "delete_user removed another user's session")

        self._run(check)

    # what the Auth.js suite misses

    def test_users_without_email(self) -> None:
        # Instagram gives no email: two such users must fit under the unique constraint.
        async def check(s: _Calls) -> None:
            first = await self._new_user(s, email=None, email_verified=None)
            second = await self._new_user(s, email=None, email_verified=None)
            _expect(first["id"] != second["id"], "two users got the same id")
            _same_user(await s.call("get_user", second["id"]), second, "user without email")

        self._run(check)

    def test_duplicate_email_is_refused(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            twin = self._user(email=user["email"])
            _expect(await s.raises("create_user", twin), "two users got the same email")
            _same_user(await s.call("get_user_by_email", user["email"]), user, "after twin")

        self._run(check)

    def test_duplicate_account_is_refused(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            other = await self._new_user(s)
            account = self._account(user["id"])
            await s.call("link_account", account)
            stolen = {**account, "user_id": other["id"]}
            _expect(await s.raises("link_account", stolen), "one account was linked twice")
            key = {"provider": "github", "provider_account_id": account["provider_account_id"]}
            _same_user(await s.call("get_user_by_account", key), user, "after the duplicate")

        self._run(check)

    def test_unicode_and_large_ids_round_trip(self) -> None:
        async def check(s: _Calls) -> None:
            user = await self._new_user(
                s, name="Zoë Ångström 李小龍 🚀", email=f"zoë.{_uid()}@例え.jp"
            )
            _same_user(await s.call("get_user_by_email", user["email"]), user, "unicode")
            # Instagram user ids are 64-bit; expires_at beyond 2038 needs a BIGINT column.
            account = self._account(
                user["id"],
                provider="instagram",
                provider_account_id="17841405793187218",
                expires_at=2**40,
            )
            await s.call("link_account", account)
            key = {"provider": "instagram", "provider_account_id": "17841405793187218"}
            _same_user(await s.call("get_user_by_account", key), user, "64-bit account id")
            removed = await s.call("unlink_account", key)
            if removed is not None:
                _expect(removed.get("expires_at") == 2**40, "expires_at lost its 64 bits")

        self._run(check)

    def test_extra_user_fields_do_not_break_create_user(self) -> None:
        # `profile()` may return keys the store has no column for: kept or dropped, no error.
        async def check(s: _Calls) -> None:
            user = await self._new_user(s, role="admin", phone="00000000000")
            _same_user(await s.call("get_user", user["id"]), user, "user with extra fields")

        self._run(check)

    def test_session_of_unknown_user_is_refused(self) -> None:
        async def check(s: _Calls) -> None:
            orphan = self._session(_uid())
            _expect(
                await s.raises("create_session", orphan),
                "a session was created for a user that does not exist",
            )
            _expect(
                await s.call("get_session_and_user", orphan["session_token"]) is None,
                "an orphan session can be read",
            )

        self._run(check)

    def test_concurrent_use_of_one_verification_token(self) -> None:
        async def check(s: _Calls) -> None:
            identifier = f"race.{_uid()}@example.com"
            hashed = _hash(_uid())
            expires = _now() + timedelta(minutes=15)
            await s.call(
                "create_verification_token",
                {"identifier": identifier, "token": hashed, "expires": expires},
            )
            results = await s.together([("use_verification_token", (identifier, hashed))] * 8)
            errors = [r for r in results if isinstance(r, BaseException)]
            _expect(not errors, f"use_verification_token raised under concurrency: {errors!r}")
            winners = [r for r in results if r is not None]
            _expect(len(winners) == 1, f"{len(winners)} concurrent uses of one token succeeded")

        self._run(check)

    def test_concurrent_link_of_one_account(self) -> None:
        async def check(s: _Calls) -> None:
            first = await self._new_user(s)
            second = await self._new_user(s)
            pid = _uid()
            accounts = [self._account(u["id"], provider_account_id=pid) for u in (first, second)]
            results = await s.together([("link_account", (a,)) for a in accounts])
            failed = [r for r in results if isinstance(r, BaseException)]
            _expect(len(failed) == 1, f"{2 - len(failed)} concurrent links of one account won")
            owner = await s.call(
                "get_user_by_account", {"provider": "github", "provider_account_id": pid}
            )
            winner = second if isinstance(results[0], BaseException) else first
            _same_user(owner, winner, "the account's owner after the race")

        self._run(check)

    def test_concurrent_create_user_with_one_email(self) -> None:
        async def check(s: _Calls) -> None:
            email = f"twins.{_uid()}@example.com"
            users = [self._user(email=email) for _ in range(2)]
            results = await s.together([("create_user", (u,)) for u in users])
            created = [r for r in results if not isinstance(r, BaseException)]
            _expect(len(created) == 1, f"{len(created)} users were created with one email")
            _same_user(await s.call("get_user_by_email", email), created[0], "the email's owner")

        self._run(check)


class PurgeConformance(_Conformance):
    """`purge_expired(now)`: the clean-up job for rows nobody reads again."""

    def test_purge_expired(self) -> None:
        # One cutoff far in the future would purge other tests' rows on a shared database, so
        # the rows here expire in the past and only those are checked.

        async def check(s: _Calls) -> None:
            user = await self._new_user(s)
            old, live = self._session(user["id"], days=-1), self._session(user["id"])
            identifier = f"purge.{_uid()}@example.com"
            stale = {"identifier": identifier, "token": _hash(_uid()), "expires": _now()}
            for name, record in (
                ("create_session", old),
                ("create_session", live),
                ("create_verification_token", stale),
            ):
                await s.call(name, record)
            removed = await s.call("purge_expired", _now() + timedelta(seconds=1))
            _expect(isinstance(removed, int) and removed >= 2, f"purge_expired gave {removed!r}")
            gone = await s.call("get_session_and_user", old["session_token"])
            _expect(gone is None, "purge_expired left an expired session")
            kept = await s.call("get_session_and_user", live["session_token"])
            _expect(kept is not None, "purge_expired removed a live session")
            token = await s.call("use_verification_token", identifier, stale["token"])
            _expect(token is None, "purge_expired left an expired verification token")

        self._run(check)


class WebAuthnConformance(_Conformance):
    """The WebAuthn methods (Auth.js's `testWebAuthnMethods`)."""

    @staticmethod
    def _authenticator(user_id: str, **overrides: Any) -> dict[str, Any]:
        credential = secrets.token_bytes(16).hex()
        authenticator: dict[str, Any] = {
            "credential_id": credential,
            "user_id": user_id,
            "provider_account_id": credential,
            "counter": 1,
            "credential_backed_up": False,
            "credential_public_key": "pQECAyYgASFYIA==",
            "transports": "usb,ble,nfc",
            "credential_device_type": "platform",
        }
        authenticator.update(overrides)
        return authenticator

    def test_webauthn_methods(self) -> None:
        async def check(s: _Calls) -> None:
            missing = sorted(n for n in WEBAUTHN_METHODS if not s.has(n))
            _expect(not missing, f"missing WebAuthn methods: {', '.join(missing)}")
            user = await self._new_user(s)
            other = await self._new_user(s)
            account = self._account(user["id"], type="webauthn", provider="webauthn")
            await s.call("link_account", account)
            pid = account["provider_account_id"]
            for args in ((pid, "github"), (_uid(), "webauthn"), (_uid(), "github")):
                _expect(await s.call("get_account", *args) is None, f"get_account{args} found")
            got = await s.call("get_account", pid, "webauthn")
            _expect(got is not None and got["user_id"] == user["id"], "get_account missed")

            first, second = self._authenticator(user["id"]), self._authenticator(user["id"])
            third = self._authenticator(other["id"], transports=None, credential_backed_up=True)
            for record in (first, second, third):
                created = await s.call("create_authenticator", record)
                _expect(created == record, f"create_authenticator returned {created!r}")
            got = await s.call("get_authenticator", first["credential_id"])
            _expect(got == first, f"get_authenticator returned {got!r}")
            _expect(await s.call("get_authenticator", _uid()) is None, "unknown credential")
            listed = await s.call("list_authenticators_by_user_id", user["id"])
            ids = sorted(a["credential_id"] for a in listed)
            _expect(ids == sorted([first["credential_id"], second["credential_id"]]), "list")
            _expect(await s.call("list_authenticators_by_user_id", _uid()) == [], "unknown user")
            updated = await s.call("update_authenticator_counter", first["credential_id"], 7)
            _expect(updated["counter"] == 7, "update_authenticator_counter kept the old counter")
            _expect(
                await s.raises("update_authenticator_counter", _uid(), 7),
                "update_authenticator_counter accepted an unknown credential",
            )
            await s.call("delete_user", user["id"])
            gone = await s.call("get_authenticator", first["credential_id"])
            _expect(gone is None, "delete_user left the user's authenticators")
            kept = await s.call("get_authenticator", third["credential_id"])
            _expect(kept == third, "delete_user removed another user's authenticator")

        self._run(check)
