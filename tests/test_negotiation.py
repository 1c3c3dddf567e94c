"""Content negotiation against a table of real-world Accept headers."""

from __future__ import annotations

import pytest

from ipgraph.negotiation import GRAPHS, HTML, SOLUTIONS, by_name, negotiate, parse_accept

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
RDFLIB_REMOTE = "application/sparql-results+xml, application/rdf+xml"
JENA = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
        "text/tab-separated-values;q=0.7, text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1")


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "json"),
    ("", "json"),
    ("*/*", "json"),
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    (SPARQLWRAPPER_JSON, "json"),
    ("application/sparql-results+xml", "xml"),
    (RDFLIB_REMOTE, "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("text/*", "csv"),                                   # first text/* offer in server order
    ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "tsv"),
    ("application/sparql-results+json;q=0.1, text/csv", "csv"),
    (JENA, "json"),
    ("text/csv, */*;q=0", "csv"),
    ("application/sparql-results+json;q=0, */*", "xml"),  # json refused explicitly, next in order
    ("TEXT/CSV", "csv"),                                 # media types are case-insensitive
    ("garbage", "json"),                                 # nothing parseable: no preference
])
def test_solutions(accept, expected):
    assert negotiate(accept, SOLUTIONS).key == expected


@pytest.mark.parametrize(("accept", "expected"), [
    ("*/*", "html"),
    (BROWSER, "html"),
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "ntriples"),
    ("text/plain", "ntriples"),
    ("application/rdf+xml", "rdfxml"),
    ("text/turtle;q=0.8, application/ld+json", "jsonld"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.9, text/html;q=0.1", "turtle"),
    ("text/html;q=0.5, application/ld+json;q=0.6", "jsonld"),
])
def test_entity_pages(accept, expected):
    assert negotiate(accept, (HTML, *GRAPHS)).key == expected


@pytest.mark.parametrize("accept", ["image/png", "application/pdf", "text/html;q=0", "*/*;q=0"])
def test_nothing_acceptable(accept):
    assert negotiate(accept, SOLUTIONS) is None


def test_q_values_are_clamped_and_malformed_q_is_zero():
    assert [r.q for r in parse_accept("a/b;q=7, c/d;q=x, e/f;q=-1")] == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(("name", "offers", "expected"), [
    ("json", SOLUTIONS, "json"), ("srj", SOLUTIONS, "json"), ("xml", SOLUTIONS, "xml"),
    ("csv", SOLUTIONS, "csv"), ("TSV", SOLUTIONS, "tsv"), ("text/csv", SOLUTIONS, "csv"),
    ("ttl", GRAPHS, "turtle"), ("turtle", GRAPHS, "turtle"), ("nt", GRAPHS, "ntriples"),
    ("jsonld", GRAPHS, "jsonld"), ("json-ld", GRAPHS, "jsonld"), ("json", GRAPHS, "jsonld"),
    ("rdfxml", GRAPHS, "rdfxml"), ("xml", GRAPHS, "rdfxml"), ("application/ld+json", GRAPHS, "jsonld"),
])
def test_format_names(name, offers, expected):
    assert by_name(name, offers).key == expected


def test_unknown_format_name():
    assert by_name("yaml", SOLUTIONS) is None
