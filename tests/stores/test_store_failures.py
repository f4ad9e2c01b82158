"""Bad stores and bad configs: a clear start-up error or a clean error page, nothing
half-written (also after a real lock timeout on PostgreSQL mid sign-in), no token in a log;
two simultaneous first sign-ins leave one user (memory store and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from authcore import ConfigError, validate_config
from authcore.stores import AdapterAccount, ProviderAccountKey, SessionAndUser
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from authcore.stores.sqlalchemy import SQLAlchemyStore
from authcore.testing import MockIdP
from tests.support.security import RecordingLogger, assert_no_traceback
from tests.support.stores import (
    BASE,
    ORIGIN,
    SESSION,
    Browser,
    make_config,
    postgres_schema,
    postgres_url,
)

CONFIGURATION = f"{BASE}/error?error=Configuration"


class OnlySessions:
    def get_session_and_user(self, token: str) -> None:
        return None

    def create_session(self, session: Any) -> Any:
        return session


@pytest.mark.parametrize(
    ("store", "extra", "error_type", "words"),
    [
        (None, {"session": {"strategy": "database"}}, "MissingAdapter", ["Database session"]),
        (
            OnlySessions(),
            {},
            "MissingAdapterMethods",
            ["create_user", "get_user_by_account", "link_account", "update_session"],
        ),
        (
            OnlySessions(),
            {"session": {"strategy": "jwt"}},
            "MissingAdapterMethods",
            ["create_user", "get_user_by_email"],
        ),
        (MemoryStore, {}, "Configuration", ["MemoryStore(...)"]),
        (MemoryStore(), {"session": {"strategy": "cookie"}}, "UnsupportedStrategy", ["'database'"]),
    ],
)
def test_store_problems_are_start_up_errors(
    mock_idp: MockIdP, store: Any, extra: dict[str, Any], error_type: str, words: list[str]
) -> None:
    config = make_config(mock_idp, store, **extra)
    with pytest.raises(ConfigError) as info:
        validate_config(config)
    assert info.value.type == error_type
    for word in words:
        assert word in str(info.value)


def test_missing_method_list_skips_what_is_there(mock_idp: MockIdP) -> None:
    with pytest.raises(ConfigError) as info:
        validate_config(make_config(mock_idp, OnlySessions()))
    assert "get_session_and_user" not in str(info.value)


class Exploding(MemoryStore):
    """A store whose driver error quotes the statement's parameters, tokens included."""

    def __init__(self, method: str) -> None:
        super().__init__()
        self.method = method
        self.leaked: list[str] = []

    def _boom(self, *args: Any) -> None:
        text = repr(args)
        self.leaked.append(text)
        raise RuntimeError(f"database error with parameters {text}")

    def __getattribute__(self, name: str) -> Any:
        if name != "method" and name == object.__getattribute__(self, "method"):
            return object.__getattribute__(self, "_boom")
        return object.__getattribute__(self, name)


@pytest.mark.parametrize("method", ["get_user_by_account", "create_user", "create_session"])
def test_store_failure_in_the_callback_is_a_clean_error_page(
    mock_idp: MockIdP, method: str
) -> None:
    store, logger = Exploding(method), RecordingLogger()
    browser = Browser(make_config(mock_idp, store, logger=logger, debug=True))
    res = browser.oauth("github")
    assert_no_traceback(res)
    assert res.location == CONFIGURATION
    assert "AdapterError" in logger.types()
    assert any(method in str(e) for e in logger.errors)
    text = logger.text()
    for leaked in store.leaked:
        assert leaked not in text
    if method == "create_session":  # the user and account stand; the next sign-in works
        assert len(store._users) == 1 and len(store._accounts) == 1


def test_debug_log_names_store_calls_without_their_values(mock_idp: MockIdP) -> None:
    store, logger = MemoryStore(), RecordingLogger()
    browser = Browser(make_config(mock_idp, store, logger=logger, debug=True))
    browser.oauth("github")
    browser.session()
    names = [m for m, _ in logger.debugs if m.startswith("adapter_")]
    assert "adapter_create_user" in names and "adapter_get_session_and_user" in names
    token = browser.jar[SESSION]
    (account,) = store._accounts.values()
    text = logger.text()
    for secret in (token, account["access_token"], "octo@example.com"):
        assert secret not in text


class WrongShape(MemoryStore):
    def get_user_by_account(self, key: ProviderAccountKey) -> Any:
        return "not a user"


class NaiveSessions(MemoryStore):
    def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        found = super().get_session_and_user(session_token)
        if found is not None:
            naive = found["session"]["expires"].replace(tzinfo=None)
            found["session"]["expires"] = naive
        return found


def test_wrong_shape_from_the_store_is_an_adapter_error(mock_idp: MockIdP) -> None:
    logger = RecordingLogger()
    res = Browser(make_config(mock_idp, WrongShape(), logger=logger)).oauth("github")
    assert res.location == CONFIGURATION
    assert "wrong shape" in str(logger.errors[-1])


def test_failing_session_read_answers_null_and_keeps_the_cookie(mock_idp: MockIdP) -> None:
    logger = RecordingLogger()
    store = NaiveSessions()
    browser = Browser(make_config(mock_idp, store, logger=logger))
    browser.oauth("github")
    token = browser.jar[SESSION]
    res = browser.call("GET", "/session")
    assert res.status == 200 and res.json() is None
    assert not any(c.startswith(SESSION + "=") for c in res.set_cookies)  # kept
    assert logger.types()[-1] == "SessionTokenError"
    assert token not in logger.text()


class LinkFails(MemoryStore):
    def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        raise RuntimeError("connection lost")


def test_failed_link_leaves_no_orphan_user(mock_idp: MockIdP) -> None:
    store = LinkFails()
    res = Browser(make_config(mock_idp, store)).oauth("github")
    assert res.location == CONFIGURATION
    assert not store._users and not store._sessions


class _Racing:
    """Holds both callbacks after their account lookups found nothing, so both go on to
    create a user: the race of two first sign-ins, made certain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.barrier = threading.Barrier(2, timeout=20)
        self.local = threading.local()

    def get_user_by_account(self, key: ProviderAccountKey) -> Any:
        found = super().get_user_by_account(key)  # type: ignore[misc]
        calls = getattr(self.local, "calls", 0) + 1
        self.local.calls = calls
        if calls == 2 and found is None:  # the lookup inside the sign-in proper
            self.barrier.wait()
        return found


class Racing(_Racing, MemoryStore):
    def counts(self) -> tuple[int, int, int]:
        return len(self._users), len(self._accounts), len(self._sessions)


class RacingSQL(_Racing, SQLAlchemyStore):
    """The same race on PostgreSQL: the unique indexes decide, each method its own
    transaction."""

    def counts(self) -> tuple[int, int, int]:
        t = self.tables
        with self.engine.connect() as conn:
            n = [
                conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in (t.user, t.account, t.session)
            ]
        return n[0], n[1], n[2]


@pytest.fixture(params=["memory", "postgres"])
def racing(request: pytest.FixtureRequest) -> Iterator[Racing | RacingSQL]:
    if request.param == "memory":
        yield Racing()
        return
    with postgres_schema() as schema:
        store = RacingSQL(postgres_url("psycopg"), schema=schema)
        store.create_all()
        try:
            yield store
        finally:
            store.close()


@pytest.mark.parametrize("provider", ["instagram", "github"])
def test_simultaneous_first_sign_ins_make_one_user_and_one_account(
    mock_idp: MockIdP, provider: str, racing: Racing | RacingSQL
) -> None:
    store = racing
    config = make_config(mock_idp, store)
    browsers = [Browser(config), Browser(config)]
    with httpx.Client() as client:
        paths = [b.start_oauth(client, provider) for b in browsers]
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda bp: bp[0].call("GET", bp[1]), zip(browsers, paths, strict=True))
        )
    users, accounts, sessions = store.counts()
    assert (users, accounts) == (1, 1)
    # The loser of an email race may find the winner's user before its account: a clean
    # refusal (or Configuration), never a second user.
    allowed = (CONFIGURATION, f"{BASE}/signin?error=OAuthAccountNotLinked", ORIGIN)
    for res in results:
        assert_no_traceback(res)
        assert res.location in allowed
    assert any(r.location == ORIGIN for r in results)
    if provider == "instagram":  # no email: the loser's user is removed, it signs in as the winner
        assert all(r.location == ORIGIN for r in results)
        assert sessions == 2


def test_async_store_in_the_async_driver(mock_idp: MockIdP) -> None:
    """`Auth()` (the async driver) awaits an async store's coroutines on its own loop."""
    import asyncio

    from authcore import Auth, Request

    store = AsyncMemoryStore()
    config = make_config(mock_idp, store)
    Browser(config).oauth("github")
    (token,) = store.sync._sessions

    async def read() -> Any:
        req = Request("GET", f"{BASE}/session", {"cookie": f"{SESSION}={token}"})
        return (await Auth(req, config)).json()

    assert asyncio.run(read())["user"]["email"] == "octo@example.com"


def test_store_timeout_mid_sign_in_leaves_no_half_user(mock_idp: MockIdP) -> None:
    """A real timeout on PostgreSQL between `create_user` and `link_account`: another
    transaction holds an uncommitted account row with the same provider key, so the link
    waits on the unique index until `lock_timeout`. The sign-in ends on the error page and
    the user it had just created is gone."""
    with postgres_schema() as schema:
        store = SQLAlchemyStore(
            postgres_url("psycopg"), schema=schema, connect_args={"options": "-c lock_timeout=300"}
        )
        store.create_all()
        t = store.tables
        try:
            with store.engine.connect() as blocker:
                held = blocker.begin()
                blocker.execute(sa.insert(t.user).values(id="other", email=None))
                blocker.execute(
                    sa.insert(t.account).values(
                        user_id="other", type="oauth", provider="github", provider_account_id="1234"
                    )
                )
                res = Browser(make_config(mock_idp, store)).oauth("github")
                held.rollback()
            assert_no_traceback(res)
            assert res.location == CONFIGURATION
            with store.engine.connect() as conn:
                counts = [
                    conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                    for table in (t.user, t.account, t.session)
                ]
            assert counts == [0, 0, 0]
            # the same sign-in once the other transaction is gone
            assert Browser(make_config(mock_idp, store)).oauth("github").location == ORIGIN
            assert store.get_user_by_email("octo@example.com") is not None
        finally:
            store.close()
