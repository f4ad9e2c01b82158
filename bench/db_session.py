"""`GET /session` under the database strategy (SQLAlchemy store) beside one raw
`SELECT ... JOIN` through the same driver (sqlite3, psycopg), on SQLite and PostgreSQL.

    .venv/bin/python bench/db_session.py [--quick] [--postgres URL]

Prints µs per read and the ratio to the raw select, with PASS/FAIL against the target
(within 1.5x); on PostgreSQL also the real `@auth/core` 0.41.3 + `@auth/kysely-adapter`
reading the same session row from the same database (bench/node/db_session.mjs; needs
`npm ci` in bench/node), in requests/s, with PASS/FAIL against authcore >= 3x Auth.js.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psycopg
from _timing import Timing, measure

from authcore import Request, auth_sync
from authcore.providers.github import GitHub
from authcore.stores.sqlalchemy import SQLAlchemyStore

TARGET = 1.5
AUTHJS_TARGET = 3.0
NODE_SCRIPT = Path(__file__).parent / "node" / "db_session.mjs"
JOIN = (
    'SELECT s."sessionToken", s."userId", s.expires, u.id, u.name, u.email, u."emailVerified",'
    ' u.image FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionToken" = {}'
)


def _session(store: SQLAlchemyStore) -> str:
    user_id, token = str(uuid.uuid4()), str(uuid.uuid4())
    store.create_user(
        {"id": user_id, "email": "bench@example.com", "email_verified": None, "name": "Bench"}
    )
    expires = datetime.now(timezone.utc) + timedelta(days=30)
    store.create_session({"session_token": token, "user_id": user_id, "expires": expires})
    return token


def _authcore_read(store: SQLAlchemyStore, token: str) -> Callable[[], object]:
    config: dict[str, Any] = {
        "secret": "bench-db-session-secret-0123456789abcdef",
        "trust_host": True,
        "env": {},
        "providers": [GitHub(client_id="id", client_secret="secret")],
        "adapter": store,
        "session": {"strategy": "database"},
    }
    request = Request(
        "GET",
        "http://localhost/api/auth/session",
        headers=[("cookie", f"authjs.session-token={token}")],
    )

    def op() -> object:
        response = auth_sync(request, config)
        assert response.status == 200 and b"bench@example.com" in response.body
        return response

    op()
    return op


@contextmanager
def _sqlite() -> Iterator[tuple[str, Callable[[str], Callable[[], object]]]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        conn = sqlite3.connect(path)

        def raw(token: str) -> Callable[[], object]:
            sql = JOIN.format("?")
            return lambda: conn.execute(sql, (token,)).fetchone()

        yield f"sqlite:///{path}", raw
        conn.close()


@contextmanager
def _postgres(url: str) -> Iterator[tuple[str, Callable[[str], Callable[[], object]]]]:
    name = f"authcore_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db_url = url.rsplit("/", 1)[0] + "/" + name
    conn = psycopg.connect(db_url, autocommit=True)
    try:

        def raw(token: str) -> Callable[[], object]:
            sql = JOIN.format("%s")
            return lambda: conn.execute(sql, (token,)).fetchone()

        yield db_url, raw
    finally:
        conn.close()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _authjs_us(url: str, token: str, timing: Timing) -> float:
    """µs per GET /session of @auth/core + the Kysely adapter on PostgreSQL (pg)."""
    job = {"url": url, "token": token, "min_batch_ms": timing.min_batch_ms}
    job["repeats"] = timing.repeats
    out = subprocess.run(
        ["node", str(NODE_SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench/node/db_session.mjs failed:\n{out.stderr[-2000:]}")
    return float(json.loads(out.stdout)["ns_per_op"]) / 1000


def run(
    label: str,
    url: str,
    raw: Callable[[str], Callable[[], object]],
    timing: Timing,
    *,
    authjs: bool = False,
) -> bool:
    store = SQLAlchemyStore(url)
    store.create_all()
    token = _session(store)
    ours = measure(_authcore_read(store, token), timing).ns_per_op / 1000
    floor = measure(raw(token), timing).ns_per_op / 1000
    store.engine.dispose()
    ratio = ours / floor
    ok = ratio <= TARGET
    print(
        f"{label:<11} authcore GET /session {ours:8.1f} µs   raw SELECT ... JOIN {floor:7.1f} µs"
        f"   ratio {ratio:5.2f}  (target <= {TARGET})  {'PASS' if ok else 'FAIL'}"
    )
    if authjs:
        theirs = _authjs_us(url, token, timing)
        times = theirs / ours
        fast = times >= AUTHJS_TARGET
        print(
            f"{label:<11} authcore {1e6 / ours:7.0f} req/s   @auth/core + Kysely"
            f" {1e6 / theirs:7.0f} req/s   authcore {times:5.2f}x"
            f"  (target >= {AUTHJS_TARGET}x)  {'PASS' if fast else 'FAIL'}"
        )
        ok = ok and fast
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    timing = Timing(min_batch_ms=50, repeats=3) if args.quick else Timing()
    with _sqlite() as (url, raw):
        run("SQLite", url, raw, timing)
    with _postgres(args.postgres) as (url, raw):
        run("PostgreSQL", url, raw, timing, authjs=True)


if __name__ == "__main__":
    main()
