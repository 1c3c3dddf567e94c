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

from rdflib import Graph
from rdflib.term import Node

from ..cache import Cache
from ..config import Settings
from ..errors import Problem, QueryAborted, QuerySyntaxError, QueryTimeout, ResultTooLarge
from ..negotiation import Format
from . import disk
from .base import Answer, Bindings, Dataset, Limits, Store
from .engine import dump_store, from_ox, run, unpack
from .index import NAME as INDEX
from .index import LabelIndex
from .pool import QueryPool
from .shared import SharedAnswers

STOPPED_TTL = 60.0  # seconds a query stopped at a limit is refused at once when sent again


class EmbeddedStore(Store):
    """The graph in an on-disk Oxigraph store, read by this process and by query workers."""

    def __init__(self, built: disk.Built, *, query_workers: int = 2, max_query_workers: int = 4,
                 query_queue: int = 16, cache_bytes: int = 32 * 2**20, shared_answers: Path | None = None):
        self.built = built
        self._answers = Cache("sparql", max_bytes=cache_bytes)
        self._shared = SharedAnswers(shared_answers, max_bytes=cache_bytes)
        self._store = disk.open_read_only(built)
        self._index = LabelIndex(built.path / INDEX)
        self._query_workers, self._max_query_workers = query_workers, max_query_workers
        self._query_queue = query_queue
        self._pools: dict[int, QueryPool] = {}

    @classmethod
    def from_settings(cls, settings: Settings, *, built: disk.Built | None = None,
                      shared_answers: Path | None = None) -> EmbeddedStore:
        """The store of the data ``settings`` points at, validated and built first if this version
        of the data is not on disk yet; or ``built``, a store found already (the version is a digest
        of every data file, so a server finds its store once, not in every worker). The workers of
        one server share their answers through the file ``shared_answers``
        (:class:`~.shared.SharedAnswers`)."""
        return cls(built or disk.ensure(settings), query_workers=settings.query_workers,
                   max_query_workers=settings.max_query_workers, query_queue=settings.query_queue,
                   cache_bytes=settings.cache_size * 2**20, shared_answers=shared_answers)

    @classmethod
    def from_graph(cls, graph: Graph, *, data_graph: str | None = None, **options: Any) -> EmbeddedStore:
        """A store of ``graph``, in the named graph ``data_graph`` (by default the data graph of the
        default settings), in a temporary folder removed with the store (for tests and tools)."""
        data = graph.serialize(format="nt", encoding="utf-8")
        folder = Path(tempfile.mkdtemp(prefix="ipgraph-store-"))
        built = disk.write(graph, folder / "store", version=hashlib.sha256(data).hexdigest()[:16],
                           data_graph=data_graph or Settings().data_graph)
        store = cls(built, **options)
        weakref.finalize(store, _remove, store._pools, folder)
        return store

    @property
    def version(self) -> str:
        return self.built.version

    @property
    def graphs(self) -> tuple[str, ...]:
        return self.built.graphs

    @property
    def location(self) -> str:
        return str(self.built.path)

    @property
    def derived(self) -> Path:
        return self.built.path / disk.DERIVED

    def __len__(self) -> int:
        return self.built.triples

    def status(self) -> dict[str, object]:
        pools = [pool.status() for pool in self._pools.values()]
        return {"triples": len(self), "version": self.version, "store": "embedded",
                "query_workers": sum(p["workers"] for p in pools), "queries_waiting": sum(p["waiting"] for p in pools)}

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

    @property
    def index(self) -> LabelIndex:
        return self._index

    def dump(self, fmt: str) -> bytes:
        return dump_store(self._store, fmt)

    # -- anyone's query, in a worker --

    def answer(self, query: str, *, solutions: Format, graph: Format, limits: Limits,
               dataset: Dataset | None = None, base: str | None = None) -> Answer:
        """The answer from the cache when the same query was answered (or refused) before under
        the same limits and data; else from a query worker.

        A refusal that the query itself earns (a syntax error, a result over ``max_rows``) is kept
        like an answer; one that depends on the load too (over the time or memory limit) is kept
        for :data:`STOPPED_TTL` seconds, so that the same heavy query sent again and again is
        refused at once instead of taking a worker each time.
        """
        key = (self.version, query, solutions.key, graph.key, limits, dataset, base)
        cached = self._answers.get(key)
        if cached is None:  # not asked of this process: perhaps of another worker of the server
            cached = self._shared.get(key)
            if cached is not None:
                self._answers.put(key, cached, size=len(query) + _size(cached), ttl=_ttl(cached))
        if isinstance(cached, Answer):
            return cached
        if isinstance(cached, Problem):
            raise type(cached)(cached.message)
        request = json.dumps({"query": query, "solutions": solutions.key, "graph": graph.key,
                              "media_types": [solutions.media_type, graph.media_type],
                              "max_rows": limits.max_rows, "base": base,
                              "default": None if dataset is None else list(dataset.default),
                              "named": None if dataset is None else list(dataset.named)}).encode()
        try:
            answer = unpack(self.pool(limits.max_memory).answer(request, timeout=limits.timeout), limits.max_memory)
        except (QuerySyntaxError, ResultTooLarge, QueryTimeout, QueryAborted) as problem:
            self._keep(key, query, problem)
            raise
        self._keep(key, query, answer)
        return answer

    def _keep(self, key, query: str, value: Answer | Problem) -> None:
        """Keep an answer or a refusal in this process's cache and in the one shared by the server."""
        self._answers.put(key, value, size=len(query) + _size(value), ttl=_ttl(value))
        self._shared.put(key, value, ttl=_ttl(value))

    def pool(self, max_memory: int) -> QueryPool:
        """The workers that give each query ``max_memory`` MiB (one pool per allowance)."""
        pool = self._pools.get(max_memory)
        if pool is None:
            pool = self._pools.setdefault(max_memory, QueryPool(
                self.built.path, size=self._query_workers, max_size=self._max_query_workers,
                queue_size=self._query_queue, max_memory=max_memory))
        return pool

    def start(self, limits: Limits) -> None:
        """Start the query workers now rather than on the first query."""
        self.pool(limits.max_memory).start()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()


def _ttl(value: Answer | Problem) -> float | None:
    """How long to keep ``value``: a refusal that depends on the load (over the time or memory
    limit) for :data:`STOPPED_TTL` seconds, anything else until the data changes."""
    return STOPPED_TTL if isinstance(value, (QueryTimeout, QueryAborted)) else None


def _size(value: Answer | Problem) -> int:
    return len(value.body) if isinstance(value, Answer) else len(value.message)


def _remove(pools: dict[int, QueryPool], folder: Path) -> None:
    """Stop the workers that read the store in ``folder``, then remove it."""
    for pool in pools.values():
        pool.close()
    shutil.rmtree(folder, ignore_errors=True)
