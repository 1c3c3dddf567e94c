"""`ipgraph serve` for real: a WSGI server on a free port, queried over HTTP with SPARQLWrapper."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from servers import answers, serving
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

TIMEOUT = 2.0  # seconds a query may run on the test server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("server") / "serve.log", env={"IPGRAPH_QUERY_TIMEOUT": str(TIMEOUT)},
                 ready=lambda url: answers(f"{url}/sparql")) as (url, _):
        yield url


def test_sparqlwrapper_select(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery("""PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?value WHERE { <https://ipgraph.example.org/id/observation/guangzhou-2018-patent-applications>
                              sdmx-measure:obsValue ?value }""")
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["value"]["value"] for b in bindings] == ["173124"]


def test_sparqlwrapper_post(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod("POST")
    client.setQuery("ASK { ?s ?p 173124 }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_sparqlwrapper_sees_a_syntax_error(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery("SELECT ?s WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="error at 1:"):
        client.query()


def test_entity_page_over_http(server):
    request = urllib.request.Request(f"{server}/id/place/guangzhou", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "广州市" in response.read().decode()


def test_timeout_leaves_the_server_answering(server):
    """A query stopped at its limit answers 503; the worker keeps serving."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    request = urllib.request.Request(f"{server}/sparql", data=query.encode(),
                                     headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=TIMEOUT + 20)
    caught.value.close()
    assert caught.value.code == 503
    assert time.monotonic() - started < TIMEOUT + 5
    with urllib.request.urlopen(f"{server}/sparql?query=ASK%7B%7D", timeout=10) as response:
        assert response.status == 200
