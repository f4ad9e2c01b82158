"""The report of `bench/run --server`: the median round per figure, the targets of issue #17
(PASS/FAIL, nothing asserted), the console table and the SVG chart."""

from __future__ import annotations

import statistics
from typing import Any

from _servers import RSS_GROWTH_LIMIT
from _svg import bar_chart

__all__ = [
    "BARE",
    "SESSION",
    "chart",
    "fmt_row",
    "print_report",
    "summarise",
    "targets",
]

SESSION = "GET /session (signed in)"
BARE = "bare route, same JSON"
# (framework, goal as a multiple of @auth/core's signed-in session read)
_GOAL_VS_NODE = {"starlette": 6.0, "flask": 3.0, "django": 3.0}
_GOAL_VS_BARE = {"starlette": 0.35}


def summarise(figs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median round by requests/s (of two, the slower), plus the spread of every round."""
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
        "unexpected": sum(max(0, f.get("unexpected", 0)) for f in figs),
        "rounds": len(figs),
    }


def _rps(res: dict[str, Any], server: str, case: str) -> float | None:
    r = res.get(server, {}).get(case)
    return float(r["rps"]) if r and r["rps"] > 0 else None


def targets(
    results: dict[str, Any], frameworks: dict[str, str], node: str, memory: dict[str, Any]
) -> list[dict[str, Any]]:
    """`frameworks`: server name -> framework. Every server of a framework with a goal is
    held to it (both gunicorn settings when both ran)."""
    out: list[dict[str, Any]] = []
    for workers, res in results.items():
        base = _rps(res, node, SESSION)
        for server, framework in frameworks.items():
            goal = _GOAL_VS_NODE.get(framework)
            mine = _rps(res, server, SESSION)
            if goal is not None and server in res:
                value = None if mine is None or base is None else mine / base
                out.append(_target(f"{server} GET /session ÷ @auth/core", workers, goal, value))
            floor_goal = _GOAL_VS_BARE.get(framework)
            if floor_goal is not None and server in res:
                bare = _rps(res, server, BARE)
                value = None if mine is None or bare is None else mine / bare
                name = f"{server} GET /session ÷ bare route"
                out.append(_target(name, workers, floor_goal, value))
    for name, mem in memory.items():
        out.append(
            {
                "target": f"{name}: RSS per worker after {mem['requests']:,} session reads",
                "goal": f"flat (<= +{RSS_GROWTH_LIMIT:.0%})",
                "measured": mem["growth"],
                "pass": mem["pass"],
            }
        )
    return out


def _target(name: str, workers: str, goal: float, value: float | None) -> dict[str, Any]:
    return {
        "target": f"{name}, {workers} worker(s)",
        "goal": f">= {goal:g}x" if goal >= 1 else f">= {goal:.0%}",
        "measured": value,
        "pass": value is not None and value >= goal,
    }


def fmt_row(name: str, case: str, r: dict[str, Any], spread: str) -> str:
    return (
        f"  {name:<32} {case:<28} {r['rps']:>9,.0f} req/s {spread:<17} "
        f"p50 {r['p50_us'] / 1000:6.2f} ms  p99 {r['p99_us'] / 1000:7.2f} ms"
    )


def print_report(report: dict[str, Any]) -> None:
    meta = report["meta"]
    load = meta["load_average_1_5_15"]
    print(
        f"\nserver bench: wrk 1 thread, {meta['connections']} connections, "
        f"{meta['seconds_per_figure']:g} s per figure, median of {meta['rounds']} round(s); "
        f"load average {load[0][0]:.1f} -> {load[-1][0]:.1f}; {meta['elapsed_s']:.0f} s"
    )
    for workers, res in report["results"].items():
        print(f"\n{workers} worker(s):")
        for server, cs in res.items():
            for case, r in cs.items():
                spread = f"[{r['rps_min']:,.0f}-{r['rps_max']:,.0f}]"
                errors = r["status_errors"] + r["socket_errors"] + r["unexpected"]
                line = fmt_row(server, case, r, spread)
                print(line + (f"  ({errors} failed)" if errors else ""))
    if report["memory"]:
        print("\nmemory (RSS per worker, KiB):")
        for name, mem in report["memory"].items():
            print(
                f"  {name:<28} before {mem['rss_before_kib']}  after {mem['rss_after_kib']} "
                f"({mem['requests']:,} requests, {mem['growth']:+.1%})"
            )
    print("\ntargets:")
    width = max((len(t["target"]) for t in report["targets"]), default=0)
    for t in report["targets"]:
        m = t["measured"]
        shown = "n/a" if m is None else (f"{m:+.1%}" if "RSS" in t["target"] else f"{m:.2f}")
        verdict = "PASS" if t["pass"] else "FAIL"
        print(f"  {verdict}  {t['target']:<{width}} goal {t['goal']:<14} measured {shown}")


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
        title="requests/s through a real server (wrk on 127.0.0.1; each case on its own "
        "scale; whisker: spread of rounds)",
        rows=rows,
    )
