"""What the benchmarks share: the project on the import path, and one way of timing."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def median_ms(run: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` timed calls of ``run``, after one untimed warm-up, in milliseconds."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000
