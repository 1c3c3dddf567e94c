"""The graph on disk: built once per version of the data, opened read-only by every process.

The data's version is a digest of everything the graph is made from (the ontology, the Turtle
files, the report's text) and of this package's version. :func:`build` writes the graph, with its
quotes anchored, to ``{store_dir}/{version}/`` — into a folder of its own first, renamed into place
when complete, so a reader never sees half a store — together with ``store.json``, what the store
holds, and the label index (:mod:`.index`). Every web and query worker then opens it with
``pyoxigraph.Store.read_only``: one copy of the data on disk, shared by the page cache, however many
processes read it, and nothing re-parsed when a server starts.

>>> import tempfile
>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("http://example.org/a"), URIRef("http://example.org/n"), Literal(3)))
>>> with tempfile.TemporaryDirectory() as folder:
...     built = write(g, Path(folder) / "v1", version="v1")
...     (built.version, built.triples, read_info(built.path).triples)
('v1', 1, 1)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .. import __version__
from ..config import Settings
from ..dataset import DatasetError, build_graph, turtle_files
from .index import NAME as INDEX
from .index import write_index

INFO = "store.json"


@dataclass(frozen=True)
class Built:
    """A store on disk: where, which version of the data, how many triples, when it was built."""

    path: Path
    version: str
    triples: int
    built: float


def data_version(settings: Settings) -> str:
    """A digest of every file the graph is built from, and of this package's version."""
    digest = hashlib.sha256(f"ipgraph {__version__}\n".encode())
    files = [*turtle_files(settings.ontology_dir, settings.data_dir), settings.source_file]
    for f in files:
        digest.update(f"{f.relative_to(settings.root)}\n".encode())
        digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()[:16]


def ensure(settings: Settings, *, validate: bool = True) -> Built:
    """The store for the current data: found on disk if it was built already, else built.

    The graph is checked against the SHACL shapes first and no store is written for data that
    does not conform (:class:`~ipgraph.dataset.DatasetError`, each violation a line).
    ``validate=False`` skips that, for generated benchmark data only.
    """
    version = data_version(settings)
    path = settings.store_dir / version
    if (path / INFO).is_file():
        return read_info(path)
    graph = build_graph(settings)
    if validate:
        from ..validation import format_violation, validate_settings

        result = validate_settings(graph, settings)
        if not result.conforms:
            raise DatasetError([format_violation(v) for v in result.violations]
                               + [f"the data does not conform ({len(result.violations)} violations): no store written"])
    return write(graph, path, version=version)


def write(graph: Graph, path: Path, *, version: str) -> Built:
    """Write ``graph`` as an Oxigraph store at ``path`` (which must not hold one yet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.parent / f".{path.name}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    store = ox.Store(str(partial))
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.DefaultGraph())
    store.optimize()
    store.flush()
    del store  # closes the database before it is renamed and opened read-only
    write_index(graph, partial / INDEX)
    built = Built(path=path, version=version, triples=len(graph), built=time.time())
    info = {k: v for k, v in asdict(built).items() if k != "path"}
    (partial / INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    try:
        partial.rename(path)
    except OSError:  # another process built the same version first: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)
        return read_info(path)
    return built


def read_info(path: Path) -> Built:
    info = json.loads((path / INFO).read_text(encoding="utf-8"))
    return Built(path=path, version=info["version"], triples=int(info["triples"]), built=float(info["built"]))


def open_read_only(built: Built) -> ox.Store:
    return ox.Store.read_only(str(built.path))
