"""The site around the data: the home page, a list per class, the gallery of example queries."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, render_template, request, url_for
from markupsafe import Markup
from rdflib import Literal, URIRef

from .. import __version__, queries
from ..entity import Named, format_number
from ..errors import NotFound
from ..namespaces import PREFIXES, shorten
from .context import context

bp = Blueprint("site", __name__)

PAGE_SIZE = 100  # things on one page of a class list


@bp.get("/")
def home() -> Response:
    ctx = context()
    reports = ctx.store.select(queries.named("dataset-title"))
    classes = [(Named(URIRef(c.iri), c.zh, c.en), n) for c, n in ctx.store.class_counts()]
    return Response(render_template("home.html", reports=reports, classes=classes,
                                    triples=len(ctx.store), examples=queries.examples(ctx.settings.queries_dir)),
                    mimetype="text/html")


@bp.get("/class/<curie>")
def class_list(curie: str) -> Response:
    prefix, colon, local = curie.partition(":")
    if not colon or prefix not in PREFIXES:
        raise NotFound(f"{curie!r} is not a class name this site knows (write it as prefix:Name)")
    cls = PREFIXES[prefix] + local
    ctx = context()
    after = request.args.get("after") or None
    page = ctx.store.members(cls, after=after, limit=PAGE_SIZE)
    if not page.members:
        if after is None:
            raise NotFound(f"there is nothing of class {curie} in this dataset")
        raise NotFound(f"class {curie} has nothing after {after!r}: start again from the first page")
    label = ctx.store.class_label(cls)
    members = [Named(URIRef(m.iri), m.zh, m.en) for m in page.members]
    total = ctx.store.class_count(cls)
    following = url_for("site.class_list", curie=curie, after=page.next) if page.next else None
    return Response(render_template("class.html", cls=Named(URIRef(cls), label.zh, label.en), members=members,
                                    total=total, next=following, first=None if after is None else
                                    url_for("site.class_list", curie=curie)), mimetype="text/html")


@bp.get("/queries")
def gallery() -> Response:
    return Response(render_template("queries.html", examples=queries.examples(context().settings.queries_dir)),
                    mimetype="text/html")


@bp.get("/queries/<slug>")
def example(slug: str) -> Response:
    return Response(render_template("query.html", example=_example(slug)), mimetype="text/html")


@bp.get("/queries/<slug>.rq")
def example_text(slug: str) -> Response:
    return Response(_example(slug).text, mimetype="application/sparql-query")


def _example(slug: str) -> queries.Example:
    found = {e.slug: e for e in queries.examples(context().settings.queries_dir)}.get(slug)
    if found is None:
        raise NotFound(f"there is no example query {slug!r}")
    return found


def _s(term) -> str | None:
    return None if term is None else str(term)


def init_app(app: Flask) -> None:
    """Template helpers: links to entities under this site, labels, numbers."""

    def href(term) -> str:
        iri = str(term)
        local = context().local_path(iri)
        return local if local is not None else iri

    def show(named: Named) -> Markup:
        """A node as HTML: a link labelled in zh and en, or a literal with its language or type."""
        if isinstance(named.term, Literal):
            return _literal(named.term)
        if named.is_blank:
            return Markup("<span class=bnode>[ ]</span>")
        label = " · ".join(x for x in (named.zh, named.en) if x) or named.short
        title = named.short if (named.zh or named.en) else named.iri
        return Markup('<a href="{}" title="{}">{}</a>').format(href(named.term), title, label)

    def run_link(text: str) -> str:
        return url_for("endpoint.sparql") + "?" + urlencode({"query": text})

    app.jinja_env.globals.update(href=href, show=show, shorten=shorten, format_number=format_number,
                                 run_link=run_link, version=__version__)


def _literal(term: Literal) -> Markup:
    text = str(term)
    if len(text) > 2000:  # the report's full text on its node: show the start
        text = text[:2000] + " …"
    if term.language:
        return Markup('<span lang="{}">{}</span> <small class=tag>@{}</small>').format(
            term.language, text, term.language)
    if term.datatype is not None:
        return Markup('{} <small class=tag>{}</small>').format(
            format_number(term) if isinstance(term.toPython(), (int,)) else text, shorten(str(term.datatype)))
    return Markup("{}").format(text)
