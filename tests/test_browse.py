"""Browsing without SPARQL: search over names, class lists with facets, every list as JSON and CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ipgraph.store import EmbeddedStore
from ipgraph.web import create_app

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BROWSER = {"Accept": "text/html"}
ID = "https://ipgraph.example.org/id/"
IPG = "https://ipgraph.example.org/def/"
CUSTOMS = URIRef(ID + "body/guangzhou-customs")
HUANGPU_CUSTOMS = URIRef(ID + "body/huangpu-customs")
IP_COURT = URIRef(ID + "body/guangzhou-ip-court")
CAMPAIGN = URIRef(IPG + "Campaign")
OBSERVATION = URIRef("http://purl.org/linked-data/cube#Observation")


def hits(client, query: str, **params) -> list[str]:
    response = client.get("/search.json", query_string={"q": query, **params})
    assert response.status_code == 200, response.data
    return [hit["iri"] for hit in response.json["hits"]]


def label(graph, thing, lang: str) -> str:
    return next(str(x) for x in graph.objects(thing, RDFS.label) if x.language == lang)


def test_the_register_has_the_bodies_the_searches_look_for(graph):
    assert label(graph, CUSTOMS, "zh") == "广州海关"
    assert label(graph, HUANGPU_CUSTOMS, "zh") == "黄埔海关"
    assert label(graph, IP_COURT, "zh") == "广州知识产权法院"


def test_two_characters_find_every_name_that_holds_them(client, graph):
    """海关 is two characters, fewer than a trigram: it is looked up in the index of pieces."""
    found = hits(client, "海关")
    assert str(CUSTOMS) in found and str(HUANGPU_CUSTOMS) in found
    named = {s for s, o in [*graph.subject_objects(RDFS.label), *graph.subject_objects(SKOS.altLabel)]
             if "海关" in o and (s, RDF.type, None) in graph and (s, RDFS.isDefinedBy, None) not in graph}
    total = client.get("/search.json", query_string={"q": "海关"}).json["total"]
    passages = {s for s in named if (s, RDF.type, URIRef(IPG + "Passage")) in graph}
    assert total == len(named - passages)


def test_a_longer_name_finds_the_court_first(client):
    assert hits(client, "知识产权法院")[0] == str(IP_COURT)


def test_a_name_that_is_the_query_comes_first(client):
    assert hits(client, "广州海关")[0] == str(CUSTOMS)


def test_english_words_find_the_english_label_in_any_case(client, graph):
    assert label(graph, CUSTOMS, "en") == "Guangzhou Customs"
    assert hits(client, "guangzhou customs")[0] == str(CUSTOMS)
    assert str(HUANGPU_CUSTOMS) in hits(client, "HUANGPU")


def test_an_alternative_label_is_found_and_shown(client, graph):
    thing, alt = next((s, o) for s, o in graph.subject_objects(SKOS.altLabel)
                      if len(o) >= 3 and (s, RDF.type, None) in graph
                      and not any(str(o) == str(x) for x in graph.objects(s, RDFS.label)))
    response = client.get("/search.json", query_string={"q": str(alt)})
    found = {h["iri"]: h["matched"] for h in response.json["hits"]}
    assert found.get(str(thing)) == str(alt)


def test_a_class_narrows_the_search_and_counts_are_per_class(client):
    everything = client.get("/search.json", query_string={"q": "海关"}).json
    agencies = client.get("/search.json", query_string={"q": "海关", "class": "ipg:CustomsAuthority"}).json
    counted = {c["id"]: c["count"] for c in everything["classes"]}
    assert agencies["total"] == counted["ipg:CustomsAuthority"] >= 2
    assert all("ipg:CustomsAuthority" in h["classes"] for h in agencies["hits"])


def test_search_pages_are_disjoint_and_cover_the_total(client):
    first = client.get("/search.json", query_string={"q": "知识产权"}).json
    assert first["total"] > 20 and first["next"]
    second = client.get(first["next"]).json
    assert not {h["iri"] for h in first["hits"]} & {h["iri"] for h in second["hits"]}


def test_the_search_page_links_each_hit_and_escapes_the_query(client):
    html = client.get("/search", query_string={"q": "海关"}, headers=BROWSER).data.decode()
    assert 'href="/id/body/guangzhou-customs"' in html
    html = client.get("/search", query_string={"q": "<script>x"}, headers=BROWSER).data.decode()
    assert "<script>x" not in html and "&lt;script&gt;x" in html


@pytest.mark.parametrize("query", ['"', "a OR b", "NEAR(x y)", "*", "col:value", "'); DROP TABLE x; --"])
def test_query_syntax_is_taken_as_text(client, query):
    assert client.get("/search.json", query_string={"q": query}).status_code == 200


def test_bad_search_input_is_a_clear_400(client):
    assert client.get("/search.json", query_string={"q": "x" * 201}).status_code == 400
    assert client.get("/search.json", query_string={"q": "海关", "page": "two"}).status_code == 400
    assert client.get("/search.json", query_string={"q": "海关", "class": "no such"}).status_code == 400


def test_a_class_list_includes_the_members_of_its_subclasses(client, graph):
    formal = URIRef("http://www.w3.org/ns/org#FormalOrganization")
    courts = set(graph.subjects(RDF.type, URIRef(IPG + "Court")))
    listed = client.get("/class/org:FormalOrganization.json").json
    assert listed["total"] >= len(courts) and IP_COURT in courts
    assert (IP_COURT, RDF.type, formal) not in graph  # inherited, not asserted
    kinds = {v["id"]: v["count"] for v in listed["facets"]["kind"]}
    assert kinds["ipg:Court"] == len(courts)


def test_a_facet_narrows_the_list_and_counts_what_is_left(client, graph):
    whole = client.get("/class/qb:Observation.json").json
    sections = {v["id"]: v["count"] for v in whole["facets"]["section"]}
    narrowed = client.get("/class/qb:Observation.json?section=section:4").json
    assert narrowed["total"] == sections["section:4"] < whole["total"]
    assert {v["id"] for v in narrowed["facets"]["section"]} == {"section:4"}
    customs = client.get("/class/qb:Observation.json?section=section:4&body=body:guangzhou-customs").json
    expected = {s for s, _ in graph.subject_predicates(CUSTOMS)
                if (s, RDF.type, OBSERVATION) in graph and _in_section_4(graph, s)}
    assert 0 < customs["total"] == len(expected) < narrowed["total"]
    assert {URIRef(i["iri"]) for i in customs["items"]} == expected


def _in_section_4(graph, thing) -> bool:
    sections = {str(s) for p in graph.objects(thing, URIRef(IPG + "evidence"))
                for s in graph.objects(p, URIRef("http://purl.org/dc/terms/isPartOf"))}
    return any(s.startswith(ID + "section/4") for s in sections)


def test_the_period_facet_lists_the_periods_of_the_observations(client, graph):
    periods = {str(p) for p in graph.objects(None, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"))}
    listed = {v["iri"] for v in client.get("/class/qb:Observation.json").json["facets"]["period"]}
    assert listed == periods


def test_a_list_as_csv_has_every_member(client, graph):
    campaigns = set(graph.subjects(RDF.type, CAMPAIGN))
    response = client.get("/class/ipg:Campaign.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert {URIRef(r["iri"]) for r in rows} == campaigns
    first = rows[0]
    assert first["label_zh"] == label(graph, URIRef(first["iri"]), "zh")


def test_a_list_orders_both_ways(client):
    up = [i["iri"] for i in client.get("/class/ipg:Campaign.json").json["items"]]
    down = [i["iri"] for i in client.get("/class/ipg:Campaign.json?order=-label").json["items"]]
    assert down == list(reversed(up))


def test_facet_links_on_the_page_narrow_and_a_chip_widens_again(client):
    html = client.get("/class/qb:Observation", headers=BROWSER).data.decode()
    link = re.search(r'<a href="(/class/qb:Observation\?section=section%3A4)">', html)
    assert link, "the section facet links to the narrowed list"
    narrowed = client.get(link.group(1), headers=BROWSER).data.decode()
    chip = re.search(r'<span class="chip">section: .*?<a href="([^"]+)"', narrowed)
    assert chip and chip.group(1) == "/class/qb:Observation"


def test_bad_list_input(client):
    assert client.get("/class/qb:Observation.json?section=nothing").status_code == 400
    assert client.get("/class/qb:Observation.json?order=size").status_code == 400
    assert client.get("/class/qb:Observation?format=xls").status_code == 400
    assert client.get("/class/qb:Observation.json?section=section:99").json["total"] == 0


def test_pages_follow_the_language_asked_for(client, graph):
    english = client.get("/class/ipg:Campaign?lang=en", headers=BROWSER).data.decode()
    chinese = client.get("/class/ipg:Campaign", headers={**BROWSER, "Accept-Language": "zh-CN,zh;q=0.9"}).data.decode()
    by_header = client.get("/class/ipg:Campaign", headers={**BROWSER, "Accept-Language": "en-GB"}).data.decode()
    campaign = next(iter(graph.subjects(RDF.type, CAMPAIGN)))
    en, zh = label(graph, campaign, "en"), label(graph, campaign, "zh")
    assert f'<span lang="en">{en}</span>' in english.replace("&#39;", "'")
    assert f'<span lang="zh">{zh}</span>' in chinese
    assert f'<span lang="en">{en}</span>' in by_header.replace("&#39;", "'")
    assert '<html lang="en">' in english and '<html lang="zh-Hans">' in chinese


def test_a_label_missing_in_one_language_falls_back_to_the_other(settings):
    """Every thing of the report has both labels, so the fallback is shown on a graph of its own."""
    g = Graph()
    thing, cls = URIRef(ID + "body/only-chinese"), URIRef(IPG + "Court")
    g.add((thing, RDF.type, cls))
    g.add((thing, RDFS.label, Literal("只有中文名的法院", lang="zh")))
    client = create_app(settings, store=EmbeddedStore.from_graph(g)).test_client()
    html = client.get("/search", query_string={"q": "中文名", "lang": "en"}, headers=BROWSER).data.decode()
    assert ('<a href="/id/body/only-chinese" title="body:only-chinese"><span lang="zh">只有中文名的法院</span></a>'
            in html)


def test_a_search_that_matches_more_than_it_ranks_says_its_count_is_a_lower_bound(settings):
    from ipgraph.store.index import _CANDIDATES

    g = Graph()
    for n in range(_CANDIDATES + 50):
        thing = URIRef(f"{ID}body/customs-{n}")
        g.add((thing, RDF.type, URIRef(IPG + "CustomsAuthority")))
        g.add((thing, RDFS.label, Literal(f"第{n}海关", lang="zh")))
    client = create_app(settings, store=EmbeddedStore.from_graph(g)).test_client()
    broad = client.get("/search.json", query_string={"q": "海关"}).json
    assert broad["total"] == _CANDIDATES and broad["total_is_at_least"] is True
    narrow = client.get("/search.json", query_string={"q": "第7海关"}).json
    assert narrow["total_is_at_least"] is False and narrow["hits"][0]["zh"] == "第7海关"
    assert "2,000+ 个结果" in client.get("/search?q=海关", headers=BROWSER).data.decode()
