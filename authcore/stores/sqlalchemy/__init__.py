"""A SQL store on SQLAlchemy 2 Core: SQLite by default, PostgreSQL, MariaDB/MySQL.

    from authcore.stores.sqlalchemy import SQLAlchemyStore

    store = SQLAlchemyStore("sqlite:///authcore.db")
    store.create_all()
    config = {"adapter": store, ...}

Install with `pip install authcore[sqlalchemy]` (SQLite), `[postgres]` or `[mysql]`. The
tables follow Auth.js's Prisma/Kysely layout, so a Next.js app using `@auth/kysely-adapter`
(or Prisma with a nullable email) can share the database. `schema/postgresql.sql` and
`schema/sqlite.sql` hold the same DDL for those who create tables by hand; the Alembic
migration lives in `authcore.stores.sqlalchemy.migrations`.
"""

from __future__ import annotations

from ._engine import StoreURLError
from ._schema import StoreSchemaError
from ._store import DEFAULT_URL, AsyncSQLAlchemyStore, SQLAlchemyStore
from ._tables import DEFAULT_NAMES, UTCDateTime, build_tables

__all__ = [
    "DEFAULT_NAMES",
    "DEFAULT_URL",
    "AsyncSQLAlchemyStore",
    "SQLAlchemyStore",
    "StoreSchemaError",
    "StoreURLError",
    "UTCDateTime",
    "build_tables",
]
