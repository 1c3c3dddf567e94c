"""Pages, RDF representations and GET results, reused while the data's version stays the same.

* Every successful GET answer carries an ``ETag`` (the data's version and a digest of the body)
  and ``Cache-Control: public, max-age=…``; a request whose ``If-None-Match`` names it is answered
  ``304 Not Modified`` with no body.
* A bounded cache of rendered answers (:class:`~ipgraph.cache.Cache`), keyed on the version, the
  URL the request was made to (its host too: pages, descriptions and JSON-LD hold absolute URLs of
  the site as it was reached) and the headers that choose the representation, answers a repeated
  request without running a query or a template.

What changes without the data — ``/health``, ``/metrics`` — is never cached.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, g, request

from ..cache import Cache
from ..config import Settings
from .context import context

UNCACHED = ("/health", "/metrics")
# Request headers that choose what is answered; a cached answer is kept per combination.
VARIES = ("Accept", "Accept-Language")


def init_app(app: Flask, settings: Settings) -> None:
    pages = Cache("pages", max_bytes=settings.cache_size * 2**20)

    @app.before_request
    def answer_from_cache() -> Response | None:
        if request.method not in ("GET", "HEAD") or request.path.startswith(UNCACHED):
            return None
        key = (context().store.version, request.url, *(request.headers.get(h, "") for h in VARIES))
        g.cache_key = key
        cached = pages.get(key)
        if cached is None:
            return None
        status, headers, body = cached
        response = Response(body, status=status, headers=headers)
        g.cache_hit = True
        return response

    @app.after_request
    def keep_and_validate(response: Response) -> Response:
        key = g.get("cache_key")
        if key is None or response.status_code != 200 or response.direct_passthrough:
            return response
        if not g.get("cache_hit"):
            body = response.get_data()
            response.set_etag(f"{key[0]}-{hashlib.sha256(body).hexdigest()[:16]}")
            response.headers["Cache-Control"] = f"public, max-age={settings.cache_max_age}"
            pages.put(key, (response.status_code, list(response.headers.items()), body),
                      size=len(body) + len(request.full_path) + 512)
        return response.make_conditional(request)

