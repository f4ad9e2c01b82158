"""The session read every `GET /session` makes, on the DBAPI connection directly.

Through a SQLAlchemy `Connection` one `SELECT ... JOIN` costs a checkout, a `BEGIN`, the
execution context, a result object and a `COMMIT`: dozens of times the query itself on
SQLite. A single `SELECT` needs no transaction (it sees one snapshot on its own), so this
runs the statement compiled once per engine, in autocommit, with the columns' own result
processors, and maps errors exactly as SQLAlchemy does (a dropped connection is
invalidated, the error is a `DBAPIError`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

__all__ = ["FastRead"]


class FastRead:
    """One prebuilt `SELECT` run as a single autocommit statement; rows keyed by label."""

    def __init__(self, engine: sa.Engine, statement: sa.Select[Any]) -> None:
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        self._engine = engine
        self._sql = compiled.string
        self._positional = compiled.positiontup if compiled.positional else None
        columns = list(statement.selected_columns)
        self._keys = [str(c.key) for c in columns]
        self._processors: list[Callable[[Any], Any] | None] = [
            c.type.result_processor(dialect, None) for c in columns
        ]
        self._dbapi_error: type[Exception] = dialect.loaded_dbapi.Error

    def one(self, params: dict[str, Any]) -> dict[str, Any] | None:
        bound: Any = params
        if self._positional is not None:
            bound = tuple(params[name] for name in self._positional)
        fairy = self._engine.raw_connection()
        cursor = None
        try:
            driver: Any = fairy.driver_connection
            autocommit = getattr(driver, "autocommit", None)
            if autocommit is False:  # psycopg: no BEGIN/ROLLBACK round trips for one SELECT
                driver.autocommit = True
            try:
                cursor = fairy.cursor()
                cursor.execute(self._sql, bound)
                row = cursor.fetchone()
            finally:
                if autocommit is False and not _closed(driver):
                    driver.autocommit = False
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
                with contextlib.suppress(self._dbapi_error):
                    cursor.close()
            fairy.close()
        if row is None:
            return None
        return {
            key: value if proc is None else proc(value)
            for key, proc, value in zip(self._keys, self._processors, row, strict=True)
        }


def _closed(driver: Any) -> bool:
    return bool(getattr(driver, "closed", False))
