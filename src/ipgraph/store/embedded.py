"""The embedded store: Oxigraph on this machine, the graph on disk, opened read-only.

The site's own queries run in the calling process, which opens the store read-only; anyone's
query from ``/sparql`` goes to a :class:`~ipgraph.store.pool.QueryPool` of worker processes that
open the same store, so a query past its limits is stopped by ending its worker while the server
goes on answering.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..config import Settings
from ..negotiation import Format
from . import disk
from .base import Answer, Bindings, Limits, Store
from .engine import RDF_FORMATS, from_ox, prefixes_for, run, unpack
from .pool import QueryPool


class EmbeddedStore(Store):
    """The graph in an on-disk Oxigraph store, read by this process and by query workers."""

    def __init__(self, built: disk.Built, *, query_workers: int = 2, query_queue: int = 4):
        self.built = built
        self._store = disk.open_read_only(built)
        self._query_workers, self._query_queue = query_workers, query_queue
        self._pools: dict[int, QueryPool] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> EmbeddedStore:
        """The store of the data ``settings`` points at, validated and built first if this version
        of the data is not on disk yet."""
        return cls(disk.ensure(settings), query_workers=settings.query_workers, query_queue=settings.query_queue)

    @classmethod
    def from_graph(cls, graph: Graph, **options: Any) -> EmbeddedStore:
        """A store of ``graph`` in a temporary folder, removed with the store (for tests and tools)."""
        data = graph.serialize(format="nt", encoding="utf-8")
        folder = Path(tempfile.mkdtemp(prefix="ipgraph-store-"))
        built = disk.write(graph, folder / "store", version=hashlib.sha256(data).hexdigest()[:16])
        store = cls(built, **options)
        weakref.finalize(store, shutil.rmtree, folder, True)
        return store

    @property
    def version(self) -> str:
        return self.built.version

    def __len__(self) -> int:
        return self.built.triples

    def status(self) -> dict[str, object]:
        pools = [pool.status() for pool in self._pools.values()]
        return {"triples": len(self), "version": self.version, "store": "embedded",
                "query_workers": sum(p["workers"] for p in pools), "queries_waiting": sum(p["waiting"] for p in pools)}

    def pools(self) -> list[QueryPool]:
        return list(self._pools.values())

    # -- the site's own queries, here --

    def select(self, query: str, *, bindings: Bindings | None = None) -> list[dict[str, Node]]:
        result = run(self._store, query, bindings)
        names = [v.value for v in result.variables]
        return [{n: from_ox(t) for n, t in zip(names, solution, strict=True) if t is not None}
                for solution in result]

    def ask(self, query: str, *, bindings: Bindings | None = None) -> bool:
        return bool(run(self._store, query, bindings))

    def construct(self, query: str, *, bindings: Bindings | None = None) -> Graph:
        graph = Graph()
        for t in run(self._store, query, bindings):
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    def dump(self, fmt: str) -> bytes:
        """Every triple, in format ``fmt`` (a key of :mod:`ipgraph.negotiation`'s tables)."""
        named_graphs = fmt in ("trig", "nquads")
        return self._store.dump(format=RDF_FORMATS[fmt], prefixes=prefixes_for(fmt),
                                from_graph=None if named_graphs else ox.DefaultGraph())

    # -- anyone's query, in a worker --

    def answer(self, query: str, *, solutions: Format, graph: Format, limits: Limits) -> Answer:
        request = json.dumps({"query": query, "solutions": solutions.key, "graph": graph.key,
                              "media_types": [solutions.media_type, graph.media_type],
                              "max_rows": limits.max_rows}).encode()
        payload = self.pool(limits.max_memory).answer(request, timeout=limits.timeout)
        return unpack(payload, limits.max_memory)

    def pool(self, max_memory: int) -> QueryPool:
        """The workers that give each query ``max_memory`` MiB (one pool per allowance)."""
        pool = self._pools.get(max_memory)
        if pool is None:
            pool = self._pools.setdefault(max_memory, QueryPool(
                self.built.path, size=self._query_workers, queue_size=self._query_queue, max_memory=max_memory))
        return pool

    def start(self, limits: Limits) -> None:
        """Start the query workers now rather than on the first query."""
        self.pool(limits.max_memory).start()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
