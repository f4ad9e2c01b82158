"""Passkeys end to end through `Auth()`: register (a new user), sign out, sign in with the
same passkey, for the JWT and database session strategies, on the memory store, on
SQLAlchemy (SQLite file and PostgreSQL) and on Redis. The rows use Auth.js's encoding."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authcore.providers.passkey import Passkey
from authcore.stores.memory import MemoryStore
from authcore.stores.redis import RedisStore
from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.security import SECRET
from tests.support.services import service_url
from tests.support.stores import postgres_schema, postgres_url
from tests.support.webauthn import AsyncPasskeyBrowser, PasskeyBrowser, SoftwareAuthenticator

pytestmark = pytest.mark.e2e


def config(store: Any, strategy: str) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "env": {},
        "trust_host": True,
        "adapter": store,
        "session": {"strategy": strategy},
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey()],
    }


@pytest.fixture(params=["memory", "sqlite", "postgres", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
    elif request.param == "sqlite":
        sql = SQLAlchemyStore(f"sqlite:///{tmp_path / 'app.db'}")
        sql.create_all()
        yield sql
        sql.close()
    elif request.param == "redis":
        import redis

        prefix = f"authcore-passkey-test:{uuid.uuid4().hex}:"
        red = RedisStore.from_url(service_url("REDIS"), prefix=prefix)
        yield red
        red.close()
        client = redis.Redis.from_url(service_url("REDIS"))
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
    else:
        with postgres_schema() as schema:
            sql = SQLAlchemyStore(postgres_url(), schema=schema)
            sql.create_all()
            yield sql
            sql.close()


@pytest.mark.parametrize("strategy", ["jwt", "database"])
def test_register_sign_out_and_sign_in_again(store: Any, strategy: str) -> None:
    cfg = config(store, strategy)
    browser = PasskeyBrowser(cfg)
    key = SoftwareAuthenticator()

    done = browser.register(key, "Zoe@Example.com")
    assert done.status == 302, done.body[:300]
    assert done.location is not None and "error" not in done.location
    session = browser.session()
    assert session["user"]["email"] == "zoe@example.com"

    user = store.get_user_by_email("zoe@example.com")
    assert user is not None and session["user"].get("id", user["id"]) == user["id"]
    credential_id = base64.b64encode(key.credential_id).decode()
    stored = store.get_authenticator(credential_id)
    assert stored is not None
    assert stored["user_id"] == user["id"]
    assert stored["provider_account_id"] == credential_id
    assert stored["credential_public_key"] == base64.b64encode(key.cose_key()).decode()
    assert stored["counter"] == 0
    assert stored["transports"] == "internal,hybrid"
    assert stored["credential_device_type"] == "multiDevice"
    assert stored["credential_backed_up"] is True
    account = store.get_account(credential_id, "passkey")
    assert account is not None and account["type"] == "webauthn"
    assert account["user_id"] == user["id"]

    browser.sign_out()
    assert browser.session() is None

    again = browser.authenticate(key)
    assert again.status == 302 and again.location is not None
    assert "error" not in again.location, again.location
    assert browser.session()["user"]["email"] == "zoe@example.com"
    assert store.get_authenticator(credential_id)["counter"] == 1

    # A second sign-in, through the options that name the user (allowCredentials).
    browser.sign_out()
    options = browser.options("authenticate", "zoe@example.com").json()["options"]
    assert [c["id"] for c in options["allowCredentials"]] == [
        base64.urlsafe_b64encode(key.credential_id).decode().rstrip("=")
    ]
    assert browser.authenticate(key, "zoe@example.com").status == 302
    assert browser.session()["user"]["email"] == "zoe@example.com"
    assert store.get_authenticator(credential_id)["counter"] == 2
    if strategy == "database":
        assert browser.jar["__Secure-authjs.session-token"] != ""


def test_a_signed_in_user_adds_a_second_passkey(tmp_path: Path) -> None:
    store = MemoryStore()
    browser = PasskeyBrowser(config(store, "jwt"))
    first, second = SoftwareAuthenticator(), SoftwareAuthenticator()
    assert browser.register(first, "amy@example.com").status == 302
    amy = store.get_user_by_email("amy@example.com")
    assert amy is not None
    store.update_user({"id": amy["id"], "name": "Amy " * 1000})  # the cookie must not carry it
    res = browser.options("register")
    body = res.json()
    assert body["action"] == "register"
    excluded = body["options"]["excludeCredentials"]
    assert [c["id"] for c in excluded] == [
        base64.urlsafe_b64encode(first.credential_id).decode().rstrip("=")
    ]
    assert body["options"]["user"]["id"].startswith("ac1.")
    done = browser.post("register", second.create(body["options"]))
    assert done.status == 302 and "error" not in (done.location or "")
    user = store.get_user_by_email("amy@example.com")
    assert user is not None
    assert len(store.list_authenticators_by_user_id(user["id"])) == 2
    browser.sign_out()
    assert browser.authenticate(second).status == 302
    assert browser.session()["user"]["email"] == "amy@example.com"


@pytest.mark.parametrize("strategy", ["jwt", "database"])
def test_the_async_auth_with_an_async_store(tmp_path: Path, strategy: str) -> None:
    async def run() -> None:
        store = AsyncSQLAlchemyStore(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
        await store.create_all()
        try:
            browser = AsyncPasskeyBrowser(config(store, strategy))
            key = SoftwareAuthenticator()
            done = await browser.ceremony(key, "email=lea%40example.com")
            assert done.status == 302 and "error" not in (done.location or "")
            assert (await browser.session())["user"]["email"] == "lea@example.com"
            browser.jar.clear()
            assert await browser.session() is None
            again = await browser.ceremony(key, "action=authenticate")
            assert again.status == 302 and "error" not in (again.location or "")
            assert (await browser.session())["user"]["email"] == "lea@example.com"
            stored = await store.get_authenticator(base64.b64encode(key.credential_id).decode())
            assert stored is not None and stored["counter"] == 1
        finally:
            await store.close()

    asyncio.run(run())
