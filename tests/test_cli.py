"""The command line: exit codes, messages a person can act on, exports that load back."""

from __future__ import annotations

import gzip
import shutil
import warnings
from pathlib import Path

import pytest
from graphs import same_graph
from rdflib import Dataset, Graph, Literal

from ipgraph.cli import EXPORT_FORMATS, main
from ipgraph.dumps import by_option

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


RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
          "nquads": "nquads"}


def named_graphs(data: bytes, fmt: str) -> dict[str, Graph]:
    """Each named graph of a TriG or N-Quads document, read into an rdflib Dataset."""
    with warnings.catch_warnings():  # rdflib's dataset parsing warns of its own deprecations
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = Dataset()
        dataset.parse(data=data, format=fmt)
    found: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        found.setdefault(str(g.identifier if isinstance(g, Graph) else g), Graph()).add((s, p, o))
    return found


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_loads_back_as_the_store(tmp_path, store, fmt, capsys):
    out = tmp_path / f"ipgraph.{fmt}"
    assert main(["export", "--format", fmt, "--output", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().err
    source = named_graphs(store.dump("nquads"), "nquads")
    dump = by_option(fmt)
    if dump.quads:  # the data and the ontology each in its named graph
        loaded = named_graphs(out.read_bytes(), RDFLIB[dump.key])
        assert set(loaded) == set(source) == set(store.graphs)
        for name, graph in loaded.items():
            assert same_graph(graph, source[name]), name
        return
    merge = Graph()
    for graph in source.values():
        merge += graph
    loaded = Graph().parse(out, format=RDFLIB[dump.key])
    assert len(loaded) == len(merge) and same_graph(loaded, merge)
    assert Literal(173124) in set(loaded.objects())


def test_export_gzips_when_asked_or_when_the_name_ends_gz(tmp_path, capsysbinary):
    plain, named = tmp_path / "ipgraph.nt", tmp_path / "ipgraph.nt.gz"
    assert main(["export", "--format", "nt", "-o", str(plain)]) == 0
    assert main(["export", "--format", "nt", "-o", str(named)]) == 0
    capsysbinary.readouterr()
    assert main(["export", "--format", "nt", "--gzip"]) == 0
    written = capsysbinary.readouterr().out
    assert named.read_bytes()[:2] == b"\x1f\x8b" and written == named.read_bytes()
    assert gzip.decompress(written) == plain.read_bytes()
    assert not list(tmp_path.glob(".*"))


def test_get_runs_one_request_without_a_server(capsys):
    assert main(["get", "/id/place/guangzhou", "--accept", "text/turtle"]) == 0
    assert "广州" in capsys.readouterr().out
    assert main(["get", "/id/place/nowhere"]) == 1
