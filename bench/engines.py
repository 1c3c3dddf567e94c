"""Which SPARQL engine should the embedded store use? The candidates side by side, on our data.

Each engine loads the same graph (ontology + data + the report's text, anchored) and answers
the same queries: every example query of data/queries/, the site's own entity-page queries for
one observation, and two heavier shapes (a sort over every labelled thing, a two-hop join).
Every query is run ``--repeat`` times after one warm-up; the median is reported, with each
engine's ratio to the fastest.

    python bench/engines.py [--repeat 30] [--scale 1]

``--scale N`` adds N-1 renamed copies of the data graph to see how each engine grows.
Candidates: rdflib's own engine (in-memory graph), oxrdflib (rdflib's API over Oxigraph), and
pyoxigraph (Oxigraph's own Python API, what ipgraph.store.EmbeddedStore uses).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from rdflib import Graph, URIRef
from timing import ROOT, median_ms  # the project's src/ on the path

from ipgraph import queries
from ipgraph.config import Settings
from ipgraph.dataset import build_graph
from ipgraph.querycheck import inspect_query
from ipgraph.store import EmbeddedStore

ENTITY = "https://ipgraph.example.org/id/observation/guangzhou-2018-patent-applications"
HEAVY = {
    "sort-all-labels": """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label""",
    "two-hop-join": """SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . FILTER(isIRI(?c)) }""",
}


def scaled(graph: Graph, scale: int) -> Graph:
    if scale == 1:
        return graph
    out = Graph()
    for i in range(scale):
        for s, p, o in graph:
            out.add((_copy(s, i), p, _copy(o, i)))
    return out


def _copy(term, i: int):
    if i and isinstance(term, URIRef) and "/id/" in term:
        return URIRef(f"{term}-copy{i}")
    return term


def workload() -> dict[str, tuple[str, dict]]:
    work = {f"example {e.slug}": (e.text, {}) for e in queries.examples(ROOT / "data" / "queries")}
    for name in ("entity-exists", "entity-outgoing", "entity-incoming", "observation", "evidence"):
        work[f"page {name}"] = (queries.named(name), {"entity": URIRef(ENTITY)})
    work["page class-counts"] = (queries.named("class-counts"), {})
    for name, text in HEAVY.items():
        work[f"heavy {name}"] = (text, {})
    return work


def engines(graph: Graph) -> dict[str, tuple[float, Callable[[str, dict], int]]]:
    """name -> (seconds to load, run(query, bindings) -> number of results)."""
    out = {}
    data = graph.serialize(format="nt", encoding="utf-8")

    started = time.perf_counter()
    plain = Graph()
    plain.parse(data=data, format="nt")
    out["rdflib"] = (time.perf_counter() - started,
                     lambda q, b: len(list(plain.query(q, initBindings=b))))

    try:
        import oxrdflib  # noqa: F401 - registers the "Oxigraph" store plugin
    except ImportError:
        print("oxrdflib is not installed: pip install oxrdflib (or .[bench]) to compare it", file=sys.stderr)
    else:
        started = time.perf_counter()
        ox_graph = Graph(store="Oxigraph")
        ox_graph.parse(data=data, format="nt")
        out["oxrdflib"] = (time.perf_counter() - started,
                           lambda q, b: len(list(ox_graph.query(q, initBindings=b))))

    started = time.perf_counter()
    store = EmbeddedStore.from_graph(graph)
    load = time.perf_counter() - started

    def run_oxigraph(q: str, b: dict) -> int:
        form = inspect_query(q).form
        if form == "ASK":
            return int(store.ask(q, bindings=b))
        if form in ("CONSTRUCT", "DESCRIBE"):
            return len(store.construct(q, bindings=b))
        return len(store.select(q, bindings=b))

    out["pyoxigraph"] = (load, run_oxigraph)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()
    graph = scaled(build_graph(Settings.from_env({}, root=ROOT)), args.scale)
    print(f"graph: {len(graph):,} triples (scale {args.scale}); median of {args.repeat} runs, ms")
    candidates = engines(graph)
    names = list(candidates)
    print("load (s): " + "  ".join(f"{n} {candidates[n][0]:.3f}" for n in names))
    header = f"{'query':42}" + "".join(f"{n:>12}" for n in names) + "   ratio to fastest"
    print(header)
    print("-" * len(header))
    totals = dict.fromkeys(names, 0.0)
    for label, (text, bindings) in workload().items():
        counts, row, failed = set(), {}, []
        for n in names:
            run = candidates[n][1]
            try:
                counts.add(run(text, bindings))
            except Exception as exc:  # noqa: BLE001 - an engine that cannot answer is reported, not fatal
                failed.append(f"{n}: {type(exc).__name__}: {exc}"[:80])
                row[n] = float("nan")
                continue
            row[n] = median_ms(lambda run=run, t=text, b=bindings: run(t, b), args.repeat)
            totals[n] += row[n]
        best = min((v for v in row.values() if v == v), default=float("nan"))
        agree = "" if len(counts) <= 1 else f"  (results differ: {sorted(counts)})"
        agree += "".join(f"  ({f})" for f in failed)
        print(f"{label[:42]:42}" + "".join(f"{row[n]:12.2f}" for n in names) + "   "
              + " ".join(f"{row[n] / best:.1f}x" for n in names) + agree)
    best = min(totals.values())
    print("-" * len(header))
    print(f"{'total':42}" + "".join(f"{totals[n]:12.2f}" for n in names) + "   "
          + " ".join(f"{totals[n] / best:.1f}x" for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
