"""`GET /session` under the database strategy (SQLAlchemy store) on SQLite and PostgreSQL,
side by side with the real `@auth/core` 0.41.3 + `@auth/kysely-adapter` on the same SQLite
file (better-sqlite3) and the same PostgreSQL database (pg), and beside the floor: a minimal
handler doing one `SELECT ... JOIN` by session token through the same driver.

    .venv/bin/python bench/db_session.py [--quick] [--cpu] [--postgres URL]

Per database it prints µs per request and PASS/FAIL for the two targets: authcore at least
3x the requests/s of Auth.js + Kysely, and within 1.5x of the minimal handler. A second line,
"signed-in browser", times the same three with the request also carrying the CSRF and
callback-URL cookies a browser holds after its first visit (so neither side mints a CSRF
token nor sets those cookies again); it is printed for information, without verdicts. The minimal
handler is what any `GET /session` under database sessions must do: read the session cookie
from the `Cookie` header, run one `SELECT ... JOIN` of `Session` and `User` on a connection
kept open between requests (the reuse a real app has; no pool, no transaction), check the
expiry, serialise `{"user": {name, email, image}, "expires"}` as JSON and build the renewed
`Set-Cookie` header. The bare `SELECT` alone is printed too, for reference. Needs `npm ci`
in bench/node (bench/run does it); finishes in well under 2 minutes. `--cpu` times each
side's process CPU instead of the wall clock (both Python and Node): the steadier figure on a
machine shared with other load, but it leaves out the database server's own work.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import psycopg
from _timing import Timing, measure

from authcore import Request, auth_sync
from authcore._csrf import csrf_hash
from authcore.providers.github import GitHub
from authcore.stores.sqlalchemy import SQLAlchemyStore

TARGET = 1.5
AUTHJS_TARGET = 3.0
NODE_SCRIPT = Path(__file__).parent / "node" / "db_session.mjs"
COOKIE = "authjs.session-token"
SECRET = "bench-db-session-secret-0123456789abcdef"
MAX_AGE = 30 * 24 * 3600
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


def session_cookie(token: str) -> str:
    """The Cookie header of the default case: the session cookie alone."""
    return f"{COOKIE}={token}"


def browser_cookie(token: str) -> str:
    """The Cookie header of a signed-in browser after its first visit: a valid CSRF cookie
    (`token|sha256(token + secret)`, as both sides mint it) and the callback-URL cookie set
    to the origin, beside the session cookie."""
    csrf = "a" * 64
    return (
        f"authjs.csrf-token={csrf}%7C{csrf_hash(csrf, SECRET)}; "
        f"authjs.callback-url=http%3A%2F%2Flocalhost; {COOKIE}={token}"
    )


def _authcore_read(
    store: SQLAlchemyStore, token: str, cookie: str | None = None
) -> Callable[[], object]:
    config: dict[str, Any] = {
        "secret": SECRET,
        "trust_host": True,
        "env": {},
        "providers": [GitHub(client_id="id", client_secret="secret")],
        "adapter": store,
        "session": {"strategy": "database"},
    }
    request = Request(
        "GET",
        "http://localhost/api/auth/session",
        headers=[("cookie", cookie or session_cookie(token))],
    )

    def op() -> object:
        response = auth_sync(request, config)
        assert response.status == 200 and b"bench@example.com" in response.body
        return response

    op()
    return op


def _minimal_handler(
    execute: Callable[[str], Any], parse_date: Callable[[Any], datetime]
) -> Callable[[str], Answer]:
    """The floor: a bare `GET /session` under database sessions (see the module doc)."""

    def handle(cookie_header: str) -> Answer:
        token = None
        for part in cookie_header.split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE:
                token = value
        row = execute(token) if token else None
        now = datetime.now(timezone.utc)
        if row is None or parse_date(row[2]) < now:
            return 200, [("content-type", "application/json")], b"null"
        body = {
            "user": {"name": row[4], "email": row[5], "image": row[7]},
            "expires": parse_date(row[2]).isoformat(timespec="milliseconds"),
        }
        renewed = format_datetime(now + timedelta(seconds=MAX_AGE), usegmt=True)
        cookie = f"{COOKIE}={token}; Path=/; Expires={renewed}; HttpOnly; SameSite=Lax"
        headers = [("content-type", "application/json"), ("set-cookie", cookie)]
        return 200, headers, json.dumps(body).encode()

    return handle


def _sqlite_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _pg_date(value: datetime) -> datetime:
    return value


Answer = tuple[int, list[tuple[str, str]], bytes]
# token -> (the bare SELECT, the minimal handler of a Cookie header)
Floors = Callable[[str], tuple[Callable[[], object], Callable[[str], Answer]]]


@contextmanager
def _sqlite() -> Iterator[tuple[str, dict[str, Any], Floors]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        conn = sqlite3.connect(path, isolation_level=None)

        def floors(token: str) -> tuple[Callable[[], object], Callable[[str], Answer]]:
            sql = JOIN.format("?")
            handler = _minimal_handler(lambda t: conn.execute(sql, (t,)).fetchone(), _sqlite_date)
            return (lambda: conn.execute(sql, (token,)).fetchone()), handler

        yield f"sqlite:///{path}", {"sqlite": str(path)}, floors
        conn.close()


@contextmanager
def _postgres(url: str) -> Iterator[tuple[str, dict[str, Any], Floors]]:
    name = f"authcore_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db_url = url.rsplit("/", 1)[0] + "/" + name
    conn = psycopg.connect(db_url, autocommit=True)
    try:

        def floors(token: str) -> tuple[Callable[[], object], Callable[[str], Answer]]:
            sql = JOIN.format("%s")
            handler = _minimal_handler(lambda t: conn.execute(sql, (t,)).fetchone(), _pg_date)
            return (lambda: conn.execute(sql, (token,)).fetchone()), handler

        yield db_url, {"url": db_url}, floors
    finally:
        conn.close()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _authjs_us(
    spec: dict[str, Any], token: str, timing: Timing, cpu: bool, cookie: str | None = None
) -> float:
    """µs per GET /session of @auth/core + the Kysely adapter on the same database."""
    job = {**spec, "token": token, "min_batch_ms": timing.min_batch_ms, "cpu": cpu}
    job["cookie"] = cookie or session_cookie(token)
    job["repeats"] = timing.repeats
    out = subprocess.run(
        ["node", str(NODE_SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench/node/db_session.mjs failed:\n{out.stderr[-2000:]}")
    return float(json.loads(out.stdout)["ns_per_op"]) / 1000


def _cpu_measure(op: Callable[[], object], timing: Timing) -> float:
    """ns of process CPU per op: `_timing.measure`'s method on `time.process_time_ns`."""
    clock = time.process_time_ns

    def batch(n: int) -> int:
        t0 = clock()
        for _ in range(n):
            op()
        return clock() - t0

    batch(max(1, int(timing.warmup_ms)))
    n = 1
    while (dt := batch(n)) < timing.min_batch_ms * 1e6:
        n = max(n * 2, int(n * timing.min_batch_ms * 1e6 * 1.1 / max(dt, 1)) + 1)
    return statistics.median(batch(n) / n for _ in range(timing.repeats))


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run(
    label: str, url: str, spec: dict[str, Any], floors: Floors, timing: Timing, cpu: bool
) -> bool:
    store = SQLAlchemyStore(url)
    store.create_all()
    token = _session(store)
    raw, handler = floors(token)
    status, _, body = handler(session_cookie(token))
    assert status == 200 and b"bench@example.com" in body

    def ns(op: Callable[[], object]) -> float:
        return _cpu_measure(op, timing) if cpu else measure(op, timing).ns_per_op

    header = session_cookie(token)
    ours = ns(_authcore_read(store, token)) / 1000
    floor = ns(lambda: handler(header)) / 1000
    select = ns(raw) / 1000
    theirs = _authjs_us(spec, token, timing, cpu)
    browser = browser_cookie(token)
    ours_b = ns(_authcore_read(store, token, browser)) / 1000
    floor_b = ns(lambda: handler(browser)) / 1000
    theirs_b = _authjs_us(spec, token, timing, cpu, browser)
    store.engine.dispose()
    ratio, times = ours / floor, theirs / ours
    near, fast = ratio <= TARGET, times >= AUTHJS_TARGET
    print(
        f"{label:<11} authcore {ours:7.1f} µs ({1e6 / ours:6.0f} req/s)"
        f"   @auth/core + Kysely {theirs:7.1f} µs ({1e6 / theirs:6.0f} req/s)"
        f"   minimal handler {floor:6.1f} µs   bare SELECT {select:6.1f} µs"
    )
    print(
        f"{'':<11} authcore vs Auth.js {times:5.2f}x (target >= {AUTHJS_TARGET}x) {_verdict(fast)}"
        f"   authcore vs minimal handler {ratio:5.2f}x (target <= {TARGET}x) {_verdict(near)}"
    )
    print(
        f"{'':<11} signed-in browser: authcore {ours_b:7.1f} µs"
        f"   @auth/core + Kysely {theirs_b:7.1f} µs ({theirs_b / ours_b:5.2f}x)"
        f"   minimal handler {floor_b:6.1f} µs ({ours_b / floor_b:5.2f}x)"
    )
    return near and fast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="process CPU time, not wall clock")
    args = parser.parse_args()
    timing = Timing(min_batch_ms=50, repeats=3) if args.quick else Timing(100, 5, 100)
    ok = True
    with _sqlite() as (url, spec, floors):
        ok = run("SQLite", url, spec, floors, timing, args.cpu) and ok
    with _postgres(args.postgres) as (url, spec, floors):
        ok = run("PostgreSQL", url, spec, floors, timing, args.cpu) and ok
    clock = "process CPU time" if args.cpu else "wall clock"
    print(f"({clock}) " + ("all targets PASS" if ok else "some targets FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
