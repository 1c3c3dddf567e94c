"""The Flask application: the SPARQL endpoint, an HTML or RDF page for every entity, site pages."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from ..config import Settings
from ..store import Limits, Store, open_store
from . import browse, caching, endpoint, entities, errors, examples, operations, reference, report, site, statistics
from .context import EXTENSION, Context

#: Where the store ``ipgraph serve`` opened is (:attr:`~ipgraph.store.Store.location`), handed to
#: its workers so that none of them hashes the data files again to find it.
SERVED_STORE = "IPGRAPH_SERVED_STORE"
#: The file through which the workers of one ``ipgraph serve`` share their answers.
SHARED_ANSWERS = "IPGRAPH_SHARED_ANSWERS"


def served_store(settings: Settings) -> Store:
    """The store ``settings`` asks for (:func:`ipgraph.store.open_store`); under ``ipgraph serve``,
    the one it found and the answers file its workers share."""
    answers = os.environ.get(SHARED_ANSWERS)
    return open_store(settings, found=os.environ.get(SERVED_STORE),
                      shared_answers=Path(answers) if answers else None)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> Flask:
    """A new application over ``store`` (by default the one ``settings`` describes)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    # A body can hold the longest query allowed, percent-encoded (up to 12 bytes a character), no more.
    app.config["MAX_CONTENT_LENGTH"] = max(2**20, 12 * settings.max_query_length)
    app.extensions[EXTENSION] = Context(settings=settings, store=store if store is not None else served_store(settings))
    errors.init_app(app)
    operations.init_app(app, settings)
    caching.init_app(app, settings)
    site.init_app(app)
    statistics.init_app(app)
    app.register_blueprint(endpoint.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(site.bp)
    app.register_blueprint(reference.bp)
    app.register_blueprint(examples.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(report.bp)
    return app


def create_app_from_env() -> Flask:
    """The factory ``ipgraph serve`` hands to the WSGI server: settings from ``IPGRAPH_*``, the
    access log on standard error, and the query workers started before the first query."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = Settings.from_env()
    store = served_store(settings)
    store.start(Limits.from_settings(settings))
    return create_app(settings, store=store)
