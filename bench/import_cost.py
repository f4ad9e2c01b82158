"""What importing authcore and one built-in provider costs, and what it loads.

    .venv/bin/python bench/import_cost.py [--runs N] [--json]

Each measurement runs in a fresh process (`import authcore` in a new interpreter; each
provider module in a child forked from an interpreter that has imported `authcore` and the
provider model, so the child pays only for the provider). Prints the median wall time of
`import authcore`, which catalog modules it loaded (target: none), and per provider module
the import time and the catalog modules loaded besides it (target: none), with PASS/FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from importlib import import_module
from typing import Any

from authcore.providers._registry import builtin_index

CATALOG = {module for module, _ in builtin_index().values()}
# what every provider module shares: imported before forking, so a child pays only for its own
PRELOAD = ("authcore", "authcore.providers", "authcore.providers.oauth")


def _fresh_import_authcore() -> tuple[float, list[str]]:
    code = (
        "import time, sys\nt = time.perf_counter()\nimport authcore\n"
        "print(time.perf_counter() - t)\n"
        "print(','.join(m for m in sys.modules if m.startswith('authcore.providers.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    loaded = [m for m in out[1].split(",") if m in CATALOG]
    return float(out[0]), loaded


def _child_import(module: str) -> dict[str, Any]:
    """Import `module` in a forked child: its time and the catalog modules it brought."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        before = set(sys.modules)
        start = time.perf_counter()
        import_module(module)
        elapsed = time.perf_counter() - start
        added = sorted(set(sys.modules) - before)
        result = {
            "seconds": elapsed,
            "modules": len(added),
            "catalog": [m for m in added if m in CATALOG and m != module],
        }
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    data: dict[str, Any] = json.loads(b"".join(chunks))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    fresh = [_fresh_import_authcore() for _ in range(args.runs)]
    authcore_s = statistics.median(t for t, _ in fresh)
    authcore_loaded = sorted({m for _, loaded in fresh for m in loaded})
    for name in PRELOAD:
        import_module(name)
    providers = {}
    for module in sorted(CATALOG):
        runs = [_child_import(module) for _ in range(args.runs)]
        providers[module] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "modules": runs[0]["modules"],
            "catalog": runs[0]["catalog"],
        }
    leaking = {m: p["catalog"] for m, p in providers.items() if p["catalog"]}
    times = sorted(p["seconds"] for p in providers.values())
    result = {
        "python": sys.version.split()[0],
        "runs": args.runs,
        "import_authcore_ms": round(authcore_s * 1000, 2),
        "import_authcore_catalog_modules": authcore_loaded,
        "provider_modules": len(providers),
        "provider_import_ms": {
            "median": round(statistics.median(times) * 1000, 3),
            "max": round(times[-1] * 1000, 3),
            "all": round(sum(times) * 1000, 1),
        },
        "slowest": sorted(
            ((m, round(p["seconds"] * 1000, 3)) for m, p in providers.items()),
            key=lambda x: -x[1],
        )[:5],
        "providers_loading_other_providers": leaking,
        "pass": not authcore_loaded and not leaking,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0 if result["pass"] else 1
    print(f"import authcore: {result['import_authcore_ms']} ms (median of {args.runs} fresh)")
    print(
        f"  catalog modules loaded: {authcore_loaded or 'none'}  "
        f"{'PASS' if not authcore_loaded else 'FAIL'} (target: none)"
    )
    spread = result["provider_import_ms"]
    print(
        f"one provider module, after authcore and the provider model: median "
        f"{spread['median']} ms, max {spread['max']} ms over {len(providers)} modules "
        f"(all of them: {spread['all']} ms)"
    )
    slowest = ", ".join(f"{m.rsplit('.', 1)[1]} {t} ms" for m, t in result["slowest"])
    print(f"  slowest: {slowest}")
    print(
        f"  modules loading another catalog module: {leaking or 'none'}  "
        f"{'PASS' if not leaking else 'FAIL'} (target: none)"
    )
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
