"""The session read every `GET /session` makes, on the DBAPI connection directly.

Through a SQLAlchemy `Connection` one `SELECT ... JOIN` costs a checkout, a `BEGIN`, the
execution context, a result object and a `COMMIT`: dozens of times the query itself on
SQLite. A single `SELECT` needs no transaction (it sees one snapshot on its own), so this
runs the statement compiled once per engine (with the engine's `schema_translate_map`
applied), in autocommit, with the columns' own result processors, and maps errors exactly as
SQLAlchemy does (a dropped connection is invalidated, the error is a `DBAPIError`). When the
driver shows that no transaction is open afterwards (psycopg switched to autocommit, SQLite
outside a transaction), the connection goes back to the pool without the rollback-on-return.

The async store runs the same code on its engine's `sync_engine` inside SQLAlchemy's
greenlet bridge, as `AsyncConnection` itself does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

__all__ = ["FastRead"]


class FastRead:
    """One prebuilt `SELECT` run as a single autocommit statement.

    A row comes back as `{group: {key: value}}`: a column labelled `<prefix><key>` goes to
    the group `groups[<prefix>]` (`{"s_": "session", "u_": "user"}`)."""

    def __init__(
        self, engine: sa.Engine, statement: sa.Select[Any], groups: dict[str, str]
    ) -> None:
        dialect = engine.dialect
        translate = engine.get_execution_options().get("schema_translate_map")
        compiled = statement.compile(
            dialect=dialect,
            schema_translate_map=translate,
            render_schema_translate=bool(translate),
        )
        self._engine = engine
        self._sqlite = dialect.name == "sqlite"
        self._sql = compiled.string
        self._positional = compiled.positiontup if compiled.positional else None
        self._groups = tuple(groups.values())
        self._columns: list[tuple[str, str, Callable[[Any], Any] | None]] = []
        for column in statement.selected_columns:
            label = str(column.key)
            prefix = next(p for p in groups if label.startswith(p))
            processor = column.type.result_processor(dialect, None)
            self._columns.append((groups[prefix], label[len(prefix) :], processor))
        self._dbapi_error: type[Exception] = dialect.loaded_dbapi.Error

    def one(self, params: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
        bound: Any = params
        if self._positional is not None:
            bound = tuple(params[name] for name in self._positional)
        fairy = self._engine.raw_connection()
        cursor = None
        clean = False  # no transaction left open: no rollback needed on return
        try:
            conn: Any = fairy.dbapi_connection
            autocommit = getattr(conn, "autocommit", None)
            if autocommit is False:  # psycopg: no BEGIN/ROLLBACK round trips for one SELECT
                conn.autocommit = True
            try:
                cursor = fairy.cursor()
                cursor.execute(self._sql, bound)
                row = cursor.fetchone()
            finally:
                if autocommit is False and not _closed(fairy.driver_connection):
                    conn.autocommit = False
            clean = autocommit is False or (
                self._sqlite and getattr(fairy.driver_connection, "in_transaction", None) is False
            )
        except self._dbapi_error as exc:
            disconnect = self._engine.dialect.is_disconnect(exc, fairy, cursor)  # type: ignore[arg-type]
            if disconnect:
                fairy.invalidate(exc)
            raise sa.exc.DBAPIError.instance(
                self._sql,
                bound,
                exc,
                self._dbapi_error,
                connection_invalidated=disconnect,
                dialect=self._engine.dialect,
            ) from exc
        finally:
            if cursor is not None:
                try:  # noqa: SIM105 - `contextlib.suppress` costs more than the close
                    cursor.close()
                except self._dbapi_error:
                    pass
            _give_back(fairy, clean)
        if row is None:
            return None
        out: dict[str, dict[str, Any]] = {group: {} for group in self._groups}
        for (group, key, proc), value in zip(self._columns, row, strict=True):
            out[group][key] = value if proc is None else proc(value)
        return out


def _give_back(fairy: Any, clean: bool) -> None:
    """Back to the pool; without the rollback-on-return when no transaction is open (the
    pool's own `_close_special`, which `Connection.close()` uses after a commit)."""
    special = getattr(fairy, "_close_special", None) if clean else None
    if special is not None:
        special(transaction_reset=True)
    else:
        fairy.close()


def _closed(driver: Any) -> bool:
    return bool(getattr(driver, "closed", False))
