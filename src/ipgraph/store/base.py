"""The interface every store implements, and the values that cross it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

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

    @property
    @abstractmethod
    def index(self) -> LabelIndex:
        """The site index of the store's data: class lists, facets, labels and search
        (:mod:`~ipgraph.store.index`)."""

    @property
    def version(self) -> str:
        """What identifies the data the store answers from: it changes whenever the data does,
        so caches and ``ETag`` headers are keyed on it."""
        return "unversioned"

    def status(self) -> dict[str, object]:
        """What ``/health`` reports of the store: at least that it answers."""
        return {"triples": len(self), "version": self.version}

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release what the store holds."""

