"""The report's own text, as evidence: ``/report`` shows it whole, a paragraph per line, with
every passage the graph quotes marked and anchored (``#passage-{name}``), and
``/report?passage={name}`` marks that one passage apart from the rest. An entity page shows each
quote inside its paragraph (:func:`in_paragraph`) and links here.

The text and the passages' offsets come from the store (``cnt:chars`` and the
``oa:TextPositionSelector`` that loading adds to each passage), read once per version of the data:
the first text of the graph (a graph of several reports' copies holds the same text under each
copy's node, with the same checksum) and the passages that quote it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup, escape
from rdflib import URIRef

from .. import queries
from ..entity import Named
from ..errors import NotFound
from ..store import Store
from .context import context

bp = Blueprint("report", __name__)


@dataclass(frozen=True)
class Span:
    """A passage: where it lies in the text, and its name (the last segment of its IRI)."""

    passage: Named
    start: int
    end: int

    @property
    def name(self) -> str:
        return self.passage.iri.rsplit("/", 1)[-1]

    @property
    def anchor(self) -> str:
        return f"passage-{self.name}"


@dataclass(frozen=True)
class ReportText:
    iri: str
    text: str
    paragraphs: list[tuple[int, int]]  # (start, end) of each non-empty line
    spans: list[Span]  # in text order

    def paragraph_at(self, offset: int) -> int:
        """The index of the paragraph that holds the character at ``offset``."""
        return max(0, bisect.bisect_right([start for start, _ in self.paragraphs], offset) - 1)

    def render(self, number: int, href: Callable[[str], str], *, chosen: str | None = None,
               anchors: bool = True) -> Markup:
        """Paragraph ``number`` as HTML: the text escaped, each stretch that a passage quotes in a
        ``<mark>`` (``class="chosen"`` where the passage named ``chosen`` lies) that links to the
        page of the shortest passage there, and an empty
        anchor where each passage starts. Overlapping passages split the text where any of them
        starts or ends, so every character is in one element."""
        start, end = self.paragraphs[number]
        inside = [s for s in self.spans if s.start < end and s.end > start]
        cuts = sorted({start, end, *(max(start, min(end, x)) for s in inside for x in (s.start, s.end))})
        parts = []
        for left, right in zip(cuts, cuts[1:], strict=False):
            if anchors:
                parts += [Markup('<span class="anchor" id="{}"></span>').format(s.anchor)
                          for s in inside if s.start == left]
            covering = [s for s in inside if s.start <= left and s.end >= right]
            piece = escape(self.text[left:right])
            if covering:
                chosen_here = any(s.name == chosen for s in covering)
                innermost = min(covering, key=lambda s: (s.end - s.start, s.name))
                parts.append(Markup('<a class="quoted" href="{}" title="{}"><mark{}>{}</mark></a>').format(
                    href(innermost.passage.iri), " · ".join(s.passage.zh or s.name for s in covering),
                    Markup(' class="chosen"') if chosen_here else "", piece))
            else:
                parts.append(piece)
        return Markup("").join(parts)


_texts: dict[str, ReportText | None] = {}
_lock = Lock()


def report_text(store: Store) -> ReportText | None:
    """The report's text and passages for the store's version of the data (read once)."""
    with _lock:
        if store.version not in _texts:
            _texts[store.version] = _read(store)
        return _texts[store.version]


def _read(store: Store) -> ReportText | None:
    rows = store.select(queries.named("report-text"))
    if not rows:
        return None
    text = str(rows[0]["chars"])
    paragraphs, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((offset, offset + len(line)))
        offset += len(line) + 1
    spans = [Span(Named(r["passage"], _s(r, "zh"), _s(r, "en")), int(r["start"]), int(r["end"]))
             for r in store.select(queries.named("report-passages"), bindings={"text": rows[0]["text"]})]
    return ReportText(str(rows[0]["text"]), text, paragraphs, spans)


def _s(row, key: str) -> str | None:
    return str(row[key]) if key in row else None


def in_paragraph(store: Store, start: int, end: int) -> Markup | None:
    """The paragraph around the quote at ``start``–``end``, the quote marked, other passages not."""
    text = report_text(store)
    if text is None or not text.paragraphs:
        return None
    number = text.paragraph_at(start)
    p_start, p_end = text.paragraphs[number]
    return Markup("{}<mark>{}</mark>{}").format(
        text.text[p_start:start], text.text[start:min(end, p_end)], text.text[min(end, p_end):p_end])


def link(passage_iri: str) -> str:
    """Where the report page shows the passage ``passage_iri``."""
    name = passage_iri.rsplit("/", 1)[-1]
    return f"/report?passage={name}#passage-{name}"


@bp.get("/report")
def report() -> Response:
    text = report_text(context().store)
    if text is None:
        raise NotFound("this dataset has no text of the report")
    chosen = request.args.get("passage") or None
    if chosen is not None and not any(s.name == chosen for s in text.spans):
        raise NotFound(f"the report has no passage named {chosen!r}")
    local = context().local_path
    paragraphs = [text.render(n, lambda iri: local(iri) or iri, chosen=chosen) for n in range(len(text.paragraphs))]
    return Response(render_template("report.html", text=text, paragraphs=paragraphs, chosen=chosen,
                                    report=Named(URIRef(text.iri))), mimetype="text/html")
