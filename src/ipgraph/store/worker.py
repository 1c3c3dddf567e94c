"""A query worker: a process that opens the store read-only and answers untrusted queries, one
after another, until its input closes.

``python -m ipgraph.store.worker STORE_PATH MAX_MEMORY_MIB`` is started by
:class:`ipgraph.store.pool.QueryPool`, never by hand. It talks in frames (a 4-byte big-endian
length, then the bytes): it writes one frame ``ready`` once the store is open, then reads a
request (JSON: the query, the two format keys and media types, the row limit) and writes the
packed answer (:func:`ipgraph.store.engine.pack`), for as long as requests come.

Its data (heap and private memory) may grow by at most ``MAX_MEMORY_MIB`` beyond what it holds when ready: a
query that needs more fails to allocate and the process ends, which the pool sees as a message
cut short. The engine cannot be interrupted, so a query past its time limit is stopped by the pool
killing the process; it also dies with its parent (``PR_SET_PDEATHSIG``), so no query outlives the
server that asked for it.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import json
import os
import resource
import signal
import sys

import pyoxigraph as ox

from .engine import answer_query
from .frames import frame, read_frame
from .memory import data_size

PR_SET_PDEATHSIG = 1
NICENESS = 10


def limit_memory(mebibytes: int) -> None:
    """Let this process's data grow by at most ``mebibytes`` from here on (``RLIMIT_DATA``).

    Not the address space: the engine maps the store's files, which grow the address space with
    the size of the data without costing memory a query could exhaust.
    """
    ceiling = data_size() + mebibytes * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))


def die_with_parent() -> None:
    # Not on Linux the worker still ends when its input closes, after the query it is answering.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main(argv: list[str]) -> int:
    path, max_memory = argv[0], int(argv[1])
    die_with_parent()
    os.nice(NICENESS)  # pages and /health go first when queries keep every core busy
    # An allocation failure writes one line to the log, not a Rust backtrace and Python's dump.
    os.environ["RUST_BACKTRACE"] = "0"
    faulthandler.disable()
    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        print(f"ipgraph query worker: cannot open the store at {path}: {exc}", file=sys.stderr)
        return 1
    store.query("ASK { ?s ?p ?o }")  # open the files the queries read before the limit is set
    limit_memory(max_memory)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    try:
        answers.write(frame(b"ready"))
        answers.flush()
        while (request := read_frame(requests)) is not None:
            r = json.loads(request)
            answers.write(frame(answer_query(store, r["query"], r["solutions"], r["graph"],
                                             tuple(r["media_types"]), r["max_rows"], r.get("default"),
                                             r.get("named"), r.get("base"))))
            answers.flush()
    except BrokenPipeError:  # the pool went away: nobody is waiting for an answer
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
