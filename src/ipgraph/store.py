"""The one way views and commands reach the data.

:class:`Store` is the interface; :class:`EmbeddedStore` keeps the graph in an in-memory Oxigraph
store. A remote SPARQL endpoint is another implementation of the same interface: nothing outside
this module knows which one it talks to.

Two kinds of query go through a store:

* the site's own queries (``ipgraph.queries``), trusted and small, with values bound as terms —
  :meth:`Store.select`, :meth:`Store.ask`, :meth:`Store.construct` — answered with rdflib terms;
* anyone's query from ``/sparql`` — :meth:`Store.answer` — which runs under the time and size
  limits and comes back as the bytes of the negotiated format.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("http://example.org/a"), URIRef("http://example.org/n"), Literal(3)))
>>> store = EmbeddedStore.from_graph(g)
>>> rows = store.select("SELECT ?s ?n WHERE { ?s ?p ?n }", bindings={"s": URIRef("http://example.org/a")})
>>> rows[0]["n"].toPython()
3

A bound variable of a SELECT query must be in its projection (SEP-0007 substitution).
"""

from __future__ import annotations

import faulthandler
import json
import os
import resource
import select
import signal
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .config import Settings
from .errors import Problem, QueryAborted, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreUnavailable
from .namespaces import PREFIXES
from .negotiation import Format
from .results import write_boolean, write_solutions

Bindings = Mapping[str, Node]


@dataclass(frozen=True)
class Limits:
    """What one ``/sparql`` query may take: seconds, solutions or triples, and MiB of memory."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_memory: int = 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(timeout=settings.query_timeout, max_rows=settings.max_rows,
                   max_memory=settings.max_query_memory)


@dataclass(frozen=True)
class Answer:
    """A query's result, written: the ``Content-Type`` and the body."""

    media_type: str
    body: bytes


class Store(ABC):
    """Read access to the graph."""

    @abstractmethod
    def select(self, query: str, *, bindings: Bindings | None = None) -> list[dict[str, Node]]:
        """The solutions of a SELECT query, each a dict from variable name to term (unbound: absent)."""

    @abstractmethod
    def ask(self, query: str, *, bindings: Bindings | None = None) -> bool:
        """The answer to an ASK query."""

    @abstractmethod
    def construct(self, query: str, *, bindings: Bindings | None = None) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def answer(self, query: str, *, solutions: Format, graph: Format, limits: Limits) -> Answer:
        """Run an untrusted query within ``limits``; write solutions or booleans as ``solutions`` and
        triples as ``graph``. Raises :class:`~ipgraph.errors.Problem` subclasses."""

    @abstractmethod
    def __len__(self) -> int:
        """How many triples the store holds."""

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release what the store holds."""


# --- the embedded store ---------------------------------------------------------------------------

_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
                "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


def from_ox(term: Any) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


class EmbeddedStore(Store):
    """The graph in an in-memory Oxigraph store.

    ``answer`` runs each query in a forked child process: the engine cannot be interrupted from
    another thread, so a query past its time limit is stopped by ending the child, and a query
    that crashes the engine takes only the child down. The child shares the parent's memory
    copy-on-write, so forking costs a few milliseconds whatever the store's size.
    """

    def __init__(self, store: ox.Store):
        self._store = store

    @classmethod
    def from_graph(cls, graph: Graph) -> EmbeddedStore:
        store = ox.Store()
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    def __len__(self) -> int:
        return len(self._store)

    def _run(self, query: str, bindings: Bindings | None) -> Any:
        substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(query, substitutions=substitutions or None)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        except OSError as exc:
            raise StoreUnavailable(str(exc)) from None

    def select(self, query: str, *, bindings: Bindings | None = None) -> list[dict[str, Node]]:
        result = self._run(query, bindings)
        names = [v.value for v in result.variables]
        return [{n: from_ox(t) for n, t in zip(names, solution, strict=True) if t is not None}
                for solution in result]

    def ask(self, query: str, *, bindings: Bindings | None = None) -> bool:
        return bool(self._run(query, bindings))

    def construct(self, query: str, *, bindings: Bindings | None = None) -> Graph:
        graph = Graph()
        for t in self._run(query, bindings):
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    def dump(self, fmt: str) -> bytes:
        """Every triple, in format ``fmt`` (a key of :mod:`ipgraph.negotiation`'s tables)."""
        named_graphs = fmt in ("trig", "nquads")
        return self._store.dump(format=_RDF_FORMATS[fmt], prefixes=_prefixes(fmt),
                                from_graph=None if named_graphs else ox.DefaultGraph())

    # -- untrusted queries, in a child process --

    def answer(self, query: str, *, solutions: Format, graph: Format, limits: Limits) -> Answer:
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork() in a threaded process; the child only runs the query,
            # writes to the pipe and leaves by os._exit, touching no lock a thread may hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: answer, write, leave without running any of the parent's cleanup
            code = 0
            try:
                os.close(read_end)
                _limit_memory(limits.max_memory)
                _write_all(write_end, self._answer_here(query, solutions, graph, limits))
            except BaseException:  # noqa: BLE001 - nothing may escape the child
                code = 70
            finally:
                os._exit(code)
        os.close(write_end)
        answered = False
        try:
            payload = _read_until(read_end, time.monotonic() + limits.timeout)
            answered = True
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than the limit of {limits.timeout:g} s and was "
                               "stopped; narrow it down or add LIMIT") from None
        finally:  # whatever happened here, the child does not outlive the request
            os.close(read_end)
            if not answered:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return _unpack(payload, limits)

    def _answer_here(self, query: str, solutions: Format, graph: Format, limits: Limits) -> bytes:
        try:
            result = self._run(query, None)
            if isinstance(result, ox.QueryBoolean):
                answer = Answer(solutions.media_type, write_boolean(bool(result), solutions.key))
            elif isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = _capped(({n: t for n, t in zip(names, s, strict=True) if t is not None}
                                for s in result), limits.max_rows, "solutions")
                answer = Answer(solutions.media_type, write_solutions(names, rows, solutions.key))
            else:
                triples = _capped(result, limits.max_rows, "triples")
                body = ox.serialize(triples, format=_RDF_FORMATS[graph.key],
                                    prefixes=_prefixes(graph.key, triples))
                answer = Answer(graph.media_type, body)
        except Problem as problem:
            return _pack({"problem": type(problem).__name__, "message": problem.message}, b"")
        except OSError as exc:
            return _pack({"problem": "StoreUnavailable", "message": str(exc)}, b"")
        return _pack({"media_type": answer.media_type}, answer.body)


def _prefixes(fmt: str, triples: Iterable[Any] | None = None) -> dict[str, str] | None:
    """The prefixes to write ``fmt`` with: those that ``triples`` use, or all of them."""
    if fmt not in ("turtle", "trig", "rdfxml"):
        return None
    if triples is None:
        return dict(PREFIXES)
    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _capped(items: Iterable[Any], limit: int, what: str) -> list[Any]:
    taken = []
    for item in items:
        if len(taken) == limit:
            raise ResultTooLarge(f"the result has more than {limit:,} {what}, the most one answer may "
                                 "hold; add LIMIT (and OFFSET to page through it)")
        taken.append(item)
    return taken


# The child's message: one line of JSON (the outcome), then the body.
_PROBLEMS = {cls.__name__: cls for cls in (QuerySyntaxError, ResultTooLarge, StoreUnavailable)}


def _pack(head: dict[str, str], body: bytes) -> bytes:
    return json.dumps(head).encode() + b"\n" + body


def _unpack(payload: bytes, limits: Limits) -> Answer:
    line, newline, body = payload.partition(b"\n")
    if not newline:
        raise QueryAborted(f"the query stopped the engine before it answered: it needed more than the "
                           f"{limits.max_memory:,} MiB of memory a query may use, or the engine failed on "
                           "it; narrow it down")
    head = json.loads(line)
    if "problem" in head:
        raise _PROBLEMS.get(head["problem"], Problem)(head["message"])
    return Answer(head["media_type"], body)


def _limit_memory(mebibytes: int) -> None:
    """Let this process grow by at most ``mebibytes`` of address space from here on.

    Past it the engine's allocation fails and the process ends (a Rust allocation failure aborts),
    instead of one query taking the machine's memory.
    """
    with open("/proc/self/statm") as statm:
        now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    ceiling = now + mebibytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    # An allocation failure then writes one line to the log, not a Rust backtrace and Python's dump.
    os.environ["RUST_BACKTRACE"] = "0"
    faulthandler.disable()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_until(fd: int, deadline: float) -> bytes:
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
