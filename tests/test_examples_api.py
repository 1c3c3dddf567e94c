"""The example queries at their own addresses: /queries/<slug> as a page with a form for its named
parameters, .json and .csv as SPARQL results, .rq as the text; parameters bound through a VALUES
clause, checked against their types, and run within the limits of /sparql."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from ipgraph import queries
from ipgraph.config import Settings
from ipgraph.namespaces import PREFIXES, shorten
from ipgraph.web import create_app

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BROWSER = {"Accept": "text/html"}
QUERIES = Path(__file__).resolve().parent.parent / "data" / "queries"
EXAMPLES = queries.examples(QUERIES)
PARAMETERISED = [e for e in EXAMPLES if e.parameters]
CUSTOMS = "40-customs-offices-goods-detained"
BODY = PREFIXES["body"]


def example(slug: str) -> queries.Example:
    return next(e for e in EXAMPLES if e.slug == slug)


def rows(client, slug: str, **params) -> list[dict]:
    response = client.get(f"/queries/{slug}.json", query_string=params)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/sparql-results+json"
    return response.get_json()["results"]["bindings"]


def instances(store, cls: str) -> list[URIRef]:
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?x ?class WHERE { ?x a/rdfs:subClassOf* ?class }")
    return [r["x"] for r in store.select(query, bindings={"class": URIRef(cls)})]


# --- the convention ---------------------------------------------------------------------------------

def test_several_examples_declare_parameters_of_a_district_body_a_customs_office_an_indicator_and_a_text():
    types = {shorten(p.type) for e in PARAMETERISED for p in e.parameters}
    assert {"ipg:GovernmentAgency", "ipg:CustomsAuthority", "ipg:Indicator", "xsd:string"} <= types


@pytest.mark.parametrize("found", PARAMETERISED, ids=lambda e: e.slug)
def test_each_parameter_is_a_variable_of_its_query(found):
    for p in found.parameters:
        assert re.search(rf"\?{p.name}\b", found.text.split("\nPREFIX", 1)[1])


def test_a_bad_declaration_is_refused_when_the_example_is_read(tmp_path):
    for line in ("# param: office ipg:CustomsAuthority", "# param: ?office nothing:Here",
                 "# param: ?page xsd:integer", "# param: ?when xsd:dateTimeStamp"):
        path = tmp_path / "01-x.rq"
        path.write_text(f"{line}\nSELECT * {{ ?s ?p ?o }}\n", encoding="utf-8")
        with pytest.raises(ValueError):
            queries.read_example(path)


def test_values_are_bound_by_a_trailing_values_clause_of_escaped_terms():
    text = "SELECT ?role WHERE { BIND('x' AS ?role) }"
    role = queries.Parameter("role", PREFIXES["xsd"] + "string")
    bound = queries.bind(text, {"role": role.term('a" } ; DROP ALL #\n')})
    assert bound.startswith(text) and bound.count("VALUES") == 1
    assert bound.endswith("VALUES (?role) { (" + Literal('a" } ; DROP ALL #\n').n3() + ") }\n")
    assert queries.bind(text, {}) == text


# --- the answers ----------------------------------------------------------------------------------------

def test_every_example_answers_as_json_what_the_store_answers(client, store):
    for found in EXAMPLES:
        assert len(rows(client, found.slug)) == len(store.select(found.text)), found.slug


def test_csv_has_a_header_and_a_row_per_solution(client, store):
    expected = store.select(example(CUSTOMS).text)
    response = client.get(f"/queries/{CUSTOMS}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.data.decode())))
    assert table[0] == ["office", "officeLabel", "value", "unitLabel", "items", "quote"]
    assert [r[0] for r in table[1:]] == [str(s["office"]) for s in expected]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_body_given_as_a_prefixed_name_a_full_iri_or_in_brackets_binds_the_same(client, store):
    expected = [s for s in store.select(example(CUSTOMS).text) if s["office"] == URIRef(BODY + "guangzhou-customs")]
    assert len(expected) == 1
    for value in ("body:guangzhou-customs", BODY + "guangzhou-customs", f"<{BODY}guangzhou-customs>"):
        got = rows(client, CUSTOMS, office=value)
        assert [(b["office"]["value"], b["value"]["value"]) for b in got] == [
            (str(s["office"]), str(s["value"])) for s in expected]
    csv_rows = list(csv.reader(io.StringIO(client.get(f"/queries/{CUSTOMS}.csv?office=body:guangzhou-customs")
                                           .data.decode())))
    assert len(csv_rows) == 2 and csv_rows[1][0] == BODY + "guangzhou-customs"


def candidates(store, found: queries.Example, p: queries.Parameter) -> list:
    """The values to try: those the unbound answer has when it shows the variable, else every
    thing of the parameter's class."""
    answer = store.select(found.text)
    if any(p.name in row for row in answer):
        return sorted({row[p.name] for row in answer if p.name in row})
    return instances(store, p.type)


@pytest.mark.parametrize(("found", "p"), [(e, p) for e in PARAMETERISED for p in e.parameters],
                         ids=lambda x: getattr(x, "slug", getattr(x, "name", "")))
def test_binding_a_parameter_splits_the_answer_by_its_values(client, store, found, p):
    """Each value keeps the rows of its own (the variable, where shown, is that value), and the
    values together give back the whole answer."""
    whole = rows(client, found.slug)
    total = 0
    for value in candidates(store, found, p):
        given = shorten(str(value)) if isinstance(value, URIRef) else str(value)
        got = rows(client, found.slug, **{p.name: given})
        assert all(b[p.name]["value"] == str(value) for b in got if p.name in b)
        assert all(b in whole for b in got)
        total += len(got)
    assert total == len(whole) > 0


def test_a_text_parameter_is_a_literal_not_query_text(client):
    assert rows(client, "59-district-events-organisers-and-figures", role='推动" } } #') == []


# --- the page ----------------------------------------------------------------------------------------------

def test_the_page_has_a_form_with_the_things_of_the_class_and_the_answer(client, store):
    response = client.get(f"/queries/{CUSTOMS}", query_string={"office": "body:huangpu-customs"}, headers=BROWSER)
    body = response.data.decode()
    assert response.status_code == 200
    select = re.search(r'<select id="param-office" name="office">(.*?)</select>', body, re.S).group(1)
    offered = re.findall(r'<option value="([^"]*)"', select)
    assert offered[0] == "" and sorted(offered[1:]) == sorted(shorten(str(x)) for x in instances(
        store, PREFIXES["ipg"] + "CustomsAuthority"))
    assert '<option value="body:huangpu-customs" selected>' in select
    table = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
    assert table.count("<tr>") == 1 and "黄埔海关" in table
    assert "<svg" in body
    assert f'href="/queries/{CUSTOMS}.json?office=body:huangpu-customs"' in body
    editor_link = html.unescape(re.search(r'<a class="button" href="([^"]+)"', body).group(1))
    assert editor_link.startswith("/sparql?query=")
    ran = client.get(editor_link, headers=BROWSER).data.decode()
    assert ran.count("<tr>") == 2  # the header row and 黄埔海关's: the editor runs the bound query


def test_a_literal_parameter_has_a_text_field_and_the_gallery_lists_parameters(client):
    body = client.get("/queries/59-district-events-organisers-and-figures", headers=BROWSER).data.decode()
    assert '<input id="param-role" name="role" type="text" value=""' in body
    gallery = client.get("/queries", headers=BROWSER).data.decode()
    for found in EXAMPLES:
        assert f'href="/queries/{found.slug}.json"' in gallery and f'href="/queries/{found.slug}.csv"' in gallery
    assert "<code>office</code> (ipg:CustomsAuthority)" in gallery


def test_the_text_is_the_file(client):
    response = client.get(f"/queries/{CUSTOMS}.rq")
    assert response.mimetype == "application/sparql-query"
    assert response.data.decode() == (QUERIES / f"{CUSTOMS}.rq").read_text(encoding="utf-8")


# --- bad requests ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "words"), [
    ({"office": "not an iri"}, "office must be an IRI"),
    ({"office": "nothing:here"}, "office must be an IRI"),
    ({"office": "body:guangzhou-ip-court"}, "is not a"),
    ({"office": "body:no-such-body"}, "is not a"),
    ({"district": "body:tianhe-district-government"}, "has no parameter 'district'; it takes office"),
    ({"office": ["body:guangzhou-customs", "body:huangpu-customs"]}, "given 2 times"),
])
def test_a_bad_parameter_is_a_400_with_a_plain_message(client, params, words):
    api = client.get(f"/queries/{CUSTOMS}.json", query_string=params, headers={"Accept": "application/json"})
    assert api.status_code == 400 and words in api.get_json(force=True)["detail"]
    page = client.get(f"/queries/{CUSTOMS}", query_string=params, headers=BROWSER)
    assert page.status_code == 400 and words in html.unescape(page.data.decode())
    assert '<form class="parameters"' in page.data.decode()


def test_an_example_without_parameters_takes_none(client):
    response = client.get("/queries/03-gi-products.json?x=1", headers={"Accept": "application/json"})
    assert response.status_code == 400 and "it takes none" in response.get_json(force=True)["detail"]


@pytest.mark.parametrize("suffix", ["", ".json", ".csv", ".rq"])
def test_an_unknown_example_is_404(client, suffix):
    assert client.get(f"/queries/99-nothing{suffix}", headers=BROWSER).status_code == 404


def test_a_run_with_parameters_keeps_to_the_row_limit(store):
    client = create_app(Settings.from_env({}, max_rows=1), store=store).test_client()
    whole = client.get(f"/queries/{CUSTOMS}.json", headers={"Accept": "application/json"})
    assert whole.status_code == 400 and "more than 1 solutions" in whole.get_json(force=True)["detail"]
    assert len(rows(client, CUSTOMS, office="body:guangzhou-customs")) == 1
