"""Entity IRIs dereference: ``/id/…`` and ``/def/…`` answer for ``{base_iri}/id/…`` and ``{base_iri}/def/…``.

One URL, several representations (Cool URIs for the Semantic Web, content negotiation without
a redirect): HTML for a browser, RDF for a client that asks by ``Accept``, by ``?format=`` or by a
file suffix (``/id/body/x.ttl``); JSON-LD compacted with the graph's context, named by its URL
(``/context.jsonld``, :mod:`ipgraph.jsonld`). The entity is asked for first, so an unknown IRI is
a 404. The ontology's terms are the exception for a browser: ``/def/Name`` is answered 303 See
Other to its section of ``/ontology`` (:func:`ipgraph.web.reference.term_page`).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup
from rdflib import Graph, URIRef

from .. import dumps, queries
from .. import entity as entities
from ..errors import BadRequest, NotFound
from ..jsonld import document as jsonld_document
from ..namespaces import PREFIXES, expand
from ..negotiation import GRAPHS, HTML, by_extension
from . import reference, report
from .context import context
from .endpoint import choose, respond, respond_graph
from .errors import CORS
from .views import page_number

bp = Blueprint("entities", __name__)

_SUFFIXES = {f.extension for f in (*GRAPHS, HTML)}


def entity_page(iri: str) -> Response:
    """The HTML page of ``iri``: its properties in groups, what links to it (``?incoming=`` a
    property and ``?page=`` page through one), each quote in its paragraph, and schema.org JSON-LD."""
    ctx = context()
    paged = request.args.get("incoming")
    paged_iri = expand(paged) if paged else None
    if paged and paged_iri is None:
        raise BadRequest(f"incoming={paged!r} is not a property name: write it as prefix:name")
    view = entities.describe(ctx.store, iri, incoming=paged_iri, page=page_number())
    contexts = {q.passage.iri: report.in_paragraph(ctx.store, q.start, q.end) for q in view.quotes
                if q.start is not None and q.end is not None}
    jsonld = json.dumps(entities.schema_org(view, request.base_url), ensure_ascii=False, indent=1)
    # JSON with <, > and & written as escapes is still the same JSON, and cannot end its <script>
    safe = Markup(jsonld.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704
    return Response(render_template("entity.html", view=view, contexts=contexts, report_link=report.link,
                                    jsonld=safe), mimetype="text/html")


def entity_jsonld(graph: Graph) -> bytes:
    """``graph`` in JSON-LD compacted with the graph's context, which it names by its URL
    (``/context.jsonld``) rather than holding it."""
    document = jsonld_document(graph, dumps.context_document(context().store),
                               url_for("reference.jsonld_context", _external=True))
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


@bp.get("/id/<path:rest>")
@bp.get("/def/<path:rest>")
@bp.get("/def", defaults={"rest": None})
def entity(rest: str | None) -> Response:
    ctx = context()
    path, suffix_format = request.path, None
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in _SUFFIXES and "/" not in suffix:
        path, suffix_format = stem, by_extension(suffix, (*GRAPHS, HTML))
    iri = ctx.settings.base_iri + path
    if not entities.exists(ctx.store, iri):
        raise NotFound(f"there is no entity {iri} in this dataset")
    chosen = choose((HTML, *GRAPHS)) if suffix_format is None or "format" in request.args else suffix_format
    if chosen is HTML and path.startswith("/def"):
        response = reference.term_page(path)  # the ontology's page, at the term's section
    elif chosen is HTML:
        response = entity_page(iri)
    else:
        graph = ctx.store.construct(queries.named("entity-description"), bindings={"entity": URIRef(iri)})
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, replace=True)
        response = respond(entity_jsonld(graph), chosen.media_type) if chosen.key == "jsonld" \
            else respond_graph(graph, chosen)
    local = request.path if suffix_format is None else path
    response.headers["Link"] = ", ".join(
        [f'<{iri}>; rel="canonical"'] + [f'<{local}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
                                          for f in GRAPHS])
    response.vary.add("Accept")
    response.headers.update(CORS)  # open data: a script on any site may fetch it
    return response
