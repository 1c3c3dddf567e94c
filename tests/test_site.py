"""The site around the data: home page, class lists, the example-query gallery."""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import URIRef
from rdflib.namespace import RDF

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BROWSER = {"Accept": "text/html"}
QB_OBSERVATION = URIRef("http://purl.org/linked-data/cube#Observation")
IPG_PASSAGE = URIRef("https://ipgraph.example.org/def/Passage")
BASE = "https://ipgraph.example.org"


def test_home_shows_title_and_counts_per_class(client, graph):
    html = client.get("/").data.decode()
    assert "广州知识产权发展与保护状况（2018年）" in html
    observations = len(set(graph.subjects(RDF.type, QB_OBSERVATION)))
    table = html[html.index('<table class="classes">'):]
    row = re.search(r'href="/class/qb:Observation".*?<td class="num">(\d+)</td>', table, re.S)
    assert row and int(row.group(1)) == observations


def test_class_list_links_every_member(client, graph):
    html = client.get("/class/ipg:GeographicalIndicationProduct").data.decode()
    products = set(graph.subjects(RDF.type, URIRef("https://ipgraph.example.org/def/GeographicalIndicationProduct")))
    assert len(products) == 11
    for product in products:
        assert f'href="{product[len("https://ipgraph.example.org"):]}"' in html


def test_a_long_class_list_pages_in_label_order_without_repeats(client, graph):
    """A class list is read a page at a time from the label index (keyset paging, ?after=)."""
    passages = {str(o) for o in graph.subjects(RDF.type, IPG_PASSAGE)}
    assert len(passages) > 200  # more than two pages of 100
    seen, labels, url, pages = [], [], "/class/ipg:Passage?lang=en", 0
    while url and pages < 10:
        html = client.get(url, headers=BROWSER).data.decode()
        links = re.findall(r'<li><a href="(/id/passage/[^"]+)"[^>]*><span lang="en">([^<]*)</span>', html)
        seen += [BASE + href for href, _ in links]
        labels += [label.casefold() for _, label in links]
        following = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = following.group(1).replace("&amp;", "&") if following else None
        pages += 1
    assert pages == -(-len(passages) // 100)
    assert len(seen) == len(set(seen)) and set(seen) == passages
    assert labels == sorted(labels)


def test_a_page_after_the_last_is_404(client):
    assert client.get("/class/qb:Observation?after=%EF%BF%BF", headers=BROWSER).status_code == 404


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
