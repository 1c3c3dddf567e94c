"""``ipgraph push`` into real triplestores: an Oxigraph server, and Virtuoso when it is installed
(``make test-virtuoso``). The counts and triples are read back from the server with SPARQL and
compared with the session's store."""

from __future__ import annotations

import json
import socket
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import triplestores
from servers import free_port
from triplestores import VIRTUOSO, Triplestore, oxigraph, virtuoso

from ipgraph.cli import main
from ipgraph.push import chunks, split

oxigraph_server = triplestores.oxigraph_server  # the fixture, here
MERGED = "https://example.org/graph/merged"
NOT_BLANK = "FILTER(!isBlank(?s) && !isBlank(?o))"


@pytest.fixture(autouse=True)
def session_store(store, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ipgraph push`` reads the session's store, built already (same data, same version)."""
    monkeypatch.setenv("IPGRAPH_STORE_DIR", str(store.built.path.parent))


@pytest.fixture(scope="module")
def local(store) -> dict[str, list[ox.Triple]]:
    """The triples of each named graph of the session's store."""
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(store.dump("nquads"), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


@pytest.fixture
def server(tmp_path: Path):
    with oxigraph(tmp_path / "store") as running:
        yield running


def push(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sparql(url: str, query: str, accept: str = "application/sparql-results+json") -> bytes:
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def counts(server: Triplestore) -> dict[str, int]:
    """The triples of every named graph the server holds."""
    rows = json.loads(sparql(server.query, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows["results"]["bindings"]}


def ground(server: Triplestore, graph: str) -> set[ox.Triple]:
    """The triples without blank nodes of ``graph`` in the server."""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o {NOT_BLANK} }} }}"
    answer = sparql(server.query, query, "application/n-triples")
    return {quad.triple for quad in ox.parse(answer, format=ox.RdfFormat.N_TRIPLES)}


def blank_nodes(server: Triplestore) -> int:
    """How many distinct blank nodes the server's graphs mention."""
    query = ("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { { ?b ?p ?o } UNION { ?s ?p ?b } } "
             "FILTER(isBlank(?b)) }")
    return int(json.loads(sparql(server.query, query))["results"]["bindings"][0]["n"]["value"])


def local_blank_nodes(local: dict[str, list[ox.Triple]]) -> int:
    return len({term for triples in local.values() for t in triples for term in (t.subject, t.object)
                if isinstance(term, ox.BlankNode)})


def customs_labels(server: Triplestore) -> list[str]:
    query = ("SELECT ?label WHERE { GRAPH ?g { ?body <http://www.w3.org/2004/02/skos/core#prefLabel> \"广州海关\"@zh ; "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label } } ORDER BY ?label")
    return [row["label"]["value"] for row in json.loads(sparql(server.query, query))["results"]["bindings"]]


def test_push_puts_each_graph_by_the_graph_store_protocol(server, local, settings, capsys):
    code, out, err = push(capsys, *server.push_args())
    assert code == 0, err
    assert set(local) == set(settings.graphs)
    assert counts(server) == {graph: len(triples) for graph, triples in local.items()}
    for graph, triples in local.items():
        assert f"{graph}: {len(triples):,} triples by GSP" in out
        assert ground(server, graph) == {t for t in triples if not _blank(t)}
    assert blank_nodes(server) == local_blank_nodes(local)
    assert f"pushed 2 graph(s), {sum(map(len, local.values())):,} triples" in out
    assert "广州海关" in customs_labels(server)


def test_the_session_server_holds_the_graph(oxigraph_server, local):
    assert counts(oxigraph_server) == {graph: len(triples) for graph, triples in local.items()}


def test_a_second_push_changes_nothing(server, capsys):
    assert push(capsys, *server.push_args())[0] == 0
    before = counts(server), customs_labels(server), blank_nodes(server)
    triples = {graph: ground(server, graph) for graph in before[0]}
    code, out, err = push(capsys, *server.push_args())
    assert code == 0, err
    assert (counts(server), customs_labels(server), blank_nodes(server)) == before
    assert {graph: ground(server, graph) for graph in before[0]} == triples


def test_graph_option_pushes_the_merge_into_that_one_graph(server, local, capsys):
    merged = {t for triples in local.values() for t in triples}
    code, out, err = push(capsys, *server.push_args("--graph", MERGED))
    assert code == 0, err
    assert counts(server) == {MERGED: len(merged)}
    assert f"{MERGED}: {len(merged):,} triples by GSP" in out and "pushed 1 graph(s)" in out
    assert ground(server, MERGED) == {t for t in merged if not _blank(t)}


def test_without_a_graph_store_it_falls_back_to_sparql_update(server, local, capsys):
    assert push(capsys, *server.push_args())[0] == 0  # what the update then replaces
    # The query endpoint answers a PUT with 404: no Graph Store Protocol there.
    code, out, err = push(capsys, *server.push_args("--graph-store", server.query, "--chunk-size", "100"))
    assert code == 0, err
    for graph, triples in local.items():
        assert f"{graph}: {len(triples):,} triples by Update" in out
        assert ground(server, graph) == {t for t in triples if not _blank(t)}
    assert counts(server) == {graph: len(triples) for graph, triples in local.items()}
    # Triples that share a blank node went in one request: none was split into two blank nodes.
    assert blank_nodes(server) == local_blank_nodes(local)


def test_chunks_keep_blank_node_neighbours_together(local):
    triples = [t for graph in local.values() for t in graph]
    packed = chunks(triples, 50)
    assert Counter(t for chunk in packed for t in chunk) == Counter(triples)
    seen: dict[ox.BlankNode, int] = {}
    for number, chunk in enumerate(packed):
        for t in chunk:
            for node in _blank(t):
                assert seen.setdefault(node, number) == number
    assert max(map(len, packed)) == 50  # mostly full; no blank-node group here is larger
    assert sum(1 for t in triples if _blank(t)) > 1000  # the data has many blank nodes to keep together


def test_split_orders_the_graphs_and_merges_on_request(store, settings):
    dump = store.dump("nquads")
    graphs = split(dump, settings.graphs)
    assert list(graphs) == list(settings.graphs)
    merged = split(dump, into=MERGED)
    assert list(merged) == [MERGED]
    assert set(merged[MERGED]) == {t for triples in graphs.values() for t in triples}


def test_an_endpoint_that_is_down_fails_with_one_line(capsys):
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    code, out, err = push(capsys, "push", "--endpoint", url)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("ipgraph: push failed: cannot reach http://127.0.0.1:")
    assert "refused" in err.lower()


def test_an_endpoint_that_does_not_answer_times_out(capsys):
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        code, out, err = push(capsys, "push", "--endpoint", url, "--timeout", "1.5")
    assert code == 1 and err.count("\n") == 1
    assert f"no answer from {url}?graph=" in err and err.endswith(" within 1.5 s\n")


def test_a_read_only_store_refuses_with_its_status_and_message(tmp_path, capsys):
    with oxigraph(tmp_path / "store"):
        pass  # a store on disk, no longer written
    with oxigraph(tmp_path / "store", read_only=True) as read_only:
        code, out, err = push(capsys, *read_only.push_args())
        assert code == 1 and err.count("\n") == 1
        assert "answered 403 Forbidden: The server is read-only" in err
        # and by SPARQL Update likewise
        code, out, err = push(capsys, *read_only.push_args("--graph-store", read_only.query))
        assert code == 1 and f"{read_only.update} answered 403" in err


def test_counts_that_differ_fail(server, local, tmp_path, settings, capsys):
    """The query endpoint given belongs to another store, one that holds the data graph without its
    version triple."""
    with oxigraph(tmp_path / "other") as other:
        assert push(capsys, *other.push_args())[0] == 0
        version = "PREFIX owl: <http://www.w3.org/2002/07/owl#> DELETE WHERE { GRAPH ?g { ?g owl:versionInfo ?v } }"
        request = urllib.request.Request(other.update, data=urllib.parse.urlencode({"update": version}).encode())
        urllib.request.urlopen(request, timeout=60).close()
        code, out, err = push(capsys, *server.push_args("--endpoint", other.query))
    assert code == 1 and err.count("\n") == 1
    assert f"counts differ at {other.query}: {settings.data_graph} holds " in err
    assert f"{len(local[settings.data_graph]) - 1:,} triples, {len(local[settings.data_graph]):,} were pushed" in err
    assert settings.ontology_graph not in err
    assert counts(server) == {graph: len(triples) for graph, triples in local.items()}  # pushed, then checked


def test_a_graph_that_is_not_an_iri_is_refused(capsys):
    code, out, err = push(capsys, "push", "--endpoint", "http://127.0.0.1:1/sparql", "--graph", "not an iri")
    assert code == 2 and "IRI" in err


def _blank(triple: ox.Triple) -> list[ox.BlankNode]:
    return [term for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)]


needs_virtuoso = pytest.mark.skipif(VIRTUOSO is None, reason="virtuoso-t is not installed (make test-virtuoso)")


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory):
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


@needs_virtuoso
def test_virtuoso_push_by_graph_store_then_by_update(virtuoso_server, local, capsys):
    expected = {graph: len(triples) for graph, triples in local.items()}
    code, out, err = push(capsys, *virtuoso_server.push_args())
    assert code == 0, err
    assert "by GSP" in out and "by Update" not in out
    assert {g: n for g, n in counts(virtuoso_server).items() if g in expected} == expected
    assert "广州海关" in customs_labels(virtuoso_server)
    nothing = virtuoso_server.graph_store.rsplit("/", 1)[0] + "/nothing"  # no Graph Store Protocol there
    code, out, err = push(capsys, *virtuoso_server.push_args("--graph-store", nothing))
    assert code == 0, err
    assert "by Update" in out and "by GSP" not in out
    assert {g: n for g, n in counts(virtuoso_server).items() if g in expected} == expected
    for graph, triples in local.items():
        assert ground(virtuoso_server, graph) == {t for t in triples if not _blank(t)}


@needs_virtuoso
def test_virtuoso_refuses_a_wrong_password(virtuoso_server, capsys):
    args = virtuoso_server.push_args()
    args[args.index("--password") + 1] = "wrong"
    code, out, err = push(capsys, *args)
    assert code == 1 and "answered 401" in err

