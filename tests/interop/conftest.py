"""Fixtures for the interop tests: the session-scoped ``authjs`` worker running the real Auth.js.

``authjs`` installs ``tests/interop/node`` from npm with ``npm ci`` (exact versions from the
committed lockfile, through scripts/_setup.sh's ``npm_ci``) when ``node_modules`` is missing or
holds other versions, starts one ``node worker.mjs`` for the whole session and checks it runs
the pinned packages. A missing ``node``/``npm`` is a test *failure*, not a skip: these tests are
the proof of wire compatibility, so they must not silently vanish from a run. See docs/interop.md.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from authcore.stores.sqlalchemy import SQLAlchemyStore
from tests.support.chromium import launch
from tests.support.django_stores import postgres_database
from tests.support.services import service_url

from .node_bridge import NODE_DIR, NodeWorker

MIN_NODE_MAJOR = 20  # Headers.getSetCookie, global fetch/Request/crypto


def _pinned() -> dict[str, str]:
    deps: dict[str, str] = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]
    return deps


def _installed(name: str) -> str | None:
    pkg = NODE_DIR / "node_modules" / name / "package.json"
    if not pkg.is_file():
        return None
    version: str = json.loads(pkg.read_text())["version"]
    return version


def _needs_install() -> bool:
    return any(_installed(name) != version for name, version in _pinned().items())


def _check_node(node: str | None) -> str:
    if node is None:
        pytest.fail(
            "interop tests need Node.js >= 20 on PATH (`node` not found); they check authcore "
            "against the real @auth/core and next-auth from npm and are never skipped",
            pytrace=False,
        )
    out = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    version = out.stdout.strip()
    try:
        major = int(version.lstrip("v").split(".")[0])
    except ValueError:
        pytest.fail(f"cannot read the Node.js version from {version!r}", pytrace=False)
    if major < MIN_NODE_MAJOR:
        pytest.fail(
            f"interop tests need Node.js >= {MIN_NODE_MAJOR}, found {version}", pytrace=False
        )
    return node


def _npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("interop tests need `npm` on PATH to install tests/interop/node", pytrace=False)
    # Several engineers (or xdist workers) may start a session at once: install under a lock
    # and re-check, so only one `npm ci` runs and nobody imports a half-written node_modules.
    with (NODE_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _needs_install():
            return
        # scripts/_setup.sh's npm_ci: `npm ci`, then better-sqlite3's native addon from the
        # build cache (or compiled once into it: no prebuilt binary is downloaded).
        proc = subprocess.run(
            ["bash", "-c", 'source scripts/_setup.sh && npm_ci "$0"', str(NODE_DIR)],
            cwd=NODE_DIR.parents[2],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if proc.returncode != 0:
            pytest.fail(
                f"`npm ci` in {NODE_DIR} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
                pytrace=False,
            )
    if _needs_install():
        pytest.fail(f"`npm ci` did not install the pinned versions {_pinned()}", pytrace=False)


@pytest.fixture(scope="session")
def authjs() -> Iterator[NodeWorker]:
    """One Node worker for the session; ``authjs.call(cmd, **params)`` (see node_bridge)."""
    node = _check_node(shutil.which("node"))
    if _needs_install():
        _npm_ci()
    worker = NodeWorker(NODE_DIR, node=node)
    try:
        worker.start()
    except Exception as exc:
        pytest.fail(f"cannot start the Node worker: {exc}", pytrace=False)
    try:
        versions = worker.call_ok("versions")
        for name, version in _pinned().items():
            if versions.get(name) != version:
                pytest.fail(
                    f"worker runs {name} {versions.get(name)}, expected {version}", pytrace=False
                )
        yield worker
    finally:
        worker.close()


@pytest.fixture(scope="module")  # not session: Playwright's sync API keeps an event loop
def browser() -> Iterator[Any]:  # running in this thread until it stops
    """Headless Chromium, for the interop tests that need a real browser (passkeys)."""
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def own_worker(authjs: NodeWorker) -> Iterator[NodeWorker]:
    """A Node worker for one module: Auth.js's config checks keep module-level flags (an email
    provider seen once makes every later config without an adapter fail), which must not leak
    into the other interop tests' worker. `authjs` has installed and checked the packages."""
    worker = NodeWorker(NODE_DIR, node=shutil.which("node") or "node")
    worker.start()
    try:
        yield worker
    finally:
        worker.close()


@contextmanager
def shared_database(
    dialect: str, node: NodeWorker, tmp_path: Path
) -> Iterator[tuple[dict[str, Any], SQLAlchemyStore]]:
    """One database for both sides: a SQLite file, or a fresh PostgreSQL database. Yields the
    Node side's description of it (for `stores.mjs`) and authcore's store on it."""
    if dialect == "sqlite":
        path = tmp_path / "authcore.db"
        store = SQLAlchemyStore(f"sqlite:///{path}")
        store.create_all()
        try:
            yield {"dialect": "sqlite", "path": str(path)}, store
        finally:
            node.call_ok("kysely.close")
            store.close()
        return
    with postgres_database(service_url("POSTGRES")) as info:
        url = (
            f"postgresql://{info['USER']}:{info['PASSWORD']}@{info['HOST']}:{info['PORT']}"
            f"/{info['NAME']}"
        )
        store = SQLAlchemyStore(url.replace("postgresql://", "postgresql+psycopg://"))
        store.create_all()
        try:
            yield {"dialect": "postgres", "url": url}, store
        finally:
            node.call_ok("kysely.close")
            store.engine.dispose()
