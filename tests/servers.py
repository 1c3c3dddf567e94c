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
def serving(log_path: Path, *, env: dict[str, str], workers: int = 1,
            ready: Callable[[str], bool] | None = None) -> Iterator[tuple[str, int]]:
    """``ipgraph serve`` over the checkout with ``env`` added; yields its URL and process id once
    ``ready(url)`` (by default: /health answers 200)."""
    port = free_port()
    with log_path.open("w+b") as log:
        proc = subprocess.Popen([sys.executable, "-m", "ipgraph.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)],
                                env={**os.environ, "IPGRAPH_ROOT": str(ROOT), **env},
                                stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        try:
            while not (ready or (lambda u: answers(f"{u}/health")))(url):
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"ipgraph serve exited: {log.read().decode(errors='replace')}")
                if time.monotonic() > deadline:
                    raise RuntimeError("ipgraph serve did not answer within 120 s")
                time.sleep(0.1)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
