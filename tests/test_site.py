"""The site around the data: home page, class lists, the example-query gallery."""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import URIRef
from rdflib.namespace import RDF

BROWSER = {"Accept": "text/html"}
QB_OBSERVATION = URIRef("http://purl.org/linked-data/cube#Observation")


def test_home_shows_title_and_counts_per_class(client, graph):
    html = client.get("/").data.decode()
    assert "广州知识产权发展与保护状况（2018年）" in html
    observations = len(set(graph.subjects(RDF.type, QB_OBSERVATION)))
    row = re.search(r'href="/class/qb:Observation".*?<td class="num">(\d+)</td>', html, re.S)
    assert row and int(row.group(1)) == observations


def test_class_list_links_every_member(client, graph):
    html = client.get("/class/ipg:GeographicalIndicationProduct").data.decode()
    products = set(graph.subjects(RDF.type, URIRef("https://ipgraph.example.org/def/GeographicalIndicationProduct")))
    assert len(products) == 11
    for product in products:
        assert f'href="{product[len("https://ipgraph.example.org"):]}"' in html


def test_unknown_class_is_404(client):
    assert client.get("/class/ipg:Nothing", headers=BROWSER).status_code == 404
    assert client.get("/class/nonsense", headers=BROWSER).status_code == 404


def test_gallery_lists_every_example_and_each_runs(client, settings):
    html = client.get("/queries").data.decode()
    slugs = [p.stem for p in sorted(settings.queries_dir.glob("*.rq"))]
    assert len(slugs) >= 10
    for slug in slugs:
        assert f'href="/queries/{slug}"' in html
        page = client.get(f"/queries/{slug}").data.decode()
        assert "/sparql?query=" in page
        raw = client.get(f"/queries/{slug}.rq")
        assert raw.mimetype == "application/sparql-query"
        result = client.get(f"/sparql?query={quote(raw.data.decode())}",
                            headers={"Accept": "application/sparql-results+json"})
        assert result.status_code == 200, slug


def test_unknown_example_is_404(client):
    assert client.get("/queries/nothing", headers=BROWSER).status_code == 404


def test_unknown_path_is_404_page(client):
    response = client.get("/nothing/here", headers=BROWSER)
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_server_fault_is_a_plain_500_that_leaks_nothing(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "secret" not in response.data.decode()
    assert response.get_json(force=True)["title"] == "Internal server error"
