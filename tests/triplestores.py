"""Real SPARQL 1.1 stores for tests: an Oxigraph server, and Virtuoso where Debian's
``virtuoso-opensource`` is installed (``make test-virtuoso`` installs it). Each runs on free ports
of 127.0.0.1 in a folder of its own, is ready when its query endpoint answers, and is stopped after.

``oxigraph_server`` is a session fixture: one Oxigraph server holding the graph, loaded into it
by ``ipgraph push``. A module uses it with ``from triplestores import oxigraph_server`` (one server
per module that imports it; one for the whole session when ``conftest.py`` imports it).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import answers, free_port, running

OXIGRAPH = Path(sys.executable).with_name("oxigraph")  # the server binary of PyPI's `oxigraph`, in this venv
VIRTUOSO = shutil.which("virtuoso-t")
# Debian's package serves its HTML pages from here; the SPARQL endpoints do not need them.
VIRTUOSO_PAGES = Path("/var/lib/virtuoso-opensource-7/vsp")


@dataclass(frozen=True)
class Triplestore:
    """A running store: its SPARQL query and update endpoints, its Graph Store Protocol endpoint,
    the credentials its updates need, and its process id."""

    query: str
    update: str
    graph_store: str
    pid: int
    user: str = ""
    password: str = ""

    def push_args(self, *more: str) -> list[str]:
        """The arguments of ``ipgraph push`` to this store, then ``more``."""
        args = ["push", "--endpoint", self.query, "--update-endpoint", self.update, "--graph-store", self.graph_store]
        if self.user:
            args += ["--user", self.user, "--password", self.password]
        return [*args, *more]


@contextlib.contextmanager
def oxigraph(location: Path, *, read_only: bool = False) -> Iterator[Triplestore]:
    """``oxigraph serve`` (or ``serve-read-only``) over the store in folder ``location``."""
    port = free_port()
    command = [str(OXIGRAPH), "serve-read-only" if read_only else "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}"
    with running(command, location.with_suffix(".log"), lambda: answers(f"{url}/query?query=ASK%7B%7D")) as pid:
        yield Triplestore(query=f"{url}/query", update=f"{url}/update", graph_store=f"{url}/store", pid=pid)


@contextlib.contextmanager
def virtuoso(folder: Path) -> Iterator[Triplestore]:
    """Virtuoso with a new database in ``folder``; its updates and Graph Store Protocol endpoints
    are the authenticated ones (``/sparql-auth``, ``/sparql-graph-crud-auth``, digest), as user dba."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VIRTUOSO_PAGES}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
""", encoding="utf-8")
    url = f"http://127.0.0.1:{http_port}"
    ask = f"{url}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    with running([str(VIRTUOSO), "+foreground", "+configfile", str(ini)], folder / "server.log",
                 lambda: answers(ask), cwd=folder) as pid:
        yield Triplestore(query=f"{url}/sparql", update=f"{url}/sparql-auth",
                          graph_store=f"{url}/sparql-graph-crud-auth", pid=pid,
                          user="dba", password="dba")  # noqa: S106 - a new database's administrator


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, store) -> Iterator[Triplestore]:
    """An Oxigraph server holding the graph, pushed into it by ``ipgraph push`` from the store of
    the session (``store``), in its named graphs (``settings.graphs``)."""
    with oxigraph(tmp_path_factory.mktemp("oxigraph") / "store") as server:
        _push(server, store)
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory, store) -> Iterator[Triplestore]:
    """Virtuoso holding the graph, as :func:`oxigraph_server`; skipped where it is not installed."""
    if VIRTUOSO is None:
        pytest.skip("virtuoso-t is not installed (make test-virtuoso installs it)")
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        _push(server, store)
        yield server


def _push(server: Triplestore, store) -> None:
    from ipgraph.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPGRAPH_STORE_DIR", str(store.built.path.parent))  # the session's store, built already
        if main(server.push_args()) != 0:
            raise RuntimeError(f"ipgraph push to {server.query} failed")
