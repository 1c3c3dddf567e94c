"""The graph's JSON-LD context, generated from its ontology, and JSON-LD compacted with it.

The context (:func:`context`) gives each class and property the ontology declares, and each term of
another vocabulary that the graph uses, a key of its own: its local name (``label``, ``prefLabel``,
``obsValue``, ``Observation``), or its prefixed name (``skos:broader``) where the local name is
another term's too — the ontology's own term keeps the plain name — or is one of the context's own
keys. A property the ontology declares an object property, or whose values in the graph are all
IRIs and blank nodes, takes an IRI as a plain string (``"@type": "@id"``); one whose declared range
is an XSD datatype (other than ``xsd:string``) takes its values as strings of that type. Every prefix
of :data:`~ipgraph.namespaces.PREFIXES` is in it, and ``id`` and ``type`` stand for ``@id`` and
``@type``. Nothing in it is written by hand: a term added to the ontology or to the data has its key
in the next version's context.

Compaction is rdflib's (:mod:`rdflib.plugins.serializers.jsonld`), a node object for each subject:
a value that does not fit a key's type (a literal of an object property, a string of an
integer-valued one) is written under the property's prefixed name or full IRI instead, so that
every document reads back as the same graph. :func:`write` writes a graph of any size a slice at a
time, so a dump of millions of triples never sits in rdflib whole; a thing whose triples fall in two
slices is two node objects with the same ``id``, which a JSON-LD processor merges.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> g = Graph()
>>> _ = g.add((URIRef(PREFIXES["place"] + "guangzhou"), RDFS.label, Literal("广州", lang="zh")))
>>> compact(g, {"@context": {"rdfs": PREFIXES["rdfs"], "place": PREFIXES["place"], "id": "@id",
...                          "label": "rdfs:label"}})
[{'id': 'place:guangzhou', 'label': {'@language': 'zh', '@value': '广州'}}]
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, BinaryIO

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.jsonld import Converter
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node

from . import queries
from .namespaces import PREFIXES, shorten
from .store import Store

#: The context's keys for the JSON-LD keywords.
ALIASES = {"id": "@id", "type": "@type"}
#: Triples compacted at a time when a graph is written (:func:`write`).
SLICE = 20_000

Triple = tuple[Node, Node, Node]


def context(store: Store) -> dict[str, Any]:
    """The context document (``{"@context": {…}}``) of the graph ``store`` holds."""
    classes = {str(row["class"]) for row in store.select(queries.named("context-classes"))}
    uses: dict[str, int] = {}
    kinds: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.named("context-properties")):
        prop = str(row["property"])
        if "literals" in row:
            uses[prop] = int(row["literals"].toPython())
        if "kind" in row:
            kinds[prop].add(str(row["kind"]))
        if "range" in row:
            ranges[prop].add(str(row["range"]))
    definitions: dict[str, Any] = {iri: shorten(iri) for iri in classes}
    for prop in (uses.keys() | kinds.keys()) - {str(RDF.type)}:
        definitions[prop] = _property(prop, literals=uses.get(prop), kinds=kinds[prop], ranges=ranges[prop])
    return {"@context": {**ALIASES, **dict(sorted(PREFIXES.items())), **_keys(definitions)}}


def _property(iri: str, *, literals: int | None, kinds: set[str], ranges: set[str]) -> Any:
    """The definition of the property ``iri``: its prefixed name, with the type its values take
    where there is one (``literals``: how many of its values in the graph are literals, None if
    the graph does not use it)."""
    owl = PREFIXES["owl"]
    datatypes = {r for r in ranges if r.startswith(str(XSD)) and r != str(XSD.string)}
    if f"{owl}ObjectProperty" in kinds or (literals == 0 and f"{owl}DatatypeProperty" not in kinds):
        return {"@id": shorten(iri), "@type": "@id"}
    if f"{owl}DatatypeProperty" in kinds and len(datatypes) == 1:
        return {"@id": shorten(iri), "@type": shorten(datatypes.pop())}
    return shorten(iri)


def _keys(definitions: dict[str, Any]) -> dict[str, Any]:
    """Each term's definition under its key, in key order: its local name where no other term and
    none of the context's own keys has it (where several do, the ontology's term keeps it), else
    its prefixed name — left out when a plain prefixed name is all it would say, since the
    prefix says that already. A term of a namespace without a prefix has no key."""
    taken = set(ALIASES) | set(PREFIXES)
    by_local: dict[str, list[str]] = defaultdict(list)
    for iri in definitions:
        short = shorten(iri)
        if short != iri:
            by_local[short.split(":", 1)[1]].append(iri)
    keys: dict[str, Any] = {}
    for local, iris in by_local.items():
        owners = [] if local in taken else iris if len(iris) == 1 else \
            [i for i in iris if i.startswith(PREFIXES["ipg"])]
        for iri in iris:
            key = local if owners == [iri] else shorten(iri)
            if key != definitions[iri]:
                keys[key] = definitions[iri]
    return dict(sorted(keys.items()))


def compact(graph: Graph, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The node objects of ``graph`` compacted with the context ``document`` (``{"@context": …}``),
    one for each subject, blank nodes included, each with ``id`` and ``type`` first, its other
    keys in order and its values in order.

    Every subject is a node object of its own: rdflib's :func:`~rdflib.plugins.serializers.jsonld.from_rdf`
    leaves out a blank node that another node names through a key typed ``@id``, expecting to
    nest it where it is named, which it does not do for such a key."""
    converter = Converter(Context(document), use_native_types=True, use_rdf_type=False)
    nodes: dict[str, dict[str, Any]] = {}
    for subject in sorted(set(graph.subjects()), key=lambda s: (isinstance(s, BNode), str(s))):
        converter.process_subject(graph, subject, nodes)
    return [_ordered(node) for node in nodes.values()]


def _ordered(node: dict[str, Any]) -> dict[str, Any]:
    first = [k for k in ALIASES if k in node]
    return {k: _plain(node[k]) for k in [*first, *sorted(k for k in node if k not in ALIASES)]}


def _plain(value: Any) -> Any:
    """A value as JSON: a literal of a key's own type as its string, several values in order."""
    if isinstance(value, list):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
    return str(value) if isinstance(value, Literal) else value


def document(graph: Graph, context_document: dict[str, Any], reference: str) -> dict[str, Any]:
    """``graph`` as a JSON-LD document compacted with ``context_document`` and naming it by the URL
    ``reference``: one node object, or ``@graph`` for several."""
    nodes = compact(graph, context_document)
    if len(nodes) == 1:
        return {"@context": reference, **nodes[0]}
    return {"@context": reference, "@graph": nodes}


def write(triples: Iterable[Triple], context_document: dict[str, Any], out: BinaryIO) -> None:
    """A JSON-LD document of ``triples`` with the context in it, so that it loads with nothing
    fetched: ``{"@context": {…}, "@graph": [one node object a line …]}``, written
    :data:`SLICE` triples at a time."""
    out.write(b'{"@context": ' + _json(context_document["@context"], indent=1) + b',\n"@graph": [')
    triples = iter(triples)
    separator = b"\n"
    while batch := list(itertools.islice(triples, SLICE)):
        graph = Graph()
        for triple in batch:
            graph.add(triple)
        for node in compact(graph, context_document):
            out.write(separator + _json(node))
            separator = b",\n"
    out.write(b"\n]}\n")


def _json(value: Any, indent: int | None = None) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=indent).encode("utf-8")
