"""The register: one node per organisation, place, document and event the report names, whatever name it uses.

Organisations are the instances of every class below ``org:Organization``, places the instances of
every class below ``schema:Place``, documents of ``schema:CreativeWork`` and events of
``schema:Event`` (the ontology's subclass axioms decide). A name is a ``@zh``
``skos:prefLabel`` or ``skos:altLabel``.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
BODY = "https://ipgraph.example.org/id/body/"


def instances_below(graph: Graph, *roots: URIRef) -> set:
    classes = set(roots)
    for root in roots:
        classes |= set(graph.transitive_subjects(RDFS.subClassOf, root))
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}


def zh_names(graph: Graph, node) -> set[str]:
    return {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(node, p)
            if getattr(o, "language", None) == "zh"}


def shared_names(graph: Graph, nodes: set) -> dict[str, list[str]]:
    holders = defaultdict(set)
    for node in nodes:
        for name in zh_names(graph, node):
            holders[name].add(str(node))
    return {name: sorted(nodes) for name, nodes in holders.items() if len(nodes) > 1}


@pytest.fixture(scope="module")
def organisations(graph):
    return instances_below(graph, ORG.Organization, ORG.FormalOrganization)


@pytest.fixture(scope="module")
def places(graph):
    return instances_below(graph, SCHEMA.Place, SCHEMA.AdministrativeArea)


def test_the_register_is_there(organisations, places):
    assert len(organisations) > 100
    assert len(places) > 30


def test_no_name_is_carried_by_two_organisations(graph, organisations):
    assert shared_names(graph, organisations) == {}


def test_no_name_is_carried_by_two_places(graph, places):
    assert shared_names(graph, places) == {}


def test_no_name_or_title_is_carried_by_two_documents(graph):
    documents = instances_below(graph, SCHEMA.CreativeWork, SCHEMA.Legislation)
    assert len(documents) > 60
    assert shared_names(graph, documents) == {}
    titles = defaultdict(set)
    for document in documents:
        for title in graph.objects(document, DCTERMS.title):
            titles[str(title)].add(str(document))
    assert {t: sorted(d) for t, d in titles.items() if len(d) > 1} == {}


def test_no_name_is_carried_by_two_events(graph):
    events = instances_below(graph, SCHEMA.Event)
    assert len(events) > 80
    assert shared_names(graph, events) == {}


# Names the report uses for one body, each group as the issue that asked for the register lists it.
ONE_BODY = [
    {"市知识产权局", "广州市知识产权局"},
    {"市工商局", "广州市工商局", "广州工商"},
    {"广州开发区知识产权局", "黄埔区知识产权局", "区知识产权局"},
    {"调委会", "广东知识产权纠纷人民调解委员会"},
    {"快维中心", "中国广州花都（皮革皮具）知识产权快速维权中心"},
    {"审协广东中心", "国家知识产权局专利局专利审查协作广东中心"},
    {"广州知识产权仲裁院", "知识产权仲裁院"},
    {"广州琶洲会展知识产权保护中心", "广州琶洲展会知识产权保护中心"},
    {"建行", "中国建设银行"},
    {"黄埔区、广州开发区"},
]


@pytest.mark.parametrize("names", ONE_BODY, ids=lambda names: sorted(names)[0])
def test_the_names_of_one_body_lead_to_one_node(graph, organisations, names):
    nodes = {node for node in organisations if zh_names(graph, node) & names}
    assert len(nodes) == 1, nodes
    (node,) = nodes
    assert names <= zh_names(graph, node)


def test_one_government_governs_huangpu_and_the_development_zone(graph):
    governs = URIRef("https://ipgraph.example.org/def/governs")
    areas = {str(o) for o in graph.objects(URIRef(BODY + "huangpu-district-government"), governs)}
    assert areas == {"https://ipgraph.example.org/id/place/huangpu",
                     "https://ipgraph.example.org/id/place/guangzhou-development-district"}


def test_customs_offices_sit_under_the_general_administration(graph):
    parent = URIRef(BODY + "general-administration-of-customs")
    for office in ("guangzhou-customs", "huangpu-customs"):
        assert (URIRef(BODY + office), ORG.subOrganizationOf, parent) in graph
