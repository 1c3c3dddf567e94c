"""``/sparql``: the SPARQL 1.1 Protocol, read-only.

GET with ``query=``, POST of a form with ``query=``, or POST of the query itself as
``application/sparql-query``. Results in the format ``?format=`` names, else the one ``Accept``
prefers. Without a query: the service description (or, for a browser, the query editor of
:mod:`.editor`, which also shows a browser's results and problems). Every
response allows cross-origin use, so a query tool on another site can call it.

The dataset is the store's: the data graph and the ontology graph, merged as the default graph and
named as themselves. ``default-graph-uri`` and ``named-graph-uri``, or the query's ``FROM`` and
``FROM NAMED``, choose among the store's graphs (a graph it does not hold is empty: nothing is
fetched). Relative IRIs in a query are resolved against the endpoint's own URL.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from ..description import dataset_iri
from ..errors import BadRequest, NotAcceptable, Problem, UnsupportedMediaType, UpdateRefused
from ..negotiation import GRAPHS, HTML, SOLUTIONS, Format, by_name, negotiate
from ..querycheck import inspect_query
from ..store import Dataset
from . import editor
from .context import context
from .errors import CORS, PROBLEM_JSON, TEXT, problem_response

bp = Blueprint("endpoint", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
CORS_PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                  "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"}


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def sparql() -> Response:
    if request.method == "OPTIONS":  # a browser's CORS preflight
        return Response(status=204, headers=CORS_PREFLIGHT)
    query = read_query()
    if query is None:
        return service_description()
    ctx = context()
    info = inspect_query(query, max_length=ctx.settings.max_query_length,
                         max_nesting=ctx.settings.max_nesting)
    graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPHS if graph_form else SOLUTIONS
    # With no form found the parser will reject the query: let it say why, whatever was accepted.
    chosen = choose((*offers, HTML)) if info.form else offers[0]
    if chosen is HTML:
        return query_page(query, info.form)
    solutions = chosen if not graph_form else SOLUTIONS[0]
    graph = chosen if graph_form else GRAPHS[0]
    answer = ctx.store.answer(query, solutions=solutions, graph=graph, limits=ctx.limits,
                              dataset=read_dataset(), base=request.base_url)
    return respond(answer.body, answer.media_type)


def read_query() -> str | None:
    """The query text of the request, or None when it has none; errors for what is not a query."""
    if request.method == "GET":
        if "update" in request.args:
            raise UpdateRefused("this is a read-only endpoint: SPARQL Update is not accepted (and never by GET)")
        return single("query", request.args.getlist("query"))
    media_type = request.mimetype
    if media_type == "application/sparql-update" or "update" in request.form:
        raise UpdateRefused("this is a read-only endpoint: SPARQL Update is not accepted")
    if media_type == "application/sparql-query":
        try:
            return request.get_data().decode("utf-8")  # kept, so that an error page can show it again
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the query is not UTF-8: {exc}") from None
    if media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        query = single("query", request.form.getlist("query"))
        if query is None:
            raise BadRequest("the form has no 'query' field")
        return query
    raise UnsupportedMediaType(
        f"a POST to /sparql sends application/sparql-query or a form (application/x-www-form-urlencoded), "
        f"not {media_type or 'a body without Content-Type'}")


def read_dataset() -> Dataset | None:
    """The dataset the request names with ``default-graph-uri`` and ``named-graph-uri`` (in the URL,
    or in the form of a POST), or ``None`` when it names none."""
    default, named = request.values.getlist("default-graph-uri"), request.values.getlist("named-graph-uri")
    if not default and not named:
        return None
    for iri in (*default, *named):
        if not _IRI.match(iri):
            raise BadRequest(f"{iri!r} is not an absolute IRI: default-graph-uri and named-graph-uri name "
                             "graphs by IRI")
    return Dataset(default=tuple(default), named=tuple(named))


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def single(name: str, values: list[str]) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} '{name}' parameters; send one")
    return values[0] if values else None


def choose(candidates: tuple[Format, ...]) -> Format:
    """The format ``?format=`` names, else the one ``Accept`` prefers; ties go to the earlier candidate."""
    name = request.args.get("format") or request.form.get("format")
    if name:
        chosen = by_name(name, candidates)
        if chosen is None:
            known = ", ".join(f.key for f in candidates)
            raise BadRequest(f"unknown format {name!r} for this query; use one of {known}")
        return chosen
    chosen = negotiate(request.headers.get("Accept"), candidates)
    if chosen is None:
        known = ", ".join(f.media_type for f in candidates)
        raise NotAcceptable(f"none of the accepted types can be served; this resource is available as {known}")
    return chosen


def respond(body: bytes, media_type: str) -> Response:
    text = media_type.startswith("text/")
    response = Response(body, mimetype=media_type)
    if text:
        response.charset = "utf-8"
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.headers.update(CORS)
    response.vary.add("Accept")
    return response


def service_description() -> Response:
    chosen = choose((*GRAPHS, HTML))
    if chosen is HTML:
        return query_page("", None)
    ctx = context()
    endpoint = URIRef(request.base_url)
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    # The dataset is the one /.well-known/void describes, by the same IRI.
    dataset, default_graph = URIRef(dataset_iri(request.url_root)), BNode()
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((endpoint, SD.resultFormat, FORMATS[name]))
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(len(ctx.store))))
    for name in ctx.store.graphs:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return respond_graph(g, chosen)


_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def respond_graph(graph: Graph, chosen: Format) -> Response:
    """``graph`` written in ``chosen``, one of the :data:`~ipgraph.negotiation.GRAPHS` formats."""
    return respond(graph.serialize(format=_RDFLIB_FORMATS[chosen.key], encoding="utf-8"), chosen.media_type)


def query_page(query: str, form: str | None) -> Response:
    """The query editor, with the answer to ``query`` when there is one (:mod:`.editor`)."""
    return editor.page(query, form)


@bp.errorhandler(Problem)
def problem_page(error: Problem) -> Response:
    """A problem on ``/sparql``: for a browser, the editor with the query kept and the problem
    said; for a program, the problem as every other answer states it."""
    browser = negotiate(request.headers.get("Accept"), (PROBLEM_JSON, TEXT, HTML)) is HTML
    if browser and request.method in ("GET", "POST"):
        return editor.error_page(_sent_query(), error)
    return problem_response(error)


def _sent_query() -> str:
    """The query text the request carried: the ``query`` parameter, or the body sent as
    ``application/sparql-query``."""
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        return request.get_data().decode("utf-8", errors="replace")
    values = request.args if request.method == "GET" else request.form
    return (values.getlist("query") or [""])[0]
