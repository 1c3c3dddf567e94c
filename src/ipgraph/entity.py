"""What an entity's page shows, gathered from the store: labels, types, properties with the
labels of what they point to, incoming links, the figure of an observation and the quoted
passages of the report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from . import queries
from .namespaces import IPG, shorten
from .store import Store

# Properties shown first, in this order; the rest follow by their prefixed name.
LEADING = (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition)


@dataclass(frozen=True)
class Named:
    """A node with the labels to show it by."""

    term: Node
    zh: str | None = None
    en: str | None = None

    @property
    def iri(self) -> str:
        return str(self.term)

    @property
    def short(self) -> str:
        return shorten(self.iri) if isinstance(self.term, URIRef) else f"_:{self.term}"

    @property
    def is_blank(self) -> bool:
        return isinstance(self.term, BNode)


@dataclass(frozen=True)
class Value(Named):
    """A property's value; a blank node comes with its own properties."""

    details: list[tuple[Named, Named]] = field(default_factory=list)


@dataclass
class PropertyRow:
    property: Named
    values: list[Value]


@dataclass(frozen=True)
class Figure:
    """The number an observation states, as a reader wants to see it."""

    value: Node
    unit: Named | None
    period: Named | None
    value_type: Named | None
    approximation: str | None
    stated_as: str | None
    change: Named | None
    change_value: Node | None


@dataclass(frozen=True)
class Quote:
    passage: Named
    text: str
    section: Named | None
    start: int | None


@dataclass
class EntityView:
    iri: str
    zh: str | None
    en: str | None
    types: list[Named]
    properties: list[PropertyRow]
    incoming: list[tuple[Named, Named]]
    figure: Figure | None
    quotes: list[Quote]

    @property
    def short(self) -> str:
        return shorten(self.iri)


def exists(store: Store, iri: str) -> bool:
    """Is ``iri`` the subject of a triple? A string that is no valid IRI is not."""
    try:
        return store.ask(queries.named("entity-exists"), bindings={"entity": URIRef(iri)})
    except ValueError:  # the store refuses to bind an invalid IRI
        return False


def _str(row: dict[str, Node], key: str) -> str | None:
    value = row.get(key)
    return None if value is None else str(value)


def describe(store: Store, iri: str) -> EntityView | None:
    """The page of ``iri``, or None when no triple has it as subject."""
    entity = URIRef(iri)
    rows = store.select(queries.named("entity-outgoing"), bindings={"entity": entity})
    if not rows:
        return None
    grouped: dict[Node, dict[Node, Value]] = defaultdict(dict)
    property_names: dict[Node, Named] = {}
    for row in rows:
        prop, value = row["property"], row["value"]
        property_names[prop] = Named(prop, _str(row, "propertyZh"), _str(row, "propertyEn"))
        shown = grouped[prop].setdefault(value, Value(value, _str(row, "valueZh"), _str(row, "valueEn")))
        if "detailProperty" in row:
            detail = (Named(row["detailProperty"]), Named(row["detailValue"]))
            if detail not in shown.details:
                shown.details.append(detail)
    properties = [PropertyRow(property_names[p], sorted(vals.values(), key=_value_order))
                  for p, vals in grouped.items()]
    properties.sort(key=lambda r: (LEADING.index(r.property.term) if r.property.term in LEADING
                                   else len(LEADING), r.property.short))
    labels = {lang: next((str(v.term) for r in properties if r.property.term == RDFS.label
                          for v in r.values if isinstance(v.term, Literal) and v.term.language == lang),
                         None) for lang in ("zh", "en")}
    types = next((r.values for r in properties if r.property.term == RDF.type), [])
    incoming = [(Named(r["subject"], _str(r, "subjectZh"), _str(r, "subjectEn")),
                 Named(r["property"], _str(r, "propertyZh"), _str(r, "propertyEn")))
                for r in store.select(queries.named("entity-incoming"), bindings={"entity": entity})]
    return EntityView(iri=iri, zh=labels["zh"], en=labels["en"], types=list(types),
                      properties=properties, incoming=incoming,
                      figure=_figure(store, entity),
                      quotes=_quotes(store, entity, is_passage=any(v.term == IPG.Passage for v in types)))


def _value_order(value: Value) -> tuple:
    term = value.term
    return (0 if isinstance(term, Literal) and term.language == "zh" else 1, value.en or "", str(term))


def _figure(store: Store, entity: URIRef) -> Figure | None:
    rows = store.select(queries.named("observation"), bindings={"entity": entity})
    if not rows:
        return None
    row = rows[0]

    def named(key: str) -> Named | None:
        return Named(row[key], _str(row, f"{key}Zh"), _str(row, f"{key}En")) if key in row else None

    return Figure(value=row["value"], unit=named("unit"), period=named("period"),
                  value_type=named("valueType"), approximation=_str(row, "approximationZh"),
                  stated_as=_str(row, "statedAs"), change=named("change"),
                  change_value=row.get("changeValue"))


def _quotes(store: Store, entity: URIRef, *, is_passage: bool = False) -> list[Quote]:
    """The passages that prove what the graph says of ``entity``; a passage's page shows its own quote."""
    quotes = []
    rows = (store.select(queries.named("passage-quote"), bindings={"passage": entity}) if is_passage
            else store.select(queries.named("evidence"), bindings={"entity": entity}))
    for row in rows:
        start = row.get("start")
        quotes.append(Quote(passage=Named(row["passage"]), text=str(row["quote"]),
                            section=Named(row["section"], _str(row, "sectionZh")) if "section" in row
                            else None,
                            start=int(start) if start is not None else None))
    return quotes


def format_number(value: Node) -> str:
    """A numeric literal as the report writes numbers: thousands separated by commas.

    >>> format_number(Literal(173124))
    '173,124'
    >>> format_number(Literal(Decimal("46.3")))
    '46.3'
    """
    python = value.toPython() if isinstance(value, Literal) else value
    if isinstance(python, bool) or not isinstance(python, (int, Decimal)):
        return str(value)
    if isinstance(python, int):
        return f"{python:,}"
    return f"{python:,f}"
