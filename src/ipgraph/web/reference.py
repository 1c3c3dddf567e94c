"""The pages about the graph as a whole: its ontology, its quality, its downloads.

* ``/ontology``: every term the ontology defines, grouped (classes, object, datatype and annotation
  properties, other terms), each in a section whose id is its local name, so that a browser
  following the term's IRI ``/def/Name`` is sent here, to ``/ontology#Name`` (:func:`term_page`);
  then the terms of other vocabularies the graph uses. ``/ontology.ttl``: the ontology files.
* ``/quality`` and ``/quality.json``: the SHACL report of the graph this site serves, by
  :mod:`ipgraph.validation`.
* ``/downloads``: the whole graph in every syntax ``ipgraph export`` writes, and a VoID description.

What takes long to make (a dump, the validation: seconds each) is made on the first request for
it, once per version of the data, and kept as a file in the store's own folder
(``{store}/derived/``): every worker of a server, and the next server over the same store, reads
it from there.
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VOID
from rdflib.term import Node

from .. import queries
from ..config import Settings
from ..entity import Named
from ..errors import NotFound
from ..namespaces import PREFIXES, QB, shorten
from ..negotiation import GRAPHS, Format
from ..store import EmbeddedStore, Store
from ..store.disk import DERIVED, QUALITY
from ..validation import report_document, turtle_graph, validate_settings
from .context import context
from .errors import CORS

bp = Blueprint("reference", __name__)

#: The syntaxes of ``ipgraph export`` (:data:`ipgraph.cli.EXPORT_FORMATS`), each a key of
#: :meth:`EmbeddedStore.dump <ipgraph.store.EmbeddedStore.dump>`.
DUMPS: tuple[Format, ...] = (*GRAPHS, Format("trig", "application/trig", "trig"),
                             Format("nquads", "application/n-quads", "nq"))
NAMES = {"turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML",
         "trig": "TriG", "nquads": "N-Quads"}



@dataclass(frozen=True)
class Group:
    """A group of the ontology page: the terms one of whose types is in ``types`` (none: the rest)."""

    id: str
    zh: str
    en: str
    types: tuple[URIRef, ...]


GROUPS = (Group("classes", "类", "Classes", (OWL.Class, RDFS.Class)),
          Group("object-properties", "对象属性", "Object properties", (OWL.ObjectProperty,)),
          Group("datatype-properties", "数据属性", "Datatype properties", (OWL.DatatypeProperty,)),
          Group("annotation-properties", "注释属性", "Annotation properties", (OWL.AnnotationProperty,)),
          Group("other-terms", "其他术语", "Other terms", ()))
SUPER = (RDFS.subClassOf, RDFS.subPropertyOf)
REFERS = (RDF.type, *SUPER, RDFS.domain, RDFS.range)  # the statements that name another vocabulary's term

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


# -- files made once per version of the data --


def kept(store: Store, name: str, make: Callable[[], bytes]) -> Path:
    """The file ``name`` in the store's folder, made by ``make`` if this version has none yet.

    Written under a name of its own and renamed into place, so a reader never sees half a file;
    one thread of a process makes it while the others wait for it.
    """
    path = embedded(store).built.path / DERIVED / name
    if path.is_file():
        return path
    with _locks_guard:
        lock = _locks.setdefault(path, threading.Lock())
    with lock:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}")
            partial.write_bytes(make())
            partial.replace(path)
    return path


def embedded(store: Store) -> EmbeddedStore:
    """``store``, which must be the embedded store: the one with a folder and a dump on this machine."""
    if not isinstance(store, EmbeddedStore):
        raise NotFound("this store keeps no files on this machine: downloads and the quality report "
                       "need the embedded store")
    return store


def _send(path: Path, media_type: str, download_name: str, *, attachment: bool = True) -> Response:
    """A kept file, as an attachment to save or to be shown, its ``ETag`` keyed on the data's version."""
    ctx = context()
    response = send_file(path, mimetype=media_type, as_attachment=attachment, download_name=download_name,
                         etag=f"{ctx.store.version}-{download_name}", conditional=True,
                         max_age=ctx.settings.cache_max_age)
    response.headers.update(CORS)
    return response


# -- the ontology --


@dataclass
class Term:
    """A term of the ontology, with what its section shows."""

    term: URIRef
    local: str
    zh: str | None = None
    en: str | None = None
    types: list[Named] = field(default_factory=list)
    definitions: list[Literal] = field(default_factory=list)
    comments: list[Literal] = field(default_factory=list)
    supers: list[Named] = field(default_factory=list)
    subs: list[Named] = field(default_factory=list)
    domains: list[Named] = field(default_factory=list)
    ranges: list[Named] = field(default_factory=list)
    code_lists: list[Named] = field(default_factory=list)
    instances: int = 0

    @property
    def named(self) -> Named:
        return Named(self.term, self.zh, self.en)


@dataclass
class Reused:
    """A term of another vocabulary that the graph or the ontology uses."""

    named: Named
    instances: int = 0  # things of this class or of a subclass
    uses: int = 0  # triples with this property
    referenced_by: list[Named] = field(default_factory=list)  # ontology terms whose statements name it


def _zh_first(literals: list[Literal]) -> list[Literal]:
    return sorted(literals, key=lambda lit: (lit.language != "zh", lit.language != "en", str(lit)))


def ontology_terms(store: Store, ontology: str) -> list[Term]:
    """Every term ``ontology`` defines, in IRI order."""
    rows = store.select(queries.named("ontology-terms"), bindings={"ontology": URIRef(ontology)})
    terms: dict[Node, Term] = {}
    for row in rows:
        iri = row["term"]
        term = terms.setdefault(iri, Term(URIRef(str(iri)), local=_local(str(iri), ontology)))
        prop, value = row["property"], row["value"]
        named = Named(value, _s(row.get("valueZh")), _s(row.get("valueEn")))
        if prop == RDFS.label:
            if isinstance(value, Literal) and value.language in ("zh", "en"):
                setattr(term, value.language, str(value))
        elif prop in (SKOS.definition, RDFS.comment):
            (term.definitions if prop == SKOS.definition else term.comments).append(value)
        else:
            {RDF.type: term.types, RDFS.subClassOf: term.supers, RDFS.subPropertyOf: term.supers,
             RDFS.domain: term.domains, RDFS.range: term.ranges, QB.codeList: term.code_lists}[prop].append(named)
    for term in terms.values():
        term.definitions, term.comments = _zh_first(term.definitions), _zh_first(term.comments)
        for parent in term.supers:
            if parent.term in terms:
                terms[parent.term].subs.append(term.named)
        if any(t.term in GROUPS[0].types for t in term.types):
            term.instances = store.index.count(str(term.term))
    return list(terms.values())


def _local(iri: str, ontology: str) -> str:
    """The part of a term's IRI after the ontology's namespace (``{ontology}/``)."""
    return iri[len(ontology) + 1:] if iri.startswith(ontology + "/") else shorten(iri)


def grouped(terms: list[Term]) -> list[tuple[Group, list[Term]]]:
    """The terms in the groups of :data:`GROUPS`, each term in the first group one of its types names."""
    found: dict[Group, list[Term]] = {group: [] for group in GROUPS}
    for term in terms:
        types = {t.term for t in term.types}
        found[next(g for g in GROUPS if not g.types or types & set(g.types))].append(term)
    return list(found.items())


def reused_terms(store: Store, terms: list[Term], site: str) -> list[tuple[str, str, list[Reused]]]:
    """The terms of other vocabularies (outside ``site``) that the graph uses as a class or a
    property, or that the ontology's statements name, by vocabulary: ``(prefix, namespace,
    terms)``, with the labels the graph gives them (none, unless the ontology files give some)."""
    found: dict[Node, Reused] = {}

    def add(term: Node, zh: str | None = None, en: str | None = None) -> Reused:
        return found.setdefault(term, Reused(Named(term, zh, en)))

    for cls, _ in store.index.class_counts():
        if not cls.iri.startswith(site):
            add(URIRef(cls.iri), cls.zh, cls.en)
    for row in store.select(queries.named("property-uses")):
        if not str(row["property"]).startswith(site):
            add(row["property"], _s(row.get("zh")), _s(row.get("en"))).uses = int(row["uses"].toPython())
    for term in terms:
        for named in (*term.types, *term.supers, *term.domains, *term.ranges):
            if isinstance(named.term, URIRef) and not named.iri.startswith(site):
                add(named.term, named.zh, named.en).referenced_by.append(term.named)
    vocabularies: dict[tuple[str, str], list[Reused]] = defaultdict(list)
    for reused in found.values():
        reused.instances = store.index.count(reused.named.iri)
        vocabularies[vocabulary(reused.named.iri)].append(reused)
    return [(prefix, ns, sorted(members, key=lambda r: r.named.short))
            for (prefix, ns), members in sorted(vocabularies.items())]


def vocabulary(iri: str) -> tuple[str, str]:
    """The prefix and namespace ``iri`` belongs to; for a namespace the site has no prefix for, the
    IRI up to its last ``#`` or ``/`` and no prefix.

    >>> vocabulary("http://purl.org/linked-data/cube#Observation")
    ('qb', 'http://purl.org/linked-data/cube#')
    >>> vocabulary("http://example.org/v/Thing")
    ('', 'http://example.org/v/')
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is not None:
        return next(p for p, ns in PREFIXES.items() if ns == best), best
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    return "", iri[:cut]


def _s(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _header(store: Store, ontology: str) -> dict[str, list[Node]]:
    found: dict[str, list[Node]] = defaultdict(list)
    for row in store.select(queries.named("ontology-header"), bindings={"ontology": URIRef(ontology)}):
        found[shorten(str(row["property"]))].append(row["value"])
    return {key: _zh_first(values) if all(isinstance(v, Literal) for v in values) else values
            for key, values in found.items()}


@bp.get("/ontology")
def ontology() -> Response:
    ctx = context()
    document = f"{ctx.settings.base_iri}/def"
    terms = ontology_terms(ctx.store, document)
    sections = {t.term: f"#{t.local}" for t in terms}

    def anchor(named: Named) -> str:
        """Where a term named in a section links: its section, the site's page of a thing of the
        data (a code list), or the row of another vocabulary's term."""
        return sections.get(named.term) or ctx.local_path(named.iri) or f"#{named.short}"

    body = render_template("ontology.html", document=document, header=_header(ctx.store, document),
                           groups=grouped(terms), anchor=anchor, count=len(terms),
                           reused=reused_terms(ctx.store, terms, f"{ctx.settings.base_iri}/"))
    return Response(body, mimetype="text/html")


@bp.get("/ontology.ttl")
def ontology_turtle() -> Response:
    ctx = context()
    path = kept(ctx.store, "ontology.ttl", lambda: _ontology_turtle(ctx.settings))
    return _send(path, "text/turtle", "ipgraph-ontology.ttl", attachment=False)


def _ontology_turtle(settings: Settings) -> bytes:
    graph = turtle_graph(sorted(settings.ontology_dir.glob("*.ttl")))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph.serialize(format="turtle", encoding="utf-8")


def term_page(path: str) -> Response:
    """For a browser, the IRI of the ontology (``/def``) or of one of its terms (``/def/Name``)
    is answered with 303 See Other to the ontology page, at the term's section."""
    local = path[len("/def/"):] if path.startswith("/def/") else ""
    return redirect(url_for("reference.ontology") + (f"#{local}" if local else ""), 303)


# -- the quality report --


def quality_file(store: Store, settings: Settings) -> Path:
    """The SHACL report of the graph ``store`` serves, as JSON, made once per version of the data:
    by ``ipgraph build``, which validates before it builds (:func:`ipgraph.store.disk.ensure`),
    else on the first request."""
    return kept(store, QUALITY, lambda: _validate(store, settings))


def _validate(store: Store, settings: Settings) -> bytes:
    graph = store.construct(queries.named("all-triples"))
    document = report_document(validate_settings(graph, settings), version=store.version, triples=len(graph))
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


@bp.get("/quality")
def quality() -> Response:
    ctx = context()
    report = json.loads(quality_file(ctx.store, ctx.settings).read_bytes())
    return Response(render_template("quality.html", report=report), mimetype="text/html")


@bp.get("/quality.json")
def quality_json() -> Response:
    ctx = context()
    response = Response(quality_file(ctx.store, ctx.settings).read_bytes(), mimetype="application/json")
    response.headers.update(CORS)
    return response


# -- downloads --


def dump_file(store: Store, fmt: Format) -> Path:
    """The whole graph in ``fmt``, dumped once per version of the data."""
    return kept(store, f"ipgraph.{fmt.extension}", lambda: embedded(store).dump(fmt.key))


@bp.get("/downloads")
def downloads() -> Response:
    ctx = context()
    files = [(fmt, NAMES[fmt.key], dump_file(ctx.store, fmt).stat().st_size) for fmt in DUMPS]
    return Response(render_template("downloads.html", files=files, triples=len(ctx.store),
                                    data_version=ctx.store.version), mimetype="text/html")


@bp.get("/downloads/ipgraph.<extension>")
def download(extension: str) -> Response:
    fmt = next((f for f in DUMPS if f.extension == extension), None)
    if fmt is None:
        known = ", ".join(f"ipgraph.{f.extension}" for f in DUMPS)
        raise NotFound(f"there is no download ipgraph.{extension}; there are {known}")
    return _send(dump_file(context().store, fmt), fmt.media_type, f"ipgraph.{fmt.extension}")


@bp.get("/downloads/void.ttl")
def void() -> Response:
    """A VoID description of the dataset: its size, its SPARQL endpoint, its dumps, its vocabulary."""
    ctx = context()
    root = request.url_root
    dataset = URIRef(f"{root}downloads/void.ttl#ipgraph")
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.triples, Literal(len(ctx.store))))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    graph.add((dataset, VOID.vocabulary, URIRef(f"{ctx.settings.base_iri}/def/")))
    graph.add((dataset, VOID.uriSpace, Literal(f"{ctx.settings.base_iri}/id/")))
    for fmt in DUMPS:
        graph.add((dataset, VOID.dataDump, URIRef(f"{root}downloads/ipgraph.{fmt.extension}")))
    for row in ctx.store.select(queries.named("dataset-title")):
        graph.add((dataset, DCTERMS.source, row["report"]))
    response = Response(graph.serialize(format="turtle", encoding="utf-8"), mimetype="text/turtle")
    response.headers["Content-Type"] = "text/turtle; charset=utf-8"
    response.headers.update(CORS)
    return response
