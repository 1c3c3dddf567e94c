"""What does running each /sparql query in a forked child cost? In-process and forked, side by side.

EmbeddedStore.answer forks a child for every untrusted query so that a time limit can stop it
(the engine cannot be interrupted from another thread). This measures, on the real data and for
the example queries, the median time of: the query answered in-process (no limit possible), the
same answer through the fork, and the whole request through the Flask app (parsing, checks,
negotiation, headers). One warm-up run, then ``--repeat`` runs each.

    python bench/endpoint.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from urllib.parse import quote

from timing import ROOT, median_ms  # the project's src/ on the path

from ipgraph import queries
from ipgraph.config import Settings
from ipgraph.negotiation import GRAPHS, SOLUTIONS
from ipgraph.store import EmbeddedStore, Limits
from ipgraph.web import create_app


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    settings = Settings.from_env({}, root=ROOT)
    app = create_app(settings)
    store = app.extensions["ipgraph"].store
    assert isinstance(store, EmbeddedStore)
    client = app.test_client()
    limits = Limits.from_settings(settings)
    json_format, turtle = SOLUTIONS[0], GRAPHS[0]

    print(f"{len(store):,} triples; median of {args.repeat} runs, ms")
    print(f"{'query':42}{'in-process':>12}{'forked':>10}{'request':>10}   fork cost  request/in-process")
    ratios = []
    for example in queries.examples(settings.queries_dir):
        text = example.text
        inline = median_ms(lambda t=text: store._answer_here(t, json_format, turtle, limits), args.repeat)
        forked = median_ms(lambda t=text: store.answer(t, solutions=json_format, graph=turtle, limits=limits),
                           args.repeat)
        url = f"/sparql?query={quote(text)}"
        request = median_ms(lambda u=url: client.get(u, headers={"Accept": json_format.media_type}), args.repeat)
        ratios.append(request / inline)
        print(f"{example.slug[:42]:42}{inline:12.2f}{forked:10.2f}{request:10.2f}   "
              f"{forked - inline:+8.2f}  {request / inline:8.1f}x")
    print(f"median request/in-process ratio: {statistics.median(ratios):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
