"""The schema check both stores share: a missing table or column is named at start-up
instead of failing a user's sign-in."""

from __future__ import annotations

import sqlalchemy as sa

from ._tables import Tables

__all__ = ["SchemaMixin", "StoreSchemaError"]


class StoreSchemaError(RuntimeError):
    """The database lacks tables or columns the store needs."""


class SchemaMixin:
    tables: Tables

    def _check(self, conn: sa.Connection) -> None:
        inspector = sa.inspect(conn)
        problems: list[str] = []
        for table in self.tables.metadata.sorted_tables:
            if not inspector.has_table(table.name, schema=table.schema):
                problems.append(f"table {table.name!r} is missing")
                continue
            present = {c["name"] for c in inspector.get_columns(table.name, schema=table.schema)}
            problems += [
                f"column {table.name}.{c.name} is missing" for c in table.c if c.name not in present
            ]
        if problems:
            raise StoreSchemaError(
                "the database does not hold authcore's tables: "
                + "; ".join(problems)
                + " (run create_all(), the DDL in authcore/stores/sqlalchemy/schema/, or the "
                "Alembic migration)"
            )
