"""Running `ipgraph serve` for a test: a free port on 127.0.0.1, ready when it answers, stopped after."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


@contextlib.contextmanager
def running(command: list[str], log_path: Path, ready: Callable[[], bool], *, env: dict[str, str] | None = None,
            cwd: Path | None = None, within: float = 120, stop_within: float = 30) -> Iterator[int]:
    """Run ``command`` (its output in ``log_path``) until the ``with`` block ends; enter, with its
    process id, once ``ready()``. Stopped with SIGTERM, then SIGKILL after ``stop_within`` seconds."""
    with log_path.open("w+b") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                env={**os.environ, **(env or {})})
        deadline = time.monotonic() + within
        try:
            while not ready():
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"{command[0]} exited: {log.read().decode(errors='replace')}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not answer within {within:.0f} s")
                time.sleep(0.1)
            yield proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=stop_within)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def serving(log_path: Path, *, env: dict[str, str], workers: int = 1,
            ready: Callable[[str], bool] | None = None) -> Iterator[tuple[str, int]]:
    """``ipgraph serve`` over the checkout with ``env`` added; yields its URL and process id once
    ``ready(url)`` (by default: /health answers 200)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "ipgraph.cli", "serve", "--port", str(port), "--workers", str(workers)]
    check = ready or (lambda u: answers(f"{u}/health"))
    with running(command, log_path, lambda: check(url), env={"IPGRAPH_ROOT": str(ROOT), **env},
                 stop_within=15) as pid:
        yield url, pid
