"""What does a remote store cost? The same site over the embedded store and over an Oxigraph server.

The site runs over its embedded store (Oxigraph in the process, the graph on disk) or over any
SPARQL endpoint (``IPGRAPH_STORE=URL``), where every one of its queries is an HTTP request. This
starts ``oxigraph serve`` on 127.0.0.1 and a free port, loads the graph into it with ``ipgraph
push``, and times the same requests through the Flask app over each store, side by side in one
run: entity pages, an entity's RDF, a class list with facets, a search, the ``/sparql`` examples.
The site's answer cache is off (``cache_size`` 0), so each request runs its queries; the label
index (lists, facets, search) is a local file either way. One warm-up, then ``--repeat`` runs each.

    python bench/remote.py [--repeat 30]

The ratio is remote over embedded: what the network and a second process add to each request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from timing import ROOT, median_ms  # the project's src/ on the path

sys.path.insert(0, str(ROOT / "tests"))

from triplestores import oxigraph  # noqa: E402 - after the path above

from ipgraph import queries  # noqa: E402
from ipgraph.cli import main as ipgraph  # noqa: E402
from ipgraph.config import Settings  # noqa: E402
from ipgraph.store import EmbeddedStore, RemoteStore  # noqa: E402
from ipgraph.web import create_app  # noqa: E402

PAGES = [
    ("entity page: a body", "/id/body/guangzhou-customs", "text/html"),
    ("entity page: a statistic", "/id/observation/guangzhou-2018-patent-applications", "text/html"),
    ("entity page: a place", "/id/place/guangzhou", "text/html"),
    ("entity as Turtle", "/id/body/guangzhou-customs", "text/turtle"),
    ("class list with facets", "/class/qb:Observation?body=body:guangzhou-customs", "text/html"),
    ("search", "/search?q=海关", "text/html"),
    ("home", "/", "text/html"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    settings = Settings.from_env({}, root=ROOT, cache_size=0)
    embedded = EmbeddedStore.from_settings(settings)
    with tempfile.TemporaryDirectory(prefix="ipgraph-bench-remote-") as folder, \
            oxigraph(Path(folder) / "oxigraph") as server:
        if ipgraph(server.push_args()) != 0:
            raise SystemExit("ipgraph push failed")
        remote_settings = Settings.from_env({}, root=ROOT, cache_size=0, store=server.query,
                                            store_dir=Path(folder) / "remote")
        remote = RemoteStore.from_settings(remote_settings)
        clients = {"embedded": create_app(settings, store=embedded).test_client(),
                   "remote": create_app(remote_settings, store=remote).test_client()}
        requests = list(PAGES)
        requests += [(f"/sparql {e.slug}", f"/sparql?query={quote(e.text)}", "application/sparql-results+json")
                     for e in queries.examples(settings.queries_dir)]
        print(f"{len(embedded):,} triples; Oxigraph server {server.query}; median of {args.repeat} runs, ms")
        print(f"{'request':52}{'embedded':>10}{'remote':>10}{'remote/embedded':>17}")
        ratios = []
        try:
            for name, path, accept in requests:
                times = {}
                for store, client in clients.items():
                    response = client.get(path, headers={"Accept": accept})
                    if response.status_code != 200:
                        raise SystemExit(f"{store}: {path} answered {response.status_code}")
                    times[store] = median_ms(lambda c=client, p=path, a=accept: c.get(p, headers={"Accept": a}),
                                             args.repeat)
                ratio = times["remote"] / times["embedded"]
                ratios.append((name.startswith("/sparql"), ratio))
                print(f"{name[:52]:52}{times['embedded']:10.2f}{times['remote']:10.2f}{ratio:16.1f}x")
        finally:
            remote.close()
            embedded.close()
    pages = [r for sparql, r in ratios if not sparql]
    sparql = [r for is_sparql, r in ratios if is_sparql]
    print(f"median remote/embedded: site pages {statistics.median(pages):.1f}x, "
          f"/sparql examples {statistics.median(sparql):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
