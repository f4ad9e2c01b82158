"""One `wrk` run for `bench/run --server` (script: bench/servers/load.lua) and the parsing of
its figures. Only successes count: for a case with an expected redirect, a response with
another status or `Location` is a miss (checked by the script), for the others any status
>= 400 (counted by wrk itself)."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["LOAD_LUA", "Load", "parse", "run"]

LOAD_LUA = Path(__file__).resolve().parent / "servers" / "load.lua"
_MARK = "WRK_JSON "


@dataclass(frozen=True)
class Load:
    """What wrk sends and what counts as a success."""

    method: str = "GET"
    cookie: str = ""
    body: str = ""
    expect_status: int | None = None  # checked per response only for redirect cases
    location: str = ""  # exact `Location` expected
    location_prefix: str = ""  # or its prefix


def parse(stdout: str) -> dict[str, Any]:
    """The JSON line of load.lua, plus `ok` (successful responses), `rps` (successes per
    second, the figure kept) and `raw_rps` (every response per second)."""
    line = next((x for x in stdout.splitlines() if x.startswith(_MARK)), None)
    if line is None:
        raise ValueError(f"no {_MARK.strip()} line in wrk's output: {stdout[-500:]!r}")
    data: dict[str, Any] = json.loads(line.removeprefix(_MARK))
    seconds = data["duration_us"] / 1e6
    if seconds <= 0:
        raise ValueError(f"wrk ran for {data['duration_us']} µs")
    missed = data["unexpected"] if data.get("unexpected", -1) >= 0 else data["status_errors"]
    data["ok"] = max(0, data["requests"] - missed)
    data["rps"] = data["ok"] / seconds
    data["raw_rps"] = data["requests"] / seconds
    return data


def run(url: str, load: Load, seconds: float, connections: int) -> dict[str, Any]:
    env = {**os.environ, "WRK_METHOD": load.method, "WRK_BODY": load.body}
    env |= {"WRK_COOKIE": load.cookie, "WRK_LOCATION": load.location}
    env |= {"WRK_LOCATION_PREFIX": load.location_prefix}
    env["WRK_EXPECT_STATUS"] = "" if load.expect_status is None else str(load.expect_status)
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s"]
    argv += ["-s", str(LOAD_LUA), url]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, timeout=600)
    return parse(out.stdout)
