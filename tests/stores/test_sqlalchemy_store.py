"""The SQLAlchemy store beyond the contract: its SQLite date format, the shipped DDL, the
schema check, URLs, and sign-ins through the core on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from authcore.stores.sqlalchemy import (
    AsyncSQLAlchemyStore,
    SQLAlchemyStore,
    StoreSchemaError,
    StoreURLError,
)
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


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'authcore.db'}"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    with postgres_schema() as schema:
        yield schema


def test_sqlite_dates_are_stored_as_kysely_stores_them(sqlite_url: str, tmp_path: Path) -> None:
    store = SQLAlchemyStore(sqlite_url)
    store.create_all()
    when = datetime(2026, 1, 31, 12, 0, 0, 123456, tzinfo=timezone.utc)
    store.create_user({"id": "u1", "email": "a@example.com", "email_verified": when})
    store.close()
    raw = sqlite3.connect(tmp_path / "authcore.db").execute(
        'SELECT "emailVerified" FROM "User" WHERE id = ?', ("u1",)
    )
    assert raw.fetchone() == ("2026-01-31T12:00:00.123Z",)  # JavaScript's toISOString()
    again = SQLAlchemyStore(sqlite_url).get_user("u1")
    assert again is not None
    assert again["email_verified"] == when.replace(microsecond=123000)


def test_naive_datetimes_are_refused(sqlite_url: str) -> None:
    store = SQLAlchemyStore(sqlite_url)
    store.create_all()
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"):
        store.create_user({"id": "u1", "email": None, "email_verified": datetime(2026, 1, 1)})
    assert store.get_user("u1") is None


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_shipped_ddl_makes_the_same_schema(dialect: str, sqlite_url: str) -> None:
    ddl = resources.files("authcore.stores.sqlalchemy").joinpath(f"schema/{dialect}.sql")
    statements = [s for s in ddl.read_text().split(";") if s.strip()]
    with postgres_schema() as schema:
        if dialect == "sqlite":
            engine = sa.create_engine(sqlite_url)
            store = SQLAlchemyStore(sqlite_url)
        else:
            engine = sa.create_engine(
                postgres_url("psycopg"), connect_args={"options": f"-csearch_path={schema}"}
            )
            store = SQLAlchemyStore(postgres_url(), schema=schema)
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        engine.dispose()
        store.check_schema()
        user = store.create_user({"id": "u1", "email": None, "email_verified": None})
        session = {
            "session_token": "t1",
            "user_id": user["id"],
            "expires": datetime(2030, 1, 1, tzinfo=timezone.utc),
        }
        store.create_session(session)  # type: ignore[arg-type]
        store.delete_user("u1")
        assert store.get_session_and_user("t1") is None
        store.close()


def test_missing_tables_are_named(sqlite_url: str) -> None:
    store = SQLAlchemyStore(sqlite_url, names={"Session": "sessions"})
    with pytest.raises(StoreSchemaError) as info:
        store.check_schema()
    message = str(info.value)
    assert "'sessions' is missing" in message and "'User' is missing" in message
    store.create_all()
    store.check_schema()
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql('ALTER TABLE "User" DROP COLUMN image')
    engine.dispose()
    with pytest.raises(StoreSchemaError, match=r"column User\.image is missing"):
        store.check_schema()


def test_renamed_tables_and_columns_are_used(sqlite_url: str, tmp_path: Path) -> None:
    names = {"User": "users", "User.emailVerified": "email_verified", "Session": "sessions"}
    store = SQLAlchemyStore(sqlite_url, names=names)
    store.create_all()
    store.create_user({"id": "u1", "email": "a@example.com", "email_verified": None})
    raw = sqlite3.connect(tmp_path / "authcore.db")
    assert raw.execute("SELECT id, email_verified FROM users").fetchall() == [("u1", None)]
    with pytest.raises(ValueError, match="Sesion"):
        SQLAlchemyStore(sqlite_url, names={"Sesion": "x"})


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "nosuchdb://user:hunter2@host/db",
        "postgresql+asyncpg://user:hunter2@host/db",
    ],
)
def test_bad_urls_are_clear_and_hide_the_password(url: str) -> None:
    with pytest.raises((StoreURLError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError)) as info:
        SQLAlchemyStore(url)
    assert "hunter2" not in str(info.value)


def test_async_store_refuses_a_blocking_driver() -> None:
    with pytest.raises(StoreURLError, match="blocking driver") as info:
        AsyncSQLAlchemyStore("postgresql+pg8000://u:hunter2@h/db")
    assert "hunter2" not in str(info.value)


def test_repr_hides_the_password() -> None:
    store = SQLAlchemyStore("postgresql://app:hunter2@127.0.0.1:1/db")
    assert "hunter2" not in repr(store)


def test_sign_in_on_sqlite_then_read_and_sign_out(mock_idp: MockIdP, sqlite_url: str) -> None:
    store = SQLAlchemyStore(sqlite_url)
    store.create_all()
    browser = Browser(make_config(mock_idp, store))
    assert browser.oauth("instagram").location == ORIGIN
    token = browser.jar[SESSION]
    assert browser.session()["user"]["name"] == "Mock Business"
    app_scoped_id = str(mock_idp.instagram_user.app_scoped_id)
    user = store.get_user_by_account(
        {"provider": "instagram", "provider_account_id": app_scoped_id}
    )
    assert user is not None and user["email"] is None
    browser.sign_out()
    assert store.get_session_and_user(token) is None


def test_sign_in_with_the_async_store_on_postgres(mock_idp: MockIdP, pg_schema: str) -> None:
    """Through Starlette (the async driver) on asyncpg: the store lives on the app's loop."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from authcore.adapters.starlette import StarletteAuth

    store = AsyncSQLAlchemyStore(postgres_url("asyncpg"), schema=pg_schema)
    config = make_config(mock_idp, store, trust_host=True)
    auth = StarletteAuth(config)
    app = Starlette(routes=auth.routes)
    with TestClient(app, base_url=ORIGIN) as client:
        client.portal.call(store.create_all)
        csrf = client.get("/api/auth/csrf").json()["csrfToken"]
        start = client.post(
            "/api/auth/signin/github", data={"csrfToken": csrf}, follow_redirects=False
        )
        import httpx

        idp = httpx.get(start.headers["location"], follow_redirects=False)
        back = idp.headers["location"]
        done = client.get(back.replace(ORIGIN, ""), follow_redirects=False)
        assert done.status_code == 302 and done.headers["location"] == ORIGIN
        session = client.get("/api/auth/session").json()
        assert session["user"]["email"] == "octo@example.com"
        client.portal.call(store.close)


def test_missing_table_at_sign_in_is_a_clean_error_page(mock_idp: MockIdP, sqlite_url: str) -> None:
    logger = RecordingLogger()
    store = SQLAlchemyStore(sqlite_url)  # create_all() forgotten
    res = Browser(make_config(mock_idp, store, logger=logger)).oauth("github")
    assert_no_traceback(res)
    assert res.location == f"{BASE}/error?error=Configuration"
    assert "OperationalError" in str(logger.errors[-1])


def test_async_store_checks_and_creates_its_schema(sqlite_url: str) -> None:
    import asyncio

    async def main() -> None:
        store = AsyncSQLAlchemyStore(sqlite_url)
        try:
            with pytest.raises(StoreSchemaError, match="'User' is missing"):
                await store.check_schema()
            await store.create_all()
            await store.check_schema()
            await store.create_user({"id": "u1", "email": None, "email_verified": None})
            assert await store.purge_expired() == 0
        finally:
            await store.close()

    asyncio.run(main())
