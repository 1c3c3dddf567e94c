"""Content negotiation: explicit tables of formats and one pure function that picks among them.

``?format=`` beats ``Accept``. Among the offers a client accepts equally, the server's order of
preference decides (RFC 9110 §12.5.1), so the tables below list the best format first.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", SOLUTIONS).key
'json'
>>> negotiate("*/*", GRAPHS).key
'turtle'
>>> negotiate("image/png", GRAPHS) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str              # the ?format= name
    media_type: str       # what the response's Content-Type says
    extension: str        # the file suffix that asks for it (/id/…/x.ttl)
    aliases: tuple[str, ...] = ()  # other media types that mean this format

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


SOLUTIONS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "srj", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)
GRAPHS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", "ttl", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "nt", ("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml")),
)
HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))

_FORMAT_NAMES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
                 "rdf": "rdfxml", "rdf+xml": "rdfxml", "rdf/xml": "rdfxml", "srj": "json",
                 "srx": "xml", "text": "tsv"}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How closely this range matches ``media_type``: 3 exactly, 2 type/*, 1 */*, 0 not at all."""
        main, _, sub = media_type.partition("/")
        if self.type == main and self.subtype == sub:
            return 3
        if self.type == main and self.subtype == "*":
            return 2
        if self.type == "*" and self.subtype == "*":
            return 1
        return 0


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed parts are skipped.

    >>> parse_accept("text/html;level=1;q=0.5, */*;q=0.1")
    [MediaRange(type='text', subtype='html', q=0.5), MediaRange(type='*', subtype='*', q=0.1)]
    """
    ranges = []
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_types: Sequence[str]) -> float:
    """The q the client gives a format known by ``media_types`` (its own type first, then aliases):
    that of the most specific range matching any of them, so ``application/sparql-results+json;q=0``
    refuses JSON even under ``*/*``. Wildcards match a format's own type only: ``text/*`` asks
    for CSV, not for SPARQL XML through its alias ``text/xml``."""
    best = (0, 0.0)
    for i, media_type in enumerate(media_types):
        for r in ranges:
            s = r.specificity(media_type)
            if s == 3 or (s and i == 0):
                best = max(best, (s, r.q))
    return best[1]


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the client prefers; the first offer when it states no preference; None if none fits."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    scored = [(quality(ranges, f.media_types), -i, f) for i, f in enumerate(offers)]
    q, _, best = max(scored, key=lambda s: (s[0], s[1]))
    return best if q > 0 else None


def by_name(name: str, offers: Sequence[Format]) -> Format | None:
    """The offer that ``?format=`` names: by key, file extension or media type.

    >>> by_name("ttl", GRAPHS).media_type
    'text/turtle'
    >>> by_name("application/sparql-results+json", SOLUTIONS).key
    'json'
    """
    name = name.strip().lower()
    name = _FORMAT_NAMES.get(name, name)
    for f in offers:
        if name in (f.key, f.extension, *f.media_types):
            return f
    if name in ("json", "xml"):  # a graph asked for as "json" or "xml": JSON-LD, RDF/XML
        return next((f for f in offers if f"application/{name}" in f.aliases), None)
    return None


def by_extension(extension: str, offers: Sequence[Format]) -> Format | None:
    return next((f for f in offers if f.extension == extension), None)
