"""The dataset described in VoID and DCAT, generated from the graph.

One node, typed ``void:Dataset`` and ``dcat:Dataset`` (:func:`dataset_iri`), says what the site
serves:

* its size: ``void:triples``, ``void:entities`` (the IRIs under ``void:uriSpace``, ``{base_iri}/id/``,
  that are subjects), a ``void:classPartition`` for each class things have (``void:class``,
  ``void:entities``), a ``void:propertyPartition`` for each property (``void:property``,
  ``void:triples``), and a ``void:subset`` for each named graph (``sd:name``, ``void:triples``);
* what it is made of: ``void:vocabulary`` for each vocabulary whose classes or properties it uses,
  ``dcterms:title`` and ``dcterms:source`` the report it transcribes, and ``dcterms:license`` the
  licence its ontology states;
* how to get it: ``void:sparqlEndpoint``, and ``void:dataDump`` and a ``dcat:Distribution`` for
  each file of ``/downloads`` (:data:`ipgraph.dumps.DUMPS`, plain and gzipped), with its media type,
  size and SHA-256 checksum.

Every number is counted from the store (:func:`statistics`) once per version of the data and kept
in its folder, as the dumps are; the URLs are the site's, so the description is made for each
``url_root`` from those.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from . import dumps, queries
from .config import Settings
from .namespaces import PREFIXES
from .store import Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: Where the description is served, below the site's root (RFC 8615, as the VoID guide asks).
WELL_KNOWN = ".well-known/void"
STATISTICS = "statistics.json"


def dataset_iri(url_root: str) -> str:
    """The IRI of the dataset a site at ``url_root`` (ending in ``/``) serves: a fragment of its
    description's URL, so that it dereferences to the description.

    >>> dataset_iri("https://ipgraph.example.org/")
    'https://ipgraph.example.org/.well-known/void#dataset'
    """
    return f"{url_root}{WELL_KNOWN}#dataset"


def vocabulary(iri: str) -> tuple[str, str]:
    """The prefix and namespace ``iri`` belongs to; for a namespace the site has no prefix for, the
    IRI up to its last ``#`` or ``/`` and no prefix.

    >>> vocabulary("http://purl.org/linked-data/cube#Observation")
    ('qb', 'http://purl.org/linked-data/cube#')
    >>> vocabulary("http://example.org/v/Thing")
    ('', 'http://example.org/v/')
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is not None:
        return next(p for p, ns in PREFIXES.items() if ns == best), best
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    return "", iri[:cut]


def statistics(store: Store, settings: Settings) -> dict[str, Any]:
    """What the description counts and reads from the graph, counted once per version of the data."""
    return json.loads(dumps.kept(store, STATISTICS, lambda out: out.write(_count(store, settings))).read_bytes())


def _count(store: Store, settings: Settings) -> bytes:
    space = f"{settings.base_iri}/id/"
    size = store.select(queries.named("description-counts"), bindings={"space": Literal(space)})[0]
    classes = {str(r["class"]): _int(r["entities"]) for r in store.select(queries.named("description-classes"))}
    properties = {str(r["property"]): _int(r["triples"])
                  for r in store.select(queries.named("description-properties"))}
    graphs = {str(r["graph"]): _int(r["triples"]) for r in store.select(queries.named("description-graphs"))}
    reports = [{"report": str(r["report"]),
                "titles": [[str(r[k]), r[k].language] for k in ("titleZh", "titleEn") if k in r]}
               for r in store.select(queries.named("dataset-title"))]
    facts = {
        "uri_space": space, "triples": _int(size["triples"]), "entities": _int(size["entities"]),
        "classes": classes, "properties": properties,
        "graphs": [[graph, graphs.get(graph, 0)] for graph in store.graphs],
        "vocabularies": sorted({vocabulary(iri)[1] for iri in [*classes, *properties]}),
        "licenses": [str(r["license"]) for r in store.select(queries.named("description-license"))],
        "reports": reports,
    }
    return json.dumps(facts, ensure_ascii=False, indent=1).encode("utf-8")


def _int(term) -> int:
    return int(term.toPython())


def describe(store: Store, settings: Settings, url_root: str) -> Graph:
    """The VoID and DCAT description of the dataset, for a site at ``url_root`` (ending in ``/``)."""
    facts = statistics(store, settings)
    document = url_root + WELL_KNOWN
    dataset = URIRef(dataset_iri(url_root))
    graph = Graph()
    for prefix, namespace in (*PREFIXES.items(), ("sd", SD), ("spdx", SPDX)):
        graph.bind(prefix, namespace, replace=True)
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    for report in facts["reports"]:
        add((dataset, DCTERMS.source, URIRef(report["report"])))
        for text, language in report["titles"]:
            add((dataset, DCTERMS.title, Literal(text, lang=language)))
    licenses = [URIRef(iri) for iri in facts["licenses"]]
    for licence in licenses:
        add((dataset, DCTERMS.license, licence))
    add((dataset, DCAT.landingPage, URIRef(url_root)))
    add((dataset, VOID.sparqlEndpoint, URIRef(url_root + "sparql")))
    add((dataset, VOID.uriSpace, Literal(facts["uri_space"])))
    add((dataset, VOID.triples, Literal(facts["triples"])))
    add((dataset, VOID.entities, Literal(facts["entities"])))
    for namespace in facts["vocabularies"]:
        add((dataset, VOID.vocabulary, URIRef(namespace)))
    for cls, entities in facts["classes"].items():
        add((dataset, VOID.classPartition, part := BNode()))
        add((part, VOID["class"], URIRef(cls)))
        add((part, VOID.entities, Literal(entities)))
    for prop, triples in facts["properties"].items():
        add((dataset, VOID.propertyPartition, part := BNode()))
        add((part, VOID.property, URIRef(prop)))
        add((part, VOID.triples, Literal(triples)))
    for n, (name, triples) in enumerate(facts["graphs"], 1):
        add((dataset, VOID.subset, subset := URIRef(f"{document}#graph-{n}")))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, SD.name, URIRef(name)))
        add((subset, VOID.triples, Literal(triples)))
    for file in dumps.files(store):
        _distribution(graph, dataset, file, url_root, licenses)
    return graph


def _distribution(graph: Graph, dataset: URIRef, file: dumps.File, url_root: str, licenses: list[URIRef]) -> None:
    """A dump of ``/downloads`` as a ``void:dataDump`` of ``dataset`` and a ``dcat:Distribution``."""
    add = graph.add
    download = URIRef(f"{url_root}downloads/{file.name}")
    add((dataset, VOID.dataDump, download))
    add((dataset, DCAT.distribution, distribution := URIRef(f"{url_root}{WELL_KNOWN}#{file.name}")))
    add((distribution, RDF.type, DCAT.Distribution))
    add((distribution, DCTERMS.title, Literal(file.dump.name + (" (gzip)" if file.gzipped else ""))))
    add((distribution, DCAT.downloadURL, download))
    add((distribution, DCAT.accessURL, URIRef(f"{url_root}downloads")))
    add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPES + file.dump.format.media_type)))
    if file.gzipped:
        add((distribution, DCAT.compressFormat, URIRef(MEDIA_TYPES + dumps.GZIP)))
    add((distribution, DCTERMS["format"], URIRef(file.dump.w3c)))
    add((distribution, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    add((distribution, SPDX.checksum, checksum := BNode()))
    add((checksum, RDF.type, SPDX.Checksum))
    add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
    for licence in licenses:
        add((distribution, DCTERMS.license, licence))
