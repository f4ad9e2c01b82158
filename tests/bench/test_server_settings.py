"""`bench/run --server`'s settings and report (bench/server.py, bench/_servers.py,
bench/_server_report.py, bench/_svg.py): the gunicorn worker settings and their labels, the
servers they make, the rounds per case, the targets held per setting, the chart. No server
or wrk runs here and nothing is timed."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from tests.support.bench import import_bench

servers_mod = import_bench("_servers")
report_mod = import_bench("_server_report")
server_mod = import_bench("server")
svg_mod = import_bench("_svg")

SPEC = {"secret": "s" * 32, "base_path": "/api/auth", "bare_json": "{}"}


@pytest.mark.parametrize(
    ("setting", "label", "argv"),
    [
        ("sync", "gunicorn sync", ["--worker-class", "sync"]),
        ("gthread:4", "gunicorn gthread 4t", ["--worker-class", "gthread", "--threads", "4"]),
        ("gevent", "gunicorn gevent", ["--worker-class", "gevent"]),
        (
            "gevent:200",
            "gunicorn gevent 200c",
            ["--worker-class", "gevent", "--worker-connections", "200"],
        ),
    ],
)
def test_each_worker_setting_has_a_label_and_gunicorn_arguments(
    setting: str, label: str, argv: list[str]
) -> None:
    assert servers_mod.gunicorn_args(setting) == (label, argv)


@pytest.mark.parametrize(
    "setting", ["", "gevent:", "gevent:0", "gevent:x", "gthread", "gthread:0", "sync:2", "eventlet"]
)
def test_a_malformed_setting_is_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="gevent:<worker_connections>"):
        servers_mod.gunicorn_args(setting)


def test_the_default_run_measures_flask_and_django_on_gthread_and_gevent() -> None:
    args = server_mod.parse_args(["--server"])
    names = [s.name for s in servers_mod.servers(1, SPEC, args.gunicorn.split(","))]
    for framework in ("flask", "django"):
        assert f"{framework} (gunicorn gthread 4t)" in names
        assert f"{framework} (gunicorn gevent)" in names
    # each framework's settings side by side, the ASGI Django after the WSGI ones
    assert names.index("django (uvicorn)") == len(names) - 1
    assert names.index("flask (gunicorn gevent)") - names.index("flask (gunicorn gthread 4t)") == 1


def test_every_gunicorn_server_gets_its_settings_arguments() -> None:
    group = servers_mod.servers(2, SPEC, ["gthread:4", "gevent:50"])
    gevent = [s for s in group if "gevent" in s.name]
    assert [s.key for s in gevent] == ["django-wsgi", "flask"]
    for server in gevent:
        argv = server.argv
        assert argv[argv.index("--worker-class") + 1] == "gevent"
        assert argv[argv.index("--worker-connections") + 1] == "50"
        assert argv[argv.index("-w") + 1] == "2"
        assert "--threads" not in argv


def test_frameworks_picks_every_setting_of_a_framework() -> None:
    group = servers_mod.servers(1, SPEC, ["gthread:4", "gevent"])
    picked = server_mod.pick(group, "flask", "frameworks", family=True)
    assert [s.name for s in picked] == ["flask (gunicorn gthread 4t)", "flask (gunicorn gevent)"]


@pytest.mark.parametrize("value", ["gevent:-1", "gthread:4,bogus", "gevent,gevent"])
def test_parse_args_fails_before_anything_starts(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        server_mod.parse_args(["--server", "--gunicorn", value])
    assert "--gunicorn" in capsys.readouterr().err


def test_cases_without_a_target_run_one_round() -> None:
    todo = server_mod.cases({"authorization": "http://idp/authorize"}, "session=x")
    rounds = {c.key: server_mod.rounds_of(c, 2) for c in todo}
    assert rounds == {
        "bare": 2,
        "session": 2,
        "session-out": 1,
        "csrf": 1,
        "signin": 2,
        "callback": 2,
    }
    assert all(server_mod.rounds_of(c, 1) == 1 for c in todo)
    # the targets read only the signed-in session and the bare route: both get every round
    assert {c.name for c in todo if c.one_round}.isdisjoint({report_mod.SESSION, report_mod.BARE})


def test_the_expected_duration_counts_the_one_round_cases_once() -> None:
    todo = server_mod.cases({"authorization": "http://idp/authorize"}, "session=x")
    args = SimpleNamespace(seconds=3.0, rounds=2, memory_requests=0, workers="1,2")
    figures, memory = server_mod.expected_seconds(2, todo, 8, 7, args)
    per_figure = 3 + server_mod.FIGURE_OVERHEAD_S
    assert figures == pytest.approx(2 * 8 * (4 * 2 + 2 * 1) * per_figure + 2 * (10 + 8 * 6 * 0.4))
    assert memory == 0.0


def _fig(rps: float) -> dict[str, Any]:
    return {"rps": rps, "p50_us": 1000, "p99_us": 2000, "status_errors": 0, "socket_errors": 0}


def test_each_gunicorn_setting_is_held_to_the_target_against_node() -> None:
    node = servers_mod.NODE
    res = {
        node: {report_mod.SESSION: report_mod.summarise([_fig(500)])},
        "flask (gunicorn gthread 4t)": {report_mod.SESSION: report_mod.summarise([_fig(1000)])},
        "flask (gunicorn gevent)": {report_mod.SESSION: report_mod.summarise([_fig(1600)])},
    }
    frameworks = {node: "node", **{name: "flask" for name in res if name != node}}
    goals = report_mod.targets({"1": res}, frameworks, node, {})
    by_name = {t["target"]: t for t in goals}
    gthread = by_name["flask (gunicorn gthread 4t) GET /session ÷ @auth/core, 1 worker(s)"]
    gevent = by_name["flask (gunicorn gevent) GET /session ÷ @auth/core, 1 worker(s)"]
    assert (gthread["measured"], gthread["pass"]) == (2.0, False)
    assert (gevent["measured"], gevent["pass"]) == (3.2, True)
    assert len(goals) == 2


def test_the_targets_column_fits_the_longest_name(capsys: pytest.CaptureFixture[str]) -> None:
    long = "starlette (uvicorn, jwt_reissue) GET /session ÷ @auth/core, 2 worker(s)"
    report = {
        "meta": {
            "connections": 16,
            "seconds_per_figure": 3,
            "rounds": 2,
            "load_average_1_5_15": [(1.0, 1.0, 1.0)],
            "elapsed_s": 1.0,
        },
        "results": {},
        "memory": {},
        "targets": [
            {"target": long, "goal": ">= 6x", "measured": 7.0, "pass": True},
            {"target": "short", "goal": ">= 3x", "measured": 1.0, "pass": False},
        ],
    }
    report_mod.print_report(report)
    lines = [x for x in capsys.readouterr().out.splitlines() if "goal" in x]
    assert len({x.index("goal") for x in lines}) == 1


def _bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="\d+" y="[\d.]+" width="([\d.]+)"', svg)]


def test_each_case_of_the_chart_has_its_own_scale() -> None:
    rows = [
        ("bare", "node, 1w", 40_000.0, 40_000.0, 40_000.0),
        ("session", "flask (gunicorn gthread 4t), 1w", 500.0, 500.0, 500.0),
        ("session", "flask (gunicorn gevent), 1w", 1000.0, 900.0, 1000.0),
    ]
    widths = _bar_widths(svg_mod.bar_chart("t", rows))
    assert widths == [svg_mod.PLOT_W, svg_mod.PLOT_W / 2, svg_mod.PLOT_W]


def test_a_second_setting_of_a_framework_is_drawn_lighter() -> None:
    gthread = svg_mod._colour("flask (gunicorn gthread 4t), 1w")
    gevent = svg_mod._colour("flask (gunicorn gevent), 1w")
    assert gthread == svg_mod._COLOURS["flask"]
    assert gevent != gthread
    assert all(
        int(gevent[i : i + 2], 16) > int(gthread[i : i + 2], 16) for i in (1, 3, 5)
    )  # lighter in every channel
