"""Query workers started ahead of time: each answers many untrusted queries, and one that must
die (past its time limit, out of its memory, or crashed by the engine) is replaced off the
request path.

A request takes an idle worker, sends it the query and waits for the answer until the time
limit. Past it the worker is killed — the engine cannot be interrupted, so that is how a query is
stopped — and the request is answered with :class:`~ipgraph.errors.QueryTimeout`; a new worker
is started in the background. At most ``size`` queries run at once and at most ``queue`` wait
for a worker; one more is refused at once with :class:`~ipgraph.errors.ServiceBusy` (503 and
``Retry-After``), so that requests waiting on queries never hold every thread of the server.

Workers are processes of their own (``python -m ipgraph.store.worker``), started with
``subprocess``, not forked from a server that runs threads. A pool belongs to the process that made
it: in a child made by ``fork`` it starts afresh.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import QueryTimeout, ServiceBusy
from ..metrics import QUERIES_STOPPED, QUERY_QUEUE, QUERY_WORKERS
from .frames import frame
from .memory import data_size

log = logging.getLogger("ipgraph.store")

START_TIMEOUT = 60.0  # seconds a new worker may take to open the store
RETRY_AFTER = 2  # seconds a refused client is told to wait


@dataclass(eq=False)
class Worker:
    process: subprocess.Popen
    baseline: int = 0  # bytes of data (VmData) when it became ready

    @property
    def pid(self) -> int:
        return self.process.pid

    def data_size(self) -> int:
        try:
            return data_size(self.pid)
        except (OSError, StopIteration):
            return 0

    def send(self, data: bytes) -> None:
        stdin = self.process.stdin
        if stdin is None:
            raise OSError("the worker has no input")
        stdin.write(frame(data))
        stdin.flush()

    def receive(self, deadline: float) -> bytes | None:
        """The next frame, or ``None`` if the worker ended; :class:`TimeoutError` past ``deadline``."""
        if self.process.stdout is None:
            return None
        fd = self.process.stdout.fileno()
        header = _read_exact(fd, 4, deadline)
        if header is None:
            return None
        return _read_exact(fd, int.from_bytes(header, "big"), deadline)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)

    def finish(self) -> None:
        """Wait for the process to end and release its pipes."""
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        self.process.wait()


def _read_exact(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, left = [], size
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class QueryPool:
    """``size`` query workers over the store at ``path``, each allowed ``max_memory`` MiB, and up to
    ``max_size`` while every one is busy.

    When a query finds no idle worker and fewer than ``max_size`` run, another is started for it,
    so that a few queries that must be stopped do not hold up the good ones for their whole time
    limit; a worker beyond ``size`` retires once enough others are idle.
    """

    def __init__(self, path: Path, *, size: int, queue_size: int, max_memory: int, max_size: int | None = None):
        self.path, self.size, self.queue_size, self.max_memory = path, size, queue_size, max_memory
        self.max_size = max(size, max_size or size)
        self._reset()
        atexit.register(self.close)

    def _reset(self) -> None:
        self._owner = os.getpid()
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._admission = threading.BoundedSemaphore(self.max_size + self.queue_size)
        self._lock = threading.Lock()
        self._workers: set[Worker] = set()
        self._started = False
        self._closed = False
        self._waiting = 0
        self._to_start: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._pending = 0  # workers asked for and not started yet
        self._starting = threading.Lock()  # held while a worker starts, so close() can wait for it

    # -- what requests see --

    def answer(self, request: bytes, *, timeout: float) -> bytes:
        """Send ``request`` to a worker and return its answer, or ``b""`` if the worker ended
        before it answered. Waits at most ``timeout`` for a free worker and ``timeout`` for the answer."""
        self.start()
        if not self._admission.acquire(blocking=False):
            QUERIES_STOPPED.labels("busy").inc()
            raise ServiceBusy(f"all {self.size} query workers are busy and {self.queue_size} queries are "
                              "waiting; try again shortly", retry_after=RETRY_AFTER)
        try:
            worker = self._take(timeout)
            try:
                worker.send(request)
                payload = worker.receive(time.monotonic() + timeout)
            except TimeoutError:
                QUERIES_STOPPED.labels("timeout").inc()
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was "
                                   "stopped; narrow it down or add LIMIT") from None
            except OSError:
                payload = None
            if payload is None:  # the worker ended: over its memory, or the engine failed
                QUERIES_STOPPED.labels("aborted").inc()
                self._replace(worker)
                return b""
            if worker.data_size() - worker.baseline > self.max_memory * 2**20 // 2:
                self._replace(worker)  # it keeps what it took; a fresh one has its whole allowance
            elif len(self._workers) > self.size and self._idle.qsize() >= self.size:
                self._retire(worker)  # a worker started for a busy moment, no longer needed
            else:
                self._idle.put(worker)
            return payload
        finally:
            self._admission.release()

    def _take(self, timeout: float) -> Worker:
        with self._lock:
            self._waiting += 1
        QUERY_QUEUE.inc()
        try:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                self._grow()
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            QUERIES_STOPPED.labels("busy").inc()
            raise ServiceBusy(f"no query worker was free within {timeout:g} s; try again shortly",
                              retry_after=RETRY_AFTER) from None
        finally:
            QUERY_QUEUE.dec()
            with self._lock:
                self._waiting -= 1

    def pids(self) -> set[int]:
        """The process ids of the workers running now."""
        with self._lock:
            return {w.pid for w in self._workers}

    def status(self) -> dict[str, int]:
        return {"workers": len(self._workers), "idle": self._idle.qsize(), "waiting": self._waiting}

    # -- workers --

    def start(self) -> None:
        """Start the workers, once per process (in the background: the first query waits for one)."""
        if self._owner != os.getpid():  # forked: the parent's workers are not ours
            self._reset()
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
        # One thread starts every worker, for as long as the process lives: a worker dies with the
        # thread that started it (PR_SET_PDEATHSIG follows the thread, not the process).
        threading.Thread(target=self._starter, name="ipgraph-query-workers", daemon=True).start()
        for _ in range(self.size):
            self._start_one_in_background()

    def _start_one_in_background(self) -> None:
        with self._lock:
            self._pending += 1
        self._to_start.put(None)

    def _grow(self) -> None:
        """Ask for one more worker, if fewer than ``max_size`` run or are starting."""
        with self._lock:
            grow = len(self._workers) + self._pending < self.max_size and not self._closed
        if grow:
            self._start_one_in_background()

    def _starter(self) -> None:
        while True:
            self._to_start.get()
            if self._closed:
                return
            try:
                with self._starting:
                    if not self._closed:
                        self._start_one()
            except Exception:  # noqa: BLE001 - logged; the pool goes on with the workers it has
                log.exception("could not start a query worker over %s", self.path)
            finally:
                with self._lock:
                    self._pending -= 1

    def _start_one(self) -> None:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, this package's module, our own arguments
            [sys.executable, "-m", "ipgraph.store.worker", str(self.path), str(self.max_memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        worker = Worker(process)
        try:
            ready = worker.receive(time.monotonic() + START_TIMEOUT)
        except TimeoutError:
            ready = None
        if ready != b"ready":
            if not self._closed:
                log.error("a query worker over %s did not start (exit status %s)", self.path, process.poll())
            worker.kill()
            worker.finish()
            return
        worker.baseline = worker.data_size()
        with self._lock:
            if self._closed or self._owner != os.getpid():
                worker.kill()
                worker.finish()
                return
            self._workers.add(worker)
        QUERY_WORKERS.inc()
        self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another if fewer than ``size`` are left; off the request path."""
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
            short = len(self._workers) + self._pending < self.size and not self._closed
        QUERY_WORKERS.dec()
        threading.Thread(target=worker.finish, name="ipgraph-query-worker-reap", daemon=True).start()
        if short:
            self._start_one_in_background()

    def _retire(self, worker: Worker) -> None:
        """Let ``worker`` end: its input closes, it finishes and exits."""
        with self._lock:
            self._workers.discard(worker)
        QUERY_WORKERS.dec()
        threading.Thread(target=worker.finish, name="ipgraph-query-worker-retire", daemon=True).start()

    def close(self) -> None:
        """Stop every worker of this process."""
        if self._owner != os.getpid():
            return
        with self._lock:
            self._closed = True
        # A worker being started finishes starting first (and sees the pool closed).
        with self._starting, self._lock:
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()
            worker.finish()
            QUERY_WORKERS.dec()
