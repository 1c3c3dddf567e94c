"""``/sparql``: the SPARQL 1.1 Protocol, read-only.

GET with ``query=``, POST of a form with ``query=``, or POST of the query itself as
``application/sparql-query``. Results in the format ``?format=`` names, else the one ``Accept``
prefers. Without a query: the service description (or, for a browser, a query form). Every
response allows cross-origin use, so a query tool on another site can call it.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from ..errors import BadRequest, NotAcceptable, QuerySyntaxError, UnsupportedMediaType, UpdateRefused
from ..negotiation import GRAPHS, HTML, SOLUTIONS, Format, by_name, negotiate
from ..queries import examples
from ..querycheck import inspect_query
from .context import context
from .errors import CORS

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
    answer = ctx.store.answer(query, solutions=solutions, graph=graph, limits=ctx.limits)
    return respond(answer.body, answer.media_type)


def read_query() -> str | None:
    """The query text of the request, or None when it has none; errors for what is not a query."""
    if any(name in request.values for name in ("default-graph-uri", "named-graph-uri")):
        raise BadRequest("default-graph-uri and named-graph-uri are not supported: queries run over "
                         "this endpoint's own dataset")
    if request.method == "GET":
        return single("query", request.args.getlist("query"))
    media_type = request.mimetype
    if media_type == "application/sparql-update" or "update" in request.form:
        raise UpdateRefused("this is a read-only endpoint: SPARQL Update is not accepted")
    if media_type == "application/sparql-query":
        try:
            return request.get_data(cache=False).decode("utf-8")
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
    dataset, default_graph = BNode(), BNode()
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((endpoint, SD.resultFormat, FORMATS[name]))
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(len(ctx.store))))
    return respond_graph(g, chosen)


_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def respond_graph(graph: Graph, chosen: Format) -> Response:
    """``graph`` written in ``chosen``, one of the :data:`~ipgraph.negotiation.GRAPHS` formats."""
    return respond(graph.serialize(format=_RDFLIB_FORMATS[chosen.key], encoding="utf-8"), chosen.media_type)


def query_page(query: str, form: str | None) -> Response:
    """The query form, with the results as a table when there is a query."""
    ctx = context()
    table = error = None
    if query:
        try:
            if form in ("CONSTRUCT", "DESCRIBE"):
                answer = ctx.store.answer(query, solutions=SOLUTIONS[0], graph=GRAPHS[1], limits=ctx.limits)
                table = ntriples_table(answer.body.decode("utf-8"))
            else:
                answer = ctx.store.answer(query, solutions=SOLUTIONS[0], graph=GRAPHS[0], limits=ctx.limits)
                table = solutions_table(json.loads(answer.body))
        except QuerySyntaxError as exc:
            error = exc.message
    body = render_template("sparql.html", query=query, table=table, error=error,
                           examples=examples(ctx.settings.queries_dir))
    response = Response(body, 400 if error else 200, mimetype="text/html")
    response.vary.add("Accept")
    return response


def solutions_table(document: dict) -> dict:
    if "boolean" in document:
        return {"columns": ["boolean"], "rows": [[{"type": "literal", "value": str(document["boolean"]).lower()}]]}
    columns = document["head"]["vars"]
    rows = [[binding.get(v) for v in columns] for binding in document["results"]["bindings"]]
    return {"columns": columns, "rows": rows}


def ntriples_table(text: str) -> dict:
    g = Graph().parse(data=text, format="nt")
    rows = []
    for s, p, o in sorted(g):
        rows.append([_cell(s), _cell(p), _cell(o)])
    return {"columns": ["subject", "predicate", "object"], "rows": rows}


def _cell(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "literal", "value": str(term), "xml:lang": term.language}
