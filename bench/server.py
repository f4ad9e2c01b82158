"""`bench/run --server`: requests/s and p50/p99 latency through each adapter on its usual
production server, beside `@auth/core` on Node's `http` server and a bare route of the same
framework returning the same JSON (the floor), all in one run, loaded by `wrk`.

Every server runs on a free port of 127.0.0.1 and is stopped at the end, whatever happens.
All servers of one worker count are up together and the cases are interleaved across them
(case by case, server by server), so a burst of load from another process on the machine
lands on one figure of every server rather than on one server's whole column.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from _svg import bar_chart
from run import (
    BASE_PATH,
    CLAIMS,
    CSRF_TOKEN,
    ORIGIN,
    SALT,
    SECRET,
    csrf_cookie,
    mock_idp,
    node_instagram,
    session_cookie,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVERS = HERE / "servers"
VENV_BIN = Path(sys.executable).parent
NODE = "@auth/core (node http)"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    cookie: str = ""
    body: str = ""
    expect: int = 200


@dataclass
class Server:
    name: str
    framework: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def servers(workers: int, spec: dict[str, Any]) -> list[Server]:
    """The servers of one worker count; ports are filled in at start."""
    uvicorn = [str(VENV_BIN / "uvicorn"), "--app-dir", str(SERVERS), "--host", "127.0.0.1"]
    uvicorn += ["--workers", str(workers), "--loop", "uvloop", "--http", "httptools"]
    uvicorn += ["--no-access-log", "--log-level", "warning"]
    gunicorn = [str(VENV_BIN / "gunicorn"), "--pythonpath", str(SERVERS), "-w", str(workers)]
    gunicorn += ["--worker-class", "sync", "--log-level", "warning"]
    spec_env = {"AUTHCORE_BENCH_SPEC": json.dumps(spec)}
    return [
        Server(NODE, "node", ["node", str(HERE / "node" / "server.mjs")], dict(spec_env)),
        Server("starlette (uvicorn)", "starlette", [*uvicorn, "starlette_app:app"], spec_env),
        Server("flask (gunicorn)", "flask", [*gunicorn, "flask_app:app"], spec_env),
        Server("django (gunicorn)", "django", [*gunicorn, "django_app:application"], spec_env),
        Server(
            "django (uvicorn)",
            "django",
            [*uvicorn, "django_app:asgi_application"],
            {**spec_env, "AUTHCORE_BENCH_ASGI": "1"},
        ),
    ]


def start(server: Server, workers: int) -> None:
    server.port = free_port()
    argv = list(server.argv)
    env = {**os.environ, **server.env}
    if server.framework == "node":
        spec = json.loads(env["AUTHCORE_BENCH_SPEC"])
        env["AUTHCORE_BENCH_SPEC"] = json.dumps({**spec, "port": server.port, "workers": workers})
    elif "gunicorn" in argv[0]:
        argv[-1:-1] = ["-b", f"127.0.0.1:{server.port}"]
    else:
        argv[-1:-1] = ["--port", str(server.port)]
    server.proc = subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True)


def wait_ready(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc is not None and server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}")
        try:
            if httpx.get(f"{server.base}/bare", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer on {server.base} within {timeout} s")


def stop(server: Server) -> None:
    proc = server.proc
    if proc is None or proc.poll() is not None:
        return
    try:  # the whole process group: uvicorn/gunicorn/cluster workers too
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def running(group: list[Server], workers: int) -> Iterator[list[Server]]:
    with ExitStack() as stack:
        for server in group:
            stack.callback(stop, server)
            start(server, workers)
        for server in group:
            wait_ready(server)
        yield group


def check(server: Server, case: Case) -> None:
    """One request before any load: a misconfigured case fails loudly instead of being
    benchmarked as an error page."""
    headers = {"cookie": case.cookie} if case.cookie else {}
    if case.body:
        headers["content-type"] = "application/x-www-form-urlencoded"
    r = httpx.request(
        case.method, server.base + case.path, headers=headers, content=case.body or None
    )
    if r.status_code != case.expect:
        raise RuntimeError(f"{server.name} {case.name}: {r.status_code} {r.text[:200]}")
    if case.name == "GET /session (signed in)" and b'"user"' not in r.content:
        raise RuntimeError(f"{server.name} {case.name}: no session in {r.text[:200]}")


def wrk(server: Server, case: Case, seconds: float, connections: int) -> dict[str, Any]:
    env = {**os.environ, "WRK_METHOD": case.method, "WRK_BODY": case.body}
    env["WRK_COOKIE"] = case.cookie
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s"]
    argv += ["-s", str(SERVERS / "load.lua"), server.base + case.path]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, timeout=600)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures for {server.name} {case.name}: {out.stdout}")
    data: dict[str, Any] = json.loads(line.removeprefix("WRK_JSON "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def worker_pids(server: Server) -> list[int]:
    """The processes that serve requests: the children of a uvicorn/gunicorn master or a
    Node cluster primary, or the server itself when it has none (uvicorn, Node: 1 worker)."""
    assert server.proc is not None
    pid = server.proc.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    pids = [int(c) for c in children]
    pids = [p for p in pids if b"resource_tracker" not in _cmdline(p)]
    return pids or [pid]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cases(mock_ok: bool, session: str) -> list[Case]:
    callback = quote(ORIGIN + "/", safe="")
    out = [
        Case("bare route, same JSON", "GET", "/bare"),
        Case("GET /session (signed in)", "GET", f"{BASE_PATH}/session", session),
        Case("GET /session (signed out)", "GET", f"{BASE_PATH}/session"),
        Case("GET /csrf", "GET", f"{BASE_PATH}/csrf"),
    ]
    if mock_ok:
        out.append(
            Case(
                "POST /signin/instagram",
                "POST",
                f"{BASE_PATH}/signin/instagram",
                csrf_cookie(SECRET),
                f"csrfToken={CSRF_TOKEN}&callbackUrl={callback}",
                302,
            )
        )
    return out


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


def ratio_of(results: dict[str, Any], a: tuple[str, str], b: tuple[str, str]) -> float | None:
    ra = results.get(a[0], {}).get(a[1])
    rb = results.get(b[0], {}).get(b[1])
    if not ra or not rb:
        return None
    return float(ra["rps"]) / float(rb["rps"])


SESSION = "GET /session (signed in)"
BARE = "bare route, same JSON"
NODE_S = (NODE, SESSION)
TARGETS: list[tuple[str, tuple[str, str], tuple[str, str], float]] = [
    ("starlette GET /session ÷ @auth/core", ("starlette (uvicorn)", SESSION), (NODE, SESSION), 6.0),
    (
        "starlette GET /session ÷ bare Starlette route",
        ("starlette (uvicorn)", SESSION),
        ("starlette (uvicorn)", BARE),
        0.35,
    ),
    ("flask GET /session ÷ @auth/core", ("flask (gunicorn)", SESSION), (NODE, SESSION), 3.0),
    ("django (gunicorn) GET /session ÷ @auth/core", ("django (gunicorn)", SESSION), NODE_S, 3.0),
    ("django (uvicorn) GET /session ÷ @auth/core", ("django (uvicorn)", SESSION), NODE_S, 3.0),
]
RSS_GROWTH_LIMIT = 0.05  # "flat": at most 5% more resident memory after 100k requests


def measure_memory(server: Server, case: Case, requests: int, connections: int) -> dict[str, Any]:
    """RSS of each worker after a warm-up and again after `requests` more session reads."""
    warm = wrk(server, case, 2, connections)
    before = {p: rss_kib(p) for p in worker_pids(server)}
    seconds = requests / max(warm["rps"], 1.0)
    done = 0
    while done < requests:
        done += wrk(server, case, min(60.0, max(1.0, seconds * 1.1)), connections)["requests"]
        seconds = (requests - done) / max(warm["rps"], 1.0)
    after = {p: rss_kib(p) for p in before}
    growth = max((after[p] - before[p]) / before[p] for p in before)
    return {
        "requests": done,
        "rss_before_kib": list(before.values()),
        "rss_after_kib": list(after.values()),
        "growth": growth,
        "pass": growth <= RSS_GROWTH_LIMIT,
    }


def fmt_row(name: str, case: str, r: dict[str, Any], spread: str) -> str:
    return (
        f"  {name:<26} {case:<28} {r['rps']:>9,.0f} req/s {spread:<17} "
        f"p50 {r['p50_us'] / 1000:6.2f} ms  p99 {r['p99_us'] / 1000:7.2f} ms"
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/run --server")
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0, help="wrk duration per figure")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the median is kept")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--memory-requests", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2 s figures, 1 round, 20k for memory")
    parser.add_argument("--out", type=Path, help="default bench/results/server-<time>.json")
    parser.add_argument("--chart", type=Path, default=ROOT / "docs" / "img" / "server-bench.svg")
    parser.add_argument("--replot", type=Path, help="only redraw the chart from a results JSON")
    args = parser.parse_args(argv)
    if args.replot:
        args.chart.write_text(chart(json.loads(args.replot.read_text())))
        return 0
    if args.quick:
        args.seconds, args.rounds, args.memory_requests = 2.0, 1, 20_000
    if shutil.which("wrk") is None:
        print("bench/run --server: wrk is required (apt-get install wrk)", file=sys.stderr)
        return 1
    # A TERM/HUP (a timeout, a closed terminal) unwinds like an error, so every server stops.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    started = time.time()
    spec: dict[str, Any] = {"secret": SECRET, "base_path": BASE_PATH, "bare_json": bare_json()}
    cookie = session_cookie(mint_with_authcore_js(spec))
    results: dict[str, dict[str, dict[str, Any]]] = {}  # "<workers>" -> server -> case -> fig
    rounds_raw: list[dict[str, Any]] = []
    memory: dict[str, Any] = {}
    load_avg = [os.getloadavg()]
    with mock_idp() as mock:
        if mock is not None:
            spec["instagram"] = node_instagram(mock.options)
            spec["instagram_options"] = mock.options
        todo = cases(mock is not None, cookie)
        for workers in [int(w) for w in args.workers.split(",")]:
            per: dict[str, dict[str, list[dict[str, Any]]]] = {}
            with running(servers(workers, spec), workers) as group:
                for server in group:
                    for case in todo:
                        check(server, case)
                for rnd in range(args.rounds):
                    for case in todo:
                        for server in group:
                            fig = wrk(server, case, args.seconds, args.connections)
                            fig |= {"round": rnd, "workers": workers}
                            rounds_raw.append({"server": server.name, "case": case.name, **fig})
                            per.setdefault(server.name, {}).setdefault(case.name, []).append(fig)
                            tag = f"{workers}w r{rnd}"
                            print(fmt_row(server.name, case.name, fig, tag), flush=True)
                if workers == 1 and args.memory_requests:
                    session = next(c for c in todo if c.name == SESSION)
                    for server in group:
                        if server.framework == "node":
                            continue
                        memory[server.name] = mem = measure_memory(
                            server, session, args.memory_requests, args.connections
                        )
                        print(f"  memory {server.name}: {mem['growth']:+.1%}", flush=True)
            results[str(workers)] = {
                s: {c: summarise(v) for c, v in cs.items()} for s, cs in per.items()
            }
            load_avg.append(os.getloadavg())
    report = build_report(args, results, memory, rounds_raw, load_avg, time.time() - started)
    print_report(report)
    stamp = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}"
    out = args.out or ROOT / "bench" / "results" / f"server-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    args.chart.parent.mkdir(parents=True, exist_ok=True)
    args.chart.write_text(chart(report))
    print(f"\nresults: {out}\nchart:   {args.chart}")
    return 0


def summarise(figs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median round by requests/s, plus the spread of every round."""
    ordered = sorted(figs, key=lambda f: f["rps"])
    mid = ordered[(len(ordered) - 1) // 2]
    return {
        "rps": mid["rps"],
        "p50_us": mid["p50_us"],
        "p99_us": mid["p99_us"],
        "rps_min": ordered[0]["rps"],
        "rps_max": ordered[-1]["rps"],
        "rps_median": statistics.median(f["rps"] for f in figs),
        "status_errors": sum(f["status_errors"] for f in figs),
        "socket_errors": sum(f["socket_errors"] for f in figs),
        "rounds": len(figs),
    }


def build_report(
    args: argparse.Namespace,
    results: dict[str, Any],
    memory: dict[str, Any],
    rounds_raw: list[dict[str, Any]],
    load_avg: list[tuple[float, float, float]],
    elapsed: float,
) -> dict[str, Any]:
    targets = []
    for workers, res in results.items():
        for name, a, b, goal in TARGETS:
            value = ratio_of(res, a, b)
            targets.append(
                {
                    "target": f"{name}, {workers} worker(s)",
                    "goal": f">= {goal:g}x" if goal >= 1 else f">= {goal:.0%}",
                    "measured": value,
                    "pass": value is not None and value >= goal,
                }
            )
    for name, mem in memory.items():
        targets.append(
            {
                "target": f"{name}: RSS per worker after {mem['requests']:,} session reads",
                "goal": f"flat (<= +{RSS_GROWTH_LIMIT:.0%})",
                "measured": mem["growth"],
                "pass": mem["pass"],
            }
        )
    node_version = subprocess.run(["node", "-v"], check=False, capture_output=True, text=True)
    wrk_version = subprocess.run(["wrk", "-v"], check=False, capture_output=True, text=True)
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
            "load_average_1_5_15": load_avg,
            "elapsed_s": round(elapsed, 1),
        },
        "results": results,
        "memory": memory,
        "targets": targets,
        "raw": rounds_raw,
    }


def print_report(report: dict[str, Any]) -> None:
    meta = report["meta"]
    load = meta["load_average_1_5_15"]
    print(
        f"\nserver bench: wrk 1 thread, {meta['connections']} connections, "
        f"{meta['seconds_per_figure']:g} s per figure, median of {meta['rounds']} round(s); "
        f"load average {load[0][0]:.1f} -> {load[-1][0]:.1f}"
    )
    for workers, res in report["results"].items():
        print(f"\n{workers} worker(s):")
        for server, cs in res.items():
            for case, r in cs.items():
                spread = f"[{r['rps_min']:,.0f}-{r['rps_max']:,.0f}]"
                errors = r["status_errors"] + r["socket_errors"]
                line = fmt_row(server, case, r, spread)
                print(line + (f"  ({errors} errors)" if errors else ""))
    if report["memory"]:
        print("\nmemory (RSS per worker, KiB):")
        for name, mem in report["memory"].items():
            print(
                f"  {name:<26} before {mem['rss_before_kib']}  after {mem['rss_after_kib']} "
                f"({mem['requests']:,} requests, {mem['growth']:+.1%})"
            )
    print("\ntargets:")
    for t in report["targets"]:
        m = t["measured"]
        shown = "n/a" if m is None else (f"{m:+.1%}" if "RSS" in t["target"] else f"{m:.2f}")
        verdict = "PASS" if t["pass"] else "FAIL"
        print(f"  {verdict}  {t['target']:<62} goal {t['goal']:<14} measured {shown}")


def chart(report: dict[str, Any]) -> str:
    """One block per case; in it every server, 1 worker then 2 workers."""
    rows = []
    by_workers = report["results"]
    cases_seen = list(
        dict.fromkeys(c for res in by_workers.values() for cs in res.values() for c in cs)
    )
    for case in cases_seen:
        for server in dict.fromkeys(s for res in by_workers.values() for s in res):
            for workers, res in by_workers.items():
                r = res.get(server, {}).get(case)
                if r:
                    label = f"{server}, {workers}w"
                    rows.append((case, label, r["rps"], r["rps_min"], r["rps_max"]))
    return bar_chart(
        title="requests/s through a real server (wrk on 127.0.0.1; whisker: spread of rounds)",
        rows=rows,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
