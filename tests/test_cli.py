"""The command line: exit codes, messages a person can act on, exports that load back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from graphs import same_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from ipgraph.cli import main
from ipgraph.store import from_ox

ROOT = Path(__file__).resolve().parents[1]


def copy_project(tmp_path: Path) -> Path:
    """A copy of the ontology, data and shapes to break without touching the real ones."""
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def test_validate_conforms(capsys):
    assert main(["validate"]) == 0
    assert "conforms" in capsys.readouterr().out


def test_validate_reports_each_violation_with_label_path_and_message(tmp_path, capsys):
    root = copy_project(tmp_path)
    broken = root / "data" / "turtle" / "broken.ttl"
    broken.write_text("""@prefix ipg: <https://ipgraph.example.org/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://ipgraph.example.org/id/body/nameless-court> a ipg:Court ; rdfs:label "无名法院"@zh .
""", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "nameless-court" in x)
    assert "无名法院" in line           # the focus node's label
    assert "rdfs:label" in out or "skos:prefLabel" in out  # a path
    assert "—" in line                 # then the message


def test_validate_exits_2_on_unreadable_data(tmp_path, capsys):
    root = copy_project(tmp_path)
    (root / "data" / "turtle" / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 2
    assert "bad.ttl" in capsys.readouterr().err


def test_validate_exits_2_when_a_quote_is_not_in_the_report(tmp_path, capsys):
    root = copy_project(tmp_path)
    (root / "data" / "turtle" / "stray.ttl").write_text("""@prefix oa: <http://www.w3.org/ns/oa#> .
<https://ipgraph.example.org/id/passage/stray> oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "这句话不在报告里" ] .
""", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 2
    assert "not in the report" in capsys.readouterr().err


def test_validate_exits_2_when_the_text_differs(tmp_path, capsys):
    root = copy_project(tmp_path)
    source = root / "data" / "source" / "guangzhou-ip-report-2018.zh.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 2
    assert "sha256" in capsys.readouterr().err


def test_query_prints_a_table(capsys):
    query = """PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
    SELECT ?value WHERE { <https://ipgraph.example.org/id/observation/guangzhou-2018-patent-applications>
                          sdmx-measure:obsValue ?value }"""
    assert main(["query", query]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["value", "------", "173124", "(1 row)"]


def test_query_in_a_result_format(capsys):
    assert main(["query", "--format", "csv", "ASK { ?s ?p 173124 }"]) == 0
    assert capsys.readouterr().out.split() == ["_askResult", "true"]


def test_query_syntax_error_exits_1(capsys):
    assert main(["query", "SELEC"]) == 1
    assert "Query syntax error" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                    ("xml", "xml"), ("trig", "trig")])
def test_export_loads_back_as_the_same_graph(tmp_path, settings, graph, fmt, rdflib_format):
    out = tmp_path / f"ipgraph.{fmt}"
    assert main(["export", "--format", fmt, "--output", str(out)]) == 0
    if fmt == "trig":  # read by Oxigraph's parser: rdflib's TriG parser warns of its own deprecations
        loaded = Graph()
        for quad in pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.TRIG):
            loaded.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    else:
        loaded = Graph().parse(out, format=rdflib_format)
    loaded.remove((URIRef(settings.data_graph), OWL.versionInfo, None))  # the store's statement of its version
    assert len(loaded) == len(graph)
    assert same_graph(loaded, graph)
    assert Literal(173124) in set(loaded.objects())


def test_get_runs_one_request_without_a_server(capsys):
    assert main(["get", "/id/place/guangzhou", "--accept", "text/turtle"]) == 0
    assert "广州" in capsys.readouterr().out
    assert main(["get", "/id/place/nowhere"]) == 1
