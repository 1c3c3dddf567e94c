"""The site against two other ways of serving the same graph, side by side, at several sizes.

For each scale (``--scales 1 10 100``; 1,000 on request) this makes the synthetic project folder
(:mod:`synth`), builds its store with ``ipgraph build --no-validate`` (timed), then starts, one
after the other and each on a free port of 127.0.0.1:

* ``ipgraph serve`` (the site, default workers) over that store;
* ``oxigraph serve-read-only --location`` the same store folder (PyPI's ``oxigraph``);
* ``rdflib-endpoint serve`` over the same graph dumped as N-Triples (PyPI's ``rdflib-endpoint``,
  rdflib's in-memory graph and engine under uvicorn).

Each is timed from its start to its first answer (cold start), its memory is sampled all along
(the sum over its process tree of the resident set, and of the proportional set, which counts a
page shared by several processes once), and it answers the mix: every operation once right after
the start (cold), then each for ``--seconds`` at 1 and at 16 connections (warm; :mod:`loadgen`).
The site answers its pages from ``/id/…`` and ``/class/…`` and the queries from ``/sparql``; the
other two answer the equivalent SPARQL from their endpoints. The site's floor is ``/health`` (the
404 page of an unknown entity while there is no ``/health``).

Results go to ``bench/results/scale-{k}x.json`` and ``.md``, and ``bench/results/growth.md`` is
written again from every scale's JSON found there (so the opt-in 1,000× figures stay in it).

    python bench/servers.py [--scales 1 10 100] [--seconds 5] [--keep-store]

Environment: ``BENCH_SCALES``, ``BENCH_SECONDS`` (defaults for the flags), ``BENCH_LOADGEN=python``
(the Python load generator even where ``wrk`` is installed), ``BENCH_RDFLIB_MAX_TRIPLES``
(rdflib-endpoint is left out above this many triples; default 2,000,000: it holds the graph in
Python objects, about 2 KB a triple).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import quote

import loadgen
import pyoxigraph as ox
import synth
import tables

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
BASE = "https://ipgraph.example.org"
ID = BASE + "/id/"
ENTITY = ID + "observation/guangzhou-2018-patent-applications"
CLASS_CURIE, CLASS = "ipg:Passage", "https://ipgraph.example.org/def/Passage"
INDICATOR = ID + "indicator/patent-awards-won"
CONNECTIONS = (1, 16)
ROTATING = 200  # distinct entities the rotating page goes round
WARM_UP = 1.0  # seconds of load, unmeasured, before an operation's first cell
MAX_CELL = 30.0  # seconds a cell may be stretched to for a server that answers one request at a time
JSON_RESULTS, TURTLE, HTML = "application/sparql-results+json", "text/turtle", "text/html"

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX ipg: <https://ipgraph.example.org/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
"""


def entity_page_query(iri: str) -> str:
    """What an entity's HTML page shows, as one query: its properties and what links to it, labelled."""
    return PREFIXES + f"""SELECT ?direction ?property ?value ?zh ?en WHERE {{
  {{ BIND("out" AS ?direction) <{iri}> ?property ?value .
     OPTIONAL {{ ?value rdfs:label ?zh FILTER(lang(?zh) = "zh") }}
     OPTIONAL {{ ?value rdfs:label ?en FILTER(lang(?en) = "en") }} }}
  UNION
  {{ BIND("in" AS ?direction) ?value ?property <{iri}> FILTER(isIRI(?value))
     OPTIONAL {{ ?value rdfs:label ?zh FILTER(lang(?zh) = "zh") }}
     OPTIONAL {{ ?value rdfs:label ?en FILTER(lang(?en) = "en") }} }}
}}"""


def entity_description_query(iri: str) -> str:
    """The site's own query for an entity's RDF (``queries/entity-description.rq``), the entity written in."""
    return f"""CONSTRUCT {{ <{iri}> ?property ?value . ?value ?detailProperty ?detailValue . }}
WHERE {{ <{iri}> ?property ?value . OPTIONAL {{ FILTER(isBlank(?value)) ?value ?detailProperty ?detailValue }} }}"""


def class_list_query(limit: int) -> str:
    """The first page of a class's list, in the site's order (English label, else Chinese, else IRI)."""
    return PREFIXES + f"""SELECT ?thing ?zh ?en WHERE {{
  ?thing a <{CLASS}> .
  OPTIONAL {{ ?thing rdfs:label ?zh FILTER(lang(?zh) = "zh") }}
  OPTIONAL {{ ?thing rdfs:label ?en FILTER(lang(?en) = "en") }}
}} ORDER BY LCASE(COALESCE(?en, ?zh, STR(?thing))) ?thing LIMIT {limit}"""


INDICATOR_QUERY = PREFIXES + f"""SELECT ?observation ?subject ?subjectEn ?period ?value WHERE {{
  ?observation ipg:indicator <{INDICATOR}> ;
               ipg:subject ?subject ;
               sdmx-dimension:refPeriod ?period ;
               sdmx-measure:obsValue ?value .
  OPTIONAL {{ ?subject rdfs:label ?subjectEn FILTER(lang(?subjectEn) = "en") }}
}} ORDER BY DESC(?value) ?observation"""

JOIN_QUERY = PREFIXES + """SELECT ?section (COUNT(?observation) AS ?observations) WHERE {
  ?observation a qb:Observation ;
               ipg:evidence ?passage .
  ?passage dcterms:isPartOf ?section .
} GROUP BY ?section ORDER BY DESC(?observations) ?section LIMIT 100"""

SEARCH_QUERY = PREFIXES + """SELECT ?thing ?label WHERE {
  ?thing rdfs:label ?label .
  FILTER(lang(?label) = "en" && CONTAINS(LCASE(?label), "pledge"))
} ORDER BY ?label ?thing LIMIT 100"""

# What the site's search (/search.json, the FTS5 index built with the store) answers, as the others
# must ask it: every thing with a label or alternative label that holds the words, shortest first.
SEARCH_WORDS = ("pledge", "海关")


def names_query(words: str) -> str:
    return PREFIXES + f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?thing ?name WHERE {{
  ?thing rdfs:label|skos:altLabel ?name .
  FILTER(CONTAINS(LCASE(?name), "{words}"))
}} ORDER BY STRLEN(?name) ?thing LIMIT 20"""


FACET_SECTION = ID + "section/4"


def facet_page_query(limit: int) -> str:
    """The first page of the observations of report section 四 (a facet of the class list), in
    the site's order."""
    return PREFIXES + f"""SELECT ?thing ?zh ?en WHERE {{
  {{ SELECT DISTINCT ?thing WHERE {{
     ?thing a qb:Observation ; ipg:evidence/dcterms:isPartOf ?part . ?part dcterms:isPartOf* <{FACET_SECTION}> }} }}
  OPTIONAL {{ ?thing rdfs:label ?zh FILTER(lang(?zh) = "zh") }}
  OPTIONAL {{ ?thing rdfs:label ?en FILTER(lang(?en) = "en") }}
}} ORDER BY LCASE(COALESCE(?en, ?zh, STR(?thing))) ?thing LIMIT {limit}"""


def page_size() -> int:
    """The site's class page size, so that the peers' equivalent asks for as many."""
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from ipgraph.web import site

        return int(getattr(site, "PAGE_SIZE", 100))
    except Exception:  # noqa: BLE001 - the site is being changed; the bench must still run
        return 100


@dataclass
class Op:
    """One operation of the mix: how the site asks it, and the SPARQL the others answer instead."""

    name: str
    title: str
    site: object  # a path, or a list of paths, or ("sparql", query)
    accept: str
    peers: object = None  # a query text or a list of them; None: the site only
    peers_accept: str | None = None
    expected: int = 200


@dataclass
class Engine:
    name: str
    port: int = 0
    proc: subprocess.Popen | None = None
    sparql_path: str = "/sparql"
    peak_rss: int = 0
    peak_pss: int = 0
    cold_start_s: float | None = None
    load_s: float | None = None
    notes: list[str] = field(default_factory=list)
    _sampling: bool = False
    _cpu: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # machine busy, own, children, wall
    server_cpu_s: float = 0.0
    others_cpu_s: float = 0.0
    wall_s: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# -- processes, ports, memory ------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo and len(tree) < 10_000:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _kib(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(root: int, *, pss: bool) -> tuple[int, int]:
    """(RSS, PSS) of the process tree under ``root``, in bytes; PSS only when asked (it costs more)."""
    pids = process_tree(root)
    rss = sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids) * 1024
    return rss, (sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) * 1024 if pss else 0)


def machine_busy() -> float:
    """CPU-seconds the machine's processes have spent since it started (/proc/stat: user, nice and
    system; not the interrupts, which loopback traffic causes and no process is charged with)."""
    with open("/proc/stat", encoding="ascii") as f:
        user, nice, system = (int(x) for x in f.readline().split()[1:4])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def _ours() -> tuple[float, float]:
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def sample_memory(engine: Engine) -> None:
    n = 0
    while engine._sampling and engine.proc is not None and engine.proc.poll() is None:
        rss, pss = memory(engine.proc.pid, pss=n % 4 == 0)
        engine.peak_rss = max(engine.peak_rss, rss)
        engine.peak_pss = max(engine.peak_pss, pss)
        n += 1
        time.sleep(0.25)


def get(base: str, path: str, accept: str, timeout: float) -> tuple[int, bytes, str, float]:
    """One GET: status, body, content type, seconds; status 0 when there is no answer."""
    host, port = base.split("//", 1)[1].split(":")
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, response.getheader("Content-Type") or "", time.perf_counter() - started
    except (OSError, http.client.HTTPException):
        return 0, b"", "", time.perf_counter() - started
    finally:
        conn.close()


def start(engine: Engine, command: list[str], env: dict, probe: tuple[str, str, set[int]], log: Path,
          max_wait: float) -> None:
    """Start ``command``, time it to its first answer to ``probe`` (path, accept, statuses)."""
    engine.port = engine.port or free_port()
    out = log.open("w", encoding="utf-8")
    started = time.perf_counter()
    engine._cpu = (machine_busy(), *_ours(), started)
    engine.proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    engine._sampling = True
    threading.Thread(target=sample_memory, args=(engine,), daemon=True).start()
    path, accept, statuses = probe
    while time.perf_counter() - started < max_wait:
        if engine.proc.poll() is not None:
            raise RuntimeError(f"{engine.name} stopped with {engine.proc.returncode}; see {log}")
        status, *_ = get(engine.base, path, accept, timeout=5)
        if status in statuses:
            engine.cold_start_s = time.perf_counter() - started
            return
        time.sleep(0.02)
    stop(engine)
    raise RuntimeError(f"{engine.name} did not answer within {max_wait:.0f} s; see {log}")


def stop(engine: Engine) -> None:
    """End the server this script started: its own process group, by its id."""
    proc = engine.proc
    if proc is None:
        return
    engine._sampling = False
    # what the machine did meanwhile that was neither this server, nor this script, nor its wrk
    engine.server_cpu_s = cpu_seconds(proc.pid)
    busy, own, children = machine_busy(), *_ours()
    engine.wall_s = time.perf_counter() - engine._cpu[3]
    engine.others_cpu_s = max(0.0, (busy - engine._cpu[0]) - engine.server_cpu_s - (own - engine._cpu[1])
                              - (children - engine._cpu[2]))
    tree = {pid: _started_at(pid) for pid in process_tree(proc.pid)}
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        except ProcessLookupError:
            pass
    # a process the server started in a session of its own is not in its group: end each one
    # still there, by its id (and only if it is still the same process)
    for signum in (signal.SIGTERM, signal.SIGKILL):
        left = [pid for pid, at in tree.items() if at is not None and _started_at(pid) == at]
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signum)
        deadline = time.perf_counter() + 5
        while left and time.perf_counter() < deadline:
            time.sleep(0.1)
            left = [pid for pid in left if _started_at(pid) == tree[pid]]
        if not left:
            break
    engine.proc = None


def _started_at(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks after boot), None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields_ = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields_[0] == "Z" else int(fields_[19])


def settle(engine: Engine, probe: tuple[str, str, set[int]], limit: float = 120.0) -> float:
    """Wait (at most ``limit`` seconds) until the server answers its probe quickly again: a slow
    query left running by the last cell must not be counted against the next one."""
    started = time.perf_counter()
    path, accept, statuses = probe
    while time.perf_counter() - started < limit:
        status, _, _, took = get(engine.base, path, accept, timeout=limit)
        if status in statuses and took < 0.5:
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def site_has_cache() -> bool:
    """Has the site a cache that IPGRAPH_CACHE_SIZE=0 turns off?"""
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from ipgraph.config import Settings

        return any(f.name == "cache_size" for f in fields(Settings))
    except Exception:  # noqa: BLE001 - the site is being changed; the bench must still run
        return False


def cpu_seconds(root: int) -> float:
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
                fields_ = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields_[11:15])  # utime, stime, and of children waited for
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def quiet(engine: Engine, limit: float = 60.0) -> float:
    """Wait (at most ``limit`` seconds) until the server's processes use less than a tenth of a core:
    workers still starting, or a slow query left running by the last cell, must not be counted
    against the next one."""
    started = time.perf_counter()
    if engine.proc is None:
        return 0.0
    before = cpu_seconds(engine.proc.pid)
    while time.perf_counter() - started < limit:
        time.sleep(0.3)
        now = cpu_seconds(engine.proc.pid)
        if now - before < 0.03:
            break
        before = now
    return time.perf_counter() - started


# -- what answers look like --------------------------------------------------------------------

def describe_answer(body: bytes, content_type: str) -> str:
    """A short account of an answer, to see that the engines agree: rows, triples or bytes."""
    kind = content_type.split(";")[0].strip()
    try:
        if kind in ("application/sparql-results+json", "application/json"):
            document = json.loads(body)
            if "boolean" in document:
                return str(document["boolean"]).lower()
            if "results" not in document:
                return f"{len(body):,} bytes json"
            return f"{len(document['results']['bindings'])} rows"
        formats = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                   "application/rdf+xml": ox.RdfFormat.RDF_XML}
        if kind in formats:
            return f"{sum(1 for _ in ox.parse(body, format=formats[kind]))} triples"
        if kind in ("application/sparql-results+xml", "application/xml"):
            text = body.decode("utf-8", "replace")
            if "<rdf:RDF" in text:
                return f"{sum(1 for _ in ox.parse(body, format=ox.RdfFormat.RDF_XML))} triples"
            return f"{text.count('<result>') + text.count('<result ')} rows"
    except Exception:  # noqa: BLE001 - an answer that does not parse is reported, not fatal
        return f"{len(body):,} bytes (unparsed {kind})"
    return f"{len(body) / 1024:.0f} KiB {kind.split('/')[-1]}"


# -- the mix -----------------------------------------------------------------------------------

def mix(entities: list[str], floor: tuple[str, int]) -> list[Op]:
    size = page_size()
    page_query = class_list_query(size)
    rotating = [e[len(BASE):] for e in entities]  # "/id/observation/…"
    return [
        Op("floor", f"floor ({floor[0].split('?')[0]})", floor[0], HTML, expected=floor[1]),
        Op("entity-html", "entity page, HTML", "/id/observation/guangzhou-2018-patent-applications", HTML,
           entity_page_query(ENTITY), JSON_RESULTS),
        Op("entity-html-rotating", f"entity page, HTML, {len(entities)} entities in turn", rotating, HTML,
           [entity_page_query(e) for e in entities], JSON_RESULTS),
        Op("entity-turtle", "entity, Turtle", "/id/observation/guangzhou-2018-patent-applications", TURTLE,
           entity_description_query(ENTITY), TURTLE),
        Op("describe", "DESCRIBE", ("sparql", f"DESCRIBE <{ENTITY}>"), TURTLE, f"DESCRIBE <{ENTITY}>", TURTLE),
        Op("class-page", f"class page ({CLASS_CURIE}, first {size})", f"/class/{CLASS_CURIE}", HTML,
           page_query, JSON_RESULTS),
        Op("class-list", f"class list with labels, SPARQL (ORDER BY label LIMIT {size})", ("sparql", page_query),
           JSON_RESULTS, page_query, JSON_RESULTS),
        Op("indicator", "one indicator across all subjects", ("sparql", INDICATOR_QUERY), JSON_RESULTS,
           INDICATOR_QUERY, JSON_RESULTS),
        Op("join", "two-hop join (observation → passage → section)", ("sparql", JOIN_QUERY), JSON_RESULTS,
           JOIN_QUERY, JSON_RESULTS),
        Op("search", "label search (CONTAINS)", ("sparql", SEARCH_QUERY), JSON_RESULTS, SEARCH_QUERY, JSON_RESULTS),
        *(Op(f"site-search-{n}", f"search /search.json?q={w} (index; others: CONTAINS)",
             f"/search.json?q={quote(w)}", "application/json", names_query(w), JSON_RESULTS)
          for n, w in enumerate(SEARCH_WORDS, 1)),
        Op("facet-page", f"class page narrowed by a facet (qb:Observation, section 四, first {size})",
           "/class/qb:Observation?section=section:4", HTML, facet_page_query(size), JSON_RESULTS),
    ]


def requests_for(op: Op, engine: Engine) -> tuple[list[str], str] | None:
    """The paths ``engine`` is sent for ``op`` and the Accept header; None when it has no part in it."""
    def sparql(q: str) -> str:
        return f"{engine.sparql_path}?query={quote(q, safe='')}"

    if engine.name.startswith("ipgraph"):
        spec = op.site
        if isinstance(spec, tuple):
            return [sparql(spec[1])], op.accept
        return (spec if isinstance(spec, list) else [spec]), op.accept
    if op.peers is None:
        return None
    queries = op.peers if isinstance(op.peers, list) else [op.peers]
    return [sparql(q) for q in queries], op.peers_accept or op.accept


def run_mix(engine: Engine, ops: list[Op], probe, seconds: float, timeout: float, log) -> dict:
    """Every operation once (cold), then each under load at 1 and 16 connections (warm)."""
    results: dict[str, dict] = {}
    for op in ops:
        spec = requests_for(op, engine)
        if spec is None:
            continue
        paths, accept = spec
        status, body, content_type, took = get(engine.base, paths[0], accept, timeout=timeout)
        results[op.name] = {"cold_ms": took * 1000, "cold_status": status,
                            "answer": describe_answer(body, content_type) if status == op.expected else
                            f"status {status}" if status else "no answer", "cells": {}}
    for op in ops:
        if op.name not in results:
            continue
        paths, accept = requests_for(op, engine)
        cold = results[op.name]
        if cold["cold_status"] != op.expected:
            log(f"  {engine.name:16} {op.name:22} cold answer {cold['answer']}: not loaded")
            continue
        for connections in CONNECTIONS:
            # what the last cell left running must be over first
            waited = settle(engine, probe) + quiet(engine)
            # one more request, warm: an engine that takes longer than a cell is not loaded
            status, _, _, took = get(engine.base, paths[0], accept, timeout=timeout)
            if status != op.expected or took > seconds:
                cold["cells"][str(connections)] = {
                    "tool": "single", "connections": connections, "ok": int(status == op.expected),
                    "errors": int(status != op.expected), "timeouts": int(status == 0),
                    "duration_s": took, "p50_ms": took * 1000,
                    "p99_ms": took * 1000, "max_ms": took * 1000,
                    "rps": (1 / took) if status == op.expected else 0.0, "estimated": True}
                log(f"  {engine.name:16} {op.name:22} c={connections:<2} one request took {took:.1f} s: not loaded")
                break
            if connections == CONNECTIONS[0]:  # warm up: steady state is what is measured
                loadgen.run(engine.base, paths, accept=accept, connections=4, seconds=WARM_UP,
                            expected=op.expected, timeout=timeout)
                waited += settle(engine, probe) + quiet(engine)
            # a server that answers one at a time needs connections × its time for each connection to
            # have had an answer: the cell is made that long (up to MAX_CELL) rather than count none
            length = min(max(seconds, 1.25 * took * connections), max(seconds, MAX_CELL))
            result = loadgen.run(engine.base, paths, accept=accept, connections=connections, seconds=length,
                                 expected=op.expected, timeout=timeout).as_dict()
            cold["cells"][str(connections)] = result
            log(f"  {engine.name:16} {op.name:22} c={connections:<2} {result['rps']:9.1f} req/s  "
                f"p50 {result['p50_ms']:8.2f} ms  p99 {result['p99_ms']:8.2f} ms  errors {result['errors']}"
                + (f"  (settled {waited:.1f} s)" if waited > 1 else ""))
    return results


# -- one scale ---------------------------------------------------------------------------------

def build(scale: int, keep_store: bool, log) -> dict:
    folder = CACHE / f"scale-{scale}"
    project, store_dir = folder / "project", folder / "store"
    generated = synth.generate(scale, project, log=log)
    record = folder / "build.json"
    env = {**os.environ, "IPGRAPH_ROOT": str(project), "IPGRAPH_STORE_DIR": str(store_dir)}
    if not keep_store and store_dir.exists():
        shutil.rmtree(store_dir)
    there_before = {p.name for p in store_dir.iterdir()} if store_dir.exists() else set()
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "ipgraph"), "build", "--no-validate"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak = 0
    while proc.poll() is None and time.perf_counter() - started < 3600:
        peak = max(peak, memory(proc.pid, pss=False)[0])
        time.sleep(0.25)
    if proc.poll() is None:
        proc.kill()
        raise RuntimeError(f"ipgraph build took more than an hour at scale {scale}")
    output = proc.stdout.read() if proc.stdout else ""
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"ipgraph build failed at scale {scale}:\n{output}")
    path = Path(output.strip().splitlines()[-1].split(" at ", 1)[1])
    info = json.loads((path / "store.json").read_text())
    fresh = path.name not in there_before or not record.is_file()  # built now, not found (--keep-store)
    if fresh:
        record.write_text(json.dumps({"seconds": seconds, "peak_rss": peak, "version": info["version"]}) + "\n")
    else:  # the store was there already (--keep-store): report the time it took when it was built
        kept = json.loads(record.read_text())
        seconds, peak = kept["seconds"], kept["peak_rss"]
    log(f"scale {scale}: store {info['version']}, {info['triples']:,} triples, built in {seconds:.1f} s "
        f"(peak RSS {peak / 2**20:.0f} MiB){'' if fresh else ' (kept)'}")
    return {"project": project, "store_dir": store_dir, "store": path, "triples": info["triples"],
            "build_s": seconds, "build_peak_rss": peak, "generated": generated}


def pick_entities(store_path: Path, n: int) -> list[str]:
    """``n`` observations spread over the copies, always the same for the same data."""
    store = ox.Store.read_only(str(store_path))
    found = sorted(s["o"].value for s in store.query(
        "SELECT ?o WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }", use_default_graph_as_union=True))
    del store
    return sorted(random.Random(0).sample(found, min(n, len(found))))


def dump_ntriples(store_path: Path, out: Path) -> None:
    if out.is_file() and out.stat().st_mtime > (store_path / "store.json").stat().st_mtime:
        return
    store = ox.Store.read_only(str(store_path))
    partial = out.with_suffix(".partial")
    ox.serialize((quad.triple for quad in store), str(partial), format=ox.RdfFormat.N_TRIPLES)  # the merge
    del store
    partial.rename(out)


def versions() -> dict:
    def run(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=30,
                                  check=False).stdout.strip()
        except OSError:
            return ""

    commit = run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD")
    dirty = run("git", "-C", str(ROOT), "status", "--porcelain", "--", "src")
    pip = run(str(BIN / "python"), "-m", "pip", "list", "--format=json")
    packages = {p["name"].lower(): p["version"] for p in json.loads(pip or "[]")}
    return {"commit": commit + ("+changes in src/" if dirty else ""),
            "ipgraph": packages.get("ipgraph", "?"), "oxigraph": packages.get("oxigraph", "?"),
            "rdflib-endpoint": packages.get("rdflib-endpoint", "?"), "rdflib": packages.get("rdflib", "?"),
            "granian": packages.get("granian", "?"),
            "loadgen": (run(loadgen.wrk_path(), "--version").splitlines() or ["wrk"])[0].split(" [")[0]
            if loadgen.wrk_path() else "python (threads)",
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def run_scale(scale: int, seconds: float, keep_store: bool, rdflib_max: int, log) -> dict:
    built = build(scale, keep_store, log)
    folder = CACHE / f"scale-{scale}"
    entities = pick_entities(built["store"], ROTATING)
    timeout = 10.0  # the site's query_timeout: an answer slower than this is a failure of the cell
    result = {"scale": scale, "triples": built["triples"], "build_s": built["build_s"],
              "build_peak_rss": built["build_peak_rss"], "generated": built["generated"],
              "seconds": seconds, "connections": list(CONNECTIONS), "timeout_s": timeout,
              "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "versions": versions(),
              "engines": {}}
    env = {**os.environ, "IPGRAPH_ROOT": str(built["project"]), "IPGRAPH_STORE_DIR": str(built["store_dir"])}

    # the site, as it is (its caches on), then with its caches off when it has them
    result["ops_by_engine"] = {}
    engines: list[Engine] = []
    variants = [("ipgraph", {})]
    if site_has_cache():
        variants.append(("ipgraph-nocache", {"IPGRAPH_CACHE_SIZE": "0"}))
    ops: list[Op] = []
    for name, extra in variants:
        site = Engine(name)
        site.load_s = built["build_s"]
        if extra:
            site.notes.append(", ".join(f"{k}={v}" for k, v in extra.items()))
        probe_any = ("/health", "application/json", {200, 404})
        site.port = free_port()
        start(site, [str(BIN / "ipgraph"), "serve", "--port", str(site.port)], {**env, **extra}, probe_any,
              folder / f"{name}.log", max_wait=300)
        engines.append(site)
        try:
            health, *_ = get(site.base, "/health", "application/json", timeout=10)
            floor = ("/health", 200) if health == 200 else ("/id/observation/bench-no-such-entity", 404)
            site.notes.append(f"floor: `{floor[0]}` ({floor[1]})")
            ops = mix(entities, floor)
            result["mix"] = [{"name": o.name, "title": o.title} for o in ops]
            probe = (floor[0], HTML, {floor[1]})
            log(f"scale {scale}: {name} serve on {site.base}, first answer after {site.cold_start_s:.2f} s")
            result["ops_by_engine"][name] = run_mix(site, ops, probe, seconds, timeout, log)
        finally:
            stop(site)

    # oxigraph serve-read-only over the same store folder
    ox_engine = Engine("oxigraph", sparql_path="/query")
    scratch = folder / "oxigraph-load"
    nt = folder / "graph.nt"
    dump_ntriples(built["store"], nt)
    shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(scratch), "--file", str(nt)],
                   check=True, capture_output=True, timeout=3600)
    ox_engine.load_s = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    ox_engine.notes.append("load: `oxigraph load` of the same graph into a new store (timed, then removed); "
                           "served: the site's own store folder")
    ox_probe = ("/query?query=" + quote("ASK {}", safe=""), JSON_RESULTS, {200})
    ox_engine.port = free_port()
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(built["store"]),
               "--union-default-graph", "--bind", f"127.0.0.1:{ox_engine.port}"]  # the site's graphs, merged
    start(ox_engine, command, env, ox_probe, folder / "oxigraph.log", max_wait=300)
    engines.append(ox_engine)
    try:
        log(f"scale {scale}: oxigraph serve-read-only on {ox_engine.base}, "
            f"first answer after {ox_engine.cold_start_s:.2f} s")
        result["ops_by_engine"]["oxigraph"] = run_mix(ox_engine, ops, ox_probe, seconds, timeout, log)
    finally:
        stop(ox_engine)

    # rdflib-endpoint over the same graph, as N-Triples
    rdf_engine = Engine("rdflib-endpoint", sparql_path="/")
    engines.append(rdf_engine)
    if built["triples"] > rdflib_max:
        rdf_engine.notes.append(f"not run: {built['triples']:,} triples is more than BENCH_RDFLIB_MAX_TRIPLES "
                                f"({rdflib_max:,})")
        log(f"scale {scale}: rdflib-endpoint left out ({rdf_engine.notes[-1]})")
    else:
        rdf_probe = ("/?query=" + quote("ASK {}", safe=""), JSON_RESULTS, {200})
        rdf_engine.port = free_port()
        rdf_engine.notes.append("load: parses the N-Triples at every start, so it is inside its cold start")
        start(rdf_engine, [str(BIN / "rdflib-endpoint"), "serve", str(nt), "--host", "127.0.0.1",
                           "--port", str(rdf_engine.port)], env, rdf_probe, folder / "rdflib-endpoint.log",
              max_wait=3600)
        try:
            log(f"scale {scale}: rdflib-endpoint on {rdf_engine.base}, "
                f"first answer after {rdf_engine.cold_start_s:.2f} s")
            result["ops_by_engine"]["rdflib-endpoint"] = run_mix(rdf_engine, ops, rdf_probe, seconds, timeout, log)
        finally:
            stop(rdf_engine)

    for e in engines:
        result["engines"][e.name] = {"load_s": e.load_s, "cold_start_s": e.cold_start_s, "peak_rss": e.peak_rss,
                                     "server_cpu_s": e.server_cpu_s, "others_cpu_s": e.others_cpu_s,
                                     "wall_s": e.wall_s,
                                     "peak_pss": e.peak_pss, "notes": e.notes}
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", type=int, nargs="+",
                    default=[int(s) for s in os.environ.get("BENCH_SCALES", "1 10 100").split()])
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")),
                    help="seconds of each cell (default 5)")
    ap.add_argument("--keep-store", action="store_true",
                    help="reuse a store built by an earlier run (its recorded build time is reported)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="folder of the results (default bench/results)")
    args = ap.parse_args()
    rdflib_max = int(os.environ.get("BENCH_RDFLIB_MAX_TRIPLES", "2000000"))
    if not loadgen.wrk_path():
        print("using the Python load generator (wrk is not installed, or BENCH_LOADGEN=python)", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, flush=True)

    for scale in args.scales:
        result = run_scale(scale, args.seconds, args.keep_store, rdflib_max, log)
        (args.out / f"scale-{scale}x.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
        (args.out / f"scale-{scale}x.md").write_text(tables.scale_markdown(result))
        log(f"scale {scale}: wrote {args.out / f'scale-{scale}x.md'}")
    (args.out / "growth.md").write_text(tables.growth_markdown(tables.load_results(args.out)))
    log(f"wrote {args.out / 'growth.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
