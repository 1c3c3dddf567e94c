"""The interface every store implements, and the values that cross it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from .. import queries
from ..config import Settings
from ..negotiation import Format
from .index import Member, Page, sort_key

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

    def members(self, cls: str, *, after: str | None = None, limit: int = 50) -> Page:
        """One page of the things of class ``cls`` in label order, from the key ``after``.

        This default asks the store for every member and sorts them here; a store with an index
        answers from it (:class:`~ipgraph.store.embedded.EmbeddedStore`).
        """
        rows = self.select(queries.named("class-members"), bindings={"class": URIRef(cls)})
        keyed = sorted((sort_key(str(r["thing"]), _s(r.get("zh")), _s(r.get("en"))), r) for r in rows)
        page = [(k, r) for k, r in keyed if k > (after or "")][:limit + 1]
        more = len(page) > limit
        page = page[:limit]
        return Page([Member(str(r["thing"]), _s(r.get("zh")), _s(r.get("en"))) for _, r in page],
                    page[-1][0] if more else None)

    def class_counts(self) -> list[tuple[Member, int]]:
        """Every class of the data, labelled, with how many things it has, the largest first."""
        return [(Member(str(r["class"]), _s(r.get("classZh")), _s(r.get("classEn"))), int(r["count"].toPython()))
                for r in self.select(queries.named("class-counts"))]

    def class_count(self, cls: str) -> int:
        """How many things the class ``cls`` has."""
        return dict((c.iri, n) for c, n in self.class_counts()).get(cls, 0)

    def class_label(self, cls: str) -> Member:
        """The class ``cls`` with its labels."""
        rows = self.select(queries.named("labels"), bindings={"thing": URIRef(cls)})
        row = rows[0] if rows else {}
        return Member(cls, _s(row.get("zh")), _s(row.get("en")))

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


def _s(term) -> str | None:
    return None if term is None else str(term)
