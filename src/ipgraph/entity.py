"""What an entity's page shows, gathered from the store: labels, types, properties with the
labels of what they point to, incoming links, the figure of an observation and the quoted
passages of the report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from . import queries
from .namespaces import IPG, OA, shorten
from .store import Store

#: How a page groups an entity's properties: these groups first, in this order, each listing its
#: properties in the order given; every other property goes to "links" when its values are
#: things and to "data" when they are literals, by prefixed name.
GROUPS: tuple[tuple[str, str, tuple[URIRef, ...]], ...] = (
    ("names", "名称 Names", (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, SKOS.notation)),
    ("about", "说明 Description", (SKOS.definition, RDFS.comment, DCTERMS.description, IPG.statedAs, IPG.topic,
                                   IPG.slogan, SKOS.editorialNote)),
    ("kind", "类型 Kind", (RDF.type, IPG.documentKind, SKOS.inScheme, SKOS.topConceptOf, SKOS.broader,
                          SKOS.narrower)),
    ("links", "关系 Relations", ()),
    ("data", "数据 Data", ()),
    ("evidence", "证据 Evidence", (IPG.evidence, PROV.wasDerivedFrom, DCTERMS.isPartOf, OA.hasSource,
                                   OA.hasSelector)),
)
_PLACED = {prop: (n, i) for n, (_, _, props) in enumerate(GROUPS) for i, prop in enumerate(props)}
INCOMING_PAGE = 20  # things shown under each incoming property


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
    end: int | None = None


@dataclass
class ConceptNode:
    """A concept of a scheme with the concepts under it (``skos:broader`` within the scheme)."""

    concept: Named
    notation: str | None
    narrower: list[ConceptNode] = field(default_factory=list)


@dataclass
class PropertyGroup:
    key: str
    title: str
    rows: list[PropertyRow]


@dataclass
class Incoming:
    """The things that link to the entity by one property: how many, and one page of them."""

    property: Named
    count: int
    subjects: list[Named]
    page: int
    pages: int


@dataclass
class EntityView:
    iri: str
    zh: str | None
    en: str | None
    types: list[Named]
    properties: list[PropertyRow]
    incoming: list[Incoming]
    figure: Figure | None
    quotes: list[Quote]
    schema_types: list[str] = field(default_factory=list)
    concepts: list[ConceptNode] = field(default_factory=list)  # a concept scheme's tree

    @property
    def groups(self) -> list[PropertyGroup]:
        """The properties in the groups of :data:`GROUPS`, empty groups left out."""
        found: dict[int, list[PropertyRow]] = defaultdict(list)
        for row in self.properties:
            placed = _PLACED.get(row.property.term)
            if placed is None:
                things = any(isinstance(v.term, (URIRef, BNode)) for v in row.values)
                placed = (3 if things else 4, len(GROUPS))
            found[placed[0]].append(row)
        for rows in found.values():
            rows.sort(key=lambda r: (_PLACED.get(r.property.term, (0, len(GROUPS)))[1], r.property.short))
        return [PropertyGroup(key, title, found[n]) for n, (key, title, _) in enumerate(GROUPS) if found[n]]

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


def describe(store: Store, iri: str, *, incoming: str | None = None, page: int = 1) -> EntityView | None:
    """The page of ``iri``, or None when no triple has it as subject. Under each property that
    links to it, the first :data:`INCOMING_PAGE` things; for the property ``incoming``, page ``page``."""
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
    properties.sort(key=lambda r: r.property.short)
    labels = {lang: next((str(v.term) for r in properties if r.property.term == RDFS.label
                          for v in r.values if isinstance(v.term, Literal) and v.term.language == lang),
                         None) for lang in ("zh", "en")}
    types = next((r.values for r in properties if r.property.term == RDF.type), [])
    is_scheme = any(v.term == SKOS.ConceptScheme for v in types)
    return EntityView(iri=iri, zh=labels["zh"], en=labels["en"], types=list(types),
                      properties=properties,
                      incoming=[i for i in _incoming(store, entity, incoming, page)
                                if not (is_scheme and i.property.term in _IN_THE_TREE)],
                      concepts=concept_tree(store, entity) if is_scheme else [],
                      figure=_figure(store, entity),
                      quotes=_quotes(store, entity, is_passage=any(v.term == IPG.Passage for v in types)),
                      schema_types=[str(r["type"]) for r in store.select(queries.named("schema-types"),
                                                                          bindings={"entity": entity})])


#: On a concept scheme's page the tree shows its concepts once; these links would list them again.
_IN_THE_TREE = (SKOS.inScheme, SKOS.topConceptOf)


def concept_tree(store: Store, scheme: URIRef) -> list[ConceptNode]:
    """The concepts of ``scheme`` as a tree: each under the concepts it is ``skos:broader`` of in
    the same scheme, the rest at the top; in notation, then label order. A concept with two
    broader concepts stands under each."""
    nodes: dict[Node, ConceptNode] = {}
    broader: dict[Node, list[Node]] = defaultdict(list)
    for row in store.select(queries.named("scheme-concepts"), bindings={"scheme": scheme}):
        concept = row["concept"]
        if concept not in nodes:
            nodes[concept] = ConceptNode(Named(concept, _str(row, "zh"), _str(row, "en")), _str(row, "notation"))
        if "broader" in row and row["broader"] not in broader[concept]:
            broader[concept].append(row["broader"])
    roots = []
    for concept, node in nodes.items():
        parents = [p for p in broader[concept] if p in nodes and p != concept]
        for parent in parents:
            nodes[parent].narrower.append(node)
        if not parents:
            roots.append(node)
    return roots


def _incoming(store: Store, entity: URIRef, paged: str | None, page: int) -> list[Incoming]:
    """Each property that links to ``entity``, the most used first, with one page of its things
    (of the first 1000: past that a list with facets is the way to page, and the page says so)."""
    found = []
    for row in store.select(queries.named("entity-incoming-counts"), bindings={"entity": entity}):
        prop = row["property"]
        count = int(row["count"].toPython())
        pages = max(1, -(-min(count, 1000) // INCOMING_PAGE))
        at = min(page, pages) if str(prop) == paged else 1
        subjects = [Named(r["subject"], _str(r, "subjectZh"), _str(r, "subjectEn"))
                    for r in store.select(queries.named("entity-incoming"),
                                          bindings={"entity": entity, "property": prop})]
        found.append(Incoming(Named(prop, _str(row, "propertyZh"), _str(row, "propertyEn")), count,
                              subjects[(at - 1) * INCOMING_PAGE: at * INCOMING_PAGE], at, pages))
    return found


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
        start, end = row.get("start"), row.get("end")
        quotes.append(Quote(passage=Named(row["passage"]), text=str(row["quote"]),
                            section=Named(row["section"], _str(row, "sectionZh")) if "section" in row
                            else None,
                            start=int(start) if start is not None else None,
                            end=int(end) if end is not None else None))
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


def schema_org(view: EntityView, url: str) -> dict[str, object]:
    """What a search engine reads of the page: schema.org JSON-LD with the entity's names in zh and
    en, its definition, its schema.org classes (``Thing`` when it has none) and the page's URL."""
    def texts(*props: URIRef) -> list[dict[str, str]]:
        return [{"@value": str(v.term), "@language": v.term.language}
                for r in view.properties if r.property.term in props
                for v in r.values if isinstance(v.term, Literal) and v.term.language]

    document: dict[str, object] = {
        "@context": "https://schema.org/", "@id": view.iri, "url": url,
        "@type": [t.removeprefix("https://schema.org/") for t in view.schema_types] or "Thing",
        "name": texts(RDFS.label)}
    for key, props in (("alternateName", (SKOS.altLabel,)), ("description", (SKOS.definition, DCTERMS.description))):
        if found := texts(*props):
            document[key] = found
    return document
