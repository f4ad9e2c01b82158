"""The server processes of `bench/run --server`: which servers, with which settings, started
on free ports in their own process groups and always stopped; their workers' resident memory
under load."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _wrk
import httpx

__all__ = [
    "NODE",
    "RSS_GROWTH_LIMIT",
    "Server",
    "gunicorn_args",
    "memory_all",
    "running",
    "servers",
]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVERS = HERE / "servers"
VENV_BIN = Path(sys.executable).parent
NODE = "@auth/core (node http)"
RSS_GROWTH_LIMIT = 0.05  # "flat": at most 5% more resident memory after the memory run


@dataclass
class Server:
    name: str
    key: str  # for --frameworks: node, starlette, flask, django-wsgi, django-asgi
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


def gunicorn_args(setting: str) -> tuple[str, list[str]]:
    """`sync`, `gthread:<threads>` or `gevent[:<worker_connections>]` -> (label, gunicorn
    arguments)."""
    kind, colon, n = setting.strip().partition(":")
    count = n.isdigit() and int(n) > 0
    if kind == "sync" and not colon:
        return "gunicorn sync", ["--worker-class", "sync"]
    if kind == "gthread" and count:
        return f"gunicorn gthread {n}t", ["--worker-class", "gthread", "--threads", n]
    if kind == "gevent" and not colon:
        return "gunicorn gevent", ["--worker-class", "gevent"]
    if kind == "gevent" and count:
        return f"gunicorn gevent {n}c", ["--worker-class", "gevent", "--worker-connections", n]
    raise ValueError(
        f"--gunicorn: {setting!r} is none of 'sync', 'gthread:<threads>', "
        "'gevent' or 'gevent:<worker_connections>'"
    )


def servers(workers: int, spec: dict[str, Any], gunicorn_settings: Sequence[str]) -> list[Server]:
    """Every server of one worker count; ports are filled in at start."""
    uvicorn = [str(VENV_BIN / "uvicorn"), "--app-dir", str(SERVERS), "--host", "127.0.0.1"]
    uvicorn += ["--workers", str(workers), "--loop", "uvloop", "--http", "httptools"]
    uvicorn += ["--no-access-log", "--log-level", "warning"]
    spec_env = {"AUTHCORE_BENCH_SPEC": json.dumps(spec)}
    out = [
        Server(NODE, "node", "node", ["node", str(HERE / "node" / "server.mjs")], dict(spec_env)),
        Server(
            "starlette (uvicorn)",
            "starlette",
            "starlette",
            [*uvicorn, "starlette_app:app"],
            spec_env,
        ),
        # The same app with the opt-in `session={"jwt_reissue": "update_age"}` (docs/
        # differences.md): the session cookie is re-issued only once `update_age` has passed,
        # so a read of a young cookie sends no Set-Cookie. Measured beside the default.
        Server(
            "starlette (uvicorn, jwt_reissue)",
            "starlette-reissue",
            "starlette",
            [*uvicorn, "starlette_app:app"],
            {**spec_env, "AUTHCORE_BENCH_JWT_REISSUE": "update_age"},
        ),
    ]
    wsgi: list[Server] = []
    for setting in gunicorn_settings:
        label, extra = gunicorn_args(setting)
        gunicorn = [str(VENV_BIN / "gunicorn"), "--pythonpath", str(SERVERS), "-w", str(workers)]
        gunicorn += [*extra, "--log-level", "warning"]
        wsgi.append(Server(f"flask ({label})", "flask", "flask", [*gunicorn, "flask_app:app"]))
        wsgi.append(
            Server(
                f"django ({label})", "django-wsgi", "django", [*gunicorn, "django_app:application"]
            )
        )
    for server in wsgi:
        server.env = dict(spec_env)
    out += sorted(wsgi, key=lambda s: s.framework)  # flask settings side by side, then django
    out.append(
        Server(
            "django (uvicorn)",
            "django-asgi",
            "django",
            [*uvicorn, "django_app:asgi_application"],
            {**spec_env, "AUTHCORE_BENCH_ASGI": "1"},
        )
    )
    return out


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


def measure_memory(
    server: Server, path: str, load: _wrk.Load, requests: int, connections: int
) -> dict[str, Any]:
    """RSS of each worker after a warm-up and again after `requests` more session reads per
    worker."""
    url = server.base + path
    warm = _wrk.run(url, load, 2, connections)
    pids = worker_pids(server)
    before = {p: rss_kib(p) for p in pids}
    total = requests * len(pids)
    rate = max(warm["rps"], 1.0)
    done = 0
    while done < total:
        seconds = min(60.0, max(1.0, (total - done) / rate * 1.05))
        fig = _wrk.run(url, load, seconds, connections)
        done += fig["ok"]
        rate = max(fig["rps"], 1.0)
    after = {p: rss_kib(p) for p in before}
    growth = max((after[p] - before[p]) / before[p] for p in before)
    return {
        "requests": done,
        "rss_before_kib": list(before.values()),
        "rss_after_kib": list(after.values()),
        "growth": growth,
        "pass": growth <= RSS_GROWTH_LIMIT,
    }


def memory_all(
    group: list[Server], path: str, load: _wrk.Load, requests: int, connections: int
) -> dict[str, dict[str, Any]]:
    """Every Python server's memory run at the same time (RSS does not care how fast, and
    one at a time would leave a core idle behind each single-worker server)."""
    out: dict[str, dict[str, Any]] = {}
    failures: list[str] = []

    def one(server: Server) -> None:
        try:
            out[server.name] = measure_memory(server, path, load, requests, connections)
        except Exception as exc:  # reported below, after every thread is done
            failures.append(f"{server.name}: {exc}")

    threads = [threading.Thread(target=one, args=(s,)) for s in group]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError("memory run failed: " + "; ".join(failures))
    return {s.name: out[s.name] for s in group if s.name in out}
