"""Settings: every knob declared once, with its default, its environment variable and its help.

Environment variables are read in one place, :meth:`Settings.from_env`; everything else receives a
:class:`Settings` object. ``docs/settings.md`` documents each setting and a test keeps the two in step.

>>> s = Settings.from_env({"IPGRAPH_QUERY_TIMEOUT": "2.5"})
>>> s.query_timeout
2.5
>>> Settings(max_rows=10).max_rows
10
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent


def default_root() -> Path:
    """The project folder holding ``ontology/``, ``data/`` and ``shapes/``.

    A source checkout (editable install) has it two levels above the package; otherwise the
    current directory is taken, so an installed package is pointed at its data with
    ``IPGRAPH_ROOT``.
    """
    checkout = PACKAGE_DIR.parents[1]
    if (checkout / "ontology").is_dir() and (checkout / "data").is_dir():
        return checkout
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    """What the site, the store and the CLI are configured with."""

    root: Path = field(default_factory=default_root, metadata={
        "env": "IPGRAPH_ROOT",
        "help": "Project folder with ontology/, data/turtle/, data/source/ and shapes/."})
    base_iri: str = field(default="https://ipgraph.example.org", metadata={
        "env": "IPGRAPH_BASE_IRI",
        "help": "The IRI base that the data's IRIs start with. Requests for {public URL}/id/… are "
                "answered with {base_iri}/id/…, so production IRIs resolve on any host."})
    store: str = field(default="embedded", metadata={
        "env": "IPGRAPH_STORE",
        "help": "'embedded': an Oxigraph store on this machine, built once per version of the data "
                "under store_dir and opened read-only by every process; or the URL of a SPARQL 1.1 "
                "query endpoint that holds the graph (loaded there by `ipgraph push`)."})
    store_graphs: str = field(default="", metadata={
        "env": "IPGRAPH_STORE_GRAPHS",
        "help": "The named graphs of a remote store that hold the graph, separated by spaces; their "
                "merge is the default graph of every query (default: the data graph and the ontology "
                "graph, {base_iri}/graph/data and {base_iri}/graph/ontology)."})
    store_user: str = field(default="", metadata={
        "env": "IPGRAPH_STORE_USER",
        "help": "User name for HTTP basic authentication to a remote store, sent once it asks (none by default)."})
    store_password: str = field(default="", metadata={
        "env": "IPGRAPH_STORE_PASSWORD",
        "help": "Password for HTTP basic authentication to a remote store."})
    store_dir: Path | None = field(default=None, metadata={
        "env": "IPGRAPH_STORE_DIR",
        "help": "Folder of the built stores, one sub-folder per version of the data "
                "(default: var/store under root)."})
    query_timeout: float = field(default=10.0, metadata={
        "env": "IPGRAPH_QUERY_TIMEOUT",
        "help": "Seconds a /sparql query may run before it is stopped and answered with 503."})
    max_rows: int = field(default=10_000, metadata={
        "env": "IPGRAPH_MAX_ROWS",
        "help": "Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) one /sparql answer may hold; "
                "a larger result is refused with a message asking for LIMIT."})
    max_query_memory: int = field(default=1024, metadata={
        "env": "IPGRAPH_MAX_QUERY_MEMORY",
        "help": "MiB of memory a /sparql query may use beyond what the server holds; past it the "
                "query is stopped and answered with 503."})
    max_query_length: int = field(default=20_000, metadata={
        "env": "IPGRAPH_MAX_QUERY_LENGTH",
        "help": "Most characters a query may have."})
    max_nesting: int = field(default=200, metadata={
        "env": "IPGRAPH_MAX_NESTING",
        "help": "Deepest nesting of brackets, braces and parentheses a query may have "
                "(the engine crashes at a few thousand)."})
    cache_size: int = field(default=32, metadata={
        "env": "IPGRAPH_CACHE_SIZE",
        "help": "MiB each web worker keeps of /sparql answers, and as much again of rendered pages, "
                "keyed on the data's version; the answers file the workers of one server share holds "
                "as much again."})
    cache_max_age: int = field(default=300, metadata={
        "env": "IPGRAPH_CACHE_MAX_AGE",
        "help": "Seconds a client or proxy may reuse a page, an RDF representation or a GET result "
                "without asking again (Cache-Control max-age); with ETag it revalidates for free."})
    rate_limit: int = field(default=0, metadata={
        "env": "IPGRAPH_RATE_LIMIT",
        "help": "Requests a minute one client address may make to each web worker; 0 for no limit. "
                "Past it: 429 with Retry-After."})
    host: str = field(default="127.0.0.1", metadata={
        "env": "IPGRAPH_HOST", "help": "Address `ipgraph serve` listens on."})
    port: int = field(default=8000, metadata={
        "env": "IPGRAPH_PORT", "help": "Port `ipgraph serve` listens on."})
    workers: int = field(default=2, metadata={
        "env": "IPGRAPH_WORKERS", "help": "Web worker processes of `ipgraph serve`."})
    threads: int = field(default=24, metadata={
        "env": "IPGRAPH_THREADS",
        "help": "Threads of each web worker; more than max_query_workers + query_queue, so that pages "
                "always have threads of their own."})
    query_workers: int = field(default=2, metadata={
        "env": "IPGRAPH_QUERY_WORKERS",
        "help": "Query worker processes each web worker keeps running for /sparql."})
    max_query_workers: int = field(default=4, metadata={
        "env": "IPGRAPH_MAX_QUERY_WORKERS",
        "help": "Most query worker processes of each web worker while every one is busy: how many "
                "/sparql queries run at once."})
    query_queue: int = field(default=16, metadata={
        "env": "IPGRAPH_QUERY_QUEUE",
        "help": "How many /sparql queries of each web worker may wait for a query worker; one more "
                "is answered at once with 503 and Retry-After."})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``IPGRAPH_*`` variables (``os.environ`` by default), then ``overrides``."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is not None and raw != "":
                values[f.name] = _convert(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))
        object.__setattr__(self, "base_iri", self.base_iri.rstrip("/"))
        object.__setattr__(self, "store_dir", Path(self.store_dir) if self.store_dir else self.root / "var" / "store")
        if self.store != "embedded" and not self.store.startswith(("http://", "https://")):
            raise ValueError(f"unknown store {self.store!r}: 'embedded', or the http(s) URL of a SPARQL endpoint")
        for name in ("query_timeout", "max_rows", "max_query_memory", "max_query_length", "max_nesting", "workers",
                     "threads", "query_workers", "max_query_workers"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)!r}")
        for name in ("query_queue", "cache_size", "cache_max_age", "rate_limit"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative, not {getattr(self, name)!r}")
        if self.max_query_workers < self.query_workers:
            raise ValueError(f"max_query_workers ({self.max_query_workers}) cannot be fewer than query_workers "
                             f"({self.query_workers})")
        if self.threads <= self.max_query_workers + self.query_queue:
            raise ValueError(f"threads ({self.threads}) must be more than max_query_workers + query_queue "
                             f"({self.max_query_workers} + {self.query_queue}), or pages would wait behind queries")

    # The named graphs the store keeps the graph in.
    @property
    def data_graph(self) -> str:
        """The report's data, its text and the quotes' anchors."""
        return f"{self.base_iri}/graph/data"

    @property
    def ontology_graph(self) -> str:
        """The ontology and the labels of the terms it reuses."""
        return f"{self.base_iri}/graph/ontology"

    @property
    def graphs(self) -> tuple[str, ...]:
        """The graphs whose merge is the default graph of every query: ``store_graphs``, else the
        data graph and the ontology graph."""
        return tuple(self.store_graphs.split()) or (self.data_graph, self.ontology_graph)

    # Where things are, below root.
    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data" / "turtle"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def source_file(self) -> Path:
        return self.root / "data" / "source" / "guangzhou-ip-report-2018.zh.txt"

    @property
    def queries_dir(self) -> Path:
        return self.root / "data" / "queries"


def _convert(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, type) else {"Path": Path, "Path | None": Path, "str": str,
                                                     "float": float, "int": int}[str(f.type)]
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{f.metadata['env']}={raw!r} is not a valid {kind.__name__}") from None


SETTINGS = tuple(dataclasses.fields(Settings))
