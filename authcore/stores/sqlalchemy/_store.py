"""`SQLAlchemyStore` (blocking: Flask, Django WSGI, scripts) and `AsyncSQLAlchemyStore`
(asyncio: Starlette, FastAPI, Django ASGI): the same statements (`_ops`), two executors.
Each method is one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import greenlet_spawn

from .._types import (
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    ProviderAccountKey,
    SessionAndUser,
    VerificationToken,
)
from ._engine import async_url, sqlite_setup, sync_url
from ._fast_read import FastRead
from ._ops import Done, Op, Ops
from ._schema import SchemaMixin
from ._tables import build_tables

__all__ = ["DEFAULT_URL", "AsyncSQLAlchemyStore", "SQLAlchemyStore"]

DEFAULT_URL = "sqlite:///authcore.db"
SPLIT = {"s_": "session", "u_": "user"}  # the labels of Ops.session_and_user
T = TypeVar("T")


def _done(result: sa.CursorResult[Any]) -> Done:
    rows = [dict(r) for r in result.mappings().all()] if result.returns_rows else []
    return Done(rows, result.rowcount)


class SQLAlchemyStore(SchemaMixin):
    """A blocking store on any database SQLAlchemy 2 reaches.

        SQLAlchemyStore()                                     # sqlite:///authcore.db
        SQLAlchemyStore("postgresql://app:pw@db/app")         # psycopg 3
        SQLAlchemyStore("mysql://app:pw@db/app")              # PyMySQL (MariaDB, MySQL)

    `names` renames tables and columns (`{"User": "users", "Session.expires": "expires_at"}`),
    `schema` puts the tables in a PostgreSQL schema, `engine` reuses an engine of the app.
    `create_all()` makes missing tables; `check_schema()` says what is missing.
    """

    def __init__(
        self,
        url: str | URL = DEFAULT_URL,
        *,
        names: Mapping[str, str] | None = None,
        schema: str | None = None,
        engine: sa.Engine | None = None,
        **engine_options: Any,
    ) -> None:
        if engine is None:
            engine = sa.create_engine(sync_url(url), **engine_options)
            sqlite_setup(engine)
        self.engine = engine
        self.tables = build_tables(names, schema)
        self._ops = Ops(self.tables, engine.dialect)
        self._session_read = FastRead(engine, self._ops.session_and_user, SPLIT)

    def __repr__(self) -> str:
        return f"<SQLAlchemyStore {self.engine.url.render_as_string(hide_password=True)}>"

    def _run(self, op: Op[T], *, read: bool = False) -> T:
        with self.engine.connect() as conn:
            if read:
                conn.execution_options(authcore_read=True)  # in place
            with conn.begin():
                try:
                    step = op.send(None)  # type: ignore[arg-type]
                    while True:
                        stmt, params = step if isinstance(step, tuple) else (step, None)
                        step = op.send(_done(conn.execute(stmt, params)))
                except StopIteration as stop:
                    return cast(T, stop.value)

    def create_all(self) -> None:
        """Create the tables (and indexes) that do not exist yet."""
        self.tables.metadata.create_all(self.engine)

    def check_schema(self) -> None:
        """Raise `StoreSchemaError` naming every missing table or column."""
        with self.engine.connect() as conn:
            self._check(conn)

    def close(self) -> None:
        self.engine.dispose()

    def users(self, limit: int = 100) -> list[tuple[AdapterUser, list[str]]]:
        """Up to `limit` users with the providers of their linked accounts (for demos and
        admin pages; the core never calls it)."""
        return cast("list[tuple[AdapterUser, list[str]]]", self._run(self._ops.users(limit)))

    def create_user(self, user: AdapterUser) -> AdapterUser:
        return cast(AdapterUser, self._run(self._ops.create_user(user)))

    def get_user(self, id: str) -> AdapterUser | None:
        return cast("AdapterUser | None", self._run(self._ops.get_user(id), read=True))

    def get_user_by_email(self, email: str) -> AdapterUser | None:
        return cast("AdapterUser | None", self._run(self._ops.get_user_by_email(email), read=True))

    def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        return cast("AdapterUser | None", self._run(self._ops.get_user_by_account(key), read=True))

    def update_user(self, user: Mapping[str, object]) -> AdapterUser:
        return cast(AdapterUser, self._run(self._ops.update_user(user)))

    def delete_user(self, id: str) -> AdapterUser | None:
        return cast("AdapterUser | None", self._run(self._ops.delete_user(id)))

    def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        return cast(AdapterAccount, self._run(self._ops.link_account(account)))

    def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        return cast("AdapterAccount | None", self._run(self._ops.unlink_account(key)))

    def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        op = self._ops.get_account(provider_account_id, provider)
        return cast("AdapterAccount | None", self._run(op, read=True))

    def create_session(self, session: AdapterSession) -> AdapterSession:
        return cast(AdapterSession, self._run(self._ops.create_session(session)))

    def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        found = self._session_read.one({"session_token": session_token})
        return cast("SessionAndUser | None", found)

    def update_session(self, session: Mapping[str, object]) -> AdapterSession | None:
        return cast("AdapterSession | None", self._run(self._ops.update_session(session)))

    def delete_session(self, session_token: str) -> AdapterSession | None:
        op = self._ops.delete_session(session_token)
        return cast("AdapterSession | None", self._run(op))

    def create_verification_token(self, token: VerificationToken) -> VerificationToken | None:
        return cast(VerificationToken, self._run(self._ops.create_verification_token(token)))

    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        op = self._ops.use_verification_token(identifier, token)
        return cast("VerificationToken | None", self._run(op))

    def create_authenticator(self, authenticator: AdapterAuthenticator) -> AdapterAuthenticator:
        op = self._ops.create_authenticator(authenticator)
        return cast(AdapterAuthenticator, self._run(op))

    def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        op = self._ops.get_authenticator(credential_id)
        return cast("AdapterAuthenticator | None", self._run(op, read=True))

    def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        op = self._ops.list_authenticators_by_user_id(user_id)
        return cast("list[AdapterAuthenticator]", self._run(op, read=True))

    def update_authenticator_counter(
        self, credential_id: str, new_counter: int
    ) -> AdapterAuthenticator:
        op = self._ops.update_authenticator_counter(credential_id, new_counter)
        return cast(AdapterAuthenticator, self._run(op))

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete sessions and verification tokens that expired before `now` (default: the
        current time): run it from a periodic job. Returns how many rows went."""
        return self._run(self._ops.purge_expired(now or datetime.now(timezone.utc)))


class AsyncSQLAlchemyStore(SchemaMixin):
    """`SQLAlchemyStore` for asyncio apps: aiosqlite, psycopg 3 or asyncpg, aiomysql.

    A plain URL picks the async driver (`sqlite:///authcore.db` runs on aiosqlite). Create
    it where it is used: an async engine belongs to the event loop that first uses it.
    """

    def __init__(
        self,
        url: str | URL = DEFAULT_URL,
        *,
        names: Mapping[str, str] | None = None,
        schema: str | None = None,
        engine: AsyncEngine | None = None,
        **engine_options: Any,
    ) -> None:
        if engine is None:
            engine = create_async_engine(async_url(url), **engine_options)
            sqlite_setup(engine.sync_engine)
        self.engine = engine
        self.tables = build_tables(names, schema)
        self._ops = Ops(self.tables, engine.dialect)
        self._session_read = FastRead(engine.sync_engine, self._ops.session_and_user, SPLIT)

    def __repr__(self) -> str:
        return f"<AsyncSQLAlchemyStore {self.engine.url.render_as_string(hide_password=True)}>"

    async def _run(self, op: Op[T], *, read: bool = False) -> T:
        async with self.engine.connect() as conn:
            if read:
                await conn.execution_options(authcore_read=True)  # in place
            async with conn.begin():
                try:
                    step = op.send(None)  # type: ignore[arg-type]
                    while True:
                        stmt, params = step if isinstance(step, tuple) else (step, None)
                        step = op.send(_done(await conn.execute(stmt, params)))
                except StopIteration as stop:
                    return cast(T, stop.value)

    async def create_all(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(self.tables.metadata.create_all)

    async def check_schema(self) -> None:
        conn: AsyncConnection
        async with self.engine.connect() as conn:
            await conn.run_sync(self._check)

    async def close(self) -> None:
        await self.engine.dispose()

    async def create_user(self, user: AdapterUser) -> AdapterUser:
        return cast(AdapterUser, await self._run(self._ops.create_user(user)))

    async def get_user(self, id: str) -> AdapterUser | None:
        return cast("AdapterUser | None", await self._run(self._ops.get_user(id), read=True))

    async def get_user_by_email(self, email: str) -> AdapterUser | None:
        return cast(
            "AdapterUser | None", await self._run(self._ops.get_user_by_email(email), read=True)
        )

    async def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        return cast(
            "AdapterUser | None", await self._run(self._ops.get_user_by_account(key), read=True)
        )

    async def update_user(self, user: Mapping[str, object]) -> AdapterUser:
        return cast(AdapterUser, await self._run(self._ops.update_user(user)))

    async def delete_user(self, id: str) -> AdapterUser | None:
        return cast("AdapterUser | None", await self._run(self._ops.delete_user(id)))

    async def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        return cast(AdapterAccount, await self._run(self._ops.link_account(account)))

    async def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        return cast("AdapterAccount | None", await self._run(self._ops.unlink_account(key)))

    async def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        op = self._ops.get_account(provider_account_id, provider)
        return cast("AdapterAccount | None", await self._run(op, read=True))

    async def create_session(self, session: AdapterSession) -> AdapterSession:
        return cast(AdapterSession, await self._run(self._ops.create_session(session)))

    async def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        found = await greenlet_spawn(self._session_read.one, {"session_token": session_token})
        return cast("SessionAndUser | None", found)

    async def update_session(self, session: Mapping[str, object]) -> AdapterSession | None:
        return cast("AdapterSession | None", await self._run(self._ops.update_session(session)))

    async def delete_session(self, session_token: str) -> AdapterSession | None:
        op = self._ops.delete_session(session_token)
        return cast("AdapterSession | None", await self._run(op))

    async def create_verification_token(self, token: VerificationToken) -> VerificationToken | None:
        op = self._ops.create_verification_token(token)
        return cast(VerificationToken, await self._run(op))

    async def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        op = self._ops.use_verification_token(identifier, token)
        return cast("VerificationToken | None", await self._run(op))

    async def create_authenticator(
        self, authenticator: AdapterAuthenticator
    ) -> AdapterAuthenticator:
        op = self._ops.create_authenticator(authenticator)
        return cast(AdapterAuthenticator, await self._run(op))

    async def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        op = self._ops.get_authenticator(credential_id)
        return cast("AdapterAuthenticator | None", await self._run(op, read=True))

    async def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        op = self._ops.list_authenticators_by_user_id(user_id)
        return cast("list[AdapterAuthenticator]", await self._run(op, read=True))

    async def update_authenticator_counter(
        self, credential_id: str, new_counter: int
    ) -> AdapterAuthenticator:
        op = self._ops.update_authenticator_counter(credential_id, new_counter)
        return cast(AdapterAuthenticator, await self._run(op))

    async def purge_expired(self, now: datetime | None = None) -> int:
        return await self._run(self._ops.purge_expired(now or datetime.now(timezone.utc)))
