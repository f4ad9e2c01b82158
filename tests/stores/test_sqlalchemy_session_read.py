"""`get_session_and_user` runs on the DBAPI connection (one autocommit SELECT): it must
still map every column type, leave pooled connections as SQLAlchemy expects them, and fail
as SQLAlchemy does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from authcore.stores.sqlalchemy import SQLAlchemyStore
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
