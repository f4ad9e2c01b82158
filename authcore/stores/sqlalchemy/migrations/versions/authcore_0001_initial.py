"""authcore's tables: User, Account, Session, VerificationToken, Authenticator.

Frozen: the tables as they were at this revision, written out, never built from the live
definitions (`build_tables`), so a later change to those comes with a migration of its own
instead of silently changing this one. `tests/stores/test_sqlalchemy_alembic.py` checks that
`upgrade head` gives what `create_all()` gives.

Revision ID: authcore_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from authcore.stores.sqlalchemy._tables import UTCDateTime

revision = "authcore_0001"
down_revision = None
branch_labels = ("authcore",)
depends_on = None

_MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_engine": "InnoDB"}


def _user_fk(schema: str | None) -> sa.ForeignKeyConstraint:
    target = f"{schema}.User.id" if schema else "User.id"
    return sa.ForeignKeyConstraint(["userId"], [target], ondelete="CASCADE")


def _index(table: str, column: str, schema: str | None) -> None:
    # The name `create_all()` gives an `index=True` column: SQLAlchemy's
    # `ix_<schema>_<table>_<column>`, the schema part only in a schema.
    prefix = f"{schema}_" if schema else ""
    op.create_index(f"ix_{prefix}{table}_{column}", table, [column], schema=schema)


def upgrade(authcore_schema: str | None = None, **_: object) -> None:
    schema = authcore_schema
    short, text = sa.String(255), sa.Text()
    op.create_table(
        "User",
        sa.Column("id", short, primary_key=True),
        sa.Column("name", text),
        sa.Column("email", short, unique=True),
        sa.Column("emailVerified", UTCDateTime()),
        sa.Column("image", text),
        schema=schema,
        **_MYSQL,
    )
    op.create_table(
        "VerificationToken",
        sa.Column("identifier", short, primary_key=True),
        sa.Column("token", short, primary_key=True),
        sa.Column("expires", UTCDateTime(), nullable=False),
        schema=schema,
        **_MYSQL,
    )
    _index("VerificationToken", "expires", schema)
    op.create_table(
        "Account",
        sa.Column("userId", short, nullable=False),
        sa.Column("type", short, nullable=False),
        sa.Column("provider", short, primary_key=True),
        sa.Column("providerAccountId", short, primary_key=True),
        sa.Column("refresh_token", text),
        sa.Column("access_token", text),
        sa.Column("expires_at", sa.BigInteger()),
        sa.Column("token_type", short),
        sa.Column("scope", text),
        sa.Column("id_token", text),
        sa.Column("session_state", text),
        _user_fk(schema),
        schema=schema,
        **_MYSQL,
    )
    _index("Account", "userId", schema)
    op.create_table(
        "Authenticator",
        sa.Column("credentialID", short, nullable=False, unique=True),
        sa.Column("userId", short, nullable=False),
        sa.Column("providerAccountId", short, nullable=False),
        sa.Column("credentialPublicKey", text, nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("credentialDeviceType", short, nullable=False),
        sa.Column("credentialBackedUp", sa.Boolean(), nullable=False),
        sa.Column("transports", short),
        sa.PrimaryKeyConstraint("userId", "credentialID"),
        _user_fk(schema),
        schema=schema,
        **_MYSQL,
    )
    op.create_table(
        "Session",
        sa.Column("sessionToken", short, primary_key=True),
        sa.Column("userId", short, nullable=False),
        sa.Column("expires", UTCDateTime(), nullable=False),
        _user_fk(schema),
        schema=schema,
        **_MYSQL,
    )
    _index("Session", "expires", schema)
    _index("Session", "userId", schema)


def downgrade(authcore_schema: str | None = None, **_: object) -> None:
    for table in ("Session", "Authenticator", "Account", "VerificationToken", "User"):
        op.drop_table(table, schema=authcore_schema)
