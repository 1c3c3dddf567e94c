"""The W3C SPARQL 1.1 Protocol test suite (``../shared/w3c/``), run against the real app.

Each ``mf:ProtocolTest`` of the manifest describes HTTP requests and the response expected: its
status class, and for some the format of the result and the boolean an ASK answers. The tests that
apply to a read-only endpoint over its own data are those that load none of the suite's data
(``ut:graphData``) and need no update to succeed (``update_*``): 21 of the 34. A test that names a
graph this store does not hold gets an empty graph, as the protocol's dataset rules say; a bad
update is refused like every update.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c"
MANIFEST = SUITE / "sparql11-protocol-manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # the first digit of each status class allowed
    result_format: str | None
    boolean: bool | None


def _requests(manifest: Graph, test: URIRef) -> list[Request]:
    action = manifest.value(test, MF.action)
    requests = []
    for node in Collection(manifest, manifest.value(action, HT.requests)):
        path, _, query = str(manifest.value(node, HT.absolutePath)).partition("?")
        headers_list = manifest.value(node, HT.headers)
        headers = {str(manifest.value(h, HT.fieldName)): str(manifest.value(h, HT.fieldValue))
                   for h in (Collection(manifest, headers_list) if headers_list else [])}
        body_node = manifest.value(node, HT.body)
        body = None
        if body_node is not None:
            encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
        response = manifest.value(node, HT.resp)
        statuses = frozenset(int(str(s).removeprefix(str(HTS.StatusCode))[0])
                             for s in manifest.objects(response, MF.expectedStatus))
        fmt = manifest.value(response, MF.expectedFormat)
        boolean = manifest.value(response, MF.expectedBoolean)
        requests.append(Request(str(manifest.value(node, HT.methodName)), path, query, headers, body, statuses,
                                None if fmt is None else str(fmt), None if boolean is None else boolean.toPython()))
    return requests


def _applicable() -> list[tuple[str, list[Request]]]:
    manifest = Graph().parse(MANIFEST, format="turtle")
    entries = Collection(manifest, manifest.value(URIRef(MANIFEST.as_uri()), MF.entries))
    tests = []
    for test in entries:
        name = str(test).rpartition("#")[2]
        if (test, RDF.type, MF.ProtocolTest) not in manifest:
            continue
        if manifest.value(test, UT.graphData) is not None or name.startswith("update_"):
            continue  # needs the suite's data loaded, or an update to succeed
        tests.append((name, _requests(manifest, test)))
    return tests


APPLICABLE = _applicable()


def test_the_suite_has_21_tests_for_a_read_only_endpoint_over_its_own_data():
    assert len(APPLICABLE) == 21


@pytest.mark.parametrize(("name", "requests"), APPLICABLE, ids=[name for name, _ in APPLICABLE])
def test_protocol(client, name, requests):
    for r in requests:
        assert r.path.startswith("/sparql/"), r.path
        response = client.open("/sparql" + r.path.removeprefix("/sparql/"), method=r.method,
                               query_string=r.query_string, headers=r.headers, data=r.body)
        status = response.status_code
        assert status // 100 in r.statuses, f"{name}: {status} {response.get_data(as_text=True)[:300]}"
        media_type = response.mimetype
        if r.result_format in ("boolean", "tabular"):
            assert media_type in RESULT_TYPES, f"{name}: {media_type}"
        elif r.result_format == "RDF":
            assert media_type in RDF_TYPES, f"{name}: {media_type}"
            Graph().parse(data=response.get_data(), format=media_type, publicID=urlsplit(response.request.url).path)
        if r.boolean is not None:
            assert media_type == "application/sparql-results+json", f"{name}: {media_type}"
            assert json.loads(response.get_data())["boolean"] is r.boolean, name
