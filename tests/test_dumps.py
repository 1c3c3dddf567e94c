"""Dumps in every syntax that read back as the store's graphs; the JSON-LD context made from the ontology."""

from __future__ import annotations

import gzip
import io
import json
import warnings

import pytest
from graphs import same_graph
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ipgraph import dumps, jsonld
from ipgraph.namespaces import IPG, PREFIXES, SCHEMA, shorten
from ipgraph.store import EmbeddedStore

STORES = ("embedded", "oxigraph")  # the tests of a store's dumps run over both (conftest.py)
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
          "nquads": "nquads"}


def read_dataset(data: bytes, fmt: str) -> Dataset:
    with warnings.catch_warnings():  # rdflib's dataset parsing warns of its own deprecations
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = Dataset()
        dataset.parse(data=data, format=fmt)
    return dataset


def named_graphs(dataset: Dataset) -> dict[str, Graph]:
    """Each named graph of ``dataset`` that holds triples, as a graph of its own."""
    found: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        found.setdefault(str(g.identifier if isinstance(g, Graph) else g), Graph()).add((s, p, o))
    return found


@pytest.fixture(scope="module")
def source(site_store) -> dict[str, Graph]:
    """The store's own content, graph by graph."""
    return named_graphs(read_dataset(site_store.dump("nquads"), "nquads"))


@pytest.fixture(scope="module")
def merge(source) -> Graph:
    merged = Graph()
    for graph in source.values():
        merged += graph
    return merged


@pytest.fixture(scope="module")
def context(store) -> dict:
    return jsonld.context(store)["@context"]


def exported(store, dump: dumps.Dump, *, gzipped: bool = False) -> bytes:
    out = io.BytesIO()
    dumps.export(store, dump, out, gzipped=gzipped)
    return out.getvalue()


# -- the dumps --


@pytest.mark.parametrize("dump", dumps.DUMPS, ids=lambda d: d.option)
def test_each_dump_reads_back_as_the_store(site_store, source, merge, dump):
    data = exported(site_store, dump)
    if dump.quads:
        graphs = named_graphs(read_dataset(data, RDFLIB[dump.key]))
        assert set(graphs) == set(source) == set(site_store.graphs)
        for name, graph in graphs.items():
            assert len(graph) == len(source[name]) and same_graph(graph, source[name]), name
    else:
        graph = Graph().parse(data=data, format=RDFLIB[dump.key])
        assert len(graph) == len(merge)
        assert same_graph(graph, merge)


def test_the_data_and_the_ontology_are_in_graphs_of_their_own(source, settings):
    """In the store and in a dump of it (TriG and N-Quads are read back graph by graph above)."""
    assert set(source) == {settings.data_graph, settings.ontology_graph}
    assert (IPG.Country, RDF.type, OWL.Class) in source[settings.ontology_graph]
    assert (IPG.Country, RDF.type, OWL.Class) not in source[settings.data_graph]
    assert Literal(173124) in set(source[settings.data_graph].objects())


def test_a_gzipped_dump_is_the_dump_gzipped_the_same_each_time(store):
    dump = dumps.by_option("nt")
    packed = exported(store, dump, gzipped=True)
    assert packed[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed) == exported(store, dump)
    assert exported(store, dump, gzipped=True) == packed


def test_file_names_and_options():
    assert dumps.by_file("ipgraph.ttl") == (dumps.by_option("ttl"), False)
    assert dumps.by_file("ipgraph.nq.gz") == (dumps.by_option("nq"), True)
    for name in ("ipgraph.xlsx", "other.ttl", "ipgraph", "ipgraph.ttl.zip"):
        assert dumps.by_file(name) is None
    assert len({d.option for d in dumps.DUMPS}) == len({d.format.extension for d in dumps.DUMPS}) == len(dumps.DUMPS)


def test_a_kept_file_is_made_once(store):
    calls = []

    def make(out):
        calls.append(1)
        out.write(b"made")

    first = dumps.kept(store, "test-kept.txt", make)
    again = dumps.kept(store, "test-kept.txt", make)
    assert first == again == store.derived / "test-kept.txt"
    assert first.read_bytes() == b"made" and calls == [1]
    assert not [p for p in store.derived.iterdir() if p.name.startswith(".test-kept")]


def test_the_files_list_each_dump_plain_and_gzipped(store):
    files = dumps.files(store)
    assert [(f.dump, f.gzipped) for f in files] == [(d, z) for d in dumps.DUMPS for z in (False, True)]
    for file in files:
        path = store.derived / file.name
        assert path.stat().st_size == file.size and len(file.sha256) == 64
    plain = next(f for f in files if f.dump.option == "ttl" and not f.gzipped)
    assert (store.derived / plain.name).read_bytes() == exported(store, plain.dump)


# -- JSON-LD and its context --


def test_the_json_ld_dump_holds_its_context_and_readable_keys(store, context, graph):
    document = json.loads(exported(store, dumps.by_option("jsonld")))
    assert document["@context"] == context
    customs = next(s for s in graph.subjects(RDFS.label, Literal("广州海关", lang="zh")))
    node = next(n for n in document["@graph"] if n.get("id") == shorten(str(customs)))
    assert {"zh": "广州海关"} in [{v["@language"]: v["@value"]} for v in node["label"]]
    assert node["prefLabel"] and node["type"]
    assert all(t in context or ":" in t for t in (node["type"] if isinstance(node["type"], list) else [node["type"]]))
    observation = next(n for n in document["@graph"] if n.get("obsValue") == 173124)
    assert observation["type"] == "Observation"
    assert isinstance(observation["indicator"], str) and observation["indicator"].startswith("ind:")


def test_the_context_has_every_prefix_and_the_keyword_aliases(context):
    assert {k: context[k] for k in PREFIXES} == PREFIXES
    assert context["id"] == "@id" and context["type"] == "@type"
    assert context["label"] == "rdfs:label" and context["prefLabel"] == "skos:prefLabel"
    assert context["obsValue"] == "sdmx-measure:obsValue"


def expansion(definition) -> str:
    iri = definition["@id"] if isinstance(definition, dict) else definition
    prefix, local = iri.split(":", 1)
    return PREFIXES[prefix] + local


def test_the_context_names_each_term_once_and_types_what_the_ontology_declares(context, graph):
    terms = {k: v for k, v in context.items() if k not in PREFIXES and k not in jsonld.ALIASES}
    by_iri = {expansion(v): v for v in terms.values()}
    assert len(by_iri) == len(terms)
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        assert by_iri[str(prop)]["@type"] == "@id", prop
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        ranges = [r for r in graph.objects(prop, RDFS.range) if str(r).startswith(str(XSD)) and r != XSD.string]
        if ranges:
            assert by_iri[str(prop)]["@type"] == shorten(str(ranges[0])), prop
    for cls in graph.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(str(IPG)):
            assert terms[str(cls)[len(str(IPG)):]] == shorten(str(cls))


def test_a_local_name_two_vocabularies_share_is_written_prefixed(settings):
    g = Graph()
    thing = URIRef(PREFIXES["place"] + "guangzhou")
    g.add((thing, RDF.type, IPG.City))
    g.add((thing, SCHEMA.name, Literal("广州", lang="zh")))
    g.add((thing, URIRef(PREFIXES["foaf"] + "name"), Literal("Guangzhou", lang="en")))
    g.add((thing, DCTERMS.title, Literal("广州", lang="zh")))
    g.add((thing, IPG.title, Literal("Guangzhou", lang="en")))
    g.add((thing, SKOS.broader, URIRef(PREFIXES["place"] + "guangdong")))
    g.add((thing, SCHEMA.broader, URIRef(PREFIXES["place"] + "china")))
    store = EmbeddedStore.from_graph(g)
    document = jsonld.context(store)
    context = document["@context"]
    assert context["title"] == "ipg:title" and "name" not in context
    assert context["skos:broader"] == {"@id": "skos:broader", "@type": "@id"}
    assert context["schema:broader"] == {"@id": "schema:broader", "@type": "@id"}
    [node] = jsonld.compact(g, document)
    assert node["title"] == {"@language": "en", "@value": "Guangzhou"}
    assert node["dcterms:title"] == {"@language": "zh", "@value": "广州"}
    assert node["schema:name"] and node["foaf:name"]
    assert node["skos:broader"] == "place:guangdong" and node["schema:broader"] == "place:china"
    out = io.BytesIO()
    jsonld.write(iter(g), document, out)
    assert same_graph(Graph().parse(data=out.getvalue(), format="json-ld"), g)


def test_a_value_that_does_not_fit_its_key_keeps_its_iri_and_reads_back(settings):
    g = Graph()
    thing = URIRef(PREFIXES["period"] + "2018")
    g.add((thing, IPG.year, Literal(2018)))
    g.add((URIRef(PREFIXES["period"] + "2019"), IPG.year, Literal("2019")))  # not an integer
    g.add((IPG.year, RDF.type, OWL.DatatypeProperty))
    g.add((IPG.year, RDFS.range, XSD.integer))
    store = EmbeddedStore.from_graph(g)
    document = jsonld.context(store)
    assert document["@context"]["year"] == {"@id": "ipg:year", "@type": "xsd:integer"}
    nodes = {n["id"]: n for n in jsonld.compact(g, document)}
    assert nodes["period:2018"]["year"] == "2018"
    assert nodes["period:2019"]["ipg:year"] == "2019"
    out = io.BytesIO()
    jsonld.write(iter(g), document, out)
    assert same_graph(Graph().parse(data=out.getvalue(), format="json-ld"), g)
