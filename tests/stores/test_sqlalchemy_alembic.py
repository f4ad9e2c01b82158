"""The Alembic migration makes the same tables as `create_all()`, on SQLite and in a
PostgreSQL schema, and its downgrade removes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command

from authcore.stores.sqlalchemy import SQLAlchemyStore, StoreSchemaError
from authcore.stores.sqlalchemy.migrations import alembic_config
from tests.support.stores import postgres_schema, postgres_url


def _round_trip(url: str, schema: str | None) -> None:
    config = alembic_config(url, schema=schema)
    store = SQLAlchemyStore(url, schema=schema)
    with pytest.raises(StoreSchemaError):
        store.check_schema()
    command.upgrade(config, "head")
    store.check_schema()
    user = store.create_user({"id": "u1", "email": "zoë@example.com", "email_verified": None})
    assert store.get_user_by_email("zoë@example.com") == user
    command.upgrade(config, "head")  # already there: nothing to do
    command.downgrade(config, "base")
    with pytest.raises(StoreSchemaError):
        store.check_schema()
    store.close()


def test_alembic_on_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite:///{tmp_path / 'app.db'}", None)


def test_alembic_in_a_postgres_schema() -> None:
    with postgres_schema() as schema:
        _round_trip(postgres_url(), schema)
