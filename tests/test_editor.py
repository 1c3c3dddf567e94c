"""The query editor at GET /sparql for a browser: the form without JavaScript, the answer paged and
charted, the formats offered per query form, the snippets (run for real against a live server),
and every kind of problem shown on the editor with the query kept."""

from __future__ import annotations

import ast
import html
import json
import math
import re
import shlex
import shutil
import subprocess
import sys
import threading
import urllib.request
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from prometheus_client import REGISTRY
from rdflib import URIRef
from werkzeug.serving import make_server

from ipgraph.config import Settings
from ipgraph.namespaces import PREFIXES
from ipgraph.web import create_app, editor

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "data" / "queries"
CUSTOMS = (QUERIES / "40-customs-offices-goods-detained.rq").read_text(encoding="utf-8")
PASSAGES = "PREFIX ipg: <https://ipgraph.example.org/def/>\nSELECT ?passage WHERE { ?passage a ipg:Passage }"
LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# 'single' "double" and a backslash in the regex: \\S
SELECT ?thing ?label WHERE { ?thing skos:prefLabel ?label
  FILTER(?label = "广州海关"@zh && REGEX(STR(?label), "^广州\\\\S+$")) }"""
GRAPH = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?thing skos:prefLabel ?label } WHERE { ?thing skos:prefLabel ?label FILTER(?label = "广州海关"@zh) }"""
ASK = 'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nASK { ?thing skos:prefLabel "广州海关"@zh }'
DESCRIBE = "DESCRIBE <https://ipgraph.example.org/id/body/guangzhou-customs>"


def page(client, query: str | None = None, **params):
    args = {**({"query": query} if query is not None else {}), **params}
    return client.get("/sparql", query_string=args, headers=BROWSER)


def textarea(body: str) -> str:
    found = re.search(r'<textarea id="query" name="query"[^>]*>(.*?)</textarea>', body, re.S)
    assert found, "no query textarea"
    return html.unescape(found.group(1))


def format_options(body: str) -> list[str]:
    select = re.search(r'<select name="format" id="format">(.*?)</select>', body, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def result_rows(body: str) -> list[str]:
    table = re.search(r'<table class="results sortable">.*?<tbody>(.*?)</tbody>', body, re.S)
    return re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S) if table else []


def link(body: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', body)
    return html.unescape(found.group(1)) if found else None


def sparql_cache(outcome: str) -> float:
    return REGISTRY.get_sample_value("ipgraph_cache_total", {"cache": "sparql", "outcome": outcome}) or 0.0


# --- the page without a query ---------------------------------------------------------------------

def test_editor_without_a_query_is_a_form_with_a_first_query_the_examples_and_the_prefixes(client, settings):
    response = page(client)
    body = response.data.decode()
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "SELECT" in textarea(body)
    assert format_options(body) == ["", "json", "xml", "csv", "tsv"]
    assert '<button type="submit">运行 Run</button>' in body
    slugs = [p.stem for p in sorted(settings.queries_dir.glob("*.rq"))]
    assert re.findall(r'<option value="(\d\d-[^"]+)"', body) == slugs
    config = json.loads(html.unescape(re.search(
        r'<script type="application/json" id="editor-config">(.*?)</script>', body, re.S).group(1)))
    assert config["prefixes"] == PREFIXES
    assert config["formats"] == {"solutions": ["json", "xml", "csv", "tsv"],
                                 "graphs": ["turtle", "ntriples", "jsonld", "rdfxml"]}
    assert not result_rows(body)


def test_the_page_loads_only_files_of_this_site(client):
    body = page(client, CUSTOMS).data.decode()
    fetched = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', body)
    assert fetched and all(path.startswith("/static/") for path in fetched)
    for path in [*fetched, "/static/vendor/codemirror/LICENSE"]:
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert not path.endswith("LICENSE") or response.data.startswith(b"MIT License")


def test_an_example_loads_into_the_editor_without_running(client):
    body = page(client, example="03-gi-products").data.decode()
    assert textarea(body) == (QUERIES / "03-gi-products.rq").read_text(encoding="utf-8")
    assert '<option value="03-gi-products" selected>' in body
    assert not result_rows(body)
    missing = page(client, example="99-nothing")
    assert missing.status_code == 404
    assert "99-nothing" in missing.data.decode() and textarea(missing.data.decode()) == ""


# --- the answer: table, labels, chart ---------------------------------------------------------------

def test_a_gallery_query_answers_as_a_table_with_labelled_links_and_a_chart(client, store):
    expected = store.select(CUSTOMS)
    body = page(client, CUSTOMS).data.decode()
    assert textarea(body) == CUSTOMS
    rows = result_rows(body)
    assert len(rows) == len(expected) == 2
    for row, solution in zip(rows, expected, strict=True):
        office = str(solution["office"])
        assert f'href="{office.removeprefix("https://ipgraph.example.org")}"' in row
        assert f'<small class="label">{solution["officeLabel"]}</small>' in row
        assert f'data-sort="{solution["items"]}"' in row
    chart = re.search(r'<figure class="chart">(.*?)</figure>', body, re.S).group(1)
    bars = re.findall(r'<text class="name"[^>]*>([^<]*)</text>\s*<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"'
                      r'[^>]*/>\s*<text class="value"[^>]*>([^<]*)</text>', chart)
    assert [(name, value) for name, _, _, value in bars] == [
        (str(s["officeLabel"]), str(s["items"])) for s in expected]
    widths = [float(w) for _, _, w, _ in bars]
    ratio = Decimal(str(expected[0]["items"])) / Decimal(str(expected[1]["items"]))
    assert math.isclose(widths[0] / widths[1], float(ratio), rel_tol=0.01)
    assert "?items 按 by ?officeLabel" in chart  # the largest numeric column, by the first text column


def test_the_chart_can_show_another_numeric_column_and_refuses_a_column_that_is_not_one(client, store):
    body = page(client, CUSTOMS, chart="value").data.decode()
    chart = re.search(r'<figure class="chart">(.*?)</figure>', body, re.S).group(1)
    assert "?value 按 by ?officeLabel" in chart
    assert re.findall(r'<text class="value"[^>]*>([^<]*)</text>', chart) == [
        str(s["value"]) for s in store.select(CUSTOMS)]
    wrong = page(client, CUSTOMS, chart="officeLabel")
    assert wrong.status_code == 400 and textarea(wrong.data.decode()) == CUSTOMS
    assert "not a numeric column" in wrong.data.decode()


def test_no_chart_without_a_numeric_column(client):
    body = page(client, PASSAGES + " LIMIT 5").data.decode()
    assert len(result_rows(body)) == 5 and "<svg" not in body


def test_graph_answers_are_a_table_of_triples(client, store):
    body = page(client, GRAPH).data.decode()
    rows = result_rows(body)
    assert len(rows) == len(store.construct(GRAPH)) >= 1
    assert "<th scope=\"col\">?subject</th>" in body and "广州海关" in rows[0]


def test_ask_answers_as_one_cell(client):
    rows = result_rows(page(client, ASK).data.decode())
    assert len(rows) == 1 and rows[0].startswith("<td>true ")


# --- paging -------------------------------------------------------------------------------------------

def test_a_long_answer_pages_on_the_server_and_turning_a_page_asks_the_cache(client, store):
    passages = {str(r["passage"]) for r in store.select(PASSAGES)}
    assert len(passages) > 2 * editor.PAGE_ROWS
    url, seen, pages, first = f"/sparql?query={quote(PASSAGES)}", [], 0, None
    while url:
        misses = sparql_cache("miss")
        body = client.get(url, headers=BROWSER).data.decode()
        if pages:
            assert sparql_cache("miss") == misses  # the answer came from the cache
            assert parse_qs(urlsplit(link(body, "prev")).query).get("page") == ([str(pages)] if pages > 1 else None)
        assert textarea(body) == PASSAGES
        rows = result_rows(body)
        assert len(rows) == min(editor.PAGE_ROWS, len(passages) - len(seen))
        seen += [html.unescape(re.search(r'title="([^"]+)"', row).group(1)) for row in rows]
        url, pages = link(body, "next"), pages + 1
        first = first or body
        if url:
            assert parse_qs(urlsplit(url).query)["query"] == [PASSAGES]
    assert pages == math.ceil(len(passages) / editor.PAGE_ROWS)
    assert len(seen) == len(set(seen)) and set(seen) == passages
    assert link(first, "prev") is None


@pytest.mark.parametrize(("number", "status"), [("0", 400), ("two", 400), ("²", 400), ("99", 404)])
def test_a_page_that_is_not_there_is_said_on_the_editor(client, number, status):
    response = page(client, PASSAGES, page=number)
    assert response.status_code == status
    assert textarea(response.data.decode()) == PASSAGES


# --- formats and downloads ------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "formats"), [
    (CUSTOMS, ["json", "xml", "csv", "tsv"]),
    (ASK, ["json", "xml", "csv", "tsv"]),
    (GRAPH, ["turtle", "ntriples", "jsonld", "rdfxml"]),
    (DESCRIBE, ["turtle", "ntriples", "jsonld", "rdfxml"]),
])
def test_only_the_formats_of_the_query_form_are_offered_and_each_download_answers(client, query, formats):
    body = page(client, query).data.decode()
    assert format_options(body) == ["", *formats]
    downloads = re.findall(r'<a href="(/sparql\?[^"]+)" type="([^"]+)">(\w+)</a>', body)
    assert [name for _, _, name in downloads] == formats
    for href, media_type, name in downloads:
        args = parse_qs(urlsplit(html.unescape(href)).query)
        assert args == {"query": [query], "format": [name]}
        response = client.get(html.unescape(href), headers=BROWSER)
        assert response.status_code == 200 and response.mimetype == media_type


def test_an_unknown_format_is_said_on_the_editor(client):
    response = page(client, CUSTOMS, format="yaml")
    assert response.status_code == 400
    body = response.data.decode()
    assert textarea(body) == CUSTOMS and "unknown format &#39;yaml&#39;" in body


# --- sharing and snippets ----------------------------------------------------------------------------

def test_the_shareable_url_reruns_the_query(client):
    body = page(client, CUSTOMS).data.decode()
    share = html.unescape(re.search(r'<input id="share-url" type="text" readonly value="([^"]+)">', body).group(1))
    parts = urlsplit(share)
    assert parts.scheme == "http" and parts.netloc == "localhost" and parts.path == "/sparql"
    assert parse_qs(parts.query) == {"query": [CUSTOMS]}
    again = client.get(f"{parts.path}?{parts.query}", headers=BROWSER).data.decode()
    assert textarea(again) == CUSTOMS and len(result_rows(again)) == 2


QUOTES = ['SELECT * WHERE { ?s ?p """a""" }', "SELECT * { ?s ?p 'it''s' } # ends with a quote\"",
          "SELECT ?x { BIND('\\t' AS ?x) }\r\n", "ASK { ?s ?p '''$HOME `x` \\'''' }", LABELS, GRAPH]


@pytest.mark.parametrize("query", QUOTES)
def test_snippets_carry_the_query_exactly(query):
    form = "CONSTRUCT" if "CONSTRUCT" in query else "ASK" if query.startswith("ASK") else "SELECT"
    code = editor.snippets("http://example.net/sparql", query, form)
    text = query.replace("\r\n", "\n")
    args = shlex.split(code["curl"])
    assert args[0] == "curl" and args[-1] == "http://example.net/sparql"
    assert args[args.index("--data-urlencode") + 1] == f"query={text}"
    tree = ast.parse(code["Python"])
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "setQuery")
    assert ast.literal_eval(call.args[0]) == text
    first = code["JavaScript"].splitlines()[0]
    assert first.startswith("const query = ") and json.loads(first.removeprefix("const query = ").rstrip(";")) == text


@pytest.fixture(scope="module")
def live(settings, store):
    """The application served over HTTP on a free port, for the snippets to call."""
    server = make_server("127.0.0.1", 0, create_app(settings, store=store), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def live_snippets(base: str, query: str) -> dict[str, str]:
    """The snippets of the editor page a browser gets from ``base``."""
    request = urllib.request.Request(f"{base}/sparql?query={quote(query)}", headers=BROWSER)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a local test server
        body = response.read().decode()
    found = re.findall(r'<details class="snippet"><summary>(\w+)</summary>\s*<pre id="[^"]+">(.*?)</pre>', body, re.S)
    return {name: html.unescape(code) for name, code in found}


def run(args: list[str], **options) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False, **options)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_snippets_of_the_page_run_and_answer(live):
    code = live_snippets(live, LABELS)
    assert set(code) == {"curl", "Python", "JavaScript"}
    assert f"{live}/sparql" in code["curl"]
    printed = run([sys.executable, "-c", code["Python"]])
    assert "广州海关" in printed and "https://ipgraph.example.org/id/body/guangzhou-customs" in printed
    if shutil.which("curl"):
        answer = json.loads(run(shlex.split(code["curl"])))
        assert [b["label"]["value"] for b in answer["results"]["bindings"]] == ["广州海关"]
    if shutil.which("node"):
        assert "广州海关" in run(["node", "-e", code["JavaScript"]])


@pytest.mark.parametrize(("query", "expected"), [(ASK, "True"), (GRAPH, "广州海关")])
def test_the_python_snippet_runs_ask_and_construct_too(live, query, expected):
    assert expected in run([sys.executable, "-c", live_snippets(live, query)["Python"]])


# --- problems: shown on the editor, the query kept, the status the problem's -----------------------

def test_a_syntax_error_keeps_the_query_and_says_where_without_the_unicode_ranges(client):
    query = "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  ?s ex:p ?o . ?x }"
    response = page(client, query)
    body = response.data.decode()
    assert response.status_code == 400 and textarea(body) == query
    assert "查询语法错误 Query syntax error" in body
    message = html.unescape(re.search(r'<p class="message">(.*?)</p>', body, re.S).group(1))
    assert message.startswith("error at 3:")
    assert "\\u{" not in body and "..=" not in message
    assert re.search(r'<pre class="at" data-line="3"><span class="line-number">3</span>', body)


def test_a_query_posted_as_its_own_body_is_kept_on_its_error_page(client):
    query = "SELECT * WHERE { ?s ?p }"
    response = client.post("/sparql", data=query.encode(),
                           headers={**BROWSER, "Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and textarea(response.data.decode()) == query


def test_the_parsers_long_list_becomes_a_short_one(client):
    response = page(client, 'SELECT * WHERE { ?s ?p "中文" ')
    message = html.unescape(re.search(r'<p class="message">(.*?)</p>', response.data.decode(), re.S).group(1))
    assert message.startswith("error at 1:") and len(message) < 120 and "\\u{" not in message


def test_a_prefix_used_without_its_prefix_line_is_named(client):
    query = "SELECT * WHERE { ?s skos:prefLabel ?label }"
    body = page(client, query).data.decode()
    assert textarea(body) == query and "skos: used without a PREFIX line" in body


def test_a_program_still_gets_the_problem_as_json(client):
    response = client.get("/sparql", query_string={"query": "SELEC"}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("query", "status", "words"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 400, "SERVICE is not allowed"),
    ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", 400, "read-only"),
    ("SELECT * {" + " " * 30_000 + "}", 413, "the limit is 20,000"),
    ("ASK { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }", 400, "nests brackets"),
])
def test_a_refused_query_is_kept(client, query, status, words):
    response = client.post("/sparql", data={"query": query}, headers=BROWSER)
    body = response.data.decode()
    assert response.status_code == status and textarea(body) == query
    assert words in html.unescape(body)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def limited(store, **limits):
    return create_app(Settings.from_env({}, **limits), store=store).test_client()


def test_too_large_asks_for_a_limit_only_when_there_is_none(store):
    client = limited(store, max_rows=5)
    bare = page(client, PASSAGES)
    assert bare.status_code == 400 and textarea(bare.data.decode()) == PASSAGES
    assert "add LIMIT" in bare.data.decode()
    limited_query = PASSAGES + " LIMIT 50"
    over = page(client, limited_query)
    body = html.unescape(over.data.decode())
    assert over.status_code == 400 and textarea(over.data.decode()) == limited_query
    assert "add LIMIT" not in body
    assert "LIMIT 50 is above that: make it 5 or less" in body
    graph = "CONSTRUCT { ?s ?p ?o . ?s <http://e/a> ?o . ?s <http://e/b> ?o } WHERE { ?s ?p ?o } LIMIT 3"
    triples = html.unescape(page(client, graph).data.decode())
    assert "add LIMIT" not in triples and "more than 5 triples" in triples and "LIMIT 3 counts solutions" in triples


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } # editor"


@pytest.mark.timeout(60)
def test_a_query_stopped_at_the_time_limit_is_kept(store):
    response = page(limited(store, query_timeout=0.4), CARTESIAN)
    body = response.data.decode()
    assert response.status_code == 503 and textarea(body) == CARTESIAN
    assert "查询超时 Query timed out" in body


@pytest.mark.timeout(60)
def test_a_query_stopped_at_the_memory_limit_is_kept(store):
    query = """PREFIX cnt: <http://www.w3.org/2011/content#>
        SELECT (GROUP_CONCAT(?text) AS ?all) WHERE { ?x cnt:chars ?text . ?a ?b ?c . ?d ?e ?f } # editor"""
    response = page(limited(store, max_query_memory=256, query_timeout=60), query)
    body = response.data.decode()
    assert response.status_code == 503 and textarea(body) == query
    assert "查询已中止 Query stopped" in body and "256 MiB" in body


def test_a_client_over_the_rate_limit_keeps_its_query(store):
    client = limited(store, rate_limit=1)
    assert page(client, ASK).status_code == 200
    response = page(client, CUSTOMS)
    assert response.status_code == 429 and textarea(response.data.decode()) == CUSTOMS
    assert int(response.headers["Retry-After"]) >= 1


# --- the script ---------------------------------------------------------------------------------------

SCRIPT = ROOT / "src" / "ipgraph" / "web" / "static" / "editor.js"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_scripts_reading_of_a_query():
    """What editor.js reads from the text it edits: the form, the prefixes used without a PREFIX
    line, and where that line goes."""
    probe = f"""
      const h = require({json.dumps(str(SCRIPT))});
      const q = "PREFIX ipg: <{PREFIXES['ipg']}>\\n# skos:not-this\\n" +
        "SELECT * {{ _:b ipg:a [ skos:y 'a:b' ] ; rdfs:label ?l }}";
      console.log(JSON.stringify([h.queryForm(q), h.undeclared(q), h.prefixLine(q, "skos", {json.dumps(PREFIXES)}),
        h.prefixLine(q, "ipg", {json.dumps(PREFIXES)}), h.queryForm("# SELECT\\nCONSTRUCT {{}} WHERE {{}}"),
        h.formatsFor("DESCRIBE", {{solutions: ["json"], graphs: ["turtle"]}})]));
    """
    form, missing, skos, ipg, construct, formats = json.loads(run(["node", "-e", probe]))
    assert form == "SELECT" and missing == ["skos", "rdfs"]
    assert skos == {"line": 1, "text": f"PREFIX skos: <{PREFIXES['skos']}>"}
    assert ipg is None and construct == "CONSTRUCT" and formats == ["turtle"]


def test_labels_of_iris_come_from_the_index(client, store):
    customs = URIRef("https://ipgraph.example.org/id/body/guangzhou-customs")
    body = page(client, f"SELECT ?x WHERE {{ VALUES ?x {{ <{customs}> }} }}").data.decode()
    assert f'<small class="label">{store.index.label(str(customs)).zh}</small>' in body
