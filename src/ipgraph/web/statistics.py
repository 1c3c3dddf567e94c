"""Statistics as charts: the observations about an entity drawn as inline SVG, and the same as CSV.

The observations about an entity (``queries/chart-observations.rq``) are those of an indicator
(and of its narrower indicators), those whose subject it is (for a district, the subject that
governs it), those a campaign generated, and those at a stage of criminal justice. A chart holds
the observations of one value type and one unit only, so no two numbers of different units share
a scale: levels (``concept:level``) and cumulative totals (``concept:cumulative``) are charted
apart, one chart per unit; changes, shares, rates and ranks are listed after the charts, never
drawn on a level's scale. The totals of the stages of criminal justice (``ipg:stage``, category
``concept:total``) are drawn as a funnel in stage order, one per unit; everything else as
horizontal bars. The charts are SVG written on the server, so a page needs no script: each bar
links to its observation's page and prints its value as the report gives it (超过, 近, 约, 余).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask import Blueprint, Flask, Response, request, url_for
from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import entity, queries
from ..entity import Named, format_number
from ..errors import BadRequest, NotFound
from ..namespaces import ID
from ..store import Store
from .context import context
from .views import csv_response

bp = Blueprint("statistics", __name__)

CONCEPT = f"{ID}concept/"
LEVEL, CUMULATIVE = URIRef(f"{CONCEPT}level"), URIRef(f"{CONCEPT}cumulative")
CHARTED = (LEVEL, CUMULATIVE)  # the value types drawn, in this order; the others are listed
TOTAL = URIRef(f"{CONCEPT}total")
SUFFIXED = URIRef(f"{CONCEPT}more-than")  # 余, 多: written after the number (620余人次)

CSV_COLUMNS = ("observation", "label_zh", "indicator", "subject", "period", "category", "value_type",
               "value", "unit", "approximation", "evidence", "quote")

WIDTH, PAD, FONT = 400, 8, 13  # the charts' viewBox width, margin and font size
MAX_BARS = 60  # bars drawn in one chart; the CSV has every observation
INK, MUTED, BAR, CONNECTOR = "#1d2433", "#5b6475", "#0b5cad", "#cfe0f3"


@dataclass(frozen=True)
class Observation:
    """One observation, with the labels of its dimensions and attributes."""

    term: URIRef
    zh: str | None
    en: str | None
    value: Literal
    stated_as: str | None
    indicator: Named
    stage: Named | None
    stage_order: int | None
    subject: Named | None
    period: Named | None
    category: Named | None
    value_type: Named | None
    unit: Named | None
    approximation: Named | None
    passages: tuple[str, ...]
    quotes: tuple[str, ...]

    @property
    def number(self) -> float | None:
        """The value as a number to scale a bar by, or None when it is no plain number."""
        python = self.value.toPython()
        return float(python) if isinstance(python, (int, float, Decimal)) and not isinstance(python, bool) else None

    @property
    def value_text(self) -> str:
        """The value as the report writes it: ``超过7,000人次``, ``620余人次``, ``近2亿元``."""
        number = format_number(self.value)
        approx = (self.approximation.zh or "") if self.approximation else ""
        unit = (self.unit.zh or self.unit.en or "") if self.unit else ""
        if self.approximation and self.approximation.term == SUFFIXED:
            return f"{number}{approx}{unit}"
        return f"{approx}{number}{unit}"

    @property
    def title(self) -> str:
        """What a bar's tooltip says: the observation's label, its value, the report's own words."""
        words = f"（原文 as stated: {self.stated_as}）" if self.stated_as else ""
        return f"{self.zh or self.en or self.term}: {self.value_text}{words}"


@dataclass(frozen=True)
class Chart:
    """The observations of one value type and one unit, as bars or as a funnel of stages."""

    kind: str  # "bar" or "funnel"
    value_type: Named
    unit: Named
    observations: tuple[Observation, ...]

    @property
    def title(self) -> str:
        by_stage = "按阶段 · " if self.kind == "funnel" else ""
        return f"{by_stage}{_name(self.value_type)}（{_name(self.unit)}）"

    @property
    def title_en(self) -> str:
        by_stage = "by stage: " if self.kind == "funnel" else ""
        return f"{by_stage}{self.value_type.en or self.value_type.short}, in {self.unit.en or self.unit.short}"

    @property
    def drawn(self) -> tuple[Observation, ...]:
        return self.observations[:MAX_BARS]

    def labels(self) -> list[str]:
        """What tells each drawn observation from the others: its stage in a funnel; else the zh
        labels of the dimensions that vary within the chart (indicator, subject, category, period)."""
        if self.kind == "funnel":
            return [_name(o.stage) for o in self.drawn]
        varying = [dim for dim in _DIMENSIONS if len({_term(dim(o)) for o in self.observations}) > 1]
        return [" · ".join(_name(dim(o)) for dim in varying) if varying else _name(o.indicator)
                for o in self.drawn]

    def svg(self, number: int) -> Markup:
        """The chart as inline SVG; ``number`` tells the ids of the charts of one page apart."""
        draw = _funnel if self.kind == "funnel" else _bars
        height, body = draw(self)
        values = "; ".join(f"{label}: {o.value_text}" for label, o in zip(self.labels(), self.drawn, strict=True))
        return Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
            'class="chart" aria-labelledby="{id}-title {id}-desc">'
            '<title id="{id}-title">{title} {title_en}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>'
        ).format(w=WIDTH, h=height, id=f"chart-{number}", title=self.title, title_en=self.title_en, body=body,
                 desc=f"{len(self.drawn)} 项 observations; {values}")


_DIMENSIONS: tuple[Callable[[Observation], Named | None], ...] = (
    lambda o: o.indicator, lambda o: o.subject, lambda o: o.category, lambda o: o.period)


def _term(named: Named | None) -> Node | None:
    return None if named is None else named.term


def _name(named: Named | None) -> str:
    if named is None:
        return "—"
    return named.zh or named.en or named.short


@dataclass(frozen=True)
class Charts:
    """What an entity's page shows of its observations: the charts, the figures not charted, and
    where the CSV of them all is."""

    of: str
    charts: list[Chart]
    others: list[Observation]
    count: int

    @property
    def csv(self) -> str:
        return url_for("statistics.table", of=self.of)


def observations(store: Store, iri: str) -> list[Observation]:
    """The observations about ``iri`` and about its narrower concepts (an indicator's narrower
    indicators), one each, in IRI order.

    Most pages have none, and the query that gathers a chart's rows costs several milliseconds
    even when it finds nothing, so a small ASK with the same ways in (``has-observations.rq``)
    decides first."""
    entities = [URIRef(iri)] + [r["narrower"] for r in store.select(queries.named("narrower-concepts"),
                                                                      bindings={"entity": URIRef(iri)})]
    grouped: dict[Node, list[dict[str, Node]]] = {}
    for about in entities:
        if not store.ask(queries.named("has-observations"), bindings={"entity": about}):
            continue
        for row in store.select(queries.named("chart-observations"), bindings={"entity": about}):
            grouped.setdefault(row["observation"], []).append(row)
    return [_observation(term, grouped[term]) for term in sorted(grouped, key=str)]


def _observation(term: Node, rows: list[dict[str, Node]]) -> Observation:
    row = rows[0]

    def named(key: str) -> Named | None:
        return Named(row[key], _str(row, f"{key}Zh"), _str(row, f"{key}En")) if key in row else None

    order = row.get("stageOrder")
    return Observation(
        term=URIRef(str(term)), zh=_str(row, "labelZh"), en=_str(row, "labelEn"), value=row["value"],
        stated_as=_str(row, "statedAs"),
        indicator=Named(row["indicator"], _str(row, "indicatorZh"), _str(row, "indicatorEn")), stage=named("stage"),
        stage_order=int(order.toPython()) if order is not None else None, subject=named("subject"),
        period=named("period"), category=named("category"), value_type=named("valueType"),
        unit=named("unit"), approximation=named("approximation"),
        passages=tuple(dict.fromkeys(str(r["passage"]) for r in rows if "passage" in r)),
        quotes=tuple(dict.fromkeys(str(r["quote"]) for r in rows if "quote" in r)))


def _str(row: dict[str, Node], key: str) -> str | None:
    value = row.get(key)
    return None if value is None else str(value)


def chart(found: list[Observation]) -> tuple[list[Chart], list[Observation]]:
    """The charts of ``found``, and the observations not charted (changes, shares, rates, ranks).

    One chart per value type and unit; the totals of the stages of criminal justice apart, as a
    funnel when there are two stages or more, each once.
    """
    groups: dict[tuple[Node, Node, bool], tuple[Named, Named, list[Observation]]] = {}
    others = []
    for o in found:
        value_type, unit = o.value_type, o.unit
        if value_type is None or unit is None or value_type.term not in CHARTED or o.number is None:
            others.append(o)
            continue
        staged = o.stage_order is not None and o.category is not None and o.category.term == TOTAL
        groups.setdefault((value_type.term, unit.term, staged), (value_type, unit, []))[2].append(o)
    charts = [_chart(value_type, unit, group, staged)
              for (_, _, staged), (value_type, unit, group) in groups.items()]
    charts.sort(key=lambda c: (c.kind != "funnel", CHARTED.index(c.value_type.term), -len(c.observations),
                               _name(c.unit)))
    others.sort(key=lambda o: (_name(o.value_type), o.zh or "", str(o.term)))
    return charts, others


def _chart(value_type: Named, unit: Named, group: list[Observation], staged: bool) -> Chart:
    stages = [o.stage_order for o in group]
    funnel = staged and len(group) > 1 and len(set(stages)) == len(stages)
    ordered = sorted(group, key=lambda o: (o.stage_order or 0, -(o.number or 0), o.zh or "", str(o.term)))
    return Chart(kind="funnel" if funnel else "bar", value_type=value_type, unit=unit, observations=tuple(ordered))


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is drawn at ``size``: a CJK character 1 em, anything else 0.6 em.

    >>> text_width("广州"), text_width("ab")
    (26.0, 15.6)
    """
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text) * size


def fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with an ellipsis so that it fits in ``width``.

    >>> fit("广州市知识产权局", 50)
    '广州市…'
    >>> fit("广州", 60)
    '广州'
    """
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _href(term: Node) -> str:
    iri = str(term)
    return context().local_path(iri) or iri


def _bars(chart: Chart) -> tuple[int, Markup]:
    """Horizontal bars, each under its label, the value printed after its end."""
    row, bar_height = FONT + 27, 14
    values = [o.value_text for o in chart.drawn]
    value_space = max(text_width(v) for v in values) + 6
    longest = max(o.number or 0 for o in chart.drawn) or 1
    span = WIDTH - 2 * PAD - value_space
    parts = []
    for i, (label, o) in enumerate(zip(chart.labels(), chart.drawn, strict=True)):
        top = PAD + i * row
        width = max(1.0, (o.number or 0) / longest * span)
        parts.append(Markup(
            '<a href="{href}"><title>{title}</title>'
            '<text x="{x}" y="{ly}" font-size="{f}" fill="{ink}">{label}</text>'
            '<rect x="{x}" y="{by}" width="{w:.1f}" height="{bh}" fill="{bar}"/>'
            '<text x="{vx:.1f}" y="{vy}" font-size="{f}" fill="{ink}">{value}</text></a>'
        ).format(href=_href(o.term), title=o.title, x=PAD, ly=top + FONT, f=FONT, ink=INK,
                 label=fit(label, WIDTH - 2 * PAD), by=top + FONT + 5, w=width, bh=bar_height, bar=BAR,
                 vx=PAD + width + 6, vy=top + FONT + 5 + bar_height - 2, value=o.value_text))
    return 2 * PAD + len(chart.drawn) * row, Markup("").join(parts)


def _funnel(chart: Chart) -> tuple[int, Markup]:
    """One centred bar per stage, in stage order, as wide as its value, joined to the next."""
    row, bar_height, middle = FONT + 33, 22, WIDTH / 2
    longest = max(o.number or 0 for o in chart.drawn) or 1
    boxes = []
    for i, o in enumerate(chart.drawn):
        width = max(2.0, (o.number or 0) / longest * (WIDTH - 2 * PAD))
        boxes.append((middle - width / 2, PAD + i * row + FONT + 5, width))
    connectors = [Markup('<polygon points="{:.1f},{} {:.1f},{} {:.1f},{} {:.1f},{}" fill="{}"/>').format(
        x, y + bar_height, x + w, y + bar_height, nx + nw, ny, nx, ny, CONNECTOR)
        for (x, y, w), (nx, ny, nw) in zip(boxes, boxes[1:], strict=False)]
    parts = [Markup(
        '<a href="{href}"><title>{title}</title>'
        '<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bh}" fill="{bar}"/>'
        '<text x="{mid}" y="{ly}" font-size="{f}" fill="{ink}" text-anchor="middle">{label}'
        '<tspan fill="{muted}" dx="8">{value}</tspan></text></a>'
    ).format(href=_href(o.term), title=o.title, x=x, y=y, w=w, bh=bar_height, bar=BAR, mid=middle,
             ly=y - 5, f=FONT, ink=INK, label=fit(label, WIDTH - 2 * PAD - text_width(o.value_text) - 8),
             muted=MUTED, value=o.value_text)
        for label, o, (x, y, w) in zip(chart.labels(), chart.drawn, boxes, strict=True)]
    return 2 * PAD + len(chart.drawn) * row, Markup("").join([*connectors, *parts])


def observations_chart(iri: str) -> Charts | None:
    """The charts of the page of ``iri``, or None when no observation is about it."""
    found = observations(context().store, iri)
    if not found:
        return None
    charts, others = chart(found)
    return Charts(of=iri, charts=charts, others=others, count=len(found))


@bp.get("/statistics.csv")
def table() -> Response:
    """The observations a chart draws from, every one, as CSV: ``?of=`` the entity's IRI."""
    values = request.args.getlist("of")
    if len(values) != 1 or not values[0].strip():
        raise BadRequest("give the IRI of one entity as ?of=, e.g. ?of=https://ipgraph.example.org/id/"
                         "indicator/patent-applications")
    iri = values[0].strip()
    store = context().store
    if not entity.exists(store, iri):
        raise NotFound(f"there is no entity {iri} in this dataset")
    return csv_response(f"statistics-{_slug(iri)}.csv", CSV_COLUMNS, (_csv_row(o) for o in observations(store, iri)))


def _csv_row(o: Observation) -> list[str]:
    def iri(named: Named | None) -> str:
        return "" if named is None else named.iri

    return [str(o.term), o.zh or "", iri(o.indicator), iri(o.subject), iri(o.period), iri(o.category),
            iri(o.value_type), str(o.value), iri(o.unit), iri(o.approximation),
            " ".join(o.passages), " | ".join(o.quotes)]


def _slug(iri: str) -> str:
    """A file name part from the end of ``iri``.

    >>> _slug("https://ipgraph.example.org/id/indicator/patent-applications")
    'patent-applications'
    """
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rstrip("/").rsplit("/", 1)[-1]).strip("-") or "entity"


def init_app(app: Flask) -> None:
    """The CSV route, and ``observations_chart(iri)`` for the templates (``_chart.html``)."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(observations_chart=observations_chart)
