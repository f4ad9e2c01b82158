"""`get_session_and_user` runs on the DBAPI connection (one autocommit SELECT, no
transaction, in the sync and the async store): it must still map every column type, honour
the engine's `schema_translate_map`, leave pooled connections as SQLAlchemy expects them, and
fail as SQLAlchemy does."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.stores import postgres_schema, postgres_url

WHEN = datetime(2026, 1, 31, 12, 0, 0, 123000, tzinfo=timezone.utc)


@pytest.fixture
def pg_store() -> Iterator[SQLAlchemyStore]:
    with postgres_schema() as schema:
        store = SQLAlchemyStore(postgres_url(), schema=schema, pool_size=1, max_overflow=0)
        store.create_all()
        yield store
        store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLAlchemyStore]:
    store = SQLAlchemyStore(f"sqlite:///{tmp_path / 'authcore.db'}")
    store.create_all()
    yield store
    store.close()


def _seed(store: SQLAlchemyStore, user_id: str = "9007199254740993") -> None:
    store.create_user({"id": user_id, "email": None, "email_verified": WHEN, "name": "Zoë"})
    store.create_session({"session_token": "tok", "user_id": user_id, "expires": WHEN})


@pytest.mark.parametrize("which", ["sqlite_store", "pg_store"])
def test_the_read_maps_dates_nulls_and_ids(which: str, request: pytest.FixtureRequest) -> None:
    store: SQLAlchemyStore = request.getfixturevalue(which)
    _seed(store)
    found = store.get_session_and_user("tok")
    assert found is not None
    assert found["session"] == {
        "session_token": "tok",
        "user_id": "9007199254740993",
        "expires": WHEN,
    }
    assert found["user"]["id"] == "9007199254740993"
    assert found["user"]["email"] is None and found["user"]["name"] == "Zoë"
    assert found["user"]["email_verified"] == WHEN
    assert found["user"]["email_verified"].tzinfo is not None
    assert store.get_session_and_user("no-such-token") is None


def test_postgres_connection_goes_back_transactional(pg_store: SQLAlchemyStore) -> None:
    """The read switches psycopg to autocommit for one statement; the single pooled
    connection must come back out of it, or later multi-step writes would not be atomic."""
    _seed(pg_store)
    assert pg_store.get_session_and_user("tok") is not None
    with pg_store.engine.connect() as conn:
        assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
    later = WHEN + timedelta(days=1)
    assert pg_store.update_session({"session_token": "tok", "expires": later}) is not None
    again = pg_store.get_session_and_user("tok")
    assert again is not None and again["session"]["expires"] == later


def test_a_missing_table_fails_as_sqlalchemy_does(sqlite_store: SQLAlchemyStore) -> None:
    with sqlite_store.engine.begin() as conn:
        conn.exec_driver_sql('DROP TABLE "Session"')
    with pytest.raises(sa.exc.OperationalError):
        sqlite_store.get_session_and_user("tok")
    # the pooled connection is still usable afterwards
    assert sqlite_store.get_user("nobody") is None


def test_a_dropped_postgres_connection_is_replaced(pg_store: SQLAlchemyStore) -> None:
    _seed(pg_store)
    with pg_store.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    admin = sa.create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    with pytest.raises(sa.exc.DBAPIError) as info:
        pg_store.get_session_and_user("tok")
    assert info.value.connection_invalidated
    assert pg_store.get_session_and_user("tok") is not None


def _begins(engine: sa.Engine) -> list[str]:
    """Every transaction SQLAlchemy begins, every statement it runs and every pool
    rollback-on-return on `engine`."""
    seen: list[str] = []
    sa.event.listen(engine, "begin", lambda conn: seen.append("BEGIN"))
    sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(str(a[2])))

    def reset(_dbapi: Any, _record: Any, state: Any) -> None:
        if not state.transaction_was_reset:
            seen.append("rollback-on-return")

    sa.event.listen(engine.pool, "reset", reset)
    return seen


@pytest.mark.parametrize("which", ["sqlite_store", "pg_store"])
def test_the_read_opens_no_transaction(which: str, request: pytest.FixtureRequest) -> None:
    store: SQLAlchemyStore = request.getfixturevalue(which)
    _seed(store)
    seen = _begins(store.engine)
    assert store.get_session_and_user("tok") is not None
    assert store.get_session_and_user("tok") is not None
    assert seen == []
    # a write afterwards is still one transaction of its own
    assert store.update_session({"session_token": "tok", "expires": WHEN}) is not None
    assert "BEGIN" in seen


@pytest.mark.parametrize("driver", ["aiosqlite", "psycopg", "asyncpg"])
def test_the_async_read_maps_the_row_without_a_transaction(driver: str, tmp_path: Path) -> None:
    async def scenario(url: str, schema: str | None) -> None:
        store = AsyncSQLAlchemyStore(url, schema=schema)
        await store.create_all()
        await store.create_user(
            {"id": "9007199254740993", "email": None, "email_verified": WHEN, "name": "Zoë"}
        )
        await store.create_session(
            {"session_token": "tok", "user_id": "9007199254740993", "expires": WHEN}
        )
        seen = _begins(store.engine.sync_engine)
        found: Any = await store.get_session_and_user("tok")
        assert found == {
            "session": {"session_token": "tok", "user_id": "9007199254740993", "expires": WHEN},
            "user": {
                "id": "9007199254740993",
                "name": "Zoë",
                "email": None,
                "email_verified": WHEN,
                "image": None,
            },
        }
        assert await store.get_session_and_user("nope") is None
        assert seen == []
        # the pooled connection (back out of autocommit) still serves a write and a new read
        later = WHEN + timedelta(days=1)
        assert await store.update_session({"session_token": "tok", "expires": later})
        again = await store.get_session_and_user("tok")
        assert again is not None and again["session"]["expires"] == later
        await store.close()

    if driver == "aiosqlite":
        asyncio.run(scenario(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", None))
        return
    with postgres_schema() as schema:
        asyncio.run(scenario(postgres_url(driver), schema))


def test_the_read_honours_schema_translate_map() -> None:
    """Tables placed by the engine's `schema_translate_map` (not by `schema=`): the
    precompiled read must name the same schema as every other statement."""
    with postgres_schema() as schema:
        engine = sa.create_engine(
            postgres_url("psycopg"), execution_options={"schema_translate_map": {None: schema}}
        )
        store = SQLAlchemyStore(engine=engine)
        store.create_all()
        _seed(store)
        found = store.get_session_and_user("tok")
        assert found is not None and found["user"]["name"] == "Zoë"
        with engine.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %(s)s",
                {"s": schema},
            ).scalar()
        assert tables == 5
        engine.dispose()
