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
...     built = write(g, Path(folder) / "v1", version="v1", data_graph="http://example.org/graph")
...     (built.version, built.triples, read_info(built.path).graphs)
('v1', 2, ('http://example.org/graph',))
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, RDF, XSD

from .. import __version__
from ..config import Settings
from ..dataset import DatasetError, anchor, build_graph, check_checksums, read_source, turtle_files
from ..namespaces import CNT, IPG, OA
from .index import LAYOUT, write_index
from .index import NAME as INDEX

INFO = "store.json"
#: The folder, in a store's own, of what is made from its version of the data (dumps, reports),
#: and the SHACL report that validating the data before the build leaves there.
DERIVED, QUALITY = "derived", "quality.json"
DIGESTS = "digests.json"  # each data file's digest, by its size and modification time


@dataclass(frozen=True)
class Built:
    """A store on disk: where, which version of the data, how many triples, when it was built, and
    the named graphs that hold them (the data graph first)."""

    path: Path
    version: str
    triples: int
    built: float
    graphs: tuple[str, ...]


def data_version(settings: Settings) -> str:
    """A digest of every file the graph is built from, of this package's version and of the
    index's layout (:data:`~.index.LAYOUT`).

    Each file's own digest is remembered in ``{store_dir}/digests.json`` with its size and
    modification time, and read again only when one of those changed, so that finding the store
    of a large graph does not read every file each time a server starts.
    """
    digest = hashlib.sha256(f"ipgraph {__version__} index {LAYOUT}\n".encode())
    memo_path = settings.store_dir / DIGESTS
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    fresh = {}
    for f in [*turtle_files(settings.ontology_dir, settings.data_dir), settings.source_file]:
        stat = f.stat()
        signature = [stat.st_size, stat.st_mtime_ns]
        known = memo.get(str(f.resolve()))
        if isinstance(known, dict) and known.get("signature") == signature:
            file_digest = bytes.fromhex(known["sha256"])
        else:
            file_digest = _file_digest(f)
        fresh[str(f.resolve())] = {"signature": signature, "sha256": file_digest.hex()}
        digest.update(f"{f.relative_to(settings.root)}\n".encode())
        digest.update(file_digest)
    if fresh != memo:
        _write_memo(memo_path, fresh)
    return digest.hexdigest()[:16]


def _file_digest(path: Path) -> bytes:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


def _write_memo(path: Path, memo: dict) -> None:
    """Best effort: a store folder that cannot be written only means hashing again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(memo, indent=1) + "\n", encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass


def ensure(settings: Settings, *, validate: bool = True) -> Built:
    """The store for the current data: found on disk if it was built already, else built.

    The graph is checked against the SHACL shapes first and no store is written for data that
    does not conform (:class:`~ipgraph.dataset.DatasetError`, each violation a line).
    ``validate=False`` skips that, for generated benchmark data only.

    The store itself is loaded by Oxigraph's own parser (:func:`load`), not through an rdflib graph,
    so building it costs the store's memory, not rdflib's (about 2 KB a triple): a graph of ten
    million triples builds on one machine. Only validation, which pySHACL does over rdflib, reads
    the data into rdflib, and the data it validates is the report's, not a benchmark's.
    """
    version = data_version(settings)
    path = settings.store_dir / version
    if (path / INFO).is_file():
        return read_info(path)
    graphs = (settings.data_graph, settings.ontology_graph)
    if not validate:
        return _publish(path, version, graphs, lambda folder: load(settings, folder, version))
    from ..validation import format_violation, report_document, validate_settings

    graph = build_graph(settings)
    result = validate_settings(graph, settings)
    if not result.conforms:
        raise DatasetError([format_violation(v) for v in result.violations]
                           + [f"the data does not conform ({len(result.violations)} violations): no store written"])
    report = json.dumps(report_document(result, version=version, triples=len(graph)), ensure_ascii=False, indent=1)

    def fill(folder: Path) -> int:
        triples = load(settings, folder, version)
        (folder / DERIVED).mkdir()
        (folder / DERIVED / QUALITY).write_text(report, encoding="utf-8")  # what the site's /quality shows
        return triples

    return _publish(path, version, graphs, fill)


def write(graph: Graph, path: Path, *, version: str, data_graph: str) -> Built:
    """Write ``graph`` as an Oxigraph store at ``path`` (which must not hold one yet), in the
    named graph ``data_graph``."""
    def fill(folder: Path) -> int:
        store = ox.Store(str(folder))
        into = ox.NamedNode(data_graph)
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=into)
        store.add(_version_quad(into, version))
        _close(store)
        del store  # the last reference: the database closes before it is opened read-only
        return _index(folder)

    return _publish(path, version, (data_graph,), fill)


def load(settings: Settings, folder: Path, version: str) -> int:
    """Load the ontology into the ontology graph, and the data and the report's text into the data
    graph, of a new store at ``folder``; anchor every quote in it (as
    :func:`ipgraph.dataset.build_graph` does in rdflib), state the data's ``version``, write the
    label index beside it, and return the number of triples."""
    data, ontology = ox.NamedNode(settings.data_graph), ox.NamedNode(settings.ontology_graph)
    parts = [(f, ontology) for f in turtle_files(settings.ontology_dir)]
    parts += [(f, data) for f in turtle_files(settings.data_dir)]
    if not parts:
        raise DatasetError([f"no Turtle files in {settings.ontology_dir} or {settings.data_dir}"])
    store = ox.Store(str(folder))
    problems = []
    for f, graph in parts:
        try:
            store.bulk_load(path=f, format=ox.RdfFormat.TURTLE, to_graph=graph)
        except (SyntaxError, ValueError, OSError) as exc:
            problems.append(f"{f}: {exc}")
    if problems:
        raise DatasetError(problems)
    text = read_source(settings.source_file)
    store.extend(_text_quads(store, text, data))
    problems: list[str] = []
    quads = _anchor_quads(store, text, data, problems)
    while batch := list(itertools.islice(quads, 100_000)):
        store.extend(batch)  # the query reads a snapshot, so writing as it goes is safe
    if problems:
        raise DatasetError(problems)
    store.add(_version_quad(data, version))
    _close(store)
    del store  # the last reference: the database closes before it is opened read-only
    return _index(folder)


def _version_quad(graph: ox.NamedNode, version: str) -> ox.Quad:
    """The data graph's own statement of the data's version (``owl:versionInfo``), by which a site
    over a remote store knows which version it holds."""
    return ox.Quad(graph, ox.NamedNode(str(OWL.versionInfo)), ox.Literal(version), graph)


def _index(folder: Path) -> int:
    """Write the label index beside the store at ``folder``, and count its quads."""
    reader = ox.Store.read_only(str(folder))
    write_index(folder / INDEX, reader)
    triples = len(reader)
    del reader
    return triples


def _close(store: ox.Store) -> None:
    """Compact and write out a new store; the caller then drops its last reference, which closes it."""
    store.optimize()
    store.flush()


def _publish(path: Path, version: str, graphs: tuple[str, ...], fill) -> Built:
    """Fill a folder of its own with ``fill(folder) -> triples``, then rename it to ``path``: a
    reader never sees half a store."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.parent / f".{path.name}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        triples = fill(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    built = Built(path=path, version=version, triples=triples, built=time.time(), graphs=graphs)
    info = {k: v for k, v in asdict(built).items() if k != "path"}
    (partial / INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    try:
        partial.rename(path)
    except OSError:  # another process built the same version first: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)
        return read_info(path)
    return built


_TEXTS = f"""SELECT ?node ?sha WHERE {{ ?node a <{IPG.ReportText}> OPTIONAL {{ ?node <{IPG.sha256}> ?sha }} }}"""

_QUOTES = f"""SELECT ?target ?selector ?exact ?prefix ?suffix WHERE {{
  ?target <{OA.hasSelector}> ?selector . ?selector a <{OA.TextQuoteSelector}>
  OPTIONAL {{ ?selector <{OA.exact}> ?exact }} OPTIONAL {{ ?selector <{OA.prefix}> ?prefix }}
  OPTIONAL {{ ?selector <{OA.suffix}> ?suffix }} }}"""


def _text_quads(store: ox.Store, text: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """The text's content on each ``ipg:ReportText`` node, after checking its recorded checksum."""
    recorded: dict = {}
    for row in store.query(_TEXTS, use_default_graph_as_union=True):
        recorded.setdefault(row["node"], set()).update([row["sha"].value] if row["sha"] else [])
    check_checksums({node.value: shas for node, shas in recorded.items()}, text)
    chars = ox.NamedNode(str(CNT.chars))
    return [ox.Quad(node, chars, ox.Literal(text), graph) for node in recorded]


def _anchor_quads(store: ox.Store, text: str, graph: ox.NamedNode, problems: list[str]) -> Iterator[ox.Quad]:
    """A position selector and the context around each quote, as :func:`ipgraph.dataset.anchor_quotes`
    adds them; a quote found nowhere or in several places is added to ``problems``, naming its
    passage. A benchmark's copies of the report quote the same words: each is looked up once."""
    find = functools.lru_cache(maxsize=65536)(functools.partial(anchor, text))

    def iri(term) -> ox.NamedNode:
        return ox.NamedNode(str(term))

    def lexical(term) -> str | None:
        return None if term is None else term.value

    rdf_type, start, end = iri(RDF.type), iri(OA.start), iri(OA.end)
    has_selector, position_class = iri(OA.hasSelector), iri(OA.TextPositionSelector)
    prefix_p, suffix_p, integer = iri(OA.prefix), iri(OA.suffix), iri(XSD.integer)
    for row in store.query(_QUOTES, use_default_graph_as_union=True):
        target, selector = row["target"], row["selector"]
        exact, prefix, suffix = lexical(row["exact"]), lexical(row["prefix"]), lexical(row["suffix"])
        label = target.value if isinstance(target, ox.NamedNode) else str(target)
        try:
            where = find(exact or "", prefix, suffix)
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
            continue
        position = ox.NamedNode(f"{target.value}#position") if isinstance(target, ox.NamedNode) else ox.BlankNode()
        yield ox.Quad(target, has_selector, position, graph)
        yield ox.Quad(position, rdf_type, position_class, graph)
        yield ox.Quad(position, start, ox.Literal(str(where.start), datatype=integer), graph)
        yield ox.Quad(position, end, ox.Literal(str(where.end), datatype=integer), graph)
        if prefix is None:
            yield ox.Quad(selector, prefix_p, ox.Literal(where.prefix), graph)
        if suffix is None:
            yield ox.Quad(selector, suffix_p, ox.Literal(where.suffix), graph)


def read_info(path: Path) -> Built:
    info = json.loads((path / INFO).read_text(encoding="utf-8"))
    return Built(path=path, version=info["version"], triples=int(info["triples"]), built=float(info["built"]),
                 graphs=tuple(info["graphs"]))


def open_read_only(built: Built) -> ox.Store:
    return ox.Store.read_only(str(built.path))
