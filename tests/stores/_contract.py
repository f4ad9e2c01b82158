"""The store contract, checked on a real backend: Auth.js's adapter tests
(`packages/utils/adapter.ts` at `@auth/core@0.41.3`) plus what they miss (single use under
concurrency, wrong token for the right identifier, null emails, cascades, the email index,
unicode, aware datetimes). Each check is a coroutine over a `Harness`, so one list serves
sync stores and async ones."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import threading
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import pytest

__all__ = ["CHECKS", "Harness", "Raw", "run"]


class Raw(Protocol):
    """Reads the backend without the store, in the contract's snake_case shapes."""

    def user(self, user_id: str) -> dict[str, Any] | None: ...
    def session(self, token: str) -> dict[str, Any] | None: ...
    def account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None: ...
    def token(self, identifier: str, token: str) -> dict[str, Any] | None: ...
    def authenticator(self, credential_id: str) -> dict[str, Any] | None: ...


@dataclass
class Harness:
    store: Any
    raw: Raw
    is_async: bool

    async def call(self, method: str, *args: Any) -> Any:
        result = getattr(self.store, method)(*args)
        if inspect.isawaitable(result):
            return await result
        return result

    async def together(self, method: str, args: list[tuple[Any, ...]]) -> list[Any]:
        """Calls at the same time: tasks on an async store, threads on a sync one."""
        if self.is_async:
            return list(
                await asyncio.gather(*(self.call(method, *a) for a in args), return_exceptions=True)
            )
        results: list[Any] = [None] * len(args)
        start = threading.Barrier(len(args))

        def one(i: int) -> None:
            start.wait()
            try:
                results[i] = getattr(self.store, method)(*args[i])
            except Exception as error:
                results[i] = error

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(args))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results


Check = Callable[[Harness], Coroutine[Any, Any, None]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def run(check_fn: Check, harness: Harness) -> None:
    asyncio.run(check_fn(harness))


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _user(**extra: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "email": f"fill-{uuid.uuid4().hex[:8]}@murray.com",
        "email_verified": _now(),
        "name": "Fill Murray",
        "image": "https://www.fillmurray.com/460/300",
    }
    user.update(extra)
    return user


def _account(user_id: str, **extra: Any) -> dict[str, Any]:
    account: dict[str, Any] = {
        "user_id": user_id,
        "type": "oauth",
        "provider": "github",
        "provider_account_id": str(uuid.uuid4()),
        "access_token": "access-" + uuid.uuid4().hex,
        "token_type": "bearer",
        "id_token": "id-" + uuid.uuid4().hex,
        "refresh_token": "refresh-" + uuid.uuid4().hex,
        "scope": "user",
        "expires_at": 2592000,
        "session_state": "state",
    }
    account.update(extra)
    return account


def _session(user_id: str, days: int = 7) -> dict[str, Any]:
    return {
        "session_token": str(uuid.uuid4()),
        "user_id": user_id,
        "expires": _now() + timedelta(days=days),
    }


def _authenticator(user_id: str, credential_id: str | None = None) -> dict[str, Any]:
    credential_id = credential_id or uuid.uuid4().hex
    return {
        "credential_id": credential_id,
        "user_id": user_id,
        "provider_account_id": credential_id,
        "counter": 1,
        "credential_backed_up": True,
        "credential_public_key": "pQECAyYgASFYIA==",
        "transports": "usb,ble,nfc",
        "credential_device_type": "platform",
    }


@check
async def users_round_trip(h: Harness) -> None:
    user = _user(name="Zoë Åström 🚀")
    created = await h.call("create_user", user)
    assert created == user
    assert h.raw.user(user["id"]) == user
    assert await h.call("get_user", user["id"]) == user
    assert await h.call("get_user", str(uuid.uuid4())) is None
    assert created["email_verified"].utcoffset() == timedelta(0)


@check
async def user_by_email_is_exact(h: Harness) -> None:
    user = await h.call("create_user", _user())
    assert await h.call("get_user_by_email", user["email"]) == user
    assert await h.call("get_user_by_email", user["email"].upper()) is None
    assert await h.call("get_user_by_email", "non-existent-email") is None


@check
async def null_emails_and_duplicates(h: Harness) -> None:
    first = await h.call("create_user", _user(email=None, email_verified=None))
    second = await h.call("create_user", _user(email=None, email_verified=None))
    assert (await h.call("get_user", first["id"]))["email"] is None
    assert h.raw.user(second["id"]) is not None
    taken = await h.call("create_user", _user())
    with pytest.raises(Exception):  # noqa: B017 - any store error; the core wraps it
        await h.call("create_user", _user(email=taken["email"]))
    assert await h.call("get_user_by_email", taken["email"]) == taken


@check
async def update_user_keeps_email_index(h: Harness) -> None:
    user = await h.call("create_user", _user())
    other = await h.call("create_user", _user())
    renamed = await h.call("update_user", {"id": user["id"], "name": "Updated Name"})
    assert renamed["name"] == "Updated Name"
    assert h.raw.user(user["id"])["name"] == "Updated Name"  # type: ignore[index]
    new_email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    moved = await h.call("update_user", {"id": user["id"], "email": new_email})
    assert moved["email"] == new_email and moved["name"] == "Updated Name"
    assert await h.call("get_user_by_email", user["email"]) is None
    assert (await h.call("get_user_by_email", new_email))["id"] == user["id"]
    with pytest.raises(Exception):  # noqa: B017
        await h.call("update_user", {"id": user["id"], "email": other["email"]})
    assert (await h.call("get_user_by_email", other["email"]))["id"] == other["id"]
    assert (await h.call("get_user", user["id"]))["email"] == new_email


@check
async def sessions(h: Harness) -> None:
    user = await h.call("create_user", _user())
    session = _session(user["id"])
    assert await h.call("create_session", session) == session
    assert h.raw.session(session["session_token"]) == session
    assert await h.call("get_session_and_user", "invalid-token") is None
    assert await h.call("get_session_and_user", session["session_token"]) == {
        "session": session,
        "user": user,
    }
    later = _now() + timedelta(days=30)
    updated = await h.call(
        "update_session", {"session_token": session["session_token"], "expires": later}
    )
    assert updated == {**session, "expires": later}
    assert h.raw.session(session["session_token"])["expires"] == later  # type: ignore[index]
    assert await h.call("update_session", {"session_token": "nope", "expires": later}) is None
    deleted = await h.call("delete_session", session["session_token"])
    assert deleted == {**session, "expires": later}
    assert h.raw.session(session["session_token"]) is None
    assert await h.call("delete_session", session["session_token"]) is None


@check
async def session_for_missing_user_is_refused(h: Harness) -> None:
    with pytest.raises(Exception):  # noqa: B017
        await h.call("create_session", _session(str(uuid.uuid4())))


@check
async def accounts(h: Harness) -> None:
    user = await h.call("create_user", _user())
    account = _account(user["id"], provider_account_id="17841400000000001")  # 64-bit id
    await h.call("link_account", account)
    stored = h.raw.account("github", account["provider_account_id"])
    assert stored is not None
    assert {k: stored[k] for k in account} == account
    assert isinstance(stored["expires_at"], int)
    key = {"provider": "github", "provider_account_id": account["provider_account_id"]}
    assert await h.call("get_user_by_account", key) == user
    assert await h.call("get_user_by_account", {**key, "provider": "gitlab"}) is None
    assert await h.call("get_account", account["provider_account_id"], "github") is not None
    assert await h.call("get_account", account["provider_account_id"], "gitlab") is None
    with pytest.raises(Exception):  # noqa: B017 - one (provider, account id), one user
        await h.call("link_account", {**account, "user_id": user["id"]})
    with pytest.raises(Exception):  # noqa: B017
        await h.call("link_account", _account(str(uuid.uuid4())))
    await h.call("unlink_account", key)
    assert h.raw.account("github", account["provider_account_id"]) is None
    assert await h.call("get_user_by_account", key) is None


@check
async def account_without_tokens(h: Harness) -> None:
    user = await h.call("create_user", _user(email=None))
    account = {
        "user_id": user["id"],
        "type": "oauth",
        "provider": "instagram",
        "provider_account_id": "9007199254740993",  # past 2**53: must stay exact
        "access_token": "IGAA" + uuid.uuid4().hex,
        "expires_at": None,
    }
    await h.call("link_account", account)
    found = await h.call("get_account", "9007199254740993", "instagram")
    assert found["provider_account_id"] == "9007199254740993"
    assert found["expires_at"] is None
    assert found.get("refresh_token") is None


@check
async def verification_tokens(h: Harness) -> None:
    identifier = "info@example.com"
    hashed = hashlib.sha256(f"{uuid.uuid4()}anything".encode()).hexdigest()
    token = {"identifier": identifier, "token": hashed, "expires": _now() + timedelta(minutes=15)}
    assert await h.call("create_verification_token", token) == token
    assert h.raw.token(identifier, hashed) == token
    assert await h.call("use_verification_token", "invalid@identifier.com", hashed) is None
    assert await h.call("use_verification_token", identifier, "0" * 64) is None
    assert await h.call("use_verification_token", identifier, hashed) == token
    assert await h.call("use_verification_token", identifier, hashed) is None
    assert h.raw.token(identifier, hashed) is None


@check
async def verification_token_is_used_once_under_concurrency(h: Harness) -> None:
    token = {
        "identifier": "race@example.com",
        "token": uuid.uuid4().hex,
        "expires": _now() + timedelta(minutes=15),
    }
    await h.call("create_verification_token", token)
    results = await h.together(
        "use_verification_token", [(token["identifier"], token["token"])] * 8
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert [r for r in results if r is not None] == [token]


@check
async def delete_user_cascades(h: Harness) -> None:
    user = await h.call("create_user", _user())
    keep = await h.call("create_user", _user())
    sessions = [_session(user["id"]) for _ in range(3)]
    for s in sessions:
        await h.call("create_session", s)
    kept_session = _session(keep["id"])
    await h.call("create_session", kept_session)
    accounts = [_account(user["id"]) for _ in range(2)]
    for a in accounts:
        await h.call("link_account", a)
    authenticator = _authenticator(user["id"])
    await h.call("create_authenticator", authenticator)
    deleted = await h.call("delete_user", user["id"])
    assert deleted is None or deleted["id"] == user["id"]
    assert h.raw.user(user["id"]) is None
    assert all(h.raw.session(s["session_token"]) is None for s in sessions)
    assert all(h.raw.account("github", a["provider_account_id"]) is None for a in accounts)
    assert h.raw.authenticator(authenticator["credential_id"]) is None
    assert await h.call("get_user_by_email", user["email"]) is None
    assert await h.call("get_session_and_user", sessions[0]["session_token"]) is None
    assert h.raw.session(kept_session["session_token"]) == kept_session
    assert await h.call("get_user", keep["id"]) == keep


@check
async def authenticators(h: Harness) -> None:
    one = await h.call("create_user", _user())
    two = await h.call("create_user", _user())
    a1, a2 = _authenticator(one["id"], "aaa=" + uuid.uuid4().hex), _authenticator(one["id"])
    b1 = _authenticator(two["id"])
    for a in (a1, a2, b1):
        assert await h.call("create_authenticator", a) == a
    assert h.raw.authenticator(a1["credential_id"]) == a1
    with pytest.raises(Exception):  # noqa: B017
        await h.call("create_authenticator", a1)
    assert await h.call("get_authenticator", a1["credential_id"]) == a1
    assert await h.call("get_authenticator", "unknown") is None
    assert await h.call("list_authenticators_by_user_id", str(uuid.uuid4())) == []
    listed = await h.call("list_authenticators_by_user_id", one["id"])
    assert sorted(listed, key=lambda a: a["credential_id"]) == sorted(
        [a1, a2], key=lambda a: a["credential_id"]
    )
    assert await h.call("list_authenticators_by_user_id", two["id"]) == [b1]
    bumped = await h.call("update_authenticator_counter", a1["credential_id"], 5)
    assert bumped == {**a1, "counter": 5}
    assert h.raw.authenticator(a1["credential_id"])["counter"] == 5  # type: ignore[index]
    with pytest.raises(Exception):  # noqa: B017
        await h.call("update_authenticator_counter", "unknown", 2)


@check
async def unknown_user_fields_do_not_crash(h: Harness) -> None:
    user = _user(role="admin", nested={"x": 1})
    created = await h.call("create_user", user)
    assert created["id"] == user["id"]
    assert (await h.call("get_user", user["id"]))["email"] == user["email"]
