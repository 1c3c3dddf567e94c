"""Answers shared by every process of a server: a SQLite file of that server's own.

Each web worker keeps its own small cache in memory (:class:`ipgraph.cache.Cache`), but a server
runs several workers, and a query answered by one was, to the others, never asked: the same heavy
query was paid for once per worker. ``ipgraph serve`` makes this file when it starts, for the
answers of its one version of the data, and hands it to every worker. A lookup reads one row by
its key's digest; a miss costs the same read. Writing never waits long and never fails a request:
a write that finds the file busy is dropped, and the answer is simply not shared.

Entries leave in the order they came (no write on a hit, so readers never contend): when the
file holds more than ``max_bytes`` of answers, the oldest go first. A refusal kept for a while
only (a query stopped at a limit) carries its expiry.

>>> import tempfile
>>> from ipgraph.store.base import Answer
>>> from ipgraph.errors import QueryTimeout
>>> with tempfile.TemporaryDirectory() as folder:
...     cache = SharedAnswers(Path(folder) / "answers.sqlite", max_bytes=1000)
...     cache.put(("v1", "q"), Answer("text/csv", b"n\\n1\\n"))
...     cache.put(("v1", "slow"), QueryTimeout("past 10 s"), ttl=60)
...     (cache.get(("v1", "q")), cache.get(("v1", "slow")).message, cache.get(("v1", "other")))
(Answer(media_type='text/csv', body=b'n\\n1\\n'), 'past 10 s', None)
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Hashable
from pathlib import Path

from .. import errors
from ..metrics import CACHE
from .base import Answer

_SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
    key BLOB PRIMARY KEY, kind TEXT NOT NULL, media_type TEXT, body BLOB NOT NULL,
    size INTEGER NOT NULL, expires REAL, added REAL NOT NULL)"""


class SharedAnswers:
    """Answers and refusals of ``/sparql`` queries, shared through the SQLite file at ``path``."""

    def __init__(self, path: Path | None, *, max_bytes: int, busy_ms: int = 50):
        """``path`` None: a process of its own, sharing nothing (every lookup is a miss)."""
        self.path, self.max_bytes, self.busy_ms = path, max_bytes, busy_ms
        self._local = threading.local()
        if path is not None:
            try:
                self._db().execute(_SCHEMA)
            except sqlite3.Error:
                self.path = None  # no file to share through (a read-only folder): every call is a miss

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=self.busy_ms / 1000, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a lost entry is a miss, not an error
            self._local.db = db
        return db

    @staticmethod
    def digest(key: Hashable) -> bytes:
        return hashlib.sha256(repr(key).encode("utf-8")).digest()

    def get(self, key: Hashable) -> Answer | errors.Problem | None:
        row = None
        if self.path is not None:
            try:
                row = self._db().execute(
                    "SELECT kind, media_type, body FROM answers WHERE key = ? AND (expires IS NULL OR expires > ?)",
                    (self.digest(key), time.time())).fetchone()
            except sqlite3.Error:
                row = None
        CACHE.labels("sparql-shared", "miss" if row is None else "hit").inc()
        if row is None:
            return None
        kind, media_type, body = row
        if kind == "answer":
            return Answer(media_type, body)
        problem = getattr(errors, kind, None)
        if isinstance(problem, type) and issubclass(problem, errors.Problem):
            return problem(body.decode("utf-8"))
        return None

    def put(self, key: Hashable, value: Answer | errors.Problem, *, ttl: float | None = None) -> None:
        if self.path is None:
            return
        if isinstance(value, Answer):
            kind, media_type, body = "answer", value.media_type, value.body
        else:
            kind, media_type, body = type(value).__name__, None, value.message.encode("utf-8")
        if len(body) > self.max_bytes // 4:
            return
        now = time.time()
        try:
            db = self._db()
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (self.digest(key), kind, media_type, body, len(body), None if ttl is None else now + ttl, now))
            total = db.execute("SELECT COALESCE(SUM(size), 0) FROM answers").fetchone()[0]
            if total > self.max_bytes:
                db.execute("""DELETE FROM answers WHERE key IN (
                                SELECT key FROM (SELECT key, SUM(size) OVER (ORDER BY added DESC) AS kept
                                                 FROM answers) WHERE kept > ?)""", (self.max_bytes,))
        except sqlite3.Error:
            pass  # busy or full: this answer is not shared, the request is answered all the same
