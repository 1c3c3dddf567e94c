"""Fixtures: the real data in a real store, and a fresh application per test."""

from __future__ import annotations

import pytest
from rdflib import Graph

from ipgraph.config import Settings
from ipgraph.dataset import build_graph
from ipgraph.store import EmbeddedStore
from ipgraph.web import create_app


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env({})


@pytest.fixture(scope="session")
def graph(settings: Settings) -> Graph:
    """The ontology, the data and the report's text, as the site loads them. Do not modify."""
    return build_graph(settings)


@pytest.fixture(scope="session")
def store(graph: Graph) -> EmbeddedStore:
    """The embedded store over the real graph (read-only, so one per session)."""
    return EmbeddedStore.from_graph(graph)


@pytest.fixture
def app(settings: Settings, store: EmbeddedStore):
    app = create_app(settings, store=store)
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app):
    return app.test_client()
