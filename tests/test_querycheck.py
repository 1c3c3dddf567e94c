"""The lexical pass that runs before the engine: query form, and what is refused."""

from __future__ import annotations

import pytest

from ipgraph.errors import PayloadTooLarge, QueryRefused
from ipgraph.querycheck import inspect_query


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("prefix ex: <http://example.org/> select ?s { ?s ex:p 1 }", "SELECT"),
    ("BASE <http://example.org/> ASK { <a> ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
    ("# SELECT in a comment\nASK {}", "ASK"),
    ("nonsense", None),
])
def test_form(query, form):
    assert inspect_query(query).form == form


@pytest.mark.parametrize("query", [
    'SELECT * { ?s ?p "SERVICE" }',                         # in a string
    "SELECT * { ?s <http://example.org/FROM> ?o }",         # in an IRI
    "SELECT * { ?s ?p ?o } # FROM <http://example.org/>",   # in a comment
    "PREFIX from: <http://example.org/> SELECT * { ?s from:service ?o }",  # prefixed names
    "SELECT ?service ?from { ?service ?p ?from }",          # variables
    'SELECT * { ?s ?p """SERVICE <x> { }""" }',             # long strings
    "SELECT * { ?s ?p ?o FILTER(?o<3&&?p>2) }",             # comparisons that look like an IRI
])
def test_words_inside_other_tokens_are_not_keywords(query):
    inspect_query(query)


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "read-only"),
    ("PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }", "read-only"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("ASK { " + "(" * 201 + "1" + ")" * 201 + " }", "nests brackets more than 200"),
    ("ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "nests brackets"),
])
def test_refused(query, message):
    with pytest.raises(QueryRefused, match=message):
        inspect_query(query)


def test_nesting_within_the_limit_passes():
    assert inspect_query("ASK { FILTER(" + "(" * 150 + "1" + ")" * 150 + ") }").nesting == 152


def test_length_limit():
    with pytest.raises(PayloadTooLarge, match="limit is 100"):
        inspect_query("SELECT * {" + " " * 200 + "}", max_length=100)
