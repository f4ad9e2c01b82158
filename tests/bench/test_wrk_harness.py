"""The parsing half of `bench/run --server`'s wrk runs (bench/_wrk.py): which responses count.
No timing is asserted; wrk itself is not run here."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


wrk = _load("_wrk")


def _out(**fields: Any) -> str:
    figures = {
        "requests": 1000,
        "duration_us": 2_000_000,
        "status_errors": 0,
        "socket_errors": 0,
        "unexpected": -1,
        "p50_us": 900,
        "p90_us": 1500,
        "p99_us": 4000,
        "mean_us": 1000.5,
    } | fields
    return "Running 2s test @ http://127.0.0.1:1/\n  1 threads\nWRK_JSON " + json.dumps(figures)


def test_without_a_response_check_status_errors_are_the_misses() -> None:
    data = wrk.parse(_out(status_errors=100))
    assert data["ok"] == 900
    assert data["rps"] == 450.0
    assert data["raw_rps"] == 500.0


def test_a_redirect_case_counts_only_the_expected_redirects() -> None:
    # A 302 to the error page is not a status error for wrk; the script's count decides.
    data = wrk.parse(_out(status_errors=0, unexpected=250))
    assert data["ok"] == 750
    assert data["rps"] == 375.0


def test_every_response_unexpected_gives_zero() -> None:
    assert wrk.parse(_out(unexpected=1000))["rps"] == 0.0


@pytest.mark.parametrize("stdout", ["", "Running 1s test\nsocket errors: connect 16\n"])
def test_no_figures_is_an_error_not_a_zero(stdout: str) -> None:
    with pytest.raises(ValueError, match="WRK_JSON"):
        wrk.parse(stdout)


def test_a_zero_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="ran for 0"):
        wrk.parse(_out(duration_us=0))


def test_the_script_reports_every_field_parse_reads() -> None:
    script = wrk.LOAD_LUA.read_text()
    for name in ("requests", "duration_us", "status_errors", "socket_errors", "unexpected"):
        assert f'"{name}"' in script
