"""`bench/run --server`: requests/s and p50/p99 latency through each adapter on its usual
production server, beside `@auth/core` on Node's `http` server and a bare route of the same
framework returning the same JSON (the floor), all in one run, loaded by `wrk`.

Every server runs on a free port of 127.0.0.1 and is stopped at the end, whatever happens.
All servers of one worker count are up together and the cases are interleaved across them
(case by case, server by server), so a burst of load from another process on the machine
lands on one figure of every server rather than on one server's whole column.

The OAuth callback is loaded by replaying one real callback per server and round: the bench
signs in once through the server and the mock IdP (its own process, `replayable_codes`), then
wrk sends that callback URL with the check cookies again and again. Auth.js keeps state and
PKCE in sealed cookies, not server-side, so each replay does the whole callback: the checks,
the code exchange and the profile request to the IdP, the session token, the redirect. Only a
302 to the callback URL counts.

Long because it is the whole run in one reading order: the cases and their checks, the
arguments and the expected duration, the loop over worker counts, rounds, cases and servers.
The servers, wrk and the report live in their own modules (_servers, _wrk, _server_report).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import _wrk
import httpx
from _server_report import (
    BARE,
    SESSION,
    chart,
    fmt_row,
    print_report,
    summarise,
    targets,
)
from _servers import NODE, Server, gunicorn_args, memory_all, running, servers
from run import (
    BASE_PATH,
    CLAIMS,
    CSRF_TOKEN,
    SALT,
    SECRET,
    csrf_cookie,
    mock_idp,
    node_instagram,
    session_cookie,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CALLBACK = "GET /callback/instagram"
# gunicorn's worker settings. `sync` closes the connection after every response (no
# keep-alive: meant for a buffering proxy such as nginx in front); `gthread` keeps
# connections alive and serves them from a thread pool, like uvicorn and Node do here;
# `gevent` keeps them alive too and serves each on a greenlet (the app's blocking calls,
# such as the callback's requests to the IdP, yield to the others). Flask and Django run
# on both by default and each is held to the targets (docs/performance.md).
DEFAULT_GUNICORN = "gthread:4,gevent"
FIGURE_OVERHEAD_S = 0.6  # wrk start-up, the Lua report, a callback sign-in, per figure
MEMORY_RPS_GUESS = 3000.0  # all memory runs together, before any figure says better


@dataclass(frozen=True)
class Case:
    key: str  # for --cases
    name: str
    method: str
    path: str
    cookie: str = ""
    body: str = ""
    expect: int = 200
    location: str = ""  # exact Location of a redirect case
    location_prefix: str = ""
    # No target reads it and another case covers its path (the cheap answers without a
    # session token): measured in the first round only, to keep the default run short.
    one_round: bool = False

    def load(self) -> _wrk.Load:
        redirect = 300 <= self.expect < 400
        return _wrk.Load(
            method=self.method,
            cookie=self.cookie,
            body=self.body,
            expect_status=self.expect if redirect else None,
            location=self.location,
            location_prefix=self.location_prefix,
        )


def pick(items: Sequence[Any], wanted: str | None, what: str, *, family: bool) -> list[Any]:
    """Filter by a comma list of keys; with `family`, a key also matches `<key>-...`
    (`django` is `django-wsgi` and `django-asgi`)."""
    if not wanted:
        return list(items)
    keys = [w.strip() for w in wanted.split(",") if w.strip()]

    def hit(key: str, k: str) -> bool:
        return key == k or (family and key.startswith(k + "-"))

    known = [i.key for i in items]
    unknown = [k for k in keys if not any(hit(x, k) for x in known)]
    if unknown:
        raise SystemExit(f"bench/run --server: unknown {what} {unknown}; known: {known}")
    return [i for i in items if any(hit(i.key, k) for k in keys)]


def cases(mock: dict[str, Any] | None, session: str) -> list[Case]:
    """The cases; the callback one is a template that `for_server` fills in."""
    out = [
        Case("bare", BARE, "GET", "/bare"),
        Case("session", SESSION, "GET", f"{BASE_PATH}/session", session),
        Case(
            "session-out",
            "GET /session (signed out)",
            "GET",
            f"{BASE_PATH}/session",
            one_round=True,
        ),
        Case("csrf", "GET /csrf", "GET", f"{BASE_PATH}/csrf", one_round=True),
    ]
    if mock is not None:
        out.append(
            Case(
                "signin",
                "POST /signin/instagram",
                "POST",
                f"{BASE_PATH}/signin/instagram",
                csrf_cookie(SECRET),
                f"csrfToken={CSRF_TOKEN}&callbackUrl={quote('/', safe='')}",
                302,
                location_prefix=mock["authorization"] + "?",
            )
        )
        out.append(Case("callback", CALLBACK, "GET", "", expect=302))
    return out


def _cookie_pairs(response: httpx.Response) -> dict[str, str]:
    pairs = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        pairs[name.strip()] = rest.split(";", 1)[0]
    return pairs


def prepare_callback(server: Server, signin: Case) -> Case:
    """One real sign-in through `server` and the mock IdP, stopped at the callback: the
    callback URL (code and state) and the cookies a browser would send with it."""
    headers = {"cookie": signin.cookie, "content-type": "application/x-www-form-urlencoded"}
    started = httpx.post(server.base + signin.path, headers=headers, content=signin.body)
    if started.status_code != 302:
        raise RuntimeError(f"{server.name} sign-in: {started.status_code} {started.text[:200]}")
    approved = httpx.get(started.headers["location"])  # the mock approves at once
    target = approved.headers.get("location", "")
    if approved.status_code not in (302, 303) or not target.startswith(server.base + BASE_PATH):
        raise RuntimeError(f"{server.name} authorize: {approved.status_code} {target[:200]}")
    jar = dict(p.split("=", 1) for p in signin.cookie.split("; "))
    jar |= _cookie_pairs(started)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    path = target[len(server.base) :]
    return Case("callback", CALLBACK, "GET", path, cookie, expect=302, location=server.base + "/")


def for_server(server: Server, case: Case, signin: Case | None) -> Case:
    if case.key == "callback":
        assert signin is not None
        return prepare_callback(server, signin)
    return case


def check(server: Server, case: Case) -> None:
    """One request before any load and one after: a misconfigured case fails loudly instead
    of being benchmarked as an error page."""
    headers = {"cookie": case.cookie} if case.cookie else {}
    if case.body:
        headers["content-type"] = "application/x-www-form-urlencoded"
    r = httpx.request(
        case.method, server.base + case.path, headers=headers, content=case.body or None
    )
    where = r.headers.get("location", "")
    problem = ""
    if r.status_code != case.expect:
        problem = f"status {r.status_code}"
    elif case.location and where != case.location:
        problem = f"Location {where[:120]!r}, not {case.location!r}"
    elif case.location_prefix and not where.startswith(case.location_prefix):
        problem = f"Location {where[:120]!r}, not under {case.location_prefix!r}"
    elif case.name == SESSION and b'"user"' not in r.content:
        problem = "no session in the body"
    elif case.key == "callback" and SALT not in _cookie_pairs(r):
        problem = "no session cookie set"
    if problem:
        raise RuntimeError(f"{server.name} {case.name}: {problem}: {r.text[:200]}")


def mint_with_authcore_js(spec: dict[str, Any]) -> str:
    """The session token, minted by @auth/core's own `encode` (bench/node/server.mjs)."""
    mint = {"payload": CLAIMS, "salt": SALT}
    env = {**os.environ, "AUTHCORE_BENCH_SPEC": json.dumps({**spec, "mint": mint})}
    out = subprocess.run(
        ["node", str(HERE / "node" / "server.mjs")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout.strip()


def bare_json() -> str:
    """What a session read answers, as a constant (the expiry is irrelevant to the floor)."""
    user = {"name": CLAIMS["name"], "email": CLAIMS["email"], "image": CLAIMS["picture"]}
    return json.dumps({"user": user, "expires": "2030-01-01T00:00:00.000Z"})


def rounds_of(case: Case, rounds: int) -> int:
    return min(1, rounds) if case.one_round else rounds


def expected_seconds(
    n_workers: int, todo: Sequence[Case], n_servers: int, n_python: int, args: Any
) -> tuple[float, float]:
    """(load figures, memory runs) in seconds, the latter a guess until figures exist."""
    per_figure = max(1, round(args.seconds)) + FIGURE_OVERHEAD_S
    n_figures = sum(rounds_of(c, args.rounds) for c in todo) * n_servers * n_workers
    figures = n_figures * per_figure
    figures += n_workers * (10 + n_servers * len(todo) * 2 * 0.2)  # start-up, checks
    memory = 0.0
    if args.memory_requests and "1" in args.workers.split(","):
        memory = 2 + args.memory_requests * n_python / MEMORY_RPS_GUESS
    return figures, memory


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run --server")
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--seconds", type=float, default=3.0, help="wrk duration per figure")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the median is kept")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=100_000,
        help="session reads per worker for the memory run (1 worker; 0: skip)",
    )
    parser.add_argument(
        "--frameworks",
        help="subset of node,starlette,flask,django (django-wsgi, django-asgi); "
        "@auth/core on Node always runs: it is what the targets compare with",
    )
    parser.add_argument("--cases", help="subset of bare,session,session-out,csrf,signin,callback")
    parser.add_argument(
        "--gunicorn",
        default=DEFAULT_GUNICORN,
        help="gunicorn worker settings, comma-separated, each run side by side: sync, "
        "gthread:<threads>, gevent or gevent:<worker_connections> "
        f"(default {DEFAULT_GUNICORN})",
    )
    parser.add_argument("--quick", action="store_true", help="2 s figures, 1 round, 20k for memory")
    parser.add_argument("--out", type=Path, help="default bench/results/server-<time>.json")
    parser.add_argument("--chart", type=Path, default=ROOT / "docs" / "img" / "server-bench.svg")
    parser.add_argument("--replot", type=Path, help="only redraw the chart from a results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.memory_requests = 2.0, 1, 20_000
    try:  # fail before anything starts
        labels = [gunicorn_args(setting)[0] for setting in args.gunicorn.split(",")]
    except ValueError as exc:
        parser.error(str(exc))
    if len(set(labels)) < len(labels):
        parser.error(f"--gunicorn: a setting is given twice: {args.gunicorn!r}")
    return args


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.replot:
        args.chart.write_text(chart(json.loads(args.replot.read_text())))
        return 0
    if shutil.which("wrk") is None:
        print("bench/run --server: wrk is required (apt-get install wrk)", file=sys.stderr)
        return 1
    # A TERM/HUP (a timeout, a closed terminal) unwinds like an error, so every server stops.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    started = time.time()
    spec: dict[str, Any] = {"secret": SECRET, "base_path": BASE_PATH, "bare_json": bare_json()}
    cookie = session_cookie(mint_with_authcore_js(spec))
    gunicorn = args.gunicorn.split(",")
    worker_counts = [int(w) for w in args.workers.split(",")]
    results: dict[str, dict[str, dict[str, Any]]] = {}  # "<workers>" -> server -> case -> fig
    rounds_raw: list[dict[str, Any]] = []
    memory: dict[str, Any] = {}
    load_avg = [os.getloadavg()]
    frameworks: dict[str, str] = {}
    with mock_idp(replayable_codes=True) as mock:
        if mock is not None:
            spec["instagram"] = node_instagram(mock.options)
            spec["instagram_options"] = mock.options
        every_case = cases(mock.options if mock is not None else None, cookie)
        todo = pick(every_case, args.cases, "cases", family=False)
        signin = next((c for c in every_case if c.key == "signin"), None)
        session = next(c for c in every_case if c.key == "session")
        shape = pick(servers(1, spec, gunicorn), args.frameworks, "frameworks", family=True)
        if not any(s.key == "node" for s in shape):
            shape.insert(0, servers(1, spec, gunicorn)[0])
        names = {s.name for s in shape}
        n_python = sum(s.framework != "node" for s in shape)
        fig_s, mem_s = expected_seconds(len(worker_counts), todo, len(shape), n_python, args)
        short = ",".join(c.key for c in todo if rounds_of(c, args.rounds) < args.rounds)
        print(
            f"bench/run --server: {len(shape)} servers x {len(todo)} cases x "
            f"{args.rounds} round(s){f' ({short}: 1)' if short else ''} x "
            f"workers {args.workers}, {max(1, round(args.seconds))} s "
            f"per figure: about {fig_s / 60:.1f} min of load, plus ~{mem_s / 60:.1f} min for "
            f"{args.memory_requests:,} session reads per worker (memory); "
            f"expected end {time.strftime('%H:%M', time.localtime(started + fig_s + mem_s))}",
            flush=True,
        )
        for workers in worker_counts:
            per: dict[str, dict[str, list[dict[str, Any]]]] = {}
            group_all = servers(workers, spec, gunicorn)
            group = [s for s in group_all if s.name in names]
            frameworks |= {s.name: s.framework for s in group}
            with running(group, workers) as group:
                for server in group:
                    for case in todo:
                        check(server, for_server(server, case, signin))
                for rnd in range(args.rounds):
                    for case in todo:
                        if rnd >= rounds_of(case, args.rounds):
                            continue
                        for server in group:
                            concrete = for_server(server, case, signin)
                            url = server.base + concrete.path
                            fig = _wrk.run(url, concrete.load(), args.seconds, args.connections)
                            fig |= {"round": rnd, "workers": workers}
                            rounds_raw.append({"server": server.name, "case": case.name, **fig})
                            per.setdefault(server.name, {}).setdefault(case.name, []).append(fig)
                            tag = f"{workers}w r{rnd}"
                            print(fmt_row(server.name, case.name, fig, tag), flush=True)
                for server in group:  # still answering right after the load
                    for case in todo:
                        check(server, for_server(server, case, signin))
                if workers == 1 and args.memory_requests:
                    python = [s for s in group if s.framework != "node"]
                    rates = [
                        min((f["rps"] for f in per.get(s.name, {}).get(SESSION, [])), default=0)
                        for s in python
                    ]
                    cpu_s = sum(args.memory_requests / max(r, 1.0) for r in rates)
                    guess = cpu_s / max(1, min(len(python), os.cpu_count() or 1))
                    print(
                        f"  memory: {args.memory_requests:,} session reads per worker on "
                        f"{len(python)} servers at once, about {guess / 60:.1f} min "
                        "(from the signed-in session figures)",
                        flush=True,
                    )
                    memory = memory_all(
                        python, session.path, session.load(), args.memory_requests, args.connections
                    )
                    for name, mem in memory.items():
                        print(f"  memory {name}: {mem['growth']:+.1%}", flush=True)
            results[str(workers)] = {
                s: {c: summarise(v) for c, v in cs.items()} for s, cs in per.items()
            }
            load_avg.append(os.getloadavg())
    report = build_report(
        args,
        results,
        targets(results, frameworks, NODE, memory),
        memory,
        rounds_raw,
        load_avg,
        time.time() - started,
    )
    print_report(report)
    stamp = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}"
    out = args.out or ROOT / "bench" / "results" / f"server-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    args.chart.parent.mkdir(parents=True, exist_ok=True)
    args.chart.write_text(chart(report))
    print(f"\nresults: {out}\nchart:   {args.chart}")
    return 0


def build_report(
    args: argparse.Namespace,
    results: dict[str, Any],
    goals: list[dict[str, Any]],
    memory: dict[str, Any],
    rounds_raw: list[dict[str, Any]],
    load_avg: list[tuple[float, float, float]],
    elapsed: float,
) -> dict[str, Any]:
    node_version = subprocess.run(["node", "-v"], check=False, capture_output=True, text=True)
    wrk_version = subprocess.run(["wrk", "-v"], check=False, capture_output=True, text=True)
    gunicorn = [gunicorn_args(s)[0] for s in args.gunicorn.split(",")]
    return {
        "command": "bench/run --server " + " ".join(sys.argv[1:]).replace("--server", "").strip(),
        "meta": {
            "python": platform.python_version(),
            "node": node_version.stdout.strip(),
            "wrk": wrk_version.stdout.split("\n")[0].strip(),
            "cpus": os.cpu_count(),
            "connections": args.connections,
            "seconds_per_figure": args.seconds,
            "rounds": args.rounds,
            "gunicorn": gunicorn,
            "memory_requests_per_worker": args.memory_requests,
            "load_average_1_5_15": load_avg,
            "elapsed_s": round(elapsed, 1),
        },
        "results": results,
        "memory": memory,
        "targets": goals,
        "raw": rounds_raw,
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
