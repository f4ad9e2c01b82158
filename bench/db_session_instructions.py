"""Instruction counts for bench/db_session.py's SQLite cases, independent of machine load.

    for case in authcore browser read handler raw; do for n in 0 200; do
      valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/db_session_instructions.py $case $n 2>&1 | grep Collected
    done; done

Runs `n` requests of one case after 50 warm-up ones; (count at 200 - count at 0) / 200 is
the instructions per request. Cases: `authcore` (`GET /session`), `browser` (the same with
the CSRF and callback-URL cookies of a signed-in browser), `read` (the store's
`get_session_and_user` alone), `handler` (the minimal handler), `raw` (the bare SELECT).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import db_session as bench

from authcore.stores.sqlalchemy import SQLAlchemyStore


def main() -> None:
    case, n = sys.argv[1], int(sys.argv[2])
    with bench._sqlite() as (url, _spec, floors):
        store = SQLAlchemyStore(url)
        store.create_all()
        token = bench._session(store)
        raw, handler = floors(token)
        header = bench.session_cookie(token)
        cases: dict[str, Callable[[], object]] = {
            "authcore": bench._authcore_read(store, token),
            "browser": bench._authcore_read(store, token, bench.browser_cookie(token)),
            "read": lambda: store.get_session_and_user(token),
            "handler": lambda: handler(header),
            "raw": raw,
        }
        op = cases[case]
        for _ in range(50):
            op()
        for _ in range(n):
            op()
        store.close()


if __name__ == "__main__":
    main()
