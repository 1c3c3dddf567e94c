"""A bounded cache of answers, keyed on what asked and on the data's version.

The data are read-only between builds, so an answer stays right until the version changes: the
key carries the version, and entries of an older version simply age out. The cache holds at most
``max_bytes`` of values (each value states its size) and drops the least recently used first; a
value larger than a quarter of the budget is not kept. It is one per process and thread-safe.

>>> cache = Cache("demo", max_bytes=100)
>>> cache.put(("v1", "a"), b"12345", size=5)
>>> cache.get(("v1", "a"))
b'12345'
>>> cache.put(("v1", "b"), b"x" * 30, size=30)   # over a quarter of the budget: not kept
>>> cache.get(("v1", "b")) is None
True
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from .metrics import CACHE


class Cache:
    def __init__(self, name: str, *, max_bytes: int):
        self.name, self.max_bytes = name, max_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int, float | None]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[2] is not None and entry[2] < time.monotonic():
                self._drop(key)
                entry = None
            if entry is not None:
                self._entries.move_to_end(key)
        CACHE.labels(self.name, "miss" if entry is None else "hit").inc()
        return None if entry is None else entry[0]

    def put(self, key: Hashable, value: Any, *, size: int, ttl: float | None = None) -> None:
        """Keep ``value`` (``size`` bytes) under ``key``; for ``ttl`` seconds only, if given."""
        if size > self.max_bytes // 4:
            return
        expires = None if ttl is None else time.monotonic() + ttl
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, size, expires)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        _, size, _ = self._entries.pop(key)
        self._bytes -= size

    def __len__(self) -> int:
        return len(self._entries)
