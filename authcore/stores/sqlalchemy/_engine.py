"""Engines for the store: driver choice per URL, SQLite's pragmas and locking, and a URL
that never shows its password in an error."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

__all__ = ["StoreURLError", "async_url", "safe_url", "sqlite_setup", "sync_url"]


class StoreURLError(ValueError):
    """The database URL cannot be used (its password is never part of the message)."""


_SYNC_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
_ASYNC_DRIVERS = {
    "sqlite": "aiosqlite",
    "postgresql": "psycopg",
    "mysql": "aiomysql",
    "mariadb": "aiomysql",
}
_ASYNC_OK = {"aiosqlite", "psycopg", "asyncpg", "aiomysql", "asyncmy"}


def _parse(url: str | URL) -> URL:
    try:
        return make_url(url)
    except Exception:
        raise StoreURLError(
            "not a database URL (expected e.g. sqlite:///authcore.db or "
            "postgresql+psycopg://user:password@host/dbname)"
        ) from None


def safe_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _mysql_charset(url: URL) -> URL:
    if url.get_backend_name() in ("mysql", "mariadb") and "charset" not in url.query:
        return url.update_query_dict({"charset": "utf8mb4"})
    return url


def sync_url(url: str | URL) -> URL:
    parsed = _parse(url)
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if "+" not in parsed.drivername and backend in _SYNC_DRIVERS:
        parsed = parsed.set(drivername=f"{backend}+{_SYNC_DRIVERS[backend]}")
    elif driver in _ASYNC_OK - {"psycopg"}:
        raise StoreURLError(f"{safe_url(parsed)} names an async driver: use AsyncSQLAlchemyStore")
    return _mysql_charset(parsed)


def async_url(url: str | URL) -> URL:
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if "+" not in parsed.drivername or parsed.get_driver_name() in ("pysqlite", "pymysql"):
        if backend not in _ASYNC_DRIVERS:
            raise StoreURLError(f"no async driver known for {safe_url(parsed)}")
        parsed = parsed.set(drivername=f"{backend}+{_ASYNC_DRIVERS[backend]}")
    elif parsed.get_driver_name() not in _ASYNC_OK:
        raise StoreURLError(f"{safe_url(parsed)} names a blocking driver: use SQLAlchemyStore")
    return _mysql_charset(parsed)


def sqlite_setup(engine: sa.Engine) -> None:
    """Foreign keys on (SQLite has them off per connection: no cascade otherwise), and
    `BEGIN IMMEDIATE` for a transaction that may write: it takes the write lock up front, so
    two writers queue (busy timeout) instead of deadlocking on a lock upgrade. Reads take a
    plain `BEGIN` and run beside each other."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver's own BEGIN is off
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        read = connection.get_execution_options().get("authcore_read", False)
        connection.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")
