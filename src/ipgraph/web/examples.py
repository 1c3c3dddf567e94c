"""The example queries: the gallery, and each example at its own address, as a page and as an API.

``/queries/<slug>`` is an example's page: what it asks, a form with its named parameters
(:mod:`ipgraph.queries`), its answer as a table (paged, charted) and its text.
``/queries/<slug>.json`` and ``/queries/<slug>.csv`` are its answer as SPARQL results, given the
same parameters in the query string, e.g.
``/queries/40-customs-offices-goods-detained.json?office=body:guangzhou-customs``; ``/queries/<slug>.rq``
is its text. A parameter's value is checked against its type (and, for a
class, that the thing is of that class) before it is bound; every run goes through the limits
and the cache of answers of ``/sparql``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import URIRef
from rdflib.term import Identifier

from .. import queries
from ..errors import BadRequest, NotFound, Problem
from ..namespaces import shorten
from ..negotiation import GRAPHS, SOLUTIONS, by_name
from ..querycheck import inspect_query
from ..store.index import Member
from . import editor
from .context import context
from .endpoint import respond

bp = Blueprint("examples", __name__)

MAX_CHOICES = 500  # things of a class a parameter's form offers as a list; past that, a text field


@dataclass(frozen=True)
class Field:
    """A parameter as its form shows it: a label, the value asked for, and the choices if listed."""

    parameter: queries.Parameter
    label: Member
    value: str
    choices: list[tuple[str, Member]]


@bp.get("/queries")
def gallery() -> Response:
    return Response(render_template("queries.html", examples=queries.examples(context().settings.queries_dir)),
                    mimetype="text/html")


@bp.get("/queries/<slug>")
def example(slug: str) -> Response:
    found = editor.find_example(slug)
    fields = [_field(p, request.args.get(p.name, "")) for p in found.parameters]
    text, shown, trouble, status = found.text, None, None, 200
    try:
        given = _given(found)
        text = queries.bind(found.text, _values(found, given))
        table = editor.run_table(text, editor.query_form(text))
        shown = editor.results(table, url_for("examples.example", slug=slug), given)
    except Problem as problem:
        trouble, status = editor.trouble(problem, text, editor.query_form(text)), problem.status
    return Response(render_template("query.html", example=found, fields=fields, bound=text, results=shown,
                                    trouble=trouble, downloads=_downloads(slug), numeric=editor.NUMERIC),
                    status, mimetype="text/html")


def _downloads(slug: str) -> list[tuple[str, str]]:
    """The example's answer in each format of the API, for the parameters the request gives."""
    args = {k: v for k, v in request.args.items() if k not in queries.RESERVED and v.strip()}
    return [(name, url_for(f"examples.example_{name}", slug=slug, **args)) for name in ("json", "csv")]


@bp.get("/queries/<slug>.rq")
def example_text(slug: str) -> Response:
    return Response(editor.find_example(slug).text, mimetype="application/sparql-query")


@bp.get("/queries/<slug>.json")
def example_json(slug: str) -> Response:
    return _answer(slug, "json")


@bp.get("/queries/<slug>.csv")
def example_csv(slug: str) -> Response:
    return _answer(slug, "csv")


def _answer(slug: str, name: str) -> Response:
    """The example's answer in the format ``name`` (for a CONSTRUCT or DESCRIBE example, the RDF
    format of that name, if there is one)."""
    found = editor.find_example(slug)
    text = queries.bind(found.text, _values(found, _given(found)))
    ctx = context()
    form = inspect_query(text, max_length=ctx.settings.max_query_length, max_nesting=ctx.settings.max_nesting).form
    graph_form = form in editor.GRAPH_FORMS
    chosen = by_name(name, GRAPHS if graph_form else SOLUTIONS)
    if chosen is None:
        raise NotFound(f"{slug} is a {form} query: its answer is RDF, which has no .{name} form")
    answer = ctx.store.answer(text, solutions=SOLUTIONS[0] if graph_form else chosen,
                              graph=chosen if graph_form else GRAPHS[0], limits=ctx.limits)
    return respond(answer.body, answer.media_type)


def _given(example: queries.Example) -> dict[str, str]:
    """The parameter values the request gives (empty ones left out); 400 for anything else in it."""
    names = {p.name for p in example.parameters}
    for name in request.args:
        if name not in names and name not in queries.RESERVED:
            takes = f"; it takes {', '.join(sorted(names))}" if names else "; it takes none"
            raise BadRequest(f"{example.slug} has no parameter {name!r}{takes}")
    given = {}
    for name in sorted(names):
        values = request.args.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"{name} is given {len(values)} times; give it once")
        if values and values[0].strip():
            given[name] = values[0]
    return given


def _values(example: queries.Example, given: dict[str, str]) -> dict[str, Identifier]:
    """The terms ``given`` stands for, each checked against its parameter's type."""
    store = context().store
    values: dict[str, Identifier] = {}
    for p in example.parameters:
        if p.name not in given:
            continue
        term = p.term(given[p.name])
        if not p.literal and not store.ask(queries.named("instance-of"),
                                           bindings={"thing": term, "class": URIRef(p.type)}):
            label = store.index.label(p.type)
            kind = " ".join(x for x in (label.zh, label.en) if x) or shorten(p.type)
            raise BadRequest(f"{p.name}: {shorten(str(term))} is not a {kind} ({shorten(p.type)}) of this dataset")
        values[p.name] = term
    return values


def _field(parameter: queries.Parameter, value: str) -> Field:
    index = context().store.index
    if parameter.literal:
        what = queries.LITERAL_TYPES[parameter.type][0]
        return Field(parameter, Member(parameter.type, None, what), value, [])
    members = index.members(parameter.type, limit=MAX_CHOICES)
    choices = [] if members.next else [(shorten(m.iri), m) for m in members.members]
    return Field(parameter, index.label(parameter.type), value, choices)
