"""Browsing without SPARQL: a list per class with facets, and search over every name.

Both read the site index built with the store (:mod:`ipgraph.store.index`), never the graph, so a
page costs a few indexed look-ups whatever the size of the data. Every list is also ``.json`` and
``.csv`` (the suffix, or ``?format=``), as Datasette offers its tables:

- ``/class/ipg:Campaign?section=section:4&order=-label`` — the things of a class, a page at a
  time (keyset paging: ``?after=`` the key of the last row), narrowed by facet values
  (``kind``, ``indicator``, ``body``, ``district``, ``section``, ``period``: a prefixed name or
  an IRI; several facets narrow together), each facet's values counted over the narrowed list;
- ``/search?q=海关&class=ipg:GovernmentAgency`` — the things whose label or alternative label,
  in zh or en, contains every word of ``q``, best match first, counted by class.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from rdflib import URIRef

from ..entity import Named
from ..errors import BadRequest, NotFound
from ..namespaces import expand, shorten
from ..store.index import FACETS, FacetValue, Member
from .context import context
from .views import csv_response, page_number

bp = Blueprint("browse", __name__)

PAGE_SIZE = 100  # things on one page of a class list
SEARCH_PAGE = 20  # hits on one page of search results
MAX_SEARCH_PAGE = 50  # pages of hits a search pages through
ORDERS = {"label": False, "-label": True}  # ?order= → descending


def _suffixed(name: str) -> tuple[str, str]:
    """``name`` without a ``.json``/``.csv`` suffix, and the format asked for (``html`` if none)."""
    for fmt in ("json", "csv"):
        if name.endswith(f".{fmt}"):
            return name[: -len(fmt) - 1], fmt
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "json", "csv"):
        raise BadRequest(f"unknown format {fmt!r}: use html, json or csv")
    return name, fmt


def _iri(name: str, what: str) -> str:
    iri = expand(name)
    if iri is None:
        raise BadRequest(f"{name!r} is not a {what} this site knows: write it as prefix:name or a full IRI")
    return iri


def _filters() -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        values = request.args.getlist(facet)
        if values:
            filters[facet] = [_iri(v, f"{facet} value") for v in values]
    return filters


def _url(endpoint: str, **args) -> str:
    """This page's URL with ``args`` changed (None removes one); facet values stay."""
    query = [(k, v) for k, v in request.args.items(multi=True) if k not in args]
    query += [(k, v) for k, v in args.items() if v is not None]
    view_args = dict(request.view_args or {})
    base = url_for(endpoint, **view_args)
    return f"{base}?{urlencode(query)}" if query else base


@bp.get("/class/<curie>")
def class_list(curie: str) -> Response:
    curie, fmt = _suffixed(curie)
    cls = expand(curie)
    if cls is None:
        raise NotFound(f"{curie!r} is not a class name this site knows (write it as prefix:Name)")
    index = context().store.index
    order = request.args.get("order", "label")
    if order not in ORDERS:
        raise BadRequest(f"unknown order {order!r}: use label or -label")
    filters = _filters()
    total = index.count(cls, filters)
    if not index.count(cls):
        raise NotFound(f"there is nothing of class {shorten(cls)} in this dataset")
    if fmt == "csv":
        return csv_response(f"{shorten(cls).replace(':', '-')}.csv", ("iri", "label_zh", "label_en"),
                    ((m.iri, m.zh or "", m.en or "") for m in _every(cls, filters, ORDERS[order])))
    after = request.args.get("after") or None
    page = index.members(cls, after=after, limit=PAGE_SIZE, filters=filters, descending=ORDERS[order])
    if not page.members and after is not None:
        raise NotFound(f"class {shorten(cls)} has nothing after {after!r}: start again from the first page")
    following = _url("browse.class_list", after=page.next) if page.next else None
    facets = {f: [v for v in vs if v.value.iri != cls] for f, vs in index.facets(cls, filters).items()}
    if fmt == "json":
        return jsonify({
            "class": _member_json(index.label(cls)), "total": total, "order": order,
            "filters": {f: [shorten(v) for v in vs] for f, vs in filters.items()},
            "items": [_member_json(m) for m in page.members], "next": following,
            "facets": {f: [{**_member_json(v.value), "count": v.count} for v in vs] for f, vs in facets.items()}})
    label = index.label(cls)
    return Response(render_template(
        "class.html", cls=Named(URIRef(cls), label.zh, label.en), curie=curie, total=total,
        members=[Named(URIRef(m.iri), m.zh, m.en) for m in page.members], next=following,
        first=_url("browse.class_list", after=None) if after else None,
        facets={f: _facet_links(f, vs) for f, vs in facets.items() if len(vs) > 1 or f in filters},
        chosen=[(f, Named(URIRef(v), *_names(index.label(v))), _without(f, v))
                for f, vs in filters.items() for v in vs],
        order=order, orders={o: _url("browse.class_list", order=o, after=None) for o in ORDERS},
        downloads={fmt: _url("browse.class_list", format=fmt, after=None) for fmt in ("json", "csv")}),
        mimetype="text/html")


def _without(facet: str, dropped: str) -> str:
    """This list's URL without the facet value ``dropped`` (and from its first page)."""
    query = [(k, v) for k, v in request.args.items(multi=True)
             if k != "after" and not (k == facet and expand(v) == dropped)]
    base = url_for("browse.class_list", **(request.view_args or {}))
    return f"{base}?{urlencode(query)}" if query else base


def _facet_links(facet: str, values: list[FacetValue]) -> list[tuple[Named, int, str | None]]:
    """Each value of ``facet``, its count, and the URL that narrows the list to it (None: chosen)."""
    base = url_for("browse.class_list", **(request.view_args or {}))
    kept = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "after"])
    links = []
    for value in values:
        named = Named(URIRef(value.value.iri), value.value.zh, value.value.en)
        narrowed = urlencode({facet: shorten(value.value.iri)})
        links.append((named, value.count, None if value.chosen else f"{base}?{kept}&{narrowed}" if kept
                      else f"{base}?{narrowed}"))
    return links


def _names(member: Member) -> tuple[str | None, str | None]:
    return member.zh, member.en


def _every(cls: str, filters: dict[str, list[str]], descending: bool) -> Iterator[Member]:
    index, after = context().store.index, None
    while True:
        page = index.members(cls, after=after, limit=1000, filters=filters, descending=descending)
        yield from page.members
        if page.next is None:
            return
        after = page.next


def _member_json(member: Member) -> dict[str, str | None]:
    local = context().local_path(member.iri)
    return {"iri": member.iri, "id": shorten(member.iri), "zh": member.zh, "en": member.en,
            "url": local and request.host_url.rstrip("/") + local}


@bp.get("/search")
@bp.get("/search.<fmt>")
def search(fmt: str = "html") -> Response:
    if fmt not in ("html", "json"):
        raise NotFound(f"search answers as HTML or .json, not .{fmt}")
    text = request.args.get("q", "").strip()
    if len(text) > 200:
        raise BadRequest("a search is at most 200 characters")
    cls_name = request.args.get("class") or None
    cls = _iri(cls_name, "class name") if cls_name else None
    page = page_number()
    if page > MAX_SEARCH_PAGE:
        raise BadRequest(f"search results go to page {MAX_SEARCH_PAGE}: narrow the search instead")
    index = context().store.index
    hits = index.search(text, cls=cls, limit=SEARCH_PAGE, offset=(page - 1) * SEARCH_PAGE)
    more = page * SEARCH_PAGE < hits.total
    following = _url("browse.search", page=str(page + 1)) if more else None
    if fmt == "json":
        return jsonify({"q": text, "class": cls_name, "total": hits.total, "total_is_at_least": hits.capped,
                        "page": page, "next": following,
                        "hits": [{**_member_json(h), "matched": h.matched, "classes": [shorten(c) for c in h.classes]}
                                 for h in hits.hits],
                        "classes": [{**_member_json(v.value), "count": v.count} for v in hits.classes]})
    classes = {c: index.label(c) for h in hits.hits for c in h.classes}
    return Response(render_template(
        "search.html", q=text, total=hits.total, capped=hits.capped, page=page, next=following,
        hits=[(Named(URIRef(h.iri), h.zh, h.en), h.matched) for h in hits.hits],
        previous=_url("browse.search", page=str(page - 1)) if page > 1 else None,
        hit_classes={h.iri: [Named(URIRef(c), classes[c].zh, classes[c].en) for c in h.classes]
                     for h in hits.hits},
        class_facet=[(Named(URIRef(v.value.iri), v.value.zh, v.value.en), v.count,
                      None if v.chosen else _url("browse.search", page=None, **{"class": shorten(v.value.iri)}))
                     for v in hits.classes],
        cls=cls_name, all_classes=_url("browse.search", page=None, **{"class": None}),
        json_url=url_for("browse.search", fmt="json", **request.args)), mimetype="text/html")
