"""The interface every store implements, and the values that cross it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from ..config import Settings
from ..negotiation import Format
from .index import LabelIndex

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
class Dataset:
    """The RDF dataset a ``/sparql`` request names (SPARQL 1.1 Protocol ``default-graph-uri`` and
    ``named-graph-uri``): the graphs whose merge is the default graph, and the named graphs. A
    request that names either gets exactly these, the other empty; one that names neither runs over
    its query's ``FROM`` and ``FROM NAMED`` graphs if it has them, else over the store's graphs.
    Each is a graph of the store, never fetched: a graph it does not hold is empty."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


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
    def answer(self, query: str, *, solutions: Format, graph: Format, limits: Limits,
               dataset: Dataset | None = None, base: str | None = None) -> Answer:
        """Run an untrusted query within ``limits`` over ``dataset`` (:class:`Dataset`), its relative
        IRIs resolved against ``base``; write solutions or booleans as ``solutions`` and triples as
        ``graph``. Raises :class:`~ipgraph.errors.Problem` subclasses."""

    @abstractmethod
    def __len__(self) -> int:
        """How many triples the store holds."""

    def __bool__(self) -> bool:
        """A store is a store, even an empty one: ``store or …`` never asks it for its size."""
        return True

    @property
    @abstractmethod
    def index(self) -> LabelIndex:
        """The site index of the store's data: class lists, facets, labels and search
        (:mod:`~ipgraph.store.index`)."""

    @property
    @abstractmethod
    def graphs(self) -> tuple[str, ...]:
        """The IRIs of the named graphs that hold the data: the data graph first, then the ontology
        graph. Their merge is the default graph of the site's queries and of a ``/sparql`` query that
        names no dataset."""

    @abstractmethod
    def dump(self, fmt: str) -> bytes:
        """Every triple in format ``fmt`` (``turtle``, ``ntriples``, ``rdfxml``, ``jsonld``: the merge
        of :attr:`graphs`, expanded) or every quad (``trig``, ``nquads``: each in its named graph)."""

    @property
    @abstractmethod
    def derived(self) -> Path:
        """A folder of this machine for what is made from this version of the data (dumps, reports,
        descriptions), shared by every process that serves the same version."""

    @property
    def version(self) -> str:
        """What identifies the data the store answers from: it changes whenever the data does,
        so caches and ``ETag`` headers are keyed on it."""
        return "unversioned"

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the store is: its folder on this machine, or its endpoint's URL."""

    def start(self, limits: Limits) -> None:  # noqa: B027 - optional for implementations
        """Prepare to answer ``/sparql`` queries within ``limits`` before the first one comes."""

    def status(self) -> dict[str, object]:
        """What ``/health`` reports of the store: at least that it answers."""
        return {"triples": len(self), "version": self.version}

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release what the store holds."""

