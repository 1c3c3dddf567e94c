"""Fixtures: the real data in a real store, and a fresh application per test.

The application runs over the embedded store; a module that sets ``STORES = ("embedded",
"oxigraph")`` runs each of its tests over both: the embedded store, and a real Oxigraph server on
127.0.0.1 that ``ipgraph push`` loaded (:mod:`triplestores`), reached as a remote store.
``IPGRAPH_TEST_STORES`` names other stores for those modules instead, e.g. ``virtuoso`` (``make
test-virtuoso``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from rdflib import Graph
from triplestores import Triplestore, oxigraph_server, virtuoso_server  # noqa: F401 - fixtures, for every module

from ipgraph.config import Settings
from ipgraph.dataset import build_graph
from ipgraph.store import EmbeddedStore, RemoteStore, Store, disk
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    stores = getattr(metafunc.module, "STORES", ("embedded",))
    if "site_store" in metafunc.fixturenames and len(stores) > 1:
        stores = tuple(os.environ.get("IPGRAPH_TEST_STORES", "").split()) or stores
        metafunc.parametrize("site_store", stores, indirect=True, scope="session")


@pytest.fixture(scope="session")
def oxigraph_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    """The graph in a real Oxigraph server, as the site reaches it with ``IPGRAPH_STORE=URL``."""
    yield from _remote(request.getfixturevalue("oxigraph_server"), tmp_path_factory)


@pytest.fixture(scope="session")
def virtuoso_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    """The graph in Virtuoso, likewise (skipped where Virtuoso is not installed)."""
    yield from _remote(request.getfixturevalue("virtuoso_server"), tmp_path_factory)


def _remote(server: Triplestore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    settings = Settings.from_env({}, store=server.query, store_dir=tmp_path_factory.mktemp("remote"))
    remote = RemoteStore.from_settings(settings)
    yield remote
    remote.close()


@pytest.fixture(scope="session")
def site_store(request: pytest.FixtureRequest, store: EmbeddedStore) -> Store:
    """The store the application runs over: the embedded one, or a real triplestore holding the
    graph (``oxigraph``, ``virtuoso``)."""
    name = getattr(request, "param", "embedded")
    if name == "embedded":
        return store
    return request.getfixturevalue(f"{name}_store")


@pytest.fixture
def app(settings: Settings, site_store: Store):
    app = create_app(settings, store=site_store)
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app):
    return app.test_client()
