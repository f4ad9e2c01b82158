"""The Alembic migration makes the same tables as `create_all()`, on SQLite and in a
PostgreSQL schema, and its downgrade removes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from authcore.stores.sqlalchemy import SQLAlchemyStore, StoreSchemaError
from authcore.stores.sqlalchemy._engine import sync_url
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


def _shape(url: str, schema: str | None) -> dict[str, Any]:
    """Every table's columns (name, type, nullability), keys, foreign keys, indexes and
    unique constraints, as the database reports them."""
    engine = sa.create_engine(sync_url(url))
    try:
        inspector = sa.inspect(engine)
        out: dict[str, Any] = {}
        for table in sorted(inspector.get_table_names(schema=schema)):
            if table == "authcore_alembic_version":
                continue
            out[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"])
                    for c in inspector.get_columns(table, schema=schema)
                ],
                "pk": inspector.get_pk_constraint(table, schema=schema)["constrained_columns"],
                "fks": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"], str(f["options"]))
                    for f in inspector.get_foreign_keys(table, schema=schema)
                ),
                "indexes": sorted(
                    (
                        str(i["name"]).replace(f"_{schema}_", "_<schema>_"),
                        tuple(i["column_names"]),
                        bool(i["unique"]),
                    )
                    for i in inspector.get_indexes(table, schema=schema)
                ),
                "unique": sorted(
                    tuple(u["column_names"])
                    for u in inspector.get_unique_constraints(table, schema=schema)
                ),
            }
        return out
    finally:
        engine.dispose()


def _same_as_create_all(
    url_migrated: str, url_created: str, schema: tuple[str | None, ...]
) -> None:
    command.upgrade(alembic_config(url_migrated, schema=schema[0]), "head")
    store = SQLAlchemyStore(url_created, schema=schema[1])
    store.create_all()
    store.close()
    migrated, created = _shape(url_migrated, schema[0]), _shape(url_created, schema[1])
    assert set(migrated) == {"User", "Account", "Session", "VerificationToken", "Authenticator"}
    assert migrated == created


def test_upgrade_head_equals_create_all_on_sqlite(tmp_path: Path) -> None:
    _same_as_create_all(
        f"sqlite:///{tmp_path / 'migrated.db'}",
        f"sqlite:///{tmp_path / 'created.db'}",
        (None, None),
    )


def test_upgrade_head_equals_create_all_on_postgres() -> None:
    with postgres_schema() as migrated, postgres_schema() as created:
        _same_as_create_all(postgres_url(), postgres_url(), (migrated, created))
