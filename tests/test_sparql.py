"""/sparql: the SPARQL 1.1 Protocol over the real app and the real data."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from ipgraph.config import Settings
from ipgraph.web import create_app

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

OBS = "https://ipgraph.example.org/id/observation/"
PATENTS = f"""PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?value WHERE {{ <{OBS}guangzhou-2018-patent-applications> sdmx-measure:obsValue ?value }}"""
PATENTS_GRAPH = """PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
CONSTRUCT { ?obs sdmx-measure:obsValue ?value } WHERE {
  ?obs sdmx-measure:obsValue ?value FILTER(datatype(?value) = xsd:integer && ?value > 10000) }"""
ASK_PATENTS = "ASK { ?s ?p 173124 }"
SR = "{http://www.w3.org/2005/sparql-results#}"
JSON = "application/sparql-results+json"


def get(client, query, **headers):
    return client.get(f"/sparql?query={quote(query)}", headers=headers)


# --- the three ways of sending a query ------------------------------------------------------------

def test_get(client):
    response = get(client, PATENTS, Accept="application/sparql-results+json")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    bindings = response.get_json(force=True)["results"]["bindings"]
    assert bindings == [{"value": {"type": "literal", "value": "173124",
                                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def test_post_form(client):
    response = client.post("/sparql", data={"query": PATENTS}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert json.loads(response.data)["results"]["bindings"][0]["value"]["value"] == "173124"


def test_post_direct(client):
    response = client.post("/sparql", data=PATENTS.encode(), content_type="application/sparql-query",
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert json.loads(response.data)["results"]["bindings"][0]["value"]["value"] == "173124"


def test_post_direct_with_charset(client):
    response = client.post("/sparql", data=PATENTS.encode(), content_type="application/sparql-query; charset=utf-8")
    assert response.status_code == 200


# --- result formats, parsed back ------------------------------------------------------------------

def test_select_xml(client):
    response = get(client, PATENTS, Accept="application/sparql-results+xml")
    assert response.mimetype == "application/sparql-results+xml"
    root = ET.fromstring(response.data)
    literals = root.findall(f".//{SR}binding/{SR}literal")
    assert [(e.text, e.get("datatype")) for e in literals] == [("173124", "http://www.w3.org/2001/XMLSchema#integer")]


def test_select_csv(client):
    response = get(client, PATENTS, Accept="text/csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.data.decode()))) == [["value"], ["173124"]]


def test_select_tsv(client):
    response = get(client, PATENTS, Accept="text/tab-separated-values")
    assert response.data.decode().splitlines() == ["?value", "173124"]


def test_select_results_agree_with_rdflib(client, graph):
    """The endpoint (Oxigraph) and rdflib's own engine give the same rows for the same query."""
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX qb: <http://purl.org/linked-data/cube#>
    SELECT ?obs ?label WHERE { ?obs a qb:Observation ; rdfs:label ?label FILTER(lang(?label) = "zh") }"""
    document = get(client, query, Accept="application/sparql-results+json").get_json(force=True)
    ours = {(b["obs"]["value"], b["label"]["value"], b["label"]["xml:lang"]) for b in document["results"]["bindings"]}
    theirs = {(str(r.obs), str(r.label), r.label.language) for r in graph.query(query)}
    assert ours == theirs
    assert len(ours) > 30


@pytest.mark.parametrize(("accept", "fmt"), [("application/sparql-results+json", "json"),
                                             ("application/sparql-results+xml", "xml"),
                                             ("text/csv", "csv"), ("text/tab-separated-values", "tsv")])
def test_ask(client, accept, fmt):
    response = get(client, ASK_PATENTS, Accept=accept)
    assert response.status_code == 200
    body = response.data.decode()
    if fmt == "json":
        assert json.loads(body) == {"head": {}, "boolean": True}
    elif fmt == "xml":
        assert ET.fromstring(body).find(f"{SR}boolean").text == "true"
    else:
        assert body.split()[-1] == "true"


def test_ask_false(client):
    assert get(client, "ASK { ?s ?p 17312400 }").get_json(force=True)["boolean"] is False


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_formats_parse_back_to_the_same_graph(client, graph, accept, rdflib_format):
    response = get(client, PATENTS_GRAPH, Accept=accept)
    assert response.status_code == 200
    assert response.mimetype == accept
    received = Graph().parse(data=response.data, format=rdflib_format)
    expected = graph.query(PATENTS_GRAPH).graph
    assert len(expected) >= 5
    assert isomorphic(received, expected)


def test_describe(client):
    response = get(client, f"DESCRIBE <{OBS}guangzhou-2018-patent-applications>", Accept="text/turtle")
    g = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(f"{OBS}guangzhou-2018-patent-applications"),
            URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"), Literal(173124)) in g


@pytest.mark.parametrize(("fmt", "media_type"), [("json", "application/sparql-results+json"),
                                                 ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                                 ("xml", "application/sparql-results+xml")])
def test_format_parameter_beats_accept(client, fmt, media_type):
    response = client.get(f"/sparql?format={fmt}&query={quote(PATENTS)}", headers={"Accept": "text/turtle"})
    assert response.mimetype == media_type


def test_format_parameter_for_graphs(client):
    response = client.get(f"/sparql?format=ttl&query={quote(PATENTS_GRAPH)}")
    assert response.mimetype == "text/turtle"


def test_default_formats_for_plain_clients(client):
    assert get(client, PATENTS, Accept="*/*").mimetype == "application/sparql-results+json"
    assert get(client, PATENTS_GRAPH, Accept="*/*").mimetype == "text/turtle"


def test_browser_gets_an_html_table(client):
    response = get(client, PATENTS, Accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.mimetype == "text/html"
    assert "173124" in response.data.decode()


# --- service description and CORS -----------------------------------------------------------------

def test_service_description(client, store):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    g = Graph().parse(data=response.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef("http://localhost/sparql")
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    assert len(list(g.objects(endpoint, URIRef(sd + "resultFormat")))) == 8
    triples = next(g.objects(None, URIRef("http://rdfs.org/ns/void#triples")))
    assert triples.toPython() == len(store)
    # The dataset is the one /.well-known/void describes, and its named graphs are the store's.
    dataset = g.value(endpoint, URIRef(sd + "defaultDataset"))
    assert dataset == URIRef("http://localhost/.well-known/void#dataset")
    void = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    assert (dataset, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in void
    names = {g.value(n, URIRef(sd + "name")) for n in g.objects(dataset, URIRef(sd + "namedGraph"))}
    assert names == {URIRef(name) for name in store.graphs}


def test_query_form_for_browsers(client):
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    assert "<textarea" in response.data.decode()


def test_cors(client):
    assert get(client, PATENTS).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://yasgui.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_errors_carry_cors_too(client):
    assert get(client, "SELEC").headers["Access-Control-Allow-Origin"] == "*"


# --- bad requests: a clear status and message, nothing lost ----------------------------------------

def test_syntax_error_is_400_with_the_parsers_message(client):
    response = get(client, "SELECT ?s WHERE { ?s ?p }", Accept="application/sparql-results+json")
    assert response.status_code == 400
    problem = response.get_json(force=True)
    assert response.mimetype == "application/problem+json"
    assert problem["status"] == 400 and problem["title"] == "Query syntax error"
    assert problem["detail"].startswith("error at 1:")


def test_syntax_error_as_text_for_text_clients(client):
    response = get(client, "SELEC", Accept="text/plain")
    assert response.status_code == 400
    assert response.data.decode().startswith("400 Query syntax error: error at 1:")


@pytest.mark.parametrize("update", ["INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
                                    "LOAD <http://127.0.0.1:9/x.ttl>", "CLEAR ALL"])
def test_update_in_query_is_refused(client, update, store):
    before = len(store)
    response = get(client, update)
    assert response.status_code == 400
    assert "read-only" in response.get_json(force=True)["detail"]
    assert len(store) == before


def test_update_by_protocol_is_refused(client, store):
    before = len(store)
    direct = client.post("/sparql", data=b"INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
                         content_type="application/sparql-update")
    form = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert (direct.status_code, form.status_code) == (403, 403)
    assert len(store) == before


@pytest.mark.parametrize(("params", "status"), [
    ({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }"}, 400),
    ({"query": "SELECT * FROM <http://127.0.0.1:PORT/data.ttl> WHERE { ?s ?p ?o }"}, 200),
    ({"query": "SELECT * FROM NAMED <http://127.0.0.1:PORT/g> WHERE { GRAPH ?g { ?s ?p ?o } }"}, 200),
    ({"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:PORT/g"}, 200),
    ({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": "http://127.0.0.1:PORT/g"}, 200),
])
def test_no_outbound_requests(client, params, status):
    """SERVICE is refused before any engine sees it; a graph named by FROM, FROM NAMED or the
    protocol's dataset parameters is a graph of the store, empty when the store has none by that
    name, never fetched: a listening socket at its address gets no connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    connected = threading.Event()

    def accept():
        try:
            listener.accept()[0].close()
            connected.set()
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        port = str(listener.getsockname()[1])
        response = client.get("/sparql", query_string={k: v.replace("PORT", port) for k, v in params.items()},
                              headers={"Accept": JSON})
        thread.join()
    finally:
        listener.close()
    assert response.status_code == status
    assert not connected.is_set()
    if status == 200:
        assert response.get_json(force=True)["results"]["bindings"] == []


# --- the dataset: the data graph and the ontology graph -------------------------------------------

CLASSES = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }"
OBSERVATIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }"


def count(client, query: str, **dataset: str | list[str]) -> int:
    params = {"query": query, **dataset}
    response = client.get("/sparql", query_string=params, headers={"Accept": JSON})
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json(force=True)["results"]["bindings"][0]["n"]["value"])


def test_the_default_graph_merges_the_data_and_the_ontology(client, settings):
    classes, observations = count(client, CLASSES), count(client, OBSERVATIONS)
    assert classes > 0 and observations > 0
    assert count(client, CLASSES, **{"default-graph-uri": settings.ontology_graph}) == classes
    assert count(client, OBSERVATIONS, **{"default-graph-uri": settings.ontology_graph}) == 0
    assert count(client, OBSERVATIONS, **{"default-graph-uri": settings.data_graph}) == observations
    both = {"default-graph-uri": [settings.data_graph, settings.ontology_graph]}
    assert (count(client, CLASSES, **both), count(client, OBSERVATIONS, **both)) == (classes, observations)


def test_from_selects_the_stores_graphs_and_the_protocol_overrides_it(client, settings):
    from_ontology = (f"SELECT (COUNT(*) AS ?n) FROM <{settings.ontology_graph}> "  # noqa: S608 - SPARQL
                     "WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }")
    assert count(client, from_ontology) == 0
    assert count(client, from_ontology, **{"default-graph-uri": settings.data_graph}) == count(client, OBSERVATIONS)


def test_named_graphs_are_the_two_graphs(client, settings):
    response = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                          headers={"Accept": JSON})
    names = {b["g"]["value"] for b in response.get_json(force=True)["results"]["bindings"]}
    assert names == {settings.data_graph, settings.ontology_graph}
    only = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                               "named-graph-uri": settings.ontology_graph},
                      headers={"Accept": JSON})
    assert [b["g"]["value"] for b in only.get_json(force=True)["results"]["bindings"]] == [settings.ontology_graph]
    # With named graphs only, the default graph is empty.
    assert count(client, OBSERVATIONS, **{"named-graph-uri": settings.data_graph}) == 0


def test_the_data_graph_states_the_datas_version(client, settings, store):
    data = settings.data_graph
    query = f"SELECT ?v WHERE {{ GRAPH <{data}> {{ <{data}> <http://www.w3.org/2002/07/owl#versionInfo> ?v }} }}"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    assert [b["v"]["value"] for b in response.get_json(force=True)["results"]["bindings"]] == [store.version]


def test_a_dataset_parameter_must_be_an_iri(client):
    response = client.get("/sparql", query_string={"query": CLASSES, "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "not an absolute IRI" in response.get_json(force=True)["detail"]


def test_relative_iris_resolve_against_the_endpoint(client):
    response = client.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == (
        '<http://localhost/s> <http://localhost/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .')


def test_an_update_by_get_is_refused(client):
    response = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 403


def test_deep_nesting_is_refused_not_crashing(client):
    query = "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert response.status_code == 400
    assert "nests brackets" in response.get_json(force=True)["detail"]
    assert get(client, ASK_PATENTS).status_code == 200  # and the app is still there


def test_non_utf8_body(client):
    response = client.post("/sparql", data=b"SELECT * { ?s ?p \xff }", content_type="application/sparql-query")
    assert response.status_code == 400
    assert "UTF-8" in response.get_json(force=True)["detail"]


def test_unsupported_content_type(client):
    response = client.post("/sparql", data=b"{}", content_type="application/json")
    assert response.status_code == 415


def test_form_without_query(client):
    assert client.post("/sparql", data={"q": "x"}).status_code == 400


def test_two_queries(client):
    assert client.get(f"/sparql?query={quote(PATENTS)}&query={quote(PATENTS)}").status_code == 400


def test_not_acceptable(client):
    response = get(client, PATENTS, Accept="image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_json(force=True)["detail"]


def test_unknown_format_parameter(client):
    response = client.get(f"/sparql?format=yaml&query={quote(PATENTS)}")
    assert response.status_code == 400


def test_method_not_allowed(client):
    response = client.put("/sparql", data=PATENTS)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_query_too_long(client):
    response = client.post("/sparql", data=("SELECT * {" + " " * 30_000 + "}").encode(),
                           content_type="application/sparql-query")
    assert response.status_code == 413


def test_body_too_large_is_refused_before_it_is_read(client):
    response = client.post("/sparql", data=b"#" * (8 * 2**20), content_type="application/sparql-query")
    assert response.status_code == 413


# --- limits ---------------------------------------------------------------------------------------

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def limited_client(store, **limits):
    app = create_app(Settings.from_env({}, **limits), store=store)
    return app.test_client()


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.timeout(30)
def test_time_limit_stops_the_query_at_the_limit_and_kills_its_worker(store):
    """Measured, not read from the message: the answer comes at the limit (not before, not long
    after), the worker that ran the query is gone, another takes its place, and the same query
    sent again is refused at once without taking a worker."""
    limit = 0.5
    client = limited_client(store, query_timeout=limit, max_query_memory=1000)
    pool = store.pool(1000)
    assert get(client, ASK_PATENTS).status_code == 200
    assert wait_until(lambda: len(pool.pids()) == pool.size, 20), "the pool did not start"
    before = pool.pids()
    started = time.monotonic()
    response = get(client, CARTESIAN)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert limit <= elapsed < limit + 1.5, elapsed
    assert wait_until(lambda: sum(not alive(pid) for pid in before) == 1, 5), "the worker still runs"
    assert wait_until(lambda: len(pool.pids()) == pool.size, 20), "no worker replaced it"
    started = time.monotonic()
    assert get(client, CARTESIAN).status_code == 503
    assert time.monotonic() - started < limit / 2  # refused from the cache, not run again
    assert get(client, ASK_PATENTS).get_json(force=True)["boolean"] is True


@pytest.mark.timeout(60)
def test_memory_limit_is_the_setting_and_stops_a_query_that_needs_more(store):
    """The worker's data may grow by exactly the setting beyond what it held when it started
    (its RLIMIT_DATA, read from the kernel, /proc/PID/limits); a query that needs hundreds of gigabytes
    — the report's text concatenated for every pair of triples — ends its worker at that limit,
    long before its time limit, and the next query is answered."""
    mebibytes = 256
    client = limited_client(store, max_query_memory=mebibytes, query_timeout=60)
    pool = store.pool(mebibytes)
    assert get(client, ASK_PATENTS).status_code == 200
    assert wait_until(lambda: len(pool.pids()) == pool.size, 20), "the pool did not start"
    for pid in pool.pids():
        limit = next(line for line in Path(f"/proc/{pid}/limits").read_text().splitlines()
                     if line.startswith("Max data size")).split()[3]
        worker = next(w for w in pool._workers if w.pid == pid)
        assert abs(int(limit) - (worker.baseline + mebibytes * 2**20)) < 64 * 2**20, (limit, worker.baseline)
    query = """PREFIX cnt: <http://www.w3.org/2011/content#>
        SELECT (GROUP_CONCAT(?text) AS ?all) WHERE { ?x cnt:chars ?text . ?a ?b ?c . ?d ?e ?f }"""
    started = time.monotonic()
    response = get(client, query)
    assert response.status_code == 503
    assert time.monotonic() - started < 30
    assert "256 MiB" in response.get_json(force=True)["detail"]
    assert get(client, ASK_PATENTS).get_json(force=True)["boolean"] is True


def test_row_limit(store):
    client = limited_client(store, max_rows=5)
    response = get(client, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 400
    assert "more than 5 solutions" in response.get_json(force=True)["detail"]
    assert get(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 5").status_code == 200
    assert get(client, "CONSTRUCT WHERE { ?s ?p ?o }").status_code == 400
