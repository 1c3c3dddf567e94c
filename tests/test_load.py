"""`ipgraph serve` under load, for a few seconds: pages keep answering while queries that must be
stopped run, and good queries are not refused because of them.

No throughput is asserted (that is what ``make bench`` measures); what is asserted are the
guarantees: a bound on /health's latency, no 5xx for a good query, every pathological query
stopped at its limit, and memory that stays bounded. Every loop is bounded in time and count.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers import answers, serving

TIMEOUT = 2.0  # the server's query time limit
PAGE = "/id/observation/guangzhou-2018-patent-applications"
GOOD = [
    "ASK { ?s ?p 173124 }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 20",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 10",
]


def pathological(n: int) -> str:
    """A cartesian count no engine finishes within the limit; ``n`` makes each text its own."""
    return f"SELECT (COUNT(*) AS ?n{n}) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l{n} }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # every setting but the time limit at its default: threads, query workers, queue
    with serving(tmp_path_factory.mktemp("load") / "serve.log", env={"IPGRAPH_QUERY_TIMEOUT": str(TIMEOUT)},
                 workers=2, ready=warm) as running:
        yield running


def warm(url: str) -> bool:
    """The server answers /health, and queries (each web worker's query workers are up)."""
    if not answers(f"{url}/health"):
        return False
    return all(fetch(f"{url}/sparql?" + urllib.parse.urlencode({"query": GOOD[0]}))[0] == 200 for _ in range(4))


def fetch(url: str, data: bytes | None = None, timeout: float = 30) -> tuple[int, float]:
    """The status of a GET (or a POST of a query form) and the seconds it took."""
    started = time.monotonic()
    request = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        error.close()
        status = error.code
    return status, time.monotonic() - started


def query(url: str, text: str) -> tuple[int, float]:
    return fetch(f"{url}/sparql", urllib.parse.urlencode({"query": text}).encode(), timeout=TIMEOUT * 3 + 10)


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


class Watch(threading.Thread):
    """Polls /health and a page until stopped, keeping every latency."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.latencies, self.failures = url, [], []
        self.stop = threading.Event()

    def run(self) -> None:
        for _ in range(2000):  # bounded: at most 2,000 polls
            if self.stop.is_set():
                return
            for path in ("/health", PAGE):
                status, seconds = fetch(self.url + path, timeout=10)
                (self.latencies if status == 200 else self.failures).append((path, status, seconds))
            time.sleep(0.02)


def assert_answering_fast(latencies: list[tuple[str, int, float]]) -> None:
    """/health and the page answer within 100 ms — 95 polls in 100 at least, and every one within
    500 ms: on a 2-core machine shared with other work, one poll can wait for a core."""
    times = sorted(t for _, _, t in latencies)
    assert times[int(len(times) * 0.95) - 1] < 0.1, times[-10:]
    assert times[-1] < 0.5, max(latencies, key=lambda x: x[2])


@pytest.mark.timeout(120)
def test_pages_answer_within_100_ms_while_three_pathological_queries_run(server):
    url, _ = server
    fetch(url + PAGE)  # rendered once; the cache keeps it
    watch = Watch(url)
    runners = [threading.Thread(target=query, args=(url, pathological(100 + n))) for n in range(3)]
    watch.start()
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(timeout=TIMEOUT * 3 + 15)
    watch.stop.set()
    watch.join(timeout=15)
    assert not watch.failures
    assert len(watch.latencies) > 20
    assert_answering_fast(watch.latencies)


@pytest.mark.timeout(180)
def test_sixteen_clients_mixing_good_and_pathological_queries(server):
    url, pid = server
    deadline = time.monotonic() + 5.0
    good, bad, lock = [], [], threading.Lock()
    peak = [tree_rss(pid)]

    def client(n: int) -> None:
        for i in range(200):  # bounded: at most 200 requests a client
            if time.monotonic() > deadline:
                return
            if n < 3 and i == 0:  # three clients each send one query that must be stopped
                status, seconds = query(url, pathological(n))
                with lock:
                    bad.append((status, seconds))
            else:
                status, seconds = query(url, GOOD[(n + i) % len(GOOD)].replace("20", str(20 + i % 5)))
                with lock:
                    good.append((status, seconds))

    watch = Watch(url)
    watch.start()
    clients = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for c in clients:
        c.start()
    while any(c.is_alive() for c in clients) and time.monotonic() < deadline + TIMEOUT * 3 + 20:
        peak.append(tree_rss(pid))
        time.sleep(0.2)
    for c in clients:
        c.join(timeout=30)
    watch.stop.set()
    watch.join(timeout=15)
    assert len(good) > 50
    assert [(s, round(t, 2)) for s, t in good if s >= 500] == []
    assert len(bad) == 3 and all(s == 503 and t < TIMEOUT + 2 for s, t in bad), bad
    assert not watch.failures
    assert_answering_fast(watch.latencies)
    assert max(peak) < 1.5 * 2**30, f"{max(peak) / 2**20:.0f} MiB"
