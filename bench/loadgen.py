"""A bounded load generator: Debian's ``wrk`` when it is installed, a Python one otherwise.

Both keep ``connections`` keep-alive connections busy for ``seconds`` against one server on this
machine, each connection sending its next GET as soon as its answer is in (a closed loop), going
round a list of paths. They report the answers with the expected status per second, the 50th and
99th percentile of the latency, and everything else as errors (another status, a time-out, a
broken connection). Only loopback addresses are accepted.

    python bench/loadgen.py http://127.0.0.1:8000/ --path /id/place/guangzhou -c 16 -d 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

MAX_REQUESTS = 2_000_000  # per run, whatever the duration: every loop is bounded in count and time

WRK_SCRIPT = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  wrk.headers["Accept"] = args[2]
  expected = tonumber(args[3])
  index = tonumber(args[4]) % #paths
  ok, bad = 0, 0
end
function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
function response(status, headers, body)
  if status == expected then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local good, other = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    other = other + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"ok": %d, "other_status": %d, "requests": %d, "duration_s": %f, "p50_ms": %f, ' ..
    '"p99_ms": %f, "max_ms": %f, "socket_errors": %d, "timeouts": %d}\n',
    good, other, summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e.connect + e.read + e.write, e.timeout))
end
"""


@dataclass
class Result:
    """One cell: ``connections`` connections for ``duration_s`` seconds."""

    tool: str
    connections: int
    ok: int
    errors: int  # another status, no answer, or an answer later than the time-out
    timeouts: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        """Answers with the expected status per second."""
        return self.ok / self.duration_s if self.duration_s else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rps": self.rps}


def wrk_path() -> str | None:
    if os.environ.get("BENCH_LOADGEN", "") == "python":
        return None
    return shutil.which("wrk")


def check_local(base: str) -> None:
    host = urlsplit(base).hostname or ""
    if not (host == "localhost" or host == "::1" or host.startswith("127.")):
        raise ValueError(f"load is only sent to this machine (127.0.0.0/8, ::1), not to {host!r}")


def run(base: str, paths: list[str], *, accept: str, connections: int, seconds: float,
        expected: int = 200, timeout: float = 10.0) -> Result:
    """Load ``base`` + each of ``paths`` in turn over ``connections`` connections for ``seconds``."""
    check_local(base)
    if not paths:
        raise ValueError("no paths to request")
    wrk = wrk_path()
    if wrk:
        return _run_wrk(wrk, base, paths, accept, connections, seconds, expected, timeout)
    return _run_python(base, paths, accept, connections, seconds, expected, timeout)


def _run_wrk(wrk: str, base: str, paths: list[str], accept: str, connections: int, seconds: float,
             expected: int, timeout: float) -> Result:
    with tempfile.TemporaryDirectory(prefix="ipgraph-wrk-") as folder:
        script, listing = Path(folder) / "mix.lua", Path(folder) / "paths.txt"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        threads = max(1, min(connections, os.cpu_count() or 1))
        command = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                   "--timeout", f"{max(1, round(timeout))}s", "-s", str(script), base.rstrip("/") + "/",
                   "--", str(listing), accept, str(expected), "0"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout + 30, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    r = json.loads(line[len("RESULT "):])
    # wrk counts an answer later than --timeout as a time-out when it comes, and leaves it out of
    # the latencies; the Lua counters saw its status: it is taken back from the good ones
    late = r["timeouts"]
    ok = max(0, r["ok"] - late)
    errors = r["other_status"] + r["socket_errors"] + late
    return Result("wrk", connections, ok, errors, late, r["duration_s"], r["p50_ms"], r["p99_ms"], r["max_ms"])


def _run_python(base: str, paths: list[str], accept: str, connections: int, seconds: float,
                expected: int, timeout: float) -> Result:
    split = urlsplit(base)
    prefix = split.path.rstrip("/")
    latencies: list[list[float]] = [[] for _ in range(connections)]
    counts = [[0, 0, 0] for _ in range(connections)]  # ok, errors, of which time-outs
    started = time.perf_counter()
    deadline = started + seconds
    budget = MAX_REQUESTS // connections

    def worker(n: int) -> None:
        conn = None
        index = n
        for _ in range(budget):
            if time.perf_counter() >= deadline:
                break
            if conn is None:
                conn = http.client.HTTPConnection(split.hostname, split.port, timeout=timeout)
            index = (index + 1) % len(paths)
            sent = time.perf_counter()
            try:
                conn.request("GET", prefix + paths[index], headers={"Accept": accept})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = None
                counts[n][1] += 1
                counts[n][2] += isinstance(exc, TimeoutError)
                continue
            latencies[n].append(time.perf_counter() - sent)
            counts[n][0 if status == expected else 1] += 1
        if conn is not None:
            conn.close()

    workers = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(seconds + timeout + 5)
    duration = min(time.perf_counter(), deadline + timeout) - started
    every = sorted(x for one in latencies for x in one)
    ok, errors, late = (sum(c[i] for c in counts) for i in range(3))
    return Result("python", connections, ok, errors, late, duration, _percentile(every, 50) * 1000,
                  _percentile(every, 99) * 1000, (every[-1] if every else 0.0) * 1000)


def _percentile(ordered: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of a sorted list; 0 for none.

    >>> _percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.0
    >>> _percentile([1.0, 2.0, 3.0, 4.0], 99)
    4.0
    """
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("base", help="http://127.0.0.1:PORT/")
    ap.add_argument("--path", action="append", required=True)
    ap.add_argument("--accept", default="*/*")
    ap.add_argument("-c", "--connections", type=int, default=1)
    ap.add_argument("-d", "--seconds", type=float, default=5)
    ap.add_argument("--expected", type=int, default=200)
    args = ap.parse_args()
    result = run(args.base, args.path, accept=args.accept, connections=args.connections, seconds=args.seconds,
                 expected=args.expected)
    print(json.dumps(result.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
