"""The VoID and DCAT description at /.well-known/void: every number checked against SPARQL over the
store, the embedded one and a remote one (an Oxigraph server, conftest.py)."""

from __future__ import annotations

import hashlib

import pytest
from fetching import fetch
from graphs import same_graph
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from ipgraph import dumps
from ipgraph.description import MEDIA_TYPES, STATISTICS, dataset_iri
from ipgraph.web import create_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ROOT = "http://localhost/"
STORES = ("embedded", "oxigraph")


@pytest.fixture(scope="module")
def client(settings, site_store):
    app = create_app(settings, store=site_store)
    app.config.update(TESTING=True)
    return app.test_client()


@pytest.fixture(scope="module")
def served(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return Graph().parse(data=response.data.decode(), format="turtle")


@pytest.fixture(scope="module")
def dataset() -> URIRef:
    return URIRef(dataset_iri(ROOT))


def count(store, query: str) -> int:
    return int(store.select(query)[0]["n"].toPython())


def test_the_dataset_is_a_void_and_a_dcat_dataset(served, dataset):
    assert set(served.objects(dataset, RDF.type)) == {VOID.Dataset, DCAT.Dataset}
    assert str(dataset) == "http://localhost/.well-known/void#dataset"
    assert served.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{ROOT}sparql")


def test_its_size_is_counted_from_the_store(served, dataset, site_store, settings):
    triples = count(site_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert served.value(dataset, VOID.triples) == Literal(triples)
    space = f"{settings.base_iri}/id/"
    assert served.value(dataset, VOID.uriSpace) == Literal(space)
    entities = count(site_store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o
                               FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{space}")) }}""")
    assert entities > 1000
    assert served.value(dataset, VOID.entities) == Literal(entities)


def test_each_class_and_property_has_its_partition(served, dataset, site_store):
    classes = {row["c"]: 0 for row in site_store.select("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    classes.update({row["c"]: int(row["n"].toPython()) for row in site_store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c")})
    partitions = {served.value(p, VOID["class"]): served.value(p, VOID.entities).toPython()
                  for p in served.objects(dataset, VOID.classPartition)}
    assert partitions == classes
    assert partitions[URIRef("http://purl.org/linked-data/cube#Observation")] > 100
    assert partitions[URIRef("http://www.w3.org/ns/oa#TextQuoteSelector")] == 0  # blank nodes, not entities
    properties = {row["p"]: int(row["n"].toPython()) for row in site_store.select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}
    partitions = {served.value(p, VOID.property): served.value(p, VOID.triples).toPython()
                  for p in served.objects(dataset, VOID.propertyPartition)}
    assert partitions == properties


def test_each_named_graph_is_a_subset(served, dataset, site_store):
    subsets = {served.value(s, SD.name): served.value(s, VOID.triples).toPython()
               for s in served.objects(dataset, VOID.subset)}
    assert set(subsets) == {URIRef(g) for g in site_store.graphs}
    for name, triples in subsets.items():
        assert triples == count(site_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    assert sum(subsets.values()) == len(site_store)


def test_the_vocabularies_are_those_of_the_terms_it_uses(served, dataset, site_store):
    vocabularies = {str(v) for v in served.objects(dataset, VOID.vocabulary)}
    assert {"https://ipgraph.example.org/def/", "http://purl.org/linked-data/cube#",
            "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/oa#"} <= vocabularies
    used = [str(row["t"]) for row in site_store.select(
        "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }")]
    for namespace in vocabularies:
        assert any(term.startswith(namespace) for term in used), namespace
    for term in used:
        assert any(term.startswith(namespace) for namespace in vocabularies), term


def test_licence_title_and_source_come_from_the_graph(served, dataset, graph):
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    licences = set(graph.objects(ontology, DCTERMS.license))
    assert licences and set(served.objects(dataset, DCTERMS.license)) == licences
    report = next(graph.subjects(RDF.type, URIRef("https://ipgraph.example.org/def/Report")))
    assert set(served.objects(dataset, DCTERMS.source)) == {report}
    assert set(served.objects(dataset, DCTERMS.title)) == set(graph.objects(report, DCTERMS.title))


def test_each_dump_is_a_distribution_with_its_size_and_checksum(served, dataset, client, site_store):
    distributions = set(served.objects(dataset, DCAT.distribution))
    files = dumps.files(site_store)
    assert len(distributions) == len(files) == 2 * len(dumps.DUMPS)
    downloads = {served.value(d, DCAT.downloadURL): d for d in distributions}
    assert set(downloads) == set(served.objects(dataset, VOID.dataDump))
    for file in files:
        distribution = downloads[URIRef(f"{ROOT}downloads/{file.name}")]
        assert served.value(distribution, RDF.type) == DCAT.Distribution
        body = fetch(client, f"/downloads/{file.name}").data
        size = served.value(distribution, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger and size.toPython() == len(body)
        checksum = served.value(distribution, SPDX.checksum)
        assert served.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(served.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        assert served.value(distribution, DCAT.mediaType) == URIRef(MEDIA_TYPES + file.dump.format.media_type)
        assert served.value(distribution, DCTERMS["format"]) == URIRef(file.dump.w3c)
        compress = served.value(distribution, DCAT.compressFormat)
        assert compress == (URIRef(MEDIA_TYPES + "application/gzip") if file.gzipped else None)


@pytest.mark.parametrize(("accept", "media_type", "fmt"), [("application/rdf+xml", "application/rdf+xml", "xml"),
                                                           ("application/ld+json", "application/ld+json", "json-ld"),
                                                           ("application/n-triples", "application/n-triples", "nt")])
def test_other_syntaxes_by_accept(client, served, accept, media_type, fmt):
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    assert same_graph(Graph().parse(data=response.data, format=fmt), served)


def test_turtle_unless_asked_otherwise_and_an_unknown_type_406(client):
    for accept in ("*/*", "text/*", ""):
        assert client.get("/.well-known/void", headers={"Accept": accept}).mimetype == "text/turtle"
    assert client.get("/.well-known/void?format=nt").mimetype == "application/n-triples"
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_void_ttl_is_the_same_description(client, served):
    response = client.get("/downloads/void.ttl", headers={"Accept": "application/rdf+xml"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert same_graph(Graph().parse(data=response.data.decode(), format="turtle"), served)


def test_the_counts_are_kept_with_the_store(served, site_store):
    assert (site_store.derived / STATISTICS).is_file()


def test_each_host_gets_the_description_of_its_own_urls(client):
    """The site may be reached under several names: a kept answer is kept per URL, host included."""
    first = client.get("/.well-known/void", base_url="http://one.example").get_data(as_text=True)
    second = client.get("/.well-known/void", base_url="http://two.example").get_data(as_text=True)
    assert "http://one.example/sparql" in first and "two.example" not in first
    assert "http://two.example/sparql" in second and "one.example" not in second
