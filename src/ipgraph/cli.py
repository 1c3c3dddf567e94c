"""``ipgraph``: validate, serve, query and export the graph.

Exit status: 0 success; 1 the data does not conform (``validate``), a query failed (``query``)
or a push failed (``push``); 2 an error (unreadable files, bad arguments).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .config import Settings
from .dataset import DatasetError, build_graph
from .dumps import DUMPS
from .errors import Problem
from .negotiation import GRAPHS, SOLUTIONS, by_name

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
#: ``ipgraph export --format`` names, each with the dump it writes (:data:`ipgraph.dumps.DUMPS`).
EXPORT_FORMATS = {d.option: d.key for d in DUMPS}
PUSH_HELP = """\
Replace the data graph and the ontology graph (or, with --graph, one graph holding their merge) in a
SPARQL 1.1 store: by the Graph Store Protocol (HTTP PUT), else by SPARQL Update. Pushing twice
changes nothing. The triples of each graph are counted afterwards at --endpoint.

Oxigraph:  --endpoint http://HOST:7878/query --update-endpoint http://HOST:7878/update
           --graph-store http://HOST:7878/store
Fuseki:    --endpoint http://HOST:3030/DATASET   (or /DATASET/sparql, /DATASET/update, /DATASET/data)
Virtuoso:  --endpoint http://HOST:8890/sparql --update-endpoint http://HOST:8890/sparql-auth
           --graph-store http://HOST:8890/sparql-graph-crud-auth --user dba --password …
GraphDB:   --endpoint http://HOST:7200/repositories/REPO
           --update-endpoint http://HOST:7200/repositories/REPO/statements
           --graph-store http://HOST:7200/repositories/REPO/rdf-graphs/service
Neptune:   --endpoint https://CLUSTER:8182/sparql --graph-store https://CLUSTER:8182/sparql/gsp/
           (without IAM authentication)

Exit status: 0 pushed and counted; 1 the store could not be reached, refused, or counts differ.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(root=args.root)
        return args.run(args, settings)
    except (DatasetError, ValueError, OSError) as exc:
        print(f"ipgraph: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Problem as problem:  # the store could not answer (a remote store down, or refusing)
        print(f"ipgraph: {problem.title}: {problem.message}", file=sys.stderr)
        return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipgraph", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"ipgraph {__version__}")
    parser.add_argument("--root", type=Path, default=None,
                        help="project folder with ontology/, data/ and shapes/ (default: IPGRAPH_ROOT or the checkout)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    p = commands.add_parser("validate", help="check the data against the SHACL shapes")
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("build", help="validate the data and write it to the on-disk store, with its downloads "
                                          "and description, once per version")
    p.add_argument("--no-validate", action="store_true",
                   help="write the store without SHACL validation, downloads or description (for generated "
                        "benchmark data)")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("serve", help="serve the site and /sparql with a production WSGI server")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default 2)")
    p.add_argument("--store", default=None,
                   help="'embedded' (default), or the URL of a SPARQL endpoint that holds the graph (IPGRAPH_STORE)")
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("query", help="run a SPARQL query and print the answer")
    p.add_argument("query", help="the query text, or @FILE to read it from a file")
    p.add_argument("--format", default="table",
                   help="table (default), or a result format: json, xml, csv, tsv, turtle, ntriples, jsonld")
    p.set_defaults(run=cmd_query)

    p = commands.add_parser("export", help="write the whole graph in an RDF syntax")
    p.add_argument("--format", default="ttl", choices=sorted(EXPORT_FORMATS),
                   help="syntax (default ttl); trig and nq keep the named graphs, jsonld is compacted with "
                        "the graph's context")
    p.add_argument("--gzip", action="store_true", help="gzip what is written (so does an --output name ending .gz)")
    p.add_argument("--output", "-o", type=Path, default=None, help="file to write (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = commands.add_parser("push", help="load the graph into a SPARQL 1.1 store, replacing its graphs",
                            description=PUSH_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the store's SPARQL query endpoint, where the counts are checked")
    p.add_argument("--update-endpoint", default=None, metavar="URL",
                   help="its SPARQL Update endpoint (default: --endpoint)")
    p.add_argument("--graph-store", default=None, metavar="URL",
                   help="its Graph Store Protocol endpoint (default: --endpoint)")
    p.add_argument("--graph", default=None, metavar="IRI",
                   help="push the merge of the graphs into this one graph (default: each graph as itself)")
    p.add_argument("--user", default=None, help="user for HTTP basic or digest authentication (IPGRAPH_STORE_USER)")
    p.add_argument("--password", default=None, help="its password (IPGRAPH_STORE_PASSWORD)")
    p.add_argument("--chunk-size", type=int, default=1000, metavar="N",
                   help="triples a SPARQL Update request (default 1000, within Virtuoso's limits); triples "
                        "linked by blank nodes stay together")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="seconds to wait for each answer (default 120)")
    p.set_defaults(run=cmd_push)

    p = commands.add_parser("get", help="answer one request to the site without a server, e.g. /sparql?query=…")
    p.add_argument("path", help="the path and query string")
    p.add_argument("--accept", default=None, help="the Accept header to send")
    p.set_defaults(run=cmd_get)
    return parser


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from .validation import format_violation, validate_settings

    graph = build_graph(settings)  # the ontology and the report's text are in it already
    result = validate_settings(graph, settings)
    for violation in result.violations:
        print(format_violation(violation))
    if result.conforms:
        print(f"conforms: {len(graph)} triples, no violations")
        return EXIT_OK
    print(f"does not conform: {len(result.violations)} violation(s)", file=sys.stderr)
    return EXIT_FAILED


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from .store import disk, open_store

    built = disk.ensure(settings, validate=not args.no_validate)
    print(f"store {built.version}: {built.triples:,} triples at {built.path}")
    if not args.no_validate:  # not for generated benchmark data, where the dumps alone take minutes
        from .description import statistics
        from .dumps import files

        store = open_store(settings, found=str(built.path))
        made = files(store)  # every download, so that the first request for one does not wait for it
        statistics(store, settings)  # and the counts /.well-known/void is made from
        print(f"{len(made)} downloads and the description's counts in {store.derived}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    # Before anything defines a metric: every process of the server counts into this folder and
    # /metrics adds the counts up (prometheus_client's multiprocess mode).
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="ipgraph-metrics-"))

    from granian import Granian
    from granian.constants import Interfaces

    from .store import open_store
    from .web import SERVED_STORE, SHARED_ANSWERS

    settings = Settings.from_env(root=settings.root, host=args.host, port=args.port, workers=args.workers,
                                 store=args.store)
    # Once, here, not in every worker: the embedded store is validated and built, a remote one
    # reached and its snapshot and index made.
    store = open_store(settings)
    triples = len(store)
    os.environ["IPGRAPH_ROOT"] = str(settings.root)  # the workers read their settings from the environment
    os.environ["IPGRAPH_STORE"] = settings.store
    os.environ[SERVED_STORE] = store.location  # and open this store without finding it again
    answers = Path(tempfile.mkdtemp(prefix="ipgraph-answers-"))  # the workers' shared answers, this run only
    os.environ[SHARED_ANSWERS] = str(answers / "answers.sqlite")
    print(f"ipgraph {__version__}: store {store.version} ({triples:,} triples) at {store.location}; "
          f"serving http://{settings.host}:{settings.port}/", file=sys.stderr, flush=True)
    try:
        Granian("ipgraph.web:create_app_from_env", factory=True, interface=Interfaces.WSGI,
                address=settings.host, port=settings.port, workers=settings.workers,
                blocking_threads=settings.threads, log_access=False).serve()
    finally:
        shutil.rmtree(answers, ignore_errors=True)
    return EXIT_OK


def _store(settings: Settings):
    from .store import open_store

    return open_store(settings)


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from .querycheck import inspect_query
    from .store import Limits

    text = Path(args.query[1:]).read_text(encoding="utf-8") if args.query.startswith("@") else args.query
    table = args.format == "table"
    solutions = SOLUTIONS[0] if table else (by_name(args.format, SOLUTIONS) or SOLUTIONS[0])
    graph = GRAPHS[1] if table else (by_name(args.format, GRAPHS) or GRAPHS[0])
    try:
        inspect_query(text, max_length=settings.max_query_length, max_nesting=settings.max_nesting)
        answer = _store(settings).answer(text, solutions=solutions, graph=graph,
                                         limits=Limits.from_settings(settings))
    except Problem as problem:
        print(f"ipgraph: {problem.title}: {problem.message}", file=sys.stderr)
        return EXIT_FAILED
    if not table or answer.media_type != SOLUTIONS[0].media_type:
        sys.stdout.write(answer.body.decode("utf-8"))
        return EXIT_OK
    print(render_table(json.loads(answer.body)))
    return EXIT_OK


def render_table(document: dict) -> str:
    """SPARQL JSON results as a text table for the terminal.

    >>> three = {"n": {"type": "literal", "value": "3"}}
    >>> print(render_table({"head": {"vars": ["n"]}, "results": {"bindings": [three]}}))
    n
    -
    3
    (1 row)
    """
    if "boolean" in document:
        return "true" if document["boolean"] else "false"
    columns = document["head"]["vars"]
    rows = [[_cell(b.get(c)) for c in columns] for b in document["results"]["bindings"]]
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _cell(binding: dict | None) -> str:
    if binding is None:
        return ""
    if binding["type"] == "uri":
        from .namespaces import shorten

        return shorten(binding["value"])
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    return binding["value"] + (f"@{binding['xml:lang']}" if "xml:lang" in binding else "")


def _width(text: str) -> int:
    """Columns a string takes on a terminal: East Asian wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from .dumps import by_option, export

    dump = by_option(args.format)
    gzipped = args.gzip or (args.output is not None and args.output.name.endswith(".gz"))
    store = _store(settings)
    if args.output is None:
        export(store, dump, sys.stdout.buffer, gzipped=gzipped)
        return EXIT_OK
    partial = args.output.with_name(f".{args.output.name}.partial")
    try:
        with partial.open("wb") as out:
            export(store, dump, out, gzipped=gzipped)
        partial.replace(args.output)
    finally:
        partial.unlink(missing_ok=True)
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)", file=sys.stderr)
    return EXIT_OK


def cmd_push(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from .push import Client, Endpoints, PushError, iri, push, split
    from .store import EmbeddedStore

    endpoints = Endpoints(query=args.endpoint, update=args.update_endpoint or args.endpoint,
                          graph_store=args.graph_store or args.endpoint)
    if args.graph is not None:
        iri(args.graph)  # ValueError when it is not an IRI
    store = EmbeddedStore.from_settings(settings)  # the data of this checkout, wherever the site reads it from
    try:
        graphs = split(store.dump("nquads"), store.graphs, into=args.graph)
    finally:
        store.close()
    client = Client(endpoints, user=args.user or settings.store_user,
                    password=args.password if args.password is not None else settings.store_password,
                    timeout=args.timeout)
    started = time.monotonic()
    try:
        pushed = push(graphs, endpoints, client=client, chunk_size=args.chunk_size)
    except PushError as error:
        print(f"ipgraph: push failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    for graph in pushed:
        print(f"{graph.graph}: {graph.triples:,} triples by {graph.method}")
    print(f"pushed {len(pushed)} graph(s), {sum(g.triples for g in pushed):,} triples, in "
          f"{time.monotonic() - started:.1f} s; counts checked at {endpoints.query}")
    return EXIT_OK


def cmd_get(args: argparse.Namespace, settings: Settings) -> int:
    from .web import create_app

    client = create_app(settings).test_client()
    headers = {"Accept": args.accept} if args.accept else {}
    response = client.get(args.path, headers=headers)
    sys.stdout.buffer.write(response.get_data())
    return EXIT_OK if response.status_code < 400 else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
