"""authcore's tables: User, Account, Session, VerificationToken, Authenticator.

Revision ID: authcore_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

from authcore.stores.sqlalchemy import build_tables

revision = "authcore_0001"
down_revision = None
branch_labels = ("authcore",)
depends_on = None


def upgrade(authcore_schema: str | None = None, **_: object) -> None:
    build_tables(schema=authcore_schema).metadata.create_all(op.get_bind())


def downgrade(authcore_schema: str | None = None, **_: object) -> None:
    build_tables(schema=authcore_schema).metadata.drop_all(op.get_bind())
