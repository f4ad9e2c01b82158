"""The bench's Flask and Django apps on gunicorn's `gevent` worker answer every case of
`bench/run --server` as the bench checks it before any load: the session read, the signed-out
read, CSRF, the sign-in redirect to the mock IdP and a real OAuth callback through it (httpx's
sync client under gevent's monkey-patching). Real servers, nothing timed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from authcore.testing import MockIdP
from tests.support.bench import import_bench

pytestmark = pytest.mark.e2e

server_mod = import_bench("server")
servers_mod = import_bench("_servers")
run_mod = import_bench("run")
floor_mod = import_bench("_floor")


@pytest.fixture(scope="module")
def idp() -> Iterator[MockIdP]:
    with MockIdP(
        auto_approve=True, instagram_token_shape="with_token_type", replayable_codes=True
    ) as mock:
        yield mock


@pytest.mark.parametrize("framework", ["flask", "django-wsgi"])
@pytest.mark.parametrize("workers", [1, 2])
def test_every_case_answers_on_the_gevent_worker(
    idp: MockIdP, framework: str, workers: int
) -> None:
    options: dict[str, Any] = idp.provider_options("instagram")
    spec = {
        "secret": run_mod.SECRET,
        "base_path": run_mod.BASE_PATH,
        "bare_json": server_mod.bare_json(),
        "instagram_options": options,
    }
    token = floor_mod.mint(
        run_mod.CLAIMS, [run_mod.SECRET], run_mod.SALT, now=int(time.time()), max_age=3600
    )
    every = server_mod.cases(
        {"authorization": options["authorization"]}, run_mod.session_cookie(token)
    )
    signin = next(c for c in every if c.key == "signin")
    group = [s for s in servers_mod.servers(workers, spec, ["gevent"]) if s.key == framework]
    assert [s.name for s in group] == [f"{group[0].framework} (gunicorn gevent)"]
    with servers_mod.running(group, workers) as (server,):
        assert len(servers_mod.worker_pids(server)) == workers
        for case in every:
            # raises with the server, case and answer when anything is off
            server_mod.check(server, server_mod.for_server(server, case, signin))
