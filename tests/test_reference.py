"""The ontology page and its terms' IRIs, the data-quality report, the downloads, the JSON-LD context,
the sitemap."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import warnings
import xml.etree.ElementTree as ET

import pytest
from fetching import fetch
from graphs import same_graph
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ipgraph import dumps, queries
from ipgraph.cli import EXPORT_FORMATS
from ipgraph.namespaces import IPG, QB, shorten
from ipgraph.store import EmbeddedStore
from ipgraph.validation import default_ontology
from ipgraph.web import create_app

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

FILES = [(dump, gzipped) for dump in dumps.DUMPS for gzipped in (False, True)]


def test_downloads_are_every_export_format():
    assert {d.key for d in dumps.DUMPS} == set(EXPORT_FORMATS.values())
    assert {d.option for d in dumps.DUMPS} == set(EXPORT_FORMATS)


@pytest.mark.parametrize(("dump", "gzipped"), FILES, ids=lambda v: v.option if isinstance(v, dumps.Dump) else str(v))
def test_each_download_parses_to_the_whole_graph(client, store, dump, gzipped):
    name = dump.file_name(gzipped=gzipped)
    response = fetch(client, f"/downloads/{name}")
    assert response.status_code == 200
    assert response.mimetype == ("application/gzip" if gzipped else dump.format.media_type)
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert store.version in response.headers["ETag"]
    data = gzip.decompress(response.data) if gzipped else response.data
    if dump.quads:
        with warnings.catch_warnings():  # rdflib's dataset parsing warns of its own deprecations
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed = Dataset()
            parsed.parse(data=data, format=RDFLIB[dump.key])
            triples = sum(1 for _ in parsed.quads((None, None, None, None)))
    else:
        triples = len(Graph().parse(data=data, format=RDFLIB[dump.key]))
    assert triples == len(store)
    again = fetch(client, f"/downloads/{name}", {"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_downloads_page_shows_each_file_its_size_and_checksum(client):
    html = client.get("/downloads", headers=BROWSER).data.decode()
    for dump, gzipped in FILES:
        name = dump.file_name(gzipped=gzipped)
        data = fetch(client, f"/downloads/{name}").data
        row = re.search(rf'<tr><td>[^<]+</td><td><a href="/downloads/{re.escape(name)}" download>.*?</tr>', html, re.S)
        assert row, name
        assert f"{len(data):,} B" in row.group(0) and hashlib.sha256(data).hexdigest() in row.group(0)
    assert '<div class="scroll">' in html
    assert 'href="/.well-known/void"' in html and 'href="/context.jsonld"' in html


@pytest.mark.parametrize("name", ["ipgraph.xlsx", "ipgraph.ttl.zip", "other.ttl", "ipgraph"])
def test_an_unknown_download_is_404(client, name):
    response = fetch(client, f"/downloads/{name}", BROWSER)
    assert response.status_code == 404
    assert "ipgraph.ttl" in response.data.decode()


# -- the JSON-LD context --


def test_the_context_is_served_as_a_file(client, store):
    response = fetch(client, "/context.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert store.version in response.headers["ETag"]
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    assert json.loads(response.data) == dumps.context_document(store)
    dump = json.loads(fetch(client, "/downloads/ipgraph.jsonld").data)
    assert dump["@context"] == json.loads(response.data)["@context"]
    assert fetch(client, "/context.jsonld", {"If-None-Match": response.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("path, headers", [("/id/body/guangzhou-customs", {"Accept": "application/ld+json"}),
                                           ("/id/body/guangzhou-customs.jsonld", {}),
                                           ("/id/observation/guangzhou-2018-patent-applications.jsonld", {})])
def test_an_entity_s_json_ld_is_compacted_with_the_context(client, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    document = json.loads(response.data)
    assert document["@context"] == "http://localhost/context.jsonld"
    assert document["id"] == shorten(f"https://ipgraph.example.org{path.removesuffix('.jsonld')}")
    assert "label" in document and "type" in document
    context = json.loads(fetch(client, "/context.jsonld").data)
    parsed = Graph().parse(data=json.dumps({**document, "@context": context["@context"]}), format="json-ld")
    turtle = client.get(path.removesuffix(".jsonld"), headers={"Accept": "text/turtle"}).data.decode()
    assert len(parsed) > 5 and same_graph(parsed, Graph().parse(data=turtle, format="turtle"))


# -- the sitemap --


def sitemap_urls(client, path: str) -> tuple[str, list[str]]:
    """The root element's name and the <loc> URLs of the sitemap at ``path``."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return root.tag.removeprefix(ns), [loc.text for loc in root.iter(f"{ns}loc")]


@pytest.fixture(scope="module")
def entity_urls(store, settings) -> set[str]:
    rows = store.select(f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s)
                            && STRSTARTS(STR(?s), "{settings.base_iri}/id/") && !CONTAINS(STR(?s), "#")) }}""")
    return {"http://localhost" + str(row["s"])[len(settings.base_iri):] for row in rows}


def test_the_sitemap_lists_the_main_pages_and_every_entity(client, entity_urls, settings):
    kind, urls = sitemap_urls(client, "/sitemap.xml")
    assert kind == "urlset" and len(urls) == len(set(urls))
    assert entity_urls and entity_urls <= set(urls)
    examples = queries.examples(settings.queries_dir)
    assert {"http://localhost/", "http://localhost/report", "http://localhost/ontology", "http://localhost/downloads",
            "http://localhost/sparql", f"http://localhost/queries/{examples[0].slug}",
            "http://localhost/class/qb:Observation"} <= set(urls)
    assert client.get("/id/body/guangzhou-customs", headers=BROWSER).status_code == 200
    assert "http://localhost/id/body/guangzhou-customs" in urls
    assert fetch(client, "/sitemap-1.xml").status_code == 404


def test_a_large_sitemap_is_split_behind_an_index(client, settings, store):
    app = create_app(settings, store=store)
    app.config.update(TESTING=True, SITEMAP_URLS=400)
    small = app.test_client()
    kind, files = sitemap_urls(small, "/sitemap.xml")
    assert kind == "sitemapindex"
    listed: list[str] = []
    for n, url in enumerate(files, 1):
        assert url == f"http://localhost/sitemap-{n}.xml"
        kind, urls = sitemap_urls(small, f"/sitemap-{n}.xml")
        assert kind == "urlset" and 0 < len(urls) <= 400
        listed += urls
    assert len(files) == math.ceil(len(listed) / 400) > 1
    assert listed == sitemap_urls(client, "/sitemap.xml")[1]
    assert fetch(small, f"/sitemap-{len(files) + 1}.xml").status_code == 404
    assert fetch(small, "/sitemap-0.xml").status_code == 404


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in response.data.decode().splitlines()


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
