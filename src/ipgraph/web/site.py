"""The site around the data: the home page and the helpers every template uses."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, g, render_template, request, url_for
from markupsafe import Markup
from rdflib import Literal, URIRef

from .. import __version__, queries
from ..entity import Named, format_number
from ..namespaces import expand, shorten
from .context import context

bp = Blueprint("site", __name__)

#: The lists the home page starts from: bodies, documents, campaigns, cases, statistics, places.
ENTRY_POINTS = tuple(expand(name) for name in (
    "org:FormalOrganization", "ipg:PolicyDocument", "ipg:Publication", "ipg:Campaign", "ipg:Case",
    "qb:Observation", "ipg:Indicator", "ipg:District", "ipg:Programme", "schema:Event"))
LANGUAGES = ("zh", "en")


def language() -> str:
    """The language pages put first: ``?lang=``, else the best of ``Accept-Language``, else zh
    (worked out once a request: every label on a page asks)."""
    if "language" not in g:
        asked = request.args.get("lang")
        g.language = asked if asked in LANGUAGES else (request.accept_languages.best_match(LANGUAGES, default="zh")
                                                       or "zh")
    return g.language


@bp.get("/")
def home() -> Response:
    ctx = context()
    reports = ctx.store.select(queries.named("dataset-title"))
    counts = ctx.store.index.class_counts()
    classes = [(Named(URIRef(c.iri), c.zh, c.en), n) for c, n in counts]
    entries = [(Named(URIRef(iri), label.zh, label.en), ctx.store.index.count(iri))
               for iri in ENTRY_POINTS for label in [ctx.store.index.label(iri)]]
    return Response(render_template("home.html", reports=reports, classes=classes, entries=entries,
                                    triples=len(ctx.store), examples=queries.examples(ctx.settings.queries_dir)),
                    mimetype="text/html")


def _s(term) -> str | None:
    return None if term is None else str(term)


def init_app(app: Flask) -> None:
    """Template helpers: links to entities under this site, labels, numbers."""

    def href(term) -> str:
        """Where a link to ``term`` goes: its page here; for a term of a vocabulary the graph
        reuses (qb:Observation), its row on the ontology page; anything else, the IRI itself."""
        iri = str(term)
        local = context().local_path(iri)
        if local is not None:
            return local
        short = shorten(iri)
        return url_for("reference.ontology", _anchor=short) if short != iri else iri

    def show(named: Named) -> Markup:
        """A node as HTML: a link labelled in zh and en, or a literal with its language or type."""
        if isinstance(named.term, Literal):
            return _literal(named.term)
        if named.is_blank:
            return Markup("<span class=bnode>[ ]</span>")
        first, second = (named.zh, named.en) if language() == "zh" else (named.en, named.zh)
        label, other = (first, second) if first else (second, None)
        if not label:
            return Markup('<a href="{}" title="{}">{}</a>').format(href(named.term), named.iri, named.short)
        lang = "zh" if label == named.zh else "en"
        tail = Markup(' <span class=alt lang="{}">{}</span>').format(
            "en" if lang == "zh" else "zh", other) if other else ""
        return Markup('<a href="{}" title="{}"><span lang="{}">{}</span>{}</a>').format(
            href(named.term), named.short, lang, label, tail)

    def label_of(named) -> str:
        """The label of ``named`` in the page's language, else the other, else its prefixed name."""
        first, second = (named.zh, named.en) if language() == "zh" else (named.en, named.zh)
        return first or second or named.short

    def switch_language(lang: str) -> str:
        args = {k: v for k, v in request.args.items() if k != "lang"}
        return f"{request.path}?{urlencode({**args, 'lang': lang})}"

    def run_link(text: str) -> str:
        return url_for("endpoint.sparql") + "?" + urlencode({"query": text})

    app.jinja_env.globals.update(href=href, show=show, shorten=shorten, format_number=format_number,
                                 run_link=run_link, version=__version__, language=language, label_of=label_of,
                                 switch_language=switch_language)

    @app.after_request
    def vary_by_language(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
        return response


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
