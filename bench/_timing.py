"""Timing: warm up, size a batch to a minimum duration, take several batches, report the median.

The same method as bench/node/bench.mjs, so the two sides are comparable: the batch grows
until it lasts `min_batch_ms`, then `repeats` batches are timed with `perf_counter_ns` and the
median per-op time is the figure. The GC stays on (a server runs with it on).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Timing", "measure", "measure_async", "measure_each"]


@dataclass(frozen=True)
class Timing:
    min_batch_ms: float = 200.0
    repeats: int = 7
    warmup_ms: float = 200.0
    callback_ops: int = 40
    callback_warmup: int = 10

    def node(self) -> dict[str, Any]:
        return {
            "min_batch_ms": self.min_batch_ms,
            "repeats": self.repeats,
            "warmup_ms": self.warmup_ms,
            "callback_ops": self.callback_ops,
            "callback_warmup": self.callback_warmup,
        }


@dataclass
class Result:
    ns_per_op: float
    samples_ns: list[float] = field(default_factory=list)
    batch: int = 0


def _size_batch(run: Callable[[int], int], timing: Timing) -> int:
    min_ns = timing.min_batch_ms * 1e6
    end = time.perf_counter_ns() + int(timing.warmup_ms * 1e6)
    while time.perf_counter_ns() < end:
        run(1)
    n = 1
    while True:
        dt = run(n)
        if dt >= min_ns or n >= 1 << 20:
            return n
        n = min(1 << 20, max(n * 2, int(n * min_ns * 1.1 / max(dt, 1)) + 1))


def _collect(run: Callable[[int], int], timing: Timing) -> Result:
    n = _size_batch(run, timing)
    samples = [run(n) / n for _ in range(timing.repeats)]
    return Result(statistics.median(samples), samples, n)


def measure(op: Callable[[], object], timing: Timing) -> Result:
    def run(n: int) -> int:
        clock = time.perf_counter_ns
        t0 = clock()
        for _ in range(n):
            op()
        return clock() - t0

    return _collect(run, timing)


def measure_async(op: Callable[[], Awaitable[object]], timing: Timing) -> Result:
    """Time `await op()` in a loop on one event loop (as a server would call `Auth()`)."""
    loop = asyncio.new_event_loop()
    try:

        async def batch(n: int) -> int:
            clock = time.perf_counter_ns
            t0 = clock()
            for _ in range(n):
                await op()
            return clock() - t0

        return _collect(lambda n: loop.run_until_complete(batch(n)), timing)
    finally:
        loop.close()


def measure_each(op: Callable[[], int], *, ops: int, warmup: int, repeats: int) -> Result:
    """For ops that need untimed set-up each time: `op` returns its own timed ns."""
    for _ in range(warmup):
        op()
    samples = [sum(op() for _ in range(ops)) / ops for _ in range(repeats)]
    return Result(statistics.median(samples), samples, ops)
