"""The SQLAlchemy store against the conformance suite on real databases: SQLite (file),
PostgreSQL (psycopg 3 sync and async, asyncpg) and MariaDB (PyMySQL, aiomysql)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from authcore.testing import PurgeConformance, StoreConformance, WebAuthnConformance
from tests.support.stores import mariadb_database, postgres_schema, postgres_url


class _Sync(StoreConformance, PurgeConformance, WebAuthnConformance):
    url: ClassVar[str]
    schema: ClassVar[str | None] = None

    def make_store(self) -> SQLAlchemyStore:
        store = SQLAlchemyStore(self.url, schema=self.schema)
        store.create_all()
        return store


class _Async(StoreConformance, PurgeConformance, WebAuthnConformance):
    url: ClassVar[str]
    schema: ClassVar[str | None] = None

    async def make_store(self) -> AsyncSQLAlchemyStore:
        store = AsyncSQLAlchemyStore(self.url, schema=self.schema)
        await store.create_all()
        return store


@pytest.fixture(scope="class")
def sqlite_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    path: Path = tmp_path_factory.mktemp("sqlite") / "authcore.db"
    request.cls.url = f"sqlite:///{path}"


@pytest.fixture(scope="class")
def pg_schema(request: pytest.FixtureRequest) -> Iterator[None]:
    with postgres_schema() as schema:
        request.cls.schema = schema
        yield


@pytest.fixture(scope="class")
def mariadb(request: pytest.FixtureRequest) -> Iterator[None]:
    with mariadb_database() as url:
        request.cls.url = url
        yield


@pytest.mark.usefixtures("sqlite_file")
class TestSQLiteSync(_Sync):
    pass


@pytest.mark.usefixtures("sqlite_file")
class TestSQLiteAsync(_Async):
    pass


@pytest.mark.usefixtures("pg_schema")
class TestPostgresPsycopg(_Sync):
    url = postgres_url()


@pytest.mark.usefixtures("pg_schema")
class TestPostgresPsycopgAsync(_Async):
    url = postgres_url("psycopg")


@pytest.mark.usefixtures("pg_schema")
class TestPostgresAsyncpg(_Async):
    url = postgres_url("asyncpg")


@pytest.mark.usefixtures("mariadb")
class TestMariaDB(_Sync):
    pass


@pytest.mark.usefixtures("mariadb")
class TestMariaDBAsync(_Async):
    pass
