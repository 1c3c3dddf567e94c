"""The whole graph as files: the syntaxes it is dumped in, and the files made once per version.

:data:`DUMPS` is the one table of them, for ``ipgraph export`` and for the site's ``/downloads``:
Turtle, N-Triples, JSON-LD and RDF/XML hold the merge of the store's graphs; TriG and N-Quads keep
each triple in its named graph (the report's data in the data graph, the ontology in the ontology
graph). JSON-LD is compacted with the context of :mod:`ipgraph.jsonld`, written into the file so
that it loads with nothing fetched. Each may be gzipped (:func:`export`).

What takes long to make — a dump, the counts of a description — is made once per version of the
data and kept as a file in the store's folder for that version (:attr:`Store.derived
<ipgraph.store.Store.derived>`, :func:`kept`): every worker of a server, and the next server over
the same data, reads it from there, whichever store it is.

>>> by_option("nq").file_name(gzipped=True), by_file("ipgraph.ttl.gz")[0].name
('ipgraph.nq.gz', 'Turtle')
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from . import jsonld
from .negotiation import GRAPHS, Format, by_extension
from .store import Store, from_ox

GZIP = "application/gzip"
CONTEXT = "context.jsonld"
FORMATS = "http://www.w3.org/ns/formats/"  # the W3C's IRIs of RDF syntaxes


@dataclass(frozen=True)
class Dump:
    """A syntax the graph is dumped in."""

    format: Format  # the store's name of it, its media type and its file extension
    name: str       # what a reader calls it
    option: str     # what ``ipgraph export --format`` calls it
    w3c: str        # its IRI in the W3C's registry of formats
    quads: bool = False  # whether it keeps each triple in its named graph

    @property
    def key(self) -> str:
        return self.format.key

    def file_name(self, *, gzipped: bool = False) -> str:
        return f"ipgraph.{self.format.extension}" + (".gz" if gzipped else "")


_GRAPHS = {f.key: f for f in GRAPHS}
DUMPS: tuple[Dump, ...] = (
    Dump(_GRAPHS["turtle"], "Turtle", "ttl", FORMATS + "Turtle"),
    Dump(_GRAPHS["ntriples"], "N-Triples", "nt", FORMATS + "N-Triples"),
    Dump(_GRAPHS["jsonld"], "JSON-LD", "jsonld", FORMATS + "JSON-LD"),
    Dump(_GRAPHS["rdfxml"], "RDF/XML", "xml", FORMATS + "RDF_XML"),
    Dump(Format("trig", "application/trig", "trig"), "TriG", "trig", FORMATS + "TriG", quads=True),
    Dump(Format("nquads", "application/n-quads", "nq"), "N-Quads", "nq", FORMATS + "N-Quads", quads=True),
)


def by_option(option: str) -> Dump:
    """The dump ``ipgraph export --format option`` writes."""
    return next(d for d in DUMPS if d.option == option)


def by_file(name: str) -> tuple[Dump, bool] | None:
    """The dump a file name (``ipgraph.ttl``, ``ipgraph.ttl.gz``) is, and whether it is gzipped."""
    stem, gzipped = (name[:-3], True) if name.endswith(".gz") else (name, False)
    prefix, dot, extension = stem.partition(".")
    fmt = by_extension(extension, [d.format for d in DUMPS]) if prefix == "ipgraph" and dot else None
    return None if fmt is None else (next(d for d in DUMPS if d.format is fmt), gzipped)


# -- writing --


def triples(store: Store) -> Iterator[jsonld.Triple]:
    """The triples of the merge of ``store``'s graphs, as rdflib terms."""
    for triple in ox.parse(store.dump("ntriples"), format=ox.RdfFormat.N_TRIPLES):
        yield from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)


def write(store: Store, dump: Dump, out: BinaryIO) -> None:
    """The whole graph ``store`` holds, written to ``out`` in ``dump``'s syntax."""
    if dump.key == "jsonld":
        jsonld.write(triples(store), jsonld.context(store), out)
    else:
        out.write(store.dump(dump.key))


def export(store: Store, dump: Dump, out: BinaryIO, *, gzipped: bool = False) -> None:
    """:func:`write`, gzipped if ``gzipped`` (with no name or time in the header, so that the same
    graph always gives the same bytes)."""
    if not gzipped:
        write(store, dump, out)
        return
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as packed:
        write(store, dump, packed)  # type: ignore[arg-type]


# -- files kept once per version of the data --

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def kept(store: Store, name: str, make: Callable[[BinaryIO], None]) -> Path:
    """The file ``name`` in ``store``'s folder for this version of the data, written by ``make`` if
    it is not there yet.

    Written under a name of its own and renamed into place, so a reader never sees half a file;
    one thread of a process makes it while the others wait for it.
    """
    path = store.derived / name
    if path.is_file():
        return path
    with _locks_guard:
        lock = _locks.setdefault(path, threading.Lock())
    with lock:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}")
            try:
                with partial.open("wb") as out:
                    make(out)
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
    return path


def context_file(store: Store) -> Path:
    """The JSON-LD context of the graph (:func:`ipgraph.jsonld.context`), made once per version of the data."""
    return kept(store, CONTEXT, lambda out: out.write(json.dumps(jsonld.context(store), ensure_ascii=False,
                                                                 indent=1).encode("utf-8")))


def context_document(store: Store) -> dict[str, Any]:
    """The JSON-LD context document of the graph, ``{"@context": {…}}``."""
    return json.loads(context_file(store).read_bytes())


def dump_file(store: Store, dump: Dump, *, gzipped: bool = False) -> Path:
    """The whole graph in ``dump``'s syntax (gzipped: the plain file, compressed), made once per
    version of the data."""
    if not gzipped:
        return kept(store, dump.file_name(), lambda out: write(store, dump, out))
    plain = dump_file(store, dump)
    return kept(store, dump.file_name(gzipped=True), lambda out: _gzip(plain, out))


def _gzip(path: Path, out: BinaryIO) -> None:
    with path.open("rb") as source, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as packed:
        shutil.copyfileobj(source, packed, 2**20)


@dataclass(frozen=True)
class File:
    """A dump file: its syntax, whether it is gzipped, its size in bytes and its SHA-256 digest."""

    dump: Dump
    gzipped: bool
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.dump.file_name(gzipped=self.gzipped)

    @property
    def media_type(self) -> str:
        """What the file is sent as: its syntax's media type, or gzip's."""
        return GZIP if self.gzipped else self.dump.format.media_type


def files(store: Store) -> list[File]:
    """Every dump, plain and gzipped, in the order of :data:`DUMPS`, with its size and digest: all
    made, and their digests read, once per version of the data (``dumps.json``)."""
    listing = json.loads(kept(store, "dumps.json", lambda out: out.write(_listing(store))).read_bytes())
    return [File(by_option(entry["option"]), entry["gzipped"], entry["size"], entry["sha256"]) for entry in listing]


def _listing(store: Store) -> bytes:
    entries = []
    for dump in DUMPS:
        for gzipped in (False, True):
            path = dump_file(store, dump, gzipped=gzipped)
            with path.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            entries.append({"option": dump.option, "gzipped": gzipped, "size": path.stat().st_size, "sha256": digest})
    return json.dumps(entries, indent=1).encode("utf-8")
