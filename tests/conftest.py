"""Fixtures: the real data in a real store, and a fresh application per test."""

from __future__ import annotations

import pytest
from rdflib import Graph

from ipgraph.config import Settings
from ipgraph.dataset import build_graph
from ipgraph.store import EmbeddedStore, disk
from ipgraph.web import create_app


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env({})


@pytest.fixture(scope="session")
def graph(settings: Settings) -> Graph:
    """The ontology, the data and the report's text, as the site loads them. Do not modify."""
    return build_graph(settings)


@pytest.fixture(scope="session")
def store(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The embedded store of the real data, built as ``ipgraph build`` builds it (the ontology and
    the data in named graphs of their own; read-only, so one per session). Validation has tests of
    its own."""
    built = disk.ensure(Settings.from_env({}, store_dir=tmp_path_factory.mktemp("store")), validate=False)
    return EmbeddedStore(built)


@pytest.fixture
def app(settings: Settings, store: EmbeddedStore):
    app = create_app(settings, store=store)
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app):
    return app.test_client()
