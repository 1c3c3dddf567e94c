"""The pages about the graph as a whole: its ontology, its quality, its downloads and descriptions.

* ``/ontology``: every term the ontology defines, grouped (classes, object, datatype and annotation
  properties, other terms), each in a section whose id is its local name, so that a browser
  following the term's IRI ``/def/Name`` is sent here, to ``/ontology#Name`` (:func:`term_page`);
  then the terms of other vocabularies the graph uses. ``/ontology.ttl``: the ontology files.
* ``/quality`` and ``/quality.json``: the SHACL report of the graph this site serves, by
  :mod:`ipgraph.validation`.
* ``/downloads``: the whole graph in every syntax ``ipgraph export`` writes, plain and gzipped
  (:mod:`ipgraph.dumps`), each with its size and SHA-256 digest.
* ``/.well-known/void``: the dataset described in VoID and DCAT (:mod:`ipgraph.description`), in
  Turtle or the RDF syntax ``Accept`` asks for; ``/downloads/void.ttl`` is the same in Turtle.
* ``/context.jsonld``: the JSON-LD context (:mod:`ipgraph.jsonld`) that the JSON-LD dump holds and
  each entity's JSON-LD names.
* ``/sitemap.xml`` (sitemaps.org): the site's main pages and the page of every entity; past
  :data:`SITEMAP_URLS` URLs, an index of ``/sitemap-N.xml`` files. ``/robots.txt`` names it.

What takes long to make (a dump, a description's counts, the validation: seconds each) is made on
the first request for it, once per version of the data, and kept as a file in the store's folder
for that version (:func:`ipgraph.dumps.kept`): every worker of a server, and the next server over
the same data, reads it from there.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from flask import Blueprint, Response, current_app, redirect, render_template, request, send_file, url_for
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .. import dumps, queries
from ..config import Settings
from ..description import WELL_KNOWN, describe, vocabulary
from ..entity import Named
from ..errors import NotFound
from ..namespaces import PREFIXES, QB, shorten
from ..negotiation import GRAPHS, Format
from ..store import Store
from ..store.disk import QUALITY
from ..validation import report_document, turtle_graph, validate_settings
from .context import context
from .endpoint import choose, respond_graph
from .errors import CORS

bp = Blueprint("reference", __name__)

#: The most URLs one sitemap file lists (sitemaps.org); the application's ``SITEMAP_URLS`` config sets another.
SITEMAP_URLS = 50_000
ENTITIES = "sitemap-entities.txt"
URL_SAFE = "/:@!$&'()*+,;=-._~%"  # what a URL path keeps as it is (RFC 3986)


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


# -- files made once per version of the data --


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
    path = dumps.kept(ctx.store, "ontology.ttl", lambda out: out.write(_ontology_turtle(ctx.settings)))
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
    return dumps.kept(store, QUALITY, lambda out: out.write(_validate(store, settings)))


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


# -- downloads and descriptions --


@bp.get("/downloads")
def downloads() -> Response:
    ctx = context()
    return Response(render_template("downloads.html", files=dumps.files(ctx.store), triples=len(ctx.store),
                                    data_version=ctx.store.version), mimetype="text/html")


@bp.get("/downloads/<name>")
def download(name: str) -> Response:
    found = dumps.by_file(name)
    if found is None:
        known = ", ".join(d.file_name() for d in dumps.DUMPS)
        raise NotFound(f"there is no download {name}; there are {known}, each also gzipped (.gz)")
    dump, gzipped = found
    path = dumps.dump_file(context().store, dump, gzipped=gzipped)
    return _send(path, dumps.GZIP if gzipped else dump.format.media_type, name)


@bp.get("/" + WELL_KNOWN)
def void() -> Response:
    """The dataset described in VoID and DCAT, in Turtle or the RDF syntax asked for."""
    return _description(choose(GRAPHS))


@bp.get("/downloads/void.ttl")
def void_turtle() -> Response:
    """The description of ``/.well-known/void``, as a Turtle file."""
    return _description(GRAPHS[0])


def _description(chosen: Format) -> Response:
    """The description for this site's URL, in ``chosen``."""
    ctx = context()
    graph = describe(ctx.store, ctx.settings, request.url_root)
    return respond_graph(graph, chosen)


@bp.get("/context.jsonld")
def jsonld_context() -> Response:
    """The JSON-LD context of the graph's JSON-LD, made once per version of the data (small: sent from
    memory, and cached and validated like a page)."""
    response = Response(dumps.context_file(context().store).read_bytes(), mimetype="application/ld+json")
    response.headers.update(CORS)
    return response


# -- the sitemap --


def entity_paths(store: Store, settings: Settings) -> list[str]:
    """The path of every entity's page, in order, listed once per version of the data."""
    def listing(out: BinaryIO) -> None:
        rows = store.select(queries.named("sitemap-entities"), bindings={"space": Literal(f"{settings.base_iri}/id/")})
        paths = sorted(quote(str(row["entity"])[len(settings.base_iri):], safe=URL_SAFE) for row in rows)
        out.write("".join(f"{path}\n" for path in paths).encode("utf-8"))

    return dumps.kept(store, ENTITIES, listing).read_text(encoding="utf-8").splitlines()


def site_urls(store: Store, settings: Settings) -> list[str]:
    """The URLs of the site's main pages: the home page, the report, the ontology, the downloads,
    the quality report, the query editor and its examples, and the list of each class."""
    urls = [url_for(endpoint, _external=True) for endpoint in (
        "site.home", "report.report", "reference.ontology", "reference.downloads", "reference.quality",
        "endpoint.sparql", "examples.gallery")]
    urls += [url_for("examples.example", slug=e.slug, _external=True) for e in queries.examples(settings.queries_dir)]
    urls += [url_for("browse.class_list", curie=shorten(cls.iri), _external=True)
             for cls, _ in store.index.class_counts()]
    return urls


def _sitemap() -> tuple[list[str], int]:
    """Every URL the sitemap lists, and the most one of its files lists."""
    ctx = context()
    root = request.url_root.rstrip("/")
    urls = site_urls(ctx.store, ctx.settings) + [root + path for path in entity_paths(ctx.store, ctx.settings)]
    return urls, current_app.config.get("SITEMAP_URLS", SITEMAP_URLS)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """All the site's pages, or, past :data:`SITEMAP_URLS` of them, the index of the files that list them."""
    urls, size = _sitemap()
    files = math.ceil(len(urls) / size)
    if files > 1:
        return _xml(render_template("sitemap.xml", sitemaps=[
            url_for("reference.sitemap_page", page=n, _external=True) for n in range(1, files + 1)]))
    return _xml(render_template("sitemap.xml", urls=urls))


@bp.get("/sitemap-<int:page>.xml")
def sitemap_page(page: int) -> Response:
    """The ``page``-th file of a sitemap too large for one."""
    urls, size = _sitemap()
    files = math.ceil(len(urls) / size)
    if files < 2 or not 1 <= page <= files:
        raise NotFound(f"there is no sitemap file {page}: /sitemap.xml lists the site"
                       + (f" in files 1 to {files}" if files > 1 else ""))
    return _xml(render_template("sitemap.xml", urls=urls[(page - 1) * size:page * size]))


def _xml(body: str) -> Response:
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    """Every page may be crawled; the sitemap says which there are."""
    body = f"User-agent: *\nAllow: /\n\nSitemap: {request.url_root}sitemap.xml\n"
    return Response(body, mimetype="text/plain")
