"""The ontology page and its terms' IRIs, the data-quality report, the downloads."""

from __future__ import annotations

import re
import warnings

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, VOID

from ipgraph.cli import EXPORT_FORMATS
from ipgraph.namespaces import IPG, QB, shorten
from ipgraph.store import EmbeddedStore
from ipgraph.validation import default_ontology
from ipgraph.web import create_app
from ipgraph.web.reference import DUMPS

BASE = "https://ipgraph.example.org"
ONTOLOGY = URIRef(f"{BASE}/def")
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
          "nquads": "nquads"}


@pytest.fixture(scope="module")
def ontology_html(client) -> str:
    response = client.get("/ontology", headers=BROWSER)
    assert response.status_code == 200
    return response.data.decode()


@pytest.fixture(scope="module")
def client(settings, store):
    app = create_app(settings, store=store)
    app.config.update(TESTING=True)
    return app.test_client()


def fetch(client, path: str, headers: dict | None = None):
    """The response to a GET, read and closed (a file sent from disk stays open until then)."""
    response = client.get(path, headers=headers or {})
    response.get_data()
    response.close()
    return response


def section(html: str, ident: str) -> str:
    found = re.search(rf'<section class="term" id="{re.escape(ident)}">.*?</section>', html, re.S)
    assert found, f"no section {ident}"
    return found.group(0)


# -- the ontology --


def test_every_term_has_its_section_with_labels(ontology_html, graph):
    terms = set(graph.subjects(RDFS.isDefinedBy, ONTOLOGY))
    assert len(terms) > 100
    for term in terms:
        html = section(ontology_html, str(term)[len(f"{BASE}/def/"):])
        for label in graph.objects(term, RDFS.label):
            assert str(label) in html


def test_terms_are_grouped_by_kind(ontology_html, graph):
    def group(ident: str) -> str:
        found = re.search(rf'<section class="group" id="{ident}">(.*?)(?=<section class="group")', ontology_html, re.S)
        assert found
        return found.group(1)

    for ident, kind in (("classes", OWL.Class), ("object-properties", OWL.ObjectProperty),
                        ("datatype-properties", OWL.DatatypeProperty)):
        ids = set(re.findall(r'<section class="term" id="([^"]+)"', group(ident)))
        assert ids == {str(t)[len(f"{BASE}/def/"):] for t in graph.subjects(RDF.type, kind)
                       if (t, RDFS.isDefinedBy, ONTOLOGY) in graph}
    assert "本体未定义此类术语" in group("annotation-properties")
    assert 'id="ObservationStructure"' in group("other-terms")


def test_a_class_shows_definition_super_and_sub_classes(ontology_html, graph):
    html = section(ontology_html, "Action")
    for definition in graph.objects(IPG.Action, SKOS.definition):
        assert str(definition) in html
    for parent in graph.objects(IPG.Action, RDFS.subClassOf):
        assert f"<code>{shorten(str(parent))}</code>" in html
    for child in graph.subjects(RDFS.subClassOf, IPG.Action):
        assert f'href="#{str(child)[len(f"{BASE}/def/"):]}"' in html


def test_a_property_shows_domain_and_range(ontology_html, graph):
    html = section(ontology_html, "changeOf")
    assert graph.value(IPG.changeOf, RDFS.domain) == QB.Observation
    assert html.count('href="#qb:Observation"') == 2  # domain and range
    assert re.search(r"定义域 <span class=\"en\">Domain</span>", html)


def test_reused_terms_are_listed_without_made_up_labels(ontology_html, graph):
    reused = ontology_html[ontology_html.index('id="reused"'):]
    for term in (QB.Observation, SKOS.Concept, URIRef("http://www.w3.org/ns/prov#Activity")):
        row = re.search(rf'<tr id="{re.escape(shorten(str(term)))}">.*?</tr>', reused, re.S)
        assert row, term
        labels = [label for label in graph.objects(term, RDFS.label)]
        assert labels or '<span class="en">—</span>' in row.group(0)
    assert "<code>qb:</code> <code class=\"ns\">http://purl.org/linked-data/cube#</code>" in reused


@pytest.mark.parametrize("path, target", [("/def/Country", "/ontology#Country"), ("/def", "/ontology"),
                                          ("/def/changeOf.html", "/ontology#changeOf")])
def test_a_term_iri_sends_a_browser_to_its_section(client, path, target):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 303
    assert response.headers["Location"] == target
    assert "Accept" in response.headers.get("Vary", "")


@pytest.mark.parametrize("path, headers", [("/def/Country", {"Accept": "text/turtle"}), ("/def/Country.ttl", {}),
                                           ("/def/Country.ttl", BROWSER)])
def test_a_term_iri_still_gives_rdf(client, graph, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    described = Graph().parse(data=response.data.decode(), format="turtle")
    assert set(described.objects(IPG.Country, RDFS.label)) == set(graph.objects(IPG.Country, RDFS.label))


def test_an_unknown_term_is_404(client):
    assert client.get("/def/NoSuchTerm", headers=BROWSER).status_code == 404


def test_ontology_turtle_is_the_ontology_files(client, settings):
    response = fetch(client, "/ontology.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    served = Graph().parse(data=response.data.decode(), format="turtle")
    files = default_ontology(settings.root)
    assert len(served) == len(files)
    assert set(served.subjects(RDFS.isDefinedBy, ONTOLOGY)) == set(files.subjects(RDFS.isDefinedBy, ONTOLOGY))


# -- downloads --


def test_downloads_are_every_export_format():
    assert {fmt.key for fmt in DUMPS} == set(EXPORT_FORMATS.values())


@pytest.mark.parametrize("fmt", DUMPS, ids=lambda f: f.extension)
def test_each_download_parses_to_the_whole_graph(client, store, fmt):
    response = fetch(client, f"/downloads/ipgraph.{fmt.extension}")
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    assert response.headers["Content-Disposition"] == f"attachment; filename=ipgraph.{fmt.extension}"
    assert store.version in response.headers["ETag"]
    data = response.data
    if fmt.key in ("trig", "nquads"):
        with warnings.catch_warnings():  # rdflib's dataset parsing warns of its own deprecations
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed = Dataset()
            parsed.parse(data=data, format=RDFLIB[fmt.key])
            triples = sum(1 for _ in parsed.quads((None, None, None, None)))
    else:
        triples = len(Graph().parse(data=data, format=RDFLIB[fmt.key]))
    assert triples == len(store)
    again = fetch(client, f"/downloads/ipgraph.{fmt.extension}", {"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_downloads_page_shows_each_file_and_its_size(client):
    html = client.get("/downloads", headers=BROWSER).data.decode()
    for fmt in DUMPS:
        size = len(fetch(client, f"/downloads/ipgraph.{fmt.extension}").data)
        row = re.search(rf'<tr><td>[^<]+</td><td><a href="/downloads/ipgraph\.{fmt.extension}" download>.*?</tr>',
                        html, re.S)
        assert row and f"{size:,} B" in row.group(0)
    assert '<div class="scroll">' in html


def test_an_unknown_download_is_404(client):
    assert fetch(client, "/downloads/ipgraph.xlsx", BROWSER).status_code == 404


def test_void_describes_the_dumps(client, store):
    response = client.get("/downloads/void.ttl")
    assert response.status_code == 200
    void = Graph().parse(data=response.data.decode(), format="turtle")
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    assert void.value(dataset, VOID.triples) == Literal(len(store))
    assert {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, VOID.dataDump)} == \
        {f"ipgraph.{f.extension}" for f in DUMPS}


# -- the quality report --


def test_the_served_graph_conforms(client, store):
    report = client.get("/quality.json").get_json()
    assert report["conforms"] is True and report["results"] == []
    assert report["version"] == store.version and report["triples"] == len(store)
    html = client.get("/quality", headers=BROWSER).data.decode()
    assert "符合 Conforms" in html and "没有违反任何约束" in html


def test_a_broken_graph_is_reported_with_a_link_to_the_node(settings):
    graph = default_ontology(settings.root) + Graph().parse(settings.data_dir / "units.ttl")
    unit = URIRef(f"{BASE}/id/unit/jian")
    english = next(label for label in graph.objects(unit, RDFS.label) if label.language == "en")
    graph.remove((unit, RDFS.label, english))
    app = create_app(settings, store=EmbeddedStore.from_graph(graph))
    client = app.test_client()
    report = client.get("/quality.json").get_json()
    assert report["conforms"] is False
    results = [r for r in report["results"] if r["focus"] == str(unit)]
    assert [r["path"] for r in results] == ["rdfs:label"]
    html = client.get("/quality", headers=BROWSER).data.decode()
    assert "不符合 Does not conform" in html
    row = re.search(r'<tr><td><a href="/id/unit/jian">.*?</tr>', html, re.S)
    assert row and "<code>rdfs:label</code>" in row.group(0) and results[0]["message"] in row.group(0)
