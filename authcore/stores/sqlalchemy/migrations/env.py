"""Alembic environment of authcore's tables (see `authcore.stores.sqlalchemy.migrations`).

Its version table is `authcore_alembic_version`, so it lives beside an app's own migrations.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from authcore.stores.sqlalchemy import build_tables
from authcore.stores.sqlalchemy._engine import sync_url

VERSION_TABLE = "authcore_alembic_version"

config = context.config
schema = config.get_main_option("authcore_schema") or None
url = config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("set sqlalchemy.url (authcore.stores.sqlalchemy.migrations.alembic_config)")
engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=build_tables(schema=schema).metadata,
        version_table=VERSION_TABLE,
        version_table_schema=schema,
    )
    with context.begin_transaction():
        context.run_migrations(authcore_schema=schema)
engine.dispose()
