"""The repository's bench modules (bench/), for the tests of the bench itself: they import
each other by bare name (`import _wrk`), so bench/ is on the path while one is imported."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"


def import_bench(name: str) -> Any:
    """`bench/<name>.py` as the module `name`, with bench/ on the path only while importing."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCH))
