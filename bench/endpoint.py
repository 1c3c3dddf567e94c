"""What does a /sparql query cost on its way? In-process, through a query worker, and as a request.

Each untrusted query runs in a query worker (``ipgraph.store.pool``), a process of its own that a
time limit can stop. For each example query of data/queries/ this measures, on the real data, the
median time of: the query answered in-process by pyoxigraph over the same store (no limit
possible), the same answer through a query worker, and the whole request through the Flask app
(parsing, checks, negotiation, headers). The site's answer cache is turned off here (``cache_size``
0), so that each run is a real answer. One warm-up run, then ``--repeat`` runs each.

    python bench/endpoint.py [--repeat 50]

The server as a whole, against other engines and at several sizes, is ``bench/servers.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from urllib.parse import quote

import pyoxigraph as ox
from timing import ROOT, median_ms  # the project's src/ on the path

from ipgraph import queries
from ipgraph.config import Settings
from ipgraph.negotiation import GRAPHS, SOLUTIONS
from ipgraph.store import EmbeddedStore, Limits
from ipgraph.web import create_app


def in_process(store: ox.Store, text: str) -> bytes:
    """The answer as the worker would serialize it: JSON results, or N-Triples for a graph."""
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.N_TRIPLES)
    return result.serialize(format=ox.QueryResultsFormat.JSON)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    no_cache = {"cache_size": 0} if any(f.name == "cache_size" for f in dataclasses.fields(Settings)) else {}
    settings = Settings.from_env({}, root=ROOT, **no_cache)
    app = create_app(settings)
    store = app.extensions["ipgraph"].store
    assert isinstance(store, EmbeddedStore)
    direct = ox.Store.read_only(str(store.built.path))
    client = app.test_client()
    limits = Limits.from_settings(settings)
    json_format, ntriples = SOLUTIONS[0], GRAPHS[1]

    print(f"{len(store):,} triples; median of {args.repeat} runs, ms")
    print(f"{'query':42}{'in-process':>12}{'worker':>10}{'request':>10}   worker cost  request/in-process")
    ratios = []
    try:
        for example in queries.examples(settings.queries_dir):
            text = example.text
            inline = median_ms(lambda t=text: in_process(direct, t), args.repeat)
            worker = median_ms(lambda t=text: store.answer(t, solutions=json_format, graph=ntriples, limits=limits),
                               args.repeat)
            url = f"/sparql?query={quote(text)}"
            request = median_ms(lambda u=url: client.get(u, headers={"Accept": json_format.media_type}),
                                args.repeat)
            ratios.append(request / inline)
            print(f"{example.slug[:42]:42}{inline:12.2f}{worker:10.2f}{request:10.2f}   "
                  f"{worker - inline:+10.2f}  {request / inline:8.1f}x")
    finally:
        store.close()
    print(f"median request/in-process ratio: {statistics.median(ratios):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
