"""What keeps the site operable: ``/health``, ``/metrics``, an access log line per request,
security headers, and an optional per-client rate limit.

* ``/health`` answers from the process and the store alone (no query of the data, no cache): the
  data's version, how many triples, how many query workers run and how many queries wait.
* ``/metrics`` is Prometheus's text format (:mod:`ipgraph.metrics`).
* Every request is logged to ``ipgraph.access`` as one line of JSON: method, path, status,
  milliseconds, bytes, client.
* Every answer says ``X-Content-Type-Options: nosniff``; HTML pages also carry a Content Security
  Policy that allows only this site's own styles and scripts, and may not be framed.
* With ``rate_limit`` set, a client address that asks more often than that many times a minute
  (per web worker) is answered 429 with ``Retry-After``; ``/health`` and ``/metrics`` are exempt.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time

from flask import Flask, Response, g, jsonify, request

from .. import __version__
from ..config import Settings
from ..errors import TooManyRequests
from ..metrics import LATENCY, RATE_LIMITED, REQUESTS, exposition
from .context import context

access_log = logging.getLogger("ipgraph.access")

EXEMPT = ("/health", "/metrics")
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests a minute, up to that many at once.

    >>> limiter = RateLimiter(per_minute=2)
    >>> [limiter.wait_for("c", now=0.0) for _ in range(3)]
    [0.0, 0.0, 30.0]
    """

    MAX_CLIENTS = 10_000  # past this many buckets, the fullest ones are forgotten

    def __init__(self, per_minute: int):
        self.rate, self.burst = per_minute / 60.0, float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, client: str, *, now: float | None = None) -> float:
        """0 if ``client`` may go ahead now (and take a token), else the seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate
            if len(self._buckets) > self.MAX_CLIENTS:
                full = [c for c, (t, _) in self._buckets.items() if t >= self.burst - 1]
                for c in full[: len(self._buckets) - self.MAX_CLIENTS // 2]:
                    del self._buckets[c]
        return wait


def init_app(app: Flask, settings: Settings) -> None:
    limiter = RateLimiter(settings.rate_limit) if settings.rate_limit else None

    @app.get("/health")
    def health() -> Response:
        ctx = context()
        response = jsonify({"status": "ok", "ipgraph": __version__, "pid": os.getpid(), **ctx.store.status()})
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = exposition()
        return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})

    @app.before_request
    def start() -> None:
        g.started = time.perf_counter()
        if limiter is not None and not request.path.startswith(EXEMPT):
            wait = limiter.wait_for(request.remote_addr or "-")
            if wait:
                RATE_LIMITED.inc()
                raise TooManyRequests(f"more than {settings.rate_limit} requests a minute from this address; "
                                      f"try again in {math.ceil(wait)} s", retry_after=math.ceil(wait))

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = CSP
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Referrer-Policy"] = "same-origin"
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule is not None else "(none)"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(elapsed)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(json.dumps({
                "method": request.method, "path": request.full_path.rstrip("?"), "status": response.status_code,
                "ms": round(elapsed * 1000, 2), "bytes": response.calculate_content_length(),
                "client": request.remote_addr, "cache": "hit" if g.get("cache_hit") else None,
            }, ensure_ascii=False))
        return response
