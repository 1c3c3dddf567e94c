"""What the server counts, for Prometheus at ``/metrics``.

Every process of ``ipgraph serve`` counts for itself; ``serve`` points ``PROMETHEUS_MULTIPROC_DIR``
at a folder of its own before the web workers start, and ``/metrics`` adds up the files there
(prometheus_client's multiprocess mode). Without that variable (tests, ``ipgraph get``) the
counts are this process's.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("ipgraph_requests_total", "HTTP requests answered, by route and status.",
                   ["method", "route", "status"])
LATENCY = Histogram("ipgraph_request_seconds", "Time to answer an HTTP request, by route.", ["route"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
QUERIES_STOPPED = Counter("ipgraph_queries_stopped_total",
                          "/sparql queries stopped at a limit or refused: timeout, aborted (memory or engine), busy.",
                          ["reason"])
QUERY_QUEUE = Gauge("ipgraph_query_queue_depth", "/sparql queries waiting for a free query worker.",
                    multiprocess_mode="livesum")
QUERY_WORKERS = Gauge("ipgraph_query_workers", "Query worker processes running.", multiprocess_mode="livesum")
CACHE = Counter("ipgraph_cache_total", "Cache look-ups, by cache and outcome (hit or miss).", ["cache", "outcome"])
RATE_LIMITED = Counter("ipgraph_rate_limited_total", "Requests refused with 429 by the per-client rate limit.")


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, summed over the server's processes when there are several."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
