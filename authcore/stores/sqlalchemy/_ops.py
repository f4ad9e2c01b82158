"""Every store operation, written once as a generator of SQLAlchemy Core statements.

An operation yields a statement and receives its `Done` (rows as dicts keyed by record key,
and the row count); the sync and the async executor each run a whole operation inside one
transaction, so a multi-step write is all or nothing.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from .._types import ProviderAccountKey
from ._tables import Tables

__all__ = ["Done", "Op", "Ops"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Done:
    rows: list[dict[str, Any]]
    rowcount: int


# A statement, or a prebuilt statement and its bound values (the hot paths: built once, so
# SQLAlchemy's compiled cache answers without rebuilding the expression per call).
Step = sa.Executable | tuple[sa.Executable, dict[str, Any]]
Op = Generator[Step, Done, T]


def _select(table: sa.Table) -> sa.Select[Any]:
    return sa.select(*(c.label(c.key) for c in table.c))


def _values(
    table: sa.Table, record: Mapping[str, Any], skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The record's keys that are columns of `table` (extra profile fields are dropped)."""
    return {k: v for k, v in record.items() if k in table.c and k not in skip}


class Ops:
    """The statements of every store method, over one set of tables."""

    def __init__(self, tables: Tables, dialect: Dialect) -> None:
        self.t = tables
        self._dialect = dialect  # `delete_returning` is known once a connection was made
        s, u, a = tables.session, tables.user, tables.account
        cols = [c.label(f"s_{c.key}") for c in s.c] + [c.label(f"u_{c.key}") for c in u.c]
        self.session_and_user = (
            sa.select(*cols)
            .join_from(s, u, s.c.user_id == u.c.id)
            .where(s.c.session_token == sa.bindparam("session_token"))
        )
        self._user_by_id = _select(u).where(u.c.id == sa.bindparam("id"))
        self._user_by_account = (
            _select(u)
            .join(a, a.c.user_id == u.c.id)
            .where(a.c.provider == sa.bindparam("provider"))
            .where(a.c.provider_account_id == sa.bindparam("provider_account_id"))
        )
        self._extend_session = (
            sa.update(s)
            .where(s.c.session_token == sa.bindparam("token"))
            .values(expires=sa.bindparam("new_expires", type_=s.c.expires.type))
        )

    # users

    def create_user(self, user: Mapping[str, Any]) -> Op[dict[str, Any]]:
        values = _values(self.t.user, user)
        for key in ("name", "image", "email", "email_verified"):
            values.setdefault(key, None)
        yield sa.insert(self.t.user).values(values)
        return values

    def get_user(self, id: str) -> Op[dict[str, Any] | None]:
        done = yield self._user_by_id, {"id": id}
        return done.rows[0] if done.rows else None

    def get_user_by_email(self, email: str) -> Op[dict[str, Any] | None]:
        done = yield _select(self.t.user).where(self.t.user.c.email == email)
        return done.rows[0] if done.rows else None

    def get_user_by_account(self, key: ProviderAccountKey) -> Op[dict[str, Any] | None]:
        params = {"provider": key["provider"], "provider_account_id": key["provider_account_id"]}
        done = yield self._user_by_account, params
        return done.rows[0] if done.rows else None

    def update_user(self, user: Mapping[str, Any]) -> Op[dict[str, Any]]:
        u = self.t.user
        values = _values(u, user, skip=("id",))
        if values:
            yield sa.update(u).where(u.c.id == user["id"]).values(values)
        found = yield from self.get_user(str(user["id"]))
        if found is None:
            raise LookupError("no user with this id")
        return found

    def delete_user(self, id: str) -> Op[dict[str, Any] | None]:
        found = yield from self.get_user(id)
        if found is None:
            return None
        # By hand as well as by cascade: tables made without foreign keys stay consistent.
        for table in (self.t.session, self.t.account, self.t.authenticator):
            yield sa.delete(table).where(table.c.user_id == id)
        yield sa.delete(self.t.user).where(self.t.user.c.id == id)
        return found

    # accounts

    def link_account(self, account: Mapping[str, Any]) -> Op[dict[str, Any]]:
        values = _values(self.t.account, account)
        yield sa.insert(self.t.account).values(values)
        return values

    def get_account(self, provider_account_id: str, provider: str) -> Op[dict[str, Any] | None]:
        a = self.t.account
        done = yield (
            _select(a)
            .where(a.c.provider == provider)
            .where(a.c.provider_account_id == provider_account_id)
        )
        return done.rows[0] if done.rows else None

    def unlink_account(self, key: ProviderAccountKey) -> Op[dict[str, Any] | None]:
        found = yield from self.get_account(key["provider_account_id"], key["provider"])
        if found is None:
            return None
        a = self.t.account
        yield (
            sa.delete(a)
            .where(a.c.provider == key["provider"])
            .where(a.c.provider_account_id == key["provider_account_id"])
        )
        return found

    # sessions

    def create_session(self, session: Mapping[str, Any]) -> Op[dict[str, Any]]:
        values = _values(self.t.session, session)
        yield sa.insert(self.t.session).values(values)
        return values

    def _get_session(self, session_token: str) -> Op[dict[str, Any] | None]:
        s = self.t.session
        done = yield _select(s).where(s.c.session_token == session_token)
        return done.rows[0] if done.rows else None

    def update_session(self, session: Mapping[str, Any]) -> Op[dict[str, Any] | None]:
        s = self.t.session
        token = str(session["session_token"])
        values = _values(s, session, skip=("session_token",))
        if set(values) == {"expires"}:  # the extension every active session gets
            done = yield self._extend_session, {"token": token, "new_expires": values["expires"]}
            if done.rowcount == 0:
                return None
        elif values:
            done = yield sa.update(s).where(s.c.session_token == token).values(values)
            if done.rowcount == 0:
                return None
        return (yield from self._get_session(token))

    def delete_session(self, session_token: str) -> Op[dict[str, Any] | None]:
        found = yield from self._get_session(session_token)
        if found is None:
            return None
        s = self.t.session
        yield sa.delete(s).where(s.c.session_token == session_token)
        return found

    # email sign-in

    def create_verification_token(self, token: Mapping[str, Any]) -> Op[dict[str, Any]]:
        values = _values(self.t.verification_token, token)
        yield sa.insert(self.t.verification_token).values(values)
        return values

    def use_verification_token(self, identifier: str, token: str) -> Op[dict[str, Any] | None]:
        v = self.t.verification_token
        where = sa.and_(v.c.identifier == identifier, v.c.token == token)
        if self._dialect.delete_returning:  # one atomic statement (PostgreSQL, SQLite, MariaDB)
            done = yield sa.delete(v).where(where).returning(*(c.label(c.key) for c in v.c))
            return done.rows[0] if done.rows else None
        found = yield _select(v).where(where)
        if not found.rows:
            return None
        done = yield sa.delete(v).where(where)
        # Of two concurrent uses only one deletes the row; the other must not win.
        return found.rows[0] if done.rowcount == 1 else None

    # WebAuthn

    def create_authenticator(self, authenticator: Mapping[str, Any]) -> Op[dict[str, Any]]:
        values = _values(self.t.authenticator, authenticator)
        yield sa.insert(self.t.authenticator).values(values)
        return values

    def get_authenticator(self, credential_id: str) -> Op[dict[str, Any] | None]:
        t = self.t.authenticator
        done = yield _select(t).where(t.c.credential_id == credential_id)
        return done.rows[0] if done.rows else None

    def list_authenticators_by_user_id(self, user_id: str) -> Op[list[dict[str, Any]]]:
        t = self.t.authenticator
        done = yield _select(t).where(t.c.user_id == user_id)
        return done.rows

    def update_authenticator_counter(
        self, credential_id: str, new_counter: int
    ) -> Op[dict[str, Any]]:
        t = self.t.authenticator
        done = (
            yield sa.update(t).where(t.c.credential_id == credential_id).values(counter=new_counter)
        )
        if done.rowcount == 0:
            raise LookupError("no authenticator with this credential id")
        found = yield from self.get_authenticator(credential_id)
        if found is None:
            raise LookupError("no authenticator with this credential id")
        return found

    # listing

    def users(self, limit: int) -> Op[list[tuple[dict[str, Any], list[str]]]]:
        u, a = self.t.user, self.t.account
        done = yield _select(u).order_by(u.c.id).limit(limit)
        if not done.rows:
            return []
        ids = [row["id"] for row in done.rows]
        linked = yield sa.select(
            a.c.user_id.label("user_id"), a.c.provider.label("provider")
        ).where(a.c.user_id.in_(ids))
        providers: dict[str, list[str]] = {}
        for row in linked.rows:
            providers.setdefault(row["user_id"], []).append(row["provider"])
        return [(row, sorted(providers.get(row["id"], []))) for row in done.rows]

    # maintenance

    def purge_expired(self, now: datetime) -> Op[int]:
        gone = 0
        for table in (self.t.session, self.t.verification_token):
            done = yield sa.delete(table).where(table.c.expires < now)
            gone += done.rowcount
        return gone
