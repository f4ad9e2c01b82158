"""The tables: Auth.js's Prisma/Kysely layout (`User`, `Account`, `Session`,
`VerificationToken`, `Authenticator`; camelCase columns for Auth.js's own fields, snake_case
for the OAuth token fields), so one database can serve authcore and `@auth/kysely-adapter`.

Every name is configurable (`names={"User": "users", "User.emailVerified": "email_verified"}`);
the Python side always uses the snake_case record keys of `authcore.stores`. Email is
nullable (Instagram users have none) and unique when present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = ["DEFAULT_NAMES", "Tables", "UTCDateTime", "build_tables"]

# logical table -> [(record key, default column name)]
_LAYOUT: dict[str, list[tuple[str, str]]] = {
    "User": [
        ("id", "id"),
        ("name", "name"),
        ("email", "email"),
        ("email_verified", "emailVerified"),
        ("image", "image"),
    ],
    "Account": [
        ("user_id", "userId"),
        ("type", "type"),
        ("provider", "provider"),
        ("provider_account_id", "providerAccountId"),
        ("refresh_token", "refresh_token"),
        ("access_token", "access_token"),
        ("expires_at", "expires_at"),
        ("token_type", "token_type"),
        ("scope", "scope"),
        ("id_token", "id_token"),
        ("session_state", "session_state"),
    ],
    "Session": [("session_token", "sessionToken"), ("user_id", "userId"), ("expires", "expires")],
    "VerificationToken": [("identifier", "identifier"), ("token", "token"), ("expires", "expires")],
    "Authenticator": [
        ("credential_id", "credentialID"),
        ("user_id", "userId"),
        ("provider_account_id", "providerAccountId"),
        ("credential_public_key", "credentialPublicKey"),
        ("counter", "counter"),
        ("credential_device_type", "credentialDeviceType"),
        ("credential_backed_up", "credentialBackedUp"),
        ("transports", "transports"),
    ],
}

DEFAULT_NAMES: Mapping[str, str] = {
    **{table: table for table in _LAYOUT},
    **{f"{table}.{col}": col for table, cols in _LAYOUT.items() for _, col in cols},
}


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, at millisecond precision (what a
    JavaScript `Date` holds). On SQLite the value is stored as Kysely stores it there
    (`toISOString()`: `2026-01-31T12:00:00.000Z`), so a SQLite file is shared with Auth.js;
    MySQL/MariaDB get naive UTC `DATETIME(3)`; PostgreSQL `timestamptz`."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(30))
        if dialect.name in ("mysql", "mariadb"):
            from sqlalchemy.dialects.mysql import DATETIME

            return dialect.type_descriptor(DATETIME(fsp=3))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise ValueError("datetimes given to the store must be timezone-aware")
        utc = value.astimezone(timezone.utc)
        utc = utc.replace(microsecond=utc.microsecond // 1000 * 1000)
        if dialect.name == "sqlite":
            return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
        if dialect.name in ("mysql", "mariadb"):
            return utc.replace(tzinfo=None)
        return utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if not isinstance(value, datetime):
            raise ValueError("the database returned a date that is not a date")
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


@dataclass(frozen=True)
class Tables:
    metadata: sa.MetaData
    user: sa.Table
    account: sa.Table
    session: sa.Table
    verification_token: sa.Table
    authenticator: sa.Table


def build_tables(names: Mapping[str, str] | None = None, schema: str | None = None) -> Tables:
    """The five tables under `names` (defaults: `DEFAULT_NAMES`), in `schema` if given."""
    given = dict(names or {})
    unknown = sorted(set(given) - set(DEFAULT_NAMES))
    if unknown:
        raise ValueError(f"unknown table or column in names: {', '.join(unknown)}")
    n = {**DEFAULT_NAMES, **given}
    md = sa.MetaData(schema=schema)
    short, text = sa.String(255), sa.Text()

    def col(table: str, key: str, type_: Any, *args: Any, **kw: Any) -> sa.Column[Any]:
        default = dict(_LAYOUT[table])[key]
        return sa.Column(n[f"{table}.{default}"], type_, *args, key=key, **kw)

    def user_fk() -> sa.ForeignKey:
        target = f"{schema}.{n['User']}" if schema else n["User"]
        return sa.ForeignKey(f"{target}.{n['User.id']}", ondelete="CASCADE")

    opts: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_engine": "InnoDB"}
    user = sa.Table(
        n["User"],
        md,
        col("User", "id", short, primary_key=True),
        col("User", "name", text),
        col("User", "email", short, unique=True),
        col("User", "email_verified", UTCDateTime()),
        col("User", "image", text),
        **opts,
    )
    account = sa.Table(
        n["Account"],
        md,
        col("Account", "user_id", short, user_fk(), nullable=False, index=True),
        col("Account", "type", short, nullable=False),
        col("Account", "provider", short, primary_key=True),
        col("Account", "provider_account_id", short, primary_key=True),
        col("Account", "refresh_token", text),
        col("Account", "access_token", text),
        col("Account", "expires_at", sa.BigInteger()),
        col("Account", "token_type", short),
        col("Account", "scope", text),
        col("Account", "id_token", text),
        col("Account", "session_state", text),
        **opts,
    )
    session = sa.Table(
        n["Session"],
        md,
        col("Session", "session_token", short, primary_key=True),
        col("Session", "user_id", short, user_fk(), nullable=False, index=True),
        col("Session", "expires", UTCDateTime(), nullable=False, index=True),
        **opts,
    )
    verification_token = sa.Table(
        n["VerificationToken"],
        md,
        col("VerificationToken", "identifier", short, primary_key=True),
        col("VerificationToken", "token", short, primary_key=True),
        col("VerificationToken", "expires", UTCDateTime(), nullable=False, index=True),
        **opts,
    )
    authenticator = sa.Table(
        n["Authenticator"],
        md,
        col("Authenticator", "credential_id", short, nullable=False, unique=True),
        col("Authenticator", "user_id", short, user_fk(), nullable=False),
        col("Authenticator", "provider_account_id", short, nullable=False),
        col("Authenticator", "credential_public_key", text, nullable=False),
        col("Authenticator", "counter", sa.Integer(), nullable=False),
        col("Authenticator", "credential_device_type", short, nullable=False),
        col("Authenticator", "credential_backed_up", sa.Boolean(), nullable=False),
        col("Authenticator", "transports", short),
        sa.PrimaryKeyConstraint("user_id", "credential_id"),
        **opts,
    )
    return Tables(md, user, account, session, verification_token, authenticator)
