"""A remote store: any SPARQL 1.1 query endpoint that holds the graph (Oxigraph server, Virtuoso,
Fuseki, GraphDB, Neptune), reached over HTTP with the SPARQL 1.1 Protocol.

Every query names its dataset: the store's graphs (``IPGRAPH_STORE_GRAPHS``, by default the data
graph and the ontology graph that ``ipgraph push`` writes) as ``default-graph-uri`` and
``named-graph-uri``, so it answers as the embedded store does whatever the server's own default
graph is, and sees nothing else the server holds. A ``/sparql`` request that names its own dataset,
or a query with ``FROM``, is sent as it is: the server takes those graphs from what it holds (it
fetches nothing; a graph it does not hold is empty).

The site's own queries take their values as a ``VALUES`` block at the start of every query
pattern (:func:`bind_values`), since the protocol has no bindings; their answers come back as
SPARQL JSON and N-Triples and are read into rdflib terms. Anyone's ``/sparql`` query is sent with
the same checks as over the embedded store, and its answer is read, capped at ``max_rows`` and
``max_query_memory`` and written again in the negotiated format, so that both stores answer in the
same bytes. A server that does not answer within ``query_timeout``, or is down, is a 503.

What the site keeps beside the store — the label index, the dumps, the description — is made
from a snapshot of the graphs, fetched once per version of the data into
``{store_dir}/remote/{endpoint digest}/{version}/``. The version is what the data graph states
of itself (``owl:versionInfo``, written by ``ipgraph build`` and copied by ``push``), asked again
every :data:`VERSION_TTL` seconds, so a push of new data is seen without a restart.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import os
import queue
import re
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from ..cache import Cache
from ..config import Settings
from ..errors import (
    Problem,
    QueryAborted,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServiceBusy,
    StoreUnavailable,
)
from ..negotiation import Format
from ..querycheck import FORMS, TOKEN, inspect_query
from ..results import write_boolean, write_solutions
from .base import Answer, Bindings, Dataset, Limits, Store
from .engine import RDF_FORMATS, capped, dump_store, from_ox, prefixes_for
from .index import NAME as INDEX
from .index import LabelIndex, write_index
from .pool import RETRY_AFTER

VERSION_TTL = 10.0  # seconds the data's version, read from the server, is taken as current
SNAPSHOT_TIMEOUT = 600.0  # seconds the whole graph may take to arrive for a snapshot
LOCAL, SNAPSHOT, DERIVED = "local", "snapshot", "derived"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteStore(Store):
    """The graph in a SPARQL endpoint at ``endpoint``, in the named graphs ``graphs``."""

    def __init__(self, endpoint: str, *, graphs: tuple[str, ...], version_subject: str, store_dir: Path,
                 timeout: float = 10.0, user: str = "", password: str = "", cache_bytes: int = 32 * 2**20,
                 max_queries: int = 4, query_queue: int = 16):
        self.endpoint, self._graphs, self.timeout = endpoint, tuple(graphs), timeout
        self._dataset = Dataset(default=self._graphs, named=self._graphs)  # what every query runs over
        self._version_subject = version_subject
        digest = hashlib.sha256(" ".join((endpoint, *graphs)).encode()).hexdigest()[:12]
        self.folder = store_dir / "remote" / digest
        self._auth = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()) if user else None
        self._send_auth = False
        self._answers = Cache("sparql-remote", max_bytes=cache_bytes)
        self._version: tuple[float, str] | None = None
        self._local: dict[str, tuple[ox.Store, LabelIndex, int]] = {}
        self._lock = threading.Lock()
        self._idle: queue.SimpleQueue[http.client.HTTPConnection] = queue.SimpleQueue()
        # As over the embedded store: so many /sparql queries at once, so many waiting, the next refused.
        self._running = threading.BoundedSemaphore(max_queries)
        self._admission = threading.BoundedSemaphore(max_queries + query_queue)
        self._max_queries, self._query_queue = max_queries, query_queue
        parts = urllib.parse.urlsplit(endpoint)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        return cls(settings.store, graphs=settings.graphs, version_subject=settings.data_graph,
                   store_dir=settings.store_dir, timeout=settings.query_timeout, user=settings.store_user,
                   password=settings.store_password, cache_bytes=settings.cache_size * 2**20,
                   max_queries=settings.max_query_workers, query_queue=settings.query_queue)

    # -- what the data is --

    @property
    def graphs(self) -> tuple[str, ...]:
        return self._graphs

    @property
    def location(self) -> str:
        return self.endpoint

    @property
    def version(self) -> str:
        now = time.monotonic()
        known = self._version
        if known is None or now - known[0] > VERSION_TTL:
            known = (now, self._read_version())
            self._version = known
        return known[1]

    def _read_version(self) -> str:
        rows = self.select(f"SELECT ?v WHERE {{ <{self._version_subject}> <{OWL.versionInfo}> ?v }}")
        if rows:
            return str(rows[0]["v"])
        # Data loaded by other means states no version: its size stands for one.
        count = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return "count-" + str(count[0]["n"])

    def __len__(self) -> int:
        return self._snapshot()[2]

    @property
    def index(self) -> LabelIndex:
        return self._snapshot()[1]

    @property
    def derived(self) -> Path:
        return self.folder / self.version / DERIVED  # made by the first file kept there

    def dump(self, fmt: str) -> bytes:
        return dump_store(self._snapshot()[0], fmt)

    def status(self) -> dict[str, object]:
        return {"triples": len(self), "version": self.version, "store": "remote", "endpoint": self.endpoint}

    # -- the site's own queries --

    def select(self, query: str, *, bindings: Bindings | None = None) -> list[dict[str, Node]]:
        _, body = self._post(bind_values(query, bindings), RESULTS_JSON, dataset=self._dataset)
        with _reading():
            return [{name: from_ox(_ox(cell)) for name, cell in row.items()}
                    for row in _json(body)["results"]["bindings"]]

    def ask(self, query: str, *, bindings: Bindings | None = None) -> bool:
        _, body = self._post(bind_values(query, bindings), RESULTS_JSON, dataset=self._dataset)
        return _boolean(_json(body))

    def construct(self, query: str, *, bindings: Bindings | None = None) -> Graph:
        _, body = self._post(bind_values(query, bindings), N_TRIPLES, dataset=self._dataset)
        graph = Graph()
        with _reading():
            for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    # -- anyone's query --

    def answer(self, query: str, *, solutions: Format, graph: Format, limits: Limits,
               dataset: Dataset | None = None, base: str | None = None) -> Answer:
        key = (self.version, query, solutions.key, graph.key, limits, dataset, base)
        cached = self._answers.get(key)
        if isinstance(cached, Answer):
            return cached
        if isinstance(cached, Problem):
            raise type(cached)(cached.message)
        try:
            answer = self._admitted(query, solutions, graph, limits, dataset, base)
        except (QuerySyntaxError, ResultTooLarge) as problem:  # the query's own, whatever the load
            self._answers.put(key, problem, size=len(query) + len(problem.message))
            raise
        self._answers.put(key, answer, size=len(query) + len(answer.body))
        return answer

    def _admitted(self, query: str, solutions: Format, graph: Format, limits: Limits,
                  dataset: Dataset | None, base: str | None) -> Answer:
        """The answer, once one of the ``max_queries`` places is free (waiting at most the time limit);
        refused at once when ``query_queue`` queries wait already."""
        if not self._admission.acquire(blocking=False):
            raise ServiceBusy(f"{self._max_queries} queries are running and {self._query_queue} waiting; "
                              "try again shortly", retry_after=RETRY_AFTER)
        try:
            started = time.monotonic()
            if not self._running.acquire(timeout=limits.timeout):
                raise ServiceBusy(f"no query could start within {limits.timeout:g} s; try again shortly",
                                  retry_after=RETRY_AFTER)
            try:
                left = Limits(timeout=max(limits.timeout - (time.monotonic() - started), 0.001),
                              max_rows=limits.max_rows, max_memory=limits.max_memory)
                return self._answer(query, solutions, graph, left, dataset, base)
            finally:
                self._running.release()
        finally:
            self._admission.release()

    def _answer(self, query: str, solutions: Format, graph: Format, limits: Limits,
                dataset: Dataset | None, base: str | None) -> Answer:
        info = inspect_query(query, max_length=len(query) + 1, max_nesting=10**6)  # checked before it came
        form = info.form
        # Relative IRIs resolve against the endpoint's URL (on the first line, so that the store's
        # messages keep their line numbers).
        text = f"BASE <{base}> {query}" if base and info.relative_iris else query
        if dataset is None and not info.dataset:
            dataset = self._dataset
        max_bytes = limits.max_memory * 2**20
        if form in ("CONSTRUCT", "DESCRIBE"):
            _, body = self._post(text, N_TRIPLES, dataset=dataset, timeout=limits.timeout, max_bytes=max_bytes)
            with _reading():
                triples = capped(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), limits.max_rows, "triples")
            data = ox.serialize(triples, format=RDF_FORMATS[graph.key], prefixes=prefixes_for(graph.key, triples))
            return Answer(graph.media_type, data)
        _, body = self._post(text, RESULTS_JSON, dataset=dataset, timeout=limits.timeout, max_bytes=max_bytes)
        document = _json(body)
        if form == "ASK":
            return Answer(solutions.media_type, write_boolean(_boolean(document), solutions.key))
        with _reading():
            names = document["head"].get("vars", [])
            rows = capped(({n: _ox(c) for n, c in row.items()} for row in document["results"]["bindings"]),
                          limits.max_rows, "solutions")
        return Answer(solutions.media_type, write_solutions(names, rows, solutions.key))

    # -- the protocol --

    def _post(self, query: str, accept: str, *, dataset: Dataset | None, timeout: float | None = None,
              max_bytes: int | None = None) -> tuple[str, bytes]:
        """POST ``query`` as a form with ``dataset`` (``None``: no dataset parameters, as for a query
        that names its own); the answer's media type and body. Problems:
        the server's 400 as a syntax error with its message, no whole answer within ``timeout`` as
        a timeout, an answer past ``max_bytes`` as too large, anything else as the store unavailable."""
        fields = [("query", query)]
        if dataset is not None:
            fields += [("default-graph-uri", g) for g in dataset.default]
            fields += [("named-graph-uri", g) for g in dataset.named]
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        timeout = timeout or self.timeout
        deadline = time.monotonic() + timeout
        body = urllib.parse.urlencode(fields).encode()
        try:
            if self._auth and self._send_auth:
                headers["Authorization"] = self._auth
            status, reason, media_type, data, challenge = self._exchange(body, headers, deadline, max_bytes)
            if status == 401 and self._auth and not self._send_auth and challenge.lower().startswith("basic"):
                # Credentials go out once the server asks for them (some refuse them unasked), then always.
                self._send_auth = True
                headers["Authorization"] = self._auth
                status, reason, media_type, data, challenge = self._exchange(body, headers, deadline, max_bytes)
        except TimeoutError:
            raise QueryTimeout(f"the store at {self.endpoint} did not answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise StoreUnavailable(f"the store at {self.endpoint} cannot be reached: {error}") from None
        if status == 400:  # the store's parser: its message as it is
            raise QuerySyntaxError(data.decode("utf-8", errors="replace").strip() or "the store refused the query")
        if status != 200:
            raise StoreUnavailable(f"the store at {self.endpoint} answered {status} {reason}: {_text(data)}")
        return media_type, data

    def _exchange(self, body: bytes, headers: dict[str, str], deadline: float,
                  max_bytes: int | None) -> tuple[int, str, str, bytes, str]:
        """One request on a connection to the server, kept open for the next one (a kept connection
        that the server closed meanwhile is replaced once): the status, its reason, the media type,
        the body and the authentication the server asks for, if any."""
        for attempt in (1, 2):
            connection, reused = self._take(deadline)
            try:
                _settimeout(connection, deadline)
                connection.request("POST", self._path, body=body, headers=headers)
                _settimeout(connection, deadline)
                response = connection.getresponse()
                chunks, size = [], 0
                while chunk := (_settimeout(connection, deadline) or response.read1(1 << 16)):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise QueryAborted(f"the answer is larger than the {max_bytes // 2**20:,} MiB one query "
                                           "may take; narrow the query down or add LIMIT")
                    chunks.append(chunk)
                response.close()  # read to its end: the connection takes the next request
                if response.will_close:
                    connection.close()
                else:
                    self._idle.put(connection)
                return (response.status, response.reason, response.headers.get_content_type(), b"".join(chunks),
                        response.headers.get("WWW-Authenticate", ""))
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                if not reused or attempt == 2:
                    raise
            except BaseException:
                connection.close()
                raise
        raise AssertionError("unreachable")

    def _take(self, deadline: float) -> tuple[http.client.HTTPConnection, bool]:
        """An idle connection, or a new one (not yet connected)."""
        try:
            return self._idle.get_nowait(), True
        except queue.Empty:
            pass
        parts = urllib.parse.urlsplit(self.endpoint)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        return kind(parts.hostname or "", parts.port, timeout=max(deadline - time.monotonic(), 0.001)), False

    # -- the snapshot that the index, the dumps and the description are made from --

    def _snapshot(self) -> tuple[ox.Store, LabelIndex, int]:
        version = self.version
        local = self._local.get(version)
        if local is None:
            with self._lock:
                local = self._local.get(version)
                if local is None:
                    path = self._fetch(version)
                    store = ox.Store.read_only(str(path / SNAPSHOT))
                    local = (store, LabelIndex(path / INDEX), len(store))
                    self._local = {version: local}
        return local

    def _fetch(self, version: str) -> Path:
        """The folder of ``version``'s snapshot and index, fetched and written if it has none: into a
        folder of its own first, renamed into place when complete (another process may win)."""
        path = self.folder / version / LOCAL
        if (path / INDEX).is_file():
            return path
        partial = path.with_name(f".{LOCAL}.{os.getpid()}.{threading.get_ident()}")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        try:
            store = ox.Store(str(partial / SNAPSHOT))
            for name in self._graphs:
                query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
                _, body = self._post(query, N_TRIPLES, dataset=self._dataset,
                                     timeout=max(self.timeout, SNAPSHOT_TIMEOUT))
                store.bulk_load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
            store.flush()
            del store
            write_index(partial / INDEX, ox.Store.read_only(str(partial / SNAPSHOT)))
            try:
                partial.rename(path)
            except OSError:  # another process fetched it first: theirs is as good
                if not (path / INDEX).is_file():
                    raise
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        return path

    def close(self) -> None:
        self._local = {}
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def bind_values(query: str, bindings: Bindings | None) -> str:
    """``query`` with each bound variable given its value by a ``VALUES`` block at the start of the
    group pattern of every query form in it (the outer one and each sub-select), as substitution
    would bind it; the variable stays in the projection.

    >>> from rdflib import URIRef
    >>> print(bind_values("SELECT ?n { ?s <n> ?n { SELECT ?s { ?s ?p ?o } } }", {"s": URIRef("http://e/a")}))
    SELECT ?n { VALUES (?s) { (<http://e/a>) } ?s <n> ?n { SELECT ?s { VALUES (?s) { (<http://e/a>) } ?s ?p ?o } } }
    """
    if not bindings:
        return query
    names = list(bindings)
    block = (f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(_n3(bindings[n]) for n in names)}) }}")
    cuts, waiting = [], None
    for m in TOKEN.finditer(query):
        kind, word = m.lastgroup, m.group().upper()
        if kind == "word" and word in FORMS:
            waiting = "WHERE" if word == "CONSTRUCT" else "{"
        elif kind == "word" and word == "WHERE" and waiting == "WHERE":
            waiting = "{"
        elif kind == "open" and m.group() == "{" and waiting == "{":
            cuts.append(m.end())
            waiting = None
    for cut in reversed(cuts):
        query = query[:cut] + block + query[cut:]
    return query


def _n3(term: Node) -> str:
    """``term`` as SPARQL text. An IRI with characters no IRI may hold (no store holds one) has them
    percent-encoded, so that it stays one term of the query and matches nothing."""
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be sent to a remote store as a value")
    if isinstance(term, URIRef):
        return "<" + _NOT_IN_IRI.sub(lambda m: urllib.parse.quote(m.group(), safe=""), str(term)) + ">"
    return term.n3()


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _settimeout(connection: http.client.HTTPConnection, deadline: float) -> None:
    """Let the next read on ``connection`` wait no longer than the time left before ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(left)


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """An answer the store wrote in a form this cannot read is the store's failure: a 503 that says
    so, not an error of the site's."""
    try:
        yield
    except (KeyError, TypeError, ValueError, SyntaxError) as error:
        raise StoreUnavailable(f"the store's answer could not be read: {error}") from None


def _json(body: bytes) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        raise StoreUnavailable(f"the store's answer is not SPARQL JSON results: {_text(body[:200])}") from None


def _boolean(document: dict) -> bool:
    """The answer to an ASK query in SPARQL JSON results. Virtuoso writes it as a table of the one
    variable ``__ASK_RETVAL``: a row of 1 for true, no row for false.

    >>> _boolean({"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}})
    False
    """
    if "boolean" in document:
        return bool(document["boolean"])
    try:
        if document["head"]["vars"] == ["__ASK_RETVAL"]:
            rows = document["results"]["bindings"]
            return any(row["__ASK_RETVAL"]["value"] not in ("0", "false") for row in rows)
    except (KeyError, TypeError):
        pass
    raise StoreUnavailable("the store's answer to an ASK query holds no boolean")


def _text(body: bytes) -> str:
    return " ".join(body.decode("utf-8", errors="replace").split())[:500]


def _ox(cell: dict[str, str]) -> Any:
    """A term of SPARQL JSON results as a pyoxigraph term."""
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        try:
            return ox.BlankNode(value)
        except ValueError:  # a server's own form of label (Virtuoso: nodeID://b1): same node, same label
            return ox.BlankNode(hashlib.sha256(value.encode()).hexdigest()[:32])
    if "xml:lang" in cell:
        return ox.Literal(value, language=cell["xml:lang"])
    datatype = cell.get("datatype")
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)
