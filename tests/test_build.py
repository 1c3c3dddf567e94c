"""``ipgraph build`` loads the store with Oxigraph's parser, not through rdflib: the store it writes
holds exactly the graph that :func:`ipgraph.dataset.build_graph` makes (quotes anchored, the text
attached), and its label index is the one written from that graph."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
import pytest
from graphs import same_graph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL

from ipgraph.config import Settings
from ipgraph.dataset import DatasetError, build_graph, parse_files, turtle_files
from ipgraph.store import disk
from ipgraph.store.index import NAME as INDEX

VERSION = "test"


@pytest.fixture(scope="module")
def native(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("native") / "store"
    settings = Settings.from_env()
    disk._publish(folder, VERSION, (settings.data_graph, settings.ontology_graph),
                  lambda f: disk.load(settings, f, VERSION))
    return folder


def graph_of(store: ox.Store, name: str) -> Graph:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)).decode()
    return Graph().parse(data=data, format="nt")


def project_copy(folder: Path) -> Settings:
    """Settings over a copy of the ontology, the data and the text in ``folder``, with a store
    folder of its own, for a test that changes files."""
    settings = Settings.from_env()
    for part in ("ontology", "data/turtle", "data/source"):
        shutil.copytree(settings.root / part, folder / part)
    return dataclasses.replace(settings, root=folder, store_dir=folder / "store")


def rows(index: Path) -> list[tuple]:
    with closing(sqlite3.connect(index)) as db:
        return (db.execute("SELECT * FROM members ORDER BY class, sort").fetchall()
                + db.execute("SELECT * FROM classes ORDER BY class").fetchall()
                + db.execute("SELECT * FROM facets ORDER BY facet, value, thing").fetchall()
                + db.execute("SELECT thing, lang, text FROM entries ORDER BY thing, lang, text").fetchall())


def test_the_store_holds_the_graph_rdflib_builds(native: Path) -> None:
    """The ontology in its graph, the data, the text and the anchors in theirs, and the data graph's
    statement of its version; nothing in the default graph."""
    settings = Settings.from_env()
    expected = build_graph(settings)
    store = ox.Store.read_only(str(native))
    ontology, data = graph_of(store, settings.ontology_graph), graph_of(store, settings.data_graph)
    assert len(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())) == 0
    assert same_graph(ontology, parse_files(turtle_files(settings.ontology_dir)))
    version = (URIRef(settings.data_graph), OWL.versionInfo, Literal(VERSION))
    assert version in data
    data.remove(version)
    assert len(ontology) + len(data) + 1 == disk.read_info(native).triples
    assert same_graph(ontology + data, expected)


def test_the_index_is_the_one_written_from_the_graph(native: Path, tmp_path: Path) -> None:
    from ipgraph.store.index import write_index

    store = ox.Store()
    store.bulk_load(build_graph(Settings.from_env()).serialize(format="nt", encoding="utf-8"),
                    format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("http://example.org/graph"))
    write_index(tmp_path / INDEX, store)
    assert rows(native / INDEX) == rows(tmp_path / INDEX)


def test_a_quote_not_in_the_report_stops_the_build(tmp_path: Path) -> None:
    bad = project_copy(tmp_path)
    report = tmp_path / "data/turtle/report.ttl"
    report.write_text(report.read_text(encoding="utf-8") + """
passage:not-in-the-report a ipg:Passage ;
    oa:hasSource report:guangzhou-2018-text ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "这句话不在报告里" ] .
""", encoding="utf-8")
    with pytest.raises(DatasetError, match="not-in-the-report: not in the report"):
        disk.ensure(bad, validate=False)
    left = [p.name for p in (tmp_path / "store").iterdir()]
    assert left == [disk.DIGESTS], "no store, not even a partial one, is left behind"


def test_the_version_reads_a_file_again_only_when_it_changed(tmp_path: Path) -> None:
    here = project_copy(tmp_path)
    first = disk.data_version(here)
    assert disk.data_version(here) == first
    memo_path = here.store_dir / disk.DIGESTS
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    units = str((tmp_path / "data/turtle/units.ttl").resolve())
    # an unchanged file (same size and time) is not read again: its remembered digest counts
    memo[units]["sha256"] = "00" * 32
    memo_path.write_text(json.dumps(memo), encoding="utf-8")
    assert disk.data_version(here) != first
    # a file whose time changed is read again, so the version is the data's own once more
    os.utime(tmp_path / "data/turtle/units.ttl", ns=(time.time_ns(), time.time_ns()))
    assert disk.data_version(here) == first
    # and a change of content is a new version
    with (tmp_path / "data/turtle/units.ttl").open("a", encoding="utf-8") as f:
        f.write("# a comment\n")
    assert disk.data_version(here) != first


def test_same_graph_tells_blank_nodes_apart_by_what_they_say():
    def passage(quote: str, extra: bool = False) -> Graph:
        g, selector = Graph(), BNode()
        g.add((URIRef("urn:p"), URIRef("urn:selector"), selector))
        g.add((selector, URIRef("urn:exact"), Literal(quote)))
        if extra:
            g.add((selector, URIRef("urn:prefix"), Literal("前")))
        return g

    assert same_graph(passage("全市"), passage("全市"))
    assert not same_graph(passage("全市"), passage("全省"))
    assert not same_graph(passage("全市"), passage("全市", extra=True))


def test_the_build_keeps_the_report_of_the_validation_it_ran(tmp_path: Path) -> None:
    """``ensure`` validates before it builds; the site's /quality reads that report, not a second run."""
    import json

    settings = project_copy(tmp_path)
    kept = {"report.ttl", "periods.ttl", "units.ttl", "concepts.ttl", "indicators.ttl", "places.ttl"}
    for f in (tmp_path / "data/turtle").glob("*.ttl"):
        if f.name not in kept:
            f.unlink()
    built = disk.ensure(settings)
    report = json.loads((built.path / disk.DERIVED / disk.QUALITY).read_text(encoding="utf-8"))
    assert report["conforms"] is True and report["results"] == []
    assert report["version"] == built.version and report["triples"] == len(build_graph(settings))
    assert built.triples == report["triples"] + 1  # and the data graph's statement of its version


def test_ipgraph_build_makes_the_downloads_and_the_descriptions_counts(tmp_path: Path, monkeypatch, capsys) -> None:
    """What /downloads and /.well-known/void serve is made in the release step, not by the first
    request for it; not for benchmark data (``--no-validate``)."""
    from ipgraph.cli import main
    from ipgraph.description import STATISTICS
    from ipgraph.dumps import DUMPS

    project_copy(tmp_path)
    kept = {"report.ttl", "periods.ttl", "units.ttl", "concepts.ttl", "indicators.ttl", "places.ttl"}
    for f in (tmp_path / "data/turtle").glob("*.ttl"):
        if f.name not in kept:
            f.unlink()
    monkeypatch.setenv("IPGRAPH_STORE_DIR", str(tmp_path / "store"))
    assert main(["--root", str(tmp_path), "build"]) == 0
    derived = next((tmp_path / "store").glob(f"*/{disk.DERIVED}"))
    made = {f.name for f in derived.iterdir()}
    assert {d.file_name(gzipped=z) for d in DUMPS for z in (False, True)} | {STATISTICS} <= made
    assert f"{len(DUMPS) * 2} downloads" in capsys.readouterr().out
