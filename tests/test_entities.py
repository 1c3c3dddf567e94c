"""Entity IRIs dereference: HTML for browsers, RDF for programs, 404 for what is not there."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from ipgraph import queries

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BASE = "https://ipgraph.example.org"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PATENTS = "/id/observation/guangzhou-2018-patent-applications"
RDF_FORMATS = [("text/turtle", "turtle", "ttl"), ("application/ld+json", "json-ld", "jsonld"),
               ("application/n-triples", "nt", "nt"), ("application/rdf+xml", "xml", "rdf")]


def local_subjects(graph: Graph) -> list[str]:
    return sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(BASE)
                   and "#" not in s})


def test_every_subject_iri_resolves_to_a_page(client, graph):
    paths = [iri[len(BASE):] for iri in local_subjects(graph)]
    assert len(paths) > 100
    # an ontology term's page is its section of /ontology (tests/test_reference.py)
    failures = [(p, r.status_code) for p in paths
                if (r := client.get(p, headers=BROWSER)).status_code != (303 if p.startswith("/def") else 200)]
    assert failures == []


def test_page_shows_labels_types_properties_and_links(client):
    html = client.get("/id/place/guangzhou", headers=BROWSER).data.decode()
    assert "广州市" in html and "Guangzhou" in html
    assert 'href="/def/City"' in html                         # the type, linked under this site
    assert re.search(r'href="/id/place/guangdong"[^>]*><span lang="zh">广东省', html)  # a linked entity, by its label
    assert "被引用 Linked from" in html                        # incoming links


def test_observation_page_shows_the_figure_and_the_quote(client):
    html = client.get(PATENTS, headers=BROWSER).data.decode()
    figure = html[html.index('class="figure"'):html.index("</section>")]
    assert "173,124" in figure and "件" in figure             # value and unit
    assert "2018" in figure                                    # period
    assert "46.3%" in figure                                   # its year-over-year change
    assert "全市专利申请量173,124件，同比增长46.3%" in html      # the report's own words


@pytest.mark.parametrize(("accept", "rdflib_format", "suffix"), RDF_FORMATS)
def test_rdf_by_accept_and_by_suffix(client, graph, accept, rdflib_format, suffix):
    expected = Graph()
    for triple in graph.triples((URIRef(BASE + PATENTS), None, None)):
        expected.add(triple)
    by_accept = client.get(PATENTS, headers={"Accept": accept})
    by_suffix = client.get(f"{PATENTS}.{suffix}")
    for response in (by_accept, by_suffix):
        assert response.status_code == 200
        assert response.mimetype == accept
        data = response.data
        if rdflib_format == "json-ld":  # its context is named by its URL: read from the site, not the network
            data = json.dumps({**json.loads(data), "@context": client.get("/context.jsonld").get_json()["@context"]})
        assert isomorphic(Graph().parse(data=data, format=rdflib_format), expected)
    assert "Accept" in by_accept.headers["Vary"]


def test_rdf_includes_blank_node_details(client):
    """A passage's quote selector is a blank node: its triples come with the passage."""
    g = Graph().parse(data=client.get("/id/passage/2-1-patent-applications.ttl").data, format="turtle")
    exact = URIRef("http://www.w3.org/ns/oa#exact")
    assert Literal("全市专利申请量173,124件，同比增长46.3%") in set(g.objects(None, exact))


def test_format_parameter(client):
    response = client.get(f"{PATENTS}?format=jsonld", headers=BROWSER)
    assert response.mimetype == "application/ld+json"


def test_link_headers(client):
    link = client.get(PATENTS, headers=BROWSER).headers["Link"]
    assert f'<{BASE}{PATENTS}>; rel="canonical"' in link
    assert f'<{PATENTS}.ttl>; rel="alternate"; type="text/turtle"' in link


def test_ontology_and_its_terms_resolve(client):
    g = Graph().parse(data=client.get("/def", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert (URIRef(f"{BASE}/def"), URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"),
            Literal("ipg")) in g
    term = Graph().parse(data=client.get("/def/Court.ttl").data, format="turtle")
    assert {lit.language for lit in term.objects(URIRef(f"{BASE}/def/Court"), RDFS.label)} == {"zh", "en"}


@pytest.mark.parametrize("path", ["/id/body/no-such-body", "/id/observation/x.ttl", "/def/NoSuchClass",
                                  "/id/", "/id/place/guangzhou/extra"])
def test_unknown_iri_is_a_404_page(client, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "404" in response.data.decode()


def test_unknown_iri_for_a_program(client):
    response = client.get("/id/body/no-such-body", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json(force=True)["status"] == 404


def test_no_rdf_format_acceptable(client):
    assert client.get(PATENTS, headers={"Accept": "image/png"}).status_code == 406


def test_site_queries_bind_values_instead_of_pasting_them(client, store):
    """An IRI with SPARQL in it is just an unknown IRI: values are bound, never spliced."""
    path = '/id/x> } ; DROP ALL ; SELECT * { ?s ?p "'
    assert client.get(path, headers=BROWSER).status_code == 404
    assert store.ask(queries.named("entity-exists"), bindings={"entity": URIRef(BASE + PATENTS)})


def test_a_passage_page_shows_its_own_quote_and_a_body_page_its_evidence(client):
    """The page of a passage quotes the passage itself; the page of anything else quotes the
    passages its ipg:evidence names (two queries, each starting from the entity)."""
    passage = client.get("/id/passage/2-1-patent-applications", headers={"Accept": "text/html"}).data.decode()
    assert re.search('<blockquote lang="zh">[^<]*<mark>全市专利申请量173,124件，同比增长46.3%</mark>', passage)
    body = client.get("/id/body/saic", headers={"Accept": "text/html"}).data.decode()
    saved = "国家工商总局商标审查协作广州中心设立以来为企业节约商标注册成本近2亿元"
    assert re.search(f'<blockquote lang="zh">[^<]*<mark>{saved}', body)


@pytest.mark.parametrize("headers", [{}, {"Accept": "*/*"}, BROWSER], ids=["no Accept", "*/*", "browser"])
def test_a_client_that_states_no_preference_gets_html(client, headers):
    response = client.get(PATENTS, headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]


def test_format_parameter_wins_over_the_suffix(client):
    response = client.get(f"{PATENTS}.ttl?format=jsonld")
    assert response.mimetype == "application/ld+json"
    assert client.get(f"{PATENTS}.ttl").mimetype == "text/turtle"


@pytest.mark.parametrize("path", [PATENTS + ".ttl", PATENTS + ".jsonld", PATENTS])
def test_entities_may_be_fetched_from_any_site(client, path):
    response = client.get(path, headers={"Accept": "application/ld+json", "Origin": "https://example.net"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
