"""Python client for ``tests/interop/node/worker.mjs``, the process that runs the real Auth.js.

The worker speaks JSON lines: ``{"id", "cmd", "params"}`` in, ``{"id", ...result}`` out, one
response per request and in order. One process serves a whole test session because starting
Node and importing ``@auth/core`` costs far more than a command. Commands and result shapes are
listed in ``docs/interop.md``; a failing command yields ``{"error": "<Name>: <message>"}`` (plus
``code`` for jose errors) instead of ending the worker.

Usage::

    with NodeWorker() as node:
        salt = "authjs.session-token"
        jwe = node.call_ok("v5.encode", token={"sub": "1"}, secret="s", salt=salt)["jwe"]
        node.call("v5.decode", token=jwe, secret="s", salt=salt)  # {"payload": ...} or {"error"}
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "NODE_DIR",
    "NodeServer",
    "NodeWorker",
    "NodeWorkerError",
    "NodeWorkerTimeout",
    "passkey_server",
]

NODE_DIR = Path(__file__).resolve().parent / "node"

# Environment variables Auth.js reads as defaults (secret, URL, secure-cookie guess). They are
# not passed to the worker so that a developer's shell cannot change what a test observes.
_SCRUBBED_PREFIXES = ("AUTH_", "NEXTAUTH_", "VERCEL")

_EOF = object()


class NodeWorkerError(RuntimeError):
    """The worker failed, died, or (with ``call_ok``) answered ``{"error": ...}``."""


class NodeWorkerTimeout(NodeWorkerError):
    """No answer within the timeout; the worker is stopped and restarted on the next call."""


class NodeWorker:
    """A long-running ``node worker.mjs``; start with ``with`` or ``start()``."""

    def __init__(
        self,
        node_dir: Path = NODE_DIR,
        *,
        node: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.node_dir = node_dir
        self.node = node or shutil.which("node") or "node"
        self.timeout = timeout
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[object] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=200)
        self._next_id = 0
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> NodeWorker:
        with self._lock:
            self._ensure_started()
        return self

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
        self._lines = queue.Queue()
        self._stderr.clear()
        self._proc = subprocess.Popen(
            [self.node, "worker.mjs"],
            cwd=self.node_dir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            env=env,
        )
        assert self._proc.stdout is not None and self._proc.stderr is not None
        threading.Thread(
            target=self._pump, args=(self._proc.stdout, self._lines), daemon=True
        ).start()
        threading.Thread(target=self._drain_stderr, args=(self._proc.stderr,), daemon=True).start()
        # Fail here, with Node's own message, if e.g. node_modules is missing.
        pong = self._call_unlocked("ping", self.timeout, {})
        if pong != {"pong": True}:
            raise NodeWorkerError(f"unexpected answer to ping: {pong!r}")

    def close(self) -> None:
        """Close stdin so the worker finishes its queue and exits; force it after a grace time."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait(timeout=5)

    def __enter__(self) -> NodeWorker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def stderr_tail(self) -> str:
        """Last lines the worker wrote to stderr (library logs, crashes) for failure messages."""
        return "\n".join(self._stderr)

    # -- calls -----------------------------------------------------------------------------

    def call(self, cmd: str, /, *, timeout: float | None = None, **params: Any) -> dict[str, Any]:
        """Run one command; returns the result object (``id`` removed), possibly with ``error``.

        A worker that died or timed out earlier is restarted first.
        """
        with self._lock:
            self._ensure_started()
            return self._call_unlocked(cmd, self.timeout if timeout is None else timeout, params)

    def _call_unlocked(self, cmd: str, timeout: float, params: dict[str, Any]) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        self._next_id += 1
        req_id = self._next_id
        line = json.dumps({"id": req_id, "cmd": cmd, "params": params}, ensure_ascii=True)
        try:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
        except OSError as exc:
            raise NodeWorkerError(self._died(f"{cmd}: cannot write to the Node worker")) from exc
        return self._read(req_id, cmd, timeout)

    def call_ok(
        self, cmd: str, /, *, timeout: float | None = None, **params: Any
    ) -> dict[str, Any]:
        """Like ``call`` but raise ``NodeWorkerError`` when the result carries ``error``."""
        result = self.call(cmd, timeout=timeout, **params)
        if "error" in result:
            raise NodeWorkerError(f"{cmd} failed: {result['error']}")
        return result

    def _read(self, req_id: int, cmd: str, timeout: float) -> dict[str, Any]:
        while True:
            try:
                item = self._lines.get(timeout=timeout)
            except queue.Empty:
                self._kill()
                raise NodeWorkerTimeout(
                    f"{cmd}: no answer from the Node worker within {timeout}s\n{self.stderr_tail}"
                ) from None
            if item is _EOF:
                raise NodeWorkerError(self._died(f"{cmd}: Node worker exited"))
            assert isinstance(item, str)
            try:
                msg = json.loads(item)
            except json.JSONDecodeError as exc:
                raise NodeWorkerError(f"{cmd}: worker wrote a non-JSON line: {item!r}") from exc
            if not isinstance(msg, dict):
                raise NodeWorkerError(f"{cmd}: worker wrote a non-object line: {item!r}")
            if msg.get("id") == req_id:
                del msg["id"]
                return msg
            # An answer to an earlier request that timed out on our side: drop it.

    # -- plumbing --------------------------------------------------------------------------

    @staticmethod
    def _pump(stream: Any, sink: queue.Queue[object]) -> None:
        for line in stream:
            sink.put(line)
        sink.put(_EOF)

    def _drain_stderr(self, stream: Any) -> None:
        # Drained continuously so a chatty library can never block the worker on a full pipe.
        for line in stream:
            self._stderr.append(line.rstrip("\n"))

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait(timeout=5)

    def _died(self, what: str) -> str:
        proc, self._proc = self._proc, None
        code: int | None = None
        if proc is not None:
            try:
                code = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait(timeout=5)
        return f"{what} (exit code {code})\n--- worker stderr ---\n{self.stderr_tail}"


@dataclass
class NodeServer:
    """`node passkey_server.mjs` listening on 127.0.0.1:`port`; `stderr` keeps its log."""

    port: int
    stderr: deque[str] = field(default_factory=lambda: deque(maxlen=200))

    def origin(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}"

    @property
    def log(self) -> str:
        return "\n".join(self.stderr)


@contextmanager
def passkey_server(spec: dict[str, Any], *, node: str | None = None) -> Iterator[NodeServer]:
    """The real `@auth/core` with its Passkey provider and the Kysely adapter on Node's http
    server (`tests/interop/node/passkey_server.mjs`); `spec` holds `secret`, `database` (as for
    `kysely.call`), and optionally `passkey` (provider options) and `session`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
    proc = subprocess.Popen(
        [node or shutil.which("node") or "node", "passkey_server.mjs", json.dumps(spec)],
        cwd=NODE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None and proc.stdin is not None
    stdout = proc.stdout
    stderr: deque[str] = deque(maxlen=200)

    def drain(stream: Any) -> None:
        for line in stream:
            stderr.append(line.rstrip("\n"))

    threading.Thread(target=drain, args=(proc.stderr,), daemon=True).start()
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            first = lines.get(timeout=30)
        except queue.Empty:
            first = ""
        if not first.startswith("listening "):
            raise NodeWorkerError(
                f"passkey_server.mjs did not start: {first!r}\n" + "\n".join(stderr)
            )
        yield NodeServer(int(first.split()[1]), stderr)
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
