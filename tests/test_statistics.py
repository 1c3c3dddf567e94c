"""Statistics as charts on entity pages, and the same observations as CSV."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from markupsafe import Markup
from rdflib import Literal, URIRef

from ipgraph.entity import Named
from ipgraph.web.statistics import CSV_COLUMNS, Chart, Observation

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BASE = "https://ipgraph.example.org"
BROWSER = {"Accept": "text/html"}
PREFIXES = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX ipg: <{BASE}/def/>
PREFIX concept: <{BASE}/id/concept/>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""
PATENTS = f"{BASE}/id/indicator/patent-applications"
PERSONS = f"{BASE}/id/indicator/criminal-justice-persons"


def select(store, query: str, **bindings) -> list[dict]:
    return store.select(PREFIXES + query, bindings={k: URIRef(v) for k, v in bindings.items()})


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, re.S)


def linked(fragment: str) -> set[str]:
    return {BASE + href for href in re.findall(r'href="(/id/observation/[^"]+)"', fragment)}


def charts_section(html: str) -> str:
    found = re.search(r'<section class="charts".*?</section>', html, re.S)
    assert found, "the page has no charts"
    return found.group(0)


def number(value: Literal) -> str:
    python = value.toPython()
    return f"{python:,}" if isinstance(python, int) else f"{python:,f}"


def test_an_indicator_charts_the_levels_of_it_and_its_narrower_indicators(client, store):
    rows = select(store, """SELECT ?entity ?o ?v ?unit WHERE {
        ?o ipg:indicator ?i ; ipg:valueType concept:level ; sdmx-measure:obsValue ?v ;
           sdmx-attribute:unitMeasure/rdfs:label ?unit FILTER(lang(?unit) = "zh")
        ?i skos:broader* ?entity }""", entity=PATENTS)
    assert len(rows) >= 3  # several levels of one unit: patent and invention patent applications …
    html = client.get("/id/indicator/patent-applications", headers=BROWSER).data.decode()
    drawn = svgs(charts_section(html))
    assert len(drawn) == 1
    for row in rows:
        assert f"{number(row['v'])}{row['unit']}" in drawn[0]
    assert linked(drawn[0]) == {str(r["o"]) for r in rows}


def test_changes_are_listed_not_drawn(client, store):
    changes = {str(r["o"]) for r in select(store, """SELECT ?entity ?o WHERE {
        ?o ipg:indicator/skos:broader* ?entity ; ipg:valueType concept:yoy-change }""", entity=PATENTS)}
    assert changes
    section = charts_section(client.get("/id/indicator/patent-applications", headers=BROWSER).data.decode())
    assert not changes & linked("".join(svgs(section)))
    table = re.search(r'<table class="others">.*?</table>', section, re.S)
    assert table and linked(table.group(0)) == changes


def test_the_criminal_justice_stages_are_a_funnel_in_stage_order(client, store):
    rows = select(store, """SELECT ?entity ?o ?v ?stage ?order WHERE {
        ?o ipg:indicator ?i ; ipg:category concept:total ; ipg:valueType concept:level ;
           sdmx-measure:obsValue ?v .
        ?i skos:broader ?entity ; ipg:stage ?s . ?s ipg:stageOrder ?order ; rdfs:label ?stage
        FILTER(lang(?stage) = "zh") } ORDER BY ?order""", entity=PERSONS)
    assert len(rows) >= 4
    html = client.get("/id/indicator/criminal-justice-persons", headers=BROWSER).data.decode()
    funnels = [svg for svg in svgs(charts_section(html)) if "<polygon" in svg]
    assert len(funnels) == 1
    funnel = funnels[0]
    assert linked(funnel) == {str(r["o"]) for r in rows}
    positions = [funnel.index(f">{r['stage']}<") for r in rows]
    assert positions == sorted(positions)
    for row in rows:
        assert number(row["v"]) in funnel


def test_the_stages_scheme_has_a_funnel_per_unit(client, store):
    units = select(store, """SELECT DISTINCT ?entity ?unit WHERE {
        ?s skos:inScheme ?entity . ?i ipg:stage ?s . ?o ipg:indicator ?i ; ipg:category concept:total ;
           sdmx-attribute:unitMeasure ?unit }""", entity=f"{BASE}/id/scheme/criminal-justice-stages")
    html = client.get("/id/scheme/criminal-justice-stages", headers=BROWSER).data.decode()
    assert len([svg for svg in svgs(charts_section(html)) if "<polygon" in svg]) == len(units) >= 2


def test_each_chart_holds_one_unit_and_one_value_type(client, store):
    html = client.get("/id/place/guangzhou", headers=BROWSER).data.decode()
    drawn = svgs(charts_section(html))
    assert len(drawn) > 1
    for svg in drawn:
        kinds = {(str(r["unit"]), str(r["type"]))
                 for o in linked(svg)
                 for r in select(store, """SELECT ?o ?unit ?type WHERE {
                     ?o sdmx-attribute:unitMeasure ?unit ; ipg:valueType ?type }""", o=o)}
        assert len(kinds) == 1
        assert next(iter(kinds))[1] in (f"{BASE}/id/concept/level", f"{BASE}/id/concept/cumulative")


def test_values_keep_the_reports_approximation(client, store):
    for approximation, after in (("over", False), ("more-than", True)):
        row = select(store, """SELECT ?approximation ?o ?s ?v ?a ?unit WHERE {
            ?o ipg:approximation ?approximation ; ipg:valueType concept:level ; ipg:subject ?s ;
               sdmx-measure:obsValue ?v .
            ?approximation rdfs:label ?a FILTER(lang(?a) = "zh")
            ?o sdmx-attribute:unitMeasure/rdfs:label ?unit FILTER(lang(?unit) = "zh")
            FILTER(STRSTARTS(STR(?s), "https://ipgraph.example.org/id/"))
            } ORDER BY ?o LIMIT 1""", approximation=f"{BASE}/id/concept/{approximation}")[0]
        printed = (f"{number(row['v'])}{row['a']}{row['unit']}" if after
                   else f"{row['a']}{number(row['v'])}{row['unit']}")
        html = client.get(str(row["s"])[len(BASE):], headers=BROWSER).data.decode()
        assert printed in "".join(svgs(charts_section(html)))


def test_a_district_charts_the_figures_of_the_body_that_governs_it(client, store):
    tianhe = f"{BASE}/id/place/tianhe"
    expected = {str(r["o"]) for r in select(store, """SELECT ?entity ?o WHERE {
        ?body ipg:governs ?entity . ?o ipg:subject ?body }""", entity=tianhe)}
    assert expected
    section = charts_section(client.get("/id/place/tianhe", headers=BROWSER).data.decode())
    assert linked(section) == expected


def test_a_campaign_charts_what_it_generated(client, store):
    row = select(store, """SELECT ?action (COUNT(DISTINCT ?o) AS ?n) WHERE {
        ?o prov:wasGeneratedBy ?action } GROUP BY ?action ORDER BY DESC(?n) ?action LIMIT 1""")[0]
    expected = {str(r["o"]) for r in select(store, """SELECT ?entity ?o WHERE {
        { ?o prov:wasGeneratedBy ?entity } UNION { ?o ipg:subject ?entity } }""", entity=str(row["action"]))}
    section = charts_section(client.get(str(row["action"])[len(BASE):], headers=BROWSER).data.decode())
    assert linked(section) == expected


def test_charts_fit_a_narrow_screen_and_say_what_they_show(client):
    section = charts_section(client.get("/id/place/guangzhou", headers=BROWSER).data.decode())
    for svg in svgs(section):
        assert re.match(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \d+ \d+" width="100%"', svg)
        assert re.search(r'<title id="chart-\d+-title">[^<]+</title><desc', svg)
        assert svg.count("<a href=") == svg.count("<title>")  # every bar says what it is
    assert '<div class="scroll">' in section and "style=" not in section  # the CSP allows no inline style
    assert 'href="/statistics.csv?of=https://ipgraph.example.org/id/place/guangzhou"' in section


def test_a_page_without_observations_has_no_chart(client):
    html = client.get("/id/unit/jian", headers=BROWSER).data.decode()
    assert 'class="charts"' not in html and "<svg" not in html


def test_labels_and_values_are_escaped(app):
    hostile = Named(URIRef(f"{BASE}/id/concept/x"), "<script>alert(1)</script>", "&")
    observation = Observation(
        term=URIRef(f"{BASE}/id/observation/x"), zh="<b>", en=None, value=Literal(5), stated_as=None,
        indicator=hostile, stage=None, stage_order=None, subject=None, period=None, category=None,
        value_type=hostile, unit=hostile, approximation=None, passages=(), quotes=())
    with app.test_request_context():
        svg = Chart("bar", hostile, hostile, (observation,)).svg(1)
    assert isinstance(svg, Markup)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_decimal_values_scale_bars(app):
    unit = Named(URIRef(f"{BASE}/id/unit/yi-yuan"), "亿元", "100 million yuan")
    level = Named(URIRef(f"{BASE}/id/concept/level"), "水平值", "level")

    def observation(slug: str, value: Decimal) -> Observation:
        return Observation(
            term=URIRef(f"{BASE}/id/observation/{slug}"), zh=slug, en=None, value=Literal(value), stated_as=None,
            indicator=Named(URIRef(f"{BASE}/id/indicator/{slug}"), slug), stage=None, stage_order=None,
            subject=None, period=None, category=None, value_type=level, unit=unit, approximation=None,
            passages=(), quotes=())

    with app.test_request_context():
        svg = Chart("bar", level, unit, (observation("a", Decimal("3.91")), observation("b", Decimal("1.5")))).svg(1)
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] > widths[1] > 0
    assert "3.91亿元" in svg and "1.5亿元" in svg


# -- CSV --


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    reader = csv.DictReader(io.StringIO(response.data.decode("utf-8")))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    return list(reader)


@pytest.mark.parametrize("iri, pattern", [
    (PATENTS, "?o ipg:indicator/skos:broader* ?entity"),
    (f"{BASE}/id/body/guangzhou-customs", "{ ?o ipg:subject ?entity } UNION { ?o prov:wasGeneratedBy ?entity }"),
    (f"{BASE}/id/place/guangzhou", "?o ipg:subject ?entity"),
])
def test_csv_has_one_row_per_observation(client, store, iri, pattern):
    count = select(store, f"SELECT ?entity (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {pattern} }} GROUP BY ?entity",
                   entity=iri)[0]["n"].toPython()
    rows = read_csv(client.get("/statistics.csv", query_string={"of": iri}))
    assert len(rows) == len({r["observation"] for r in rows}) == count > 0


def test_csv_row_carries_the_observation_and_its_evidence(client, store):
    observation = f"{BASE}/id/observation/guangzhou-2018-patent-applications"
    facts = select(store, """SELECT ?o ?v ?unit ?passage ?quote ?label WHERE {
        ?o sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure ?unit ; ipg:evidence ?passage ;
           rdfs:label ?label FILTER(lang(?label) = "zh")
        ?passage oa:hasSelector/oa:exact ?quote }""", o=observation)[0]
    rows = read_csv(client.get("/statistics.csv", query_string={"of": PATENTS}))
    row = next(r for r in rows if r["observation"] == observation)
    assert row["value"] == str(facts["v"]) and row["unit"] == str(facts["unit"])
    assert row["label_zh"] == str(facts["label"]) and row["indicator"] == PATENTS
    assert row["evidence"] == str(facts["passage"]) and row["quote"] == str(facts["quote"])
    assert row["value_type"] == f"{BASE}/id/concept/level"


def test_csv_gives_the_approximation(client, store):
    row = select(store, "SELECT ?o ?s ?a WHERE { ?o ipg:approximation ?a ; ipg:subject ?s } ORDER BY ?o LIMIT 1")[0]
    rows = read_csv(client.get("/statistics.csv", query_string={"of": str(row["s"])}))
    assert next(r for r in rows if r["observation"] == str(row["o"]))["approximation"] == str(row["a"])


def test_csv_of_an_entity_without_observations_has_the_header_only(client):
    assert read_csv(client.get("/statistics.csv", query_string={"of": f"{BASE}/id/unit/jian"})) == []


@pytest.mark.parametrize("query, status", [
    ({}, 400), ({"of": ""}, 400), ({"of": [PATENTS, PATENTS]}, 400),
    ({"of": f"{BASE}/id/indicator/no-such-indicator"}, 404), ({"of": "not an IRI <>"}, 404),
])
def test_csv_bad_requests(client, query, status):
    response = client.get("/statistics.csv", query_string=query, headers={"Accept": "text/plain"})
    assert response.status_code == status
    assert response.data.decode().startswith(f"{status} ")


@pytest.mark.parametrize("iri", [PATENTS, PERSONS, f"{BASE}/id/place/guangzhou", f"{BASE}/id/place/tianhe",
                                 f"{BASE}/id/body/guangzhou-customs", f"{BASE}/id/scheme/criminal-justice-stages",
                                 f"{BASE}/id/unit/jian", f"{BASE}/id/passage/2-1-patent-applications"])
def test_the_ask_that_gates_a_chart_agrees_with_the_chart_query(store, iri):
    from ipgraph import queries

    rows = store.select(queries.named("chart-observations"), bindings={"entity": URIRef(iri)})
    assert store.ask(queries.named("has-observations"), bindings={"entity": URIRef(iri)}) == bool(rows)
