"""The query editor of ``/sparql`` for a browser, and the results view it shares with the example pages.

The page is a form that works without JavaScript: a textarea, a format list offering only the
formats the query's form can be answered in, a Run button, and the answer as a table paged on the
server (``page=``), with a bar chart drawn as SVG when the answer has a label column and a numeric
one (``chart=`` picks the numeric column). ``static/editor.js`` upgrades it: CodeMirror with
SPARQL highlighting and prefix completion, sorting by a column, loading an example in place.

A query from the page runs like any other ``/sparql`` query, within the same limits and through
the store's cache of answers, so turning a page asks the cache again, not the engine. Any problem
(a syntax error, a result too large, a time-out …) is shown on the same page, the query kept, with
the status the problem carries (:func:`error_page`).
"""

from __future__ import annotations

import json
import math
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response, render_template, request, url_for

from ..errors import BadRequest, NotFound, Problem, QuerySyntaxError, ResultTooLarge
from ..namespaces import PREFIXES, shorten
from ..negotiation import GRAPHS, SOLUTIONS, Format
from ..queries import Example, examples
from ..querycheck import inspect_query
from ..results import XSD, term_parts
from .context import context
from .errors import CORS
from .views import page_number

PAGE_ROWS = 100  # rows of an answer on one page
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
NUMERIC = frozenset(XSD + t for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte"))
DEFAULT_QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                 "SELECT ?thing ?label WHERE { ?thing rdfs:label ?label } LIMIT 20")
TITLES_ZH = {
    "Bad request": "请求有误", "Query syntax error": "查询语法错误", "Query refused": "查询被拒绝",
    "Result too large": "结果过大", "Not found": "未找到", "Not acceptable": "无法提供所要的格式",
    "Payload too large": "查询过长", "Unsupported media type": "不支持的内容类型",
    "Updates are not accepted": "不接受更新", "Query timed out": "查询超时", "Query stopped": "查询已中止",
    "Store unavailable": "数据存储不可用", "Service busy": "服务繁忙", "Too many requests": "请求过于频繁",
}

Cell = dict[str, str]


# -- the answer as a table --------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """An answer as columns and rows; each cell is a binding as SPARQL JSON results write it
    (``type``, ``value``, ``xml:lang`` or ``datatype``), None where the variable is unbound."""

    columns: list[str]
    rows: list[list[Cell | None]]


def run_table(query: str, form: str | None) -> Table:
    """The answer to ``query`` (of ``form``) as a table, within the limits of ``/sparql``."""
    ctx = context()
    if form in GRAPH_FORMS:
        ntriples = next(f for f in GRAPHS if f.key == "ntriples")
        answer = ctx.store.answer(query, solutions=SOLUTIONS[0], graph=ntriples, limits=ctx.limits)
        return ntriples_table(answer.body)
    answer = ctx.store.answer(query, solutions=SOLUTIONS[0], graph=GRAPHS[0], limits=ctx.limits)
    return solutions_table(json.loads(answer.body))


def solutions_table(document: dict) -> Table:
    """SPARQL JSON results (solutions or a boolean) as a table."""
    if "boolean" in document:
        value = "true" if document["boolean"] else "false"
        return Table(["boolean"], [[{"type": "literal", "value": value, "datatype": XSD + "boolean"}]])
    columns = document["head"]["vars"]
    return Table(columns, [[binding.get(v) for v in columns] for binding in document["results"]["bindings"]])


def ntriples_table(body: bytes) -> Table:
    """N-Triples as a table of subject, predicate and object, sorted."""
    triples = [[_cell(t.subject), _cell(t.predicate), _cell(t.object)]
               for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    triples.sort(key=lambda row: [(c["type"], c["value"]) for c in row])
    return Table(["subject", "predicate", "object"], triples)  # type: ignore[arg-type]


def _cell(term) -> Cell:
    kind, value, language, datatype = term_parts(term)
    cell = {"type": kind, "value": value}
    if language:
        cell["xml:lang"] = language
    if datatype:
        cell["datatype"] = datatype
    return cell


def is_number(cell: Cell | None) -> bool:
    return cell is not None and cell.get("datatype") in NUMERIC


# -- paging -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pager:
    """Where one page of rows sits in the whole answer, with links to the pages beside it."""

    number: int
    pages: int
    total: int
    first: int  # the position of the page's first row in the answer, from 1
    last: int
    previous: str | None
    next: str | None


def paginate(table: Table, number: int, link: Callable[[int], str]) -> tuple[list[list[Cell | None]], Pager]:
    """The rows of page ``number`` and its pager; ``link(n)`` is the address of page ``n``."""
    pages = max(1, math.ceil(len(table.rows) / PAGE_ROWS))
    if number > pages:
        raise NotFound(f"page {number} is past the end of the answer: it has {pages} page{'s' * (pages > 1)}")
    start = (number - 1) * PAGE_ROWS
    rows = table.rows[start:start + PAGE_ROWS]
    return rows, Pager(number, pages, len(table.rows), start + 1 if rows else 0, start + len(rows),
                       link(number - 1) if number > 1 else None, link(number + 1) if number < pages else None)


# -- the chart ----------------------------------------------------------------------------------------

CHART_WIDTH = 400   # the SVG's own units; it is drawn at the width of the page
BAR_SPACE = 310     # how long the longest bar may be; the value is written after it
ROW_HEIGHT = 38     # a label line, then its bar
MAX_LABEL = 28      # characters of a label shown in the chart (all of it in its tooltip)


@dataclass(frozen=True)
class Bar:
    label: str
    title: str
    value: str
    x: float
    width: float
    y: float


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one numeric column against a label column."""

    label: str
    value: str
    choices: list[str]  # the numeric columns one may chart
    bars: list[Bar]
    zero: float
    height: int


def chart(columns: list[str], rows: list[list[Cell | None]], labels: dict[str, str],
          chosen: str | None = None) -> Chart | None:
    """The bar chart of ``rows``, or None when they have no label column and numeric column. The
    label column is the first whose values are all text, else the first whose values are all IRIs
    (shown by ``labels``); the numeric column is ``chosen``, else the one with the largest value."""
    kinds = {c: _kind([row[i] for row in rows]) for i, c in enumerate(columns)}
    numeric = [c for c in columns if kinds[c] == "number"]
    label = next((c for c in columns if kinds[c] == "text"), None) or next(
        (c for c in columns if kinds[c] == "uri"), None)
    if chosen is not None and chosen not in numeric:
        raise BadRequest(f"chart names {chosen!r}, not a numeric column of the answer"
                         + (f"; chart one of {', '.join(numeric)}" if numeric else ""))
    if label is None or not numeric:
        return None
    li = columns.index(label)
    if chosen is None:
        chosen = max(numeric, key=lambda c: max(abs(v) for v in _numbers(rows, columns.index(c))))
    vi = columns.index(chosen)
    points = [(row[li], row[vi]) for row in rows if is_number(row[vi]) and math.isfinite(float(row[vi]["value"]))]
    if not points:
        return None
    values = [float(v["value"]) for _, v in points]
    low, high = min(0.0, *values), max(0.0, *values)
    scale = BAR_SPACE / ((high - low) or 1.0)
    zero = (0.0 - low) * scale
    bars = []
    for n, (name, value) in enumerate(points):
        text = _label(name, labels)
        end = (float(value["value"]) - low) * scale
        bars.append(Bar(text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…", f"{text}: {value['value']}",
                        value["value"], round(min(zero, end), 2), round(max(abs(end - zero), 1.0), 2),
                        n * ROW_HEIGHT))
    return Chart(label, chosen, numeric, bars, round(zero, 2), len(bars) * ROW_HEIGHT + 4)


def _kind(cells: list[Cell | None]) -> str | None:
    """What all the bound cells of a column are: number, text or uri; None if mixed or none is bound."""
    kinds = {"number" if is_number(c) else "text" if c["type"] == "literal" else c["type"]
             for c in cells if c is not None}
    return kinds.pop() if len(kinds) == 1 else None


def _numbers(rows: list[list[Cell | None]], i: int) -> Iterator[float]:
    for row in rows:
        if is_number(row[i]) and math.isfinite(value := float(row[i]["value"])):  # type: ignore[index]
            yield value
    yield 0.0


def _label(cell: Cell | None, labels: dict[str, str]) -> str:
    if cell is None:
        return "—"
    if cell["type"] == "uri":
        return labels.get(cell["value"]) or shorten(cell["value"])
    return cell["value"]


# -- one page of an answer, as the editor and the example pages show it -------------------------------

@dataclass(frozen=True)
class Results:
    columns: list[str]
    rows: list[list[Cell | None]]
    pager: Pager
    chart: Chart | None
    chart_links: dict[str, str]  # numeric column → the address that charts it
    labels: dict[str, str]       # IRI on the page → its label


def results(table: Table, path: str, args: dict[str, str]) -> Results:
    """The page of ``table`` that ``page=`` asks for, charted as ``chart=`` asks; links to other
    pages and charts are ``path`` with ``args`` and their own ``page`` and ``chart``."""
    chosen = request.args.get("chart") or None

    def link(page: int = 1, chart_of: str | None = chosen) -> str:
        more = {"page": str(page)} if page > 1 else {}
        if chart_of:
            more["chart"] = chart_of
        return f"{path}?{urlencode({**args, **more})}"

    rows, pager = paginate(table, page_number(), link)
    labels = labels_for(rows)
    drawn = chart(table.columns, rows, labels, chosen)
    links = {c: link(pager.number, c) for c in drawn.choices} if drawn else {}
    return Results(table.columns, rows, pager, drawn, links, labels)


def labels_for(rows: list[list[Cell | None]]) -> dict[str, str]:
    """The label of every IRI in ``rows`` that has one: zh, else en."""
    index = context().store.index
    iris = {c["value"] for row in rows for c in row if c is not None and c["type"] == "uri"}
    found = {iri: index.label(iri) for iri in iris}
    return {iri: m.zh or m.en for iri, m in found.items() if m.zh or m.en}


# -- reading a query without running it ----------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n\r]*
         |'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
         |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"
         |<[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>[{(\[]) | (?P<close>[})\]])
      | (?P<var>[?$]\w+) | (?P<bnode>_:[\w.-]*)
      | (?P<limit>\bLIMIT\s+(?P<n>\d+))
      | (?P<prefix>\bPREFIX\s+(?P<declared>[A-Za-z][\w.-]*)?:)
      | (?P<name>\b(?P<used>[A-Za-z][\w.-]*):[\w.-]*)
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)


def top_level_limit(query: str) -> int | None:
    """The LIMIT of the query itself (not of a subquery), if it has one.

    >>> top_level_limit('SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } # LIMIT 7\\nLIMIT 50000')
    50000
    >>> top_level_limit('SELECT * { { SELECT ?s { ?s ?p "LIMIT 5" } LIMIT 5 } }') is None
    True
    """
    depth, limit = 0, None
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        depth += (kind == "open") - (kind == "close")
        if m.group("limit") and depth == 0:
            limit = int(m.group("n"))
    return limit


def undeclared_prefixes(query: str) -> list[str]:
    """The prefixes that prefixed names of ``query`` use without a PREFIX line for them.

    >>> undeclared_prefixes('PREFIX ipg: <https://ipgraph.example.org/def/> SELECT * { _:b ipg:x [ skos:y "a:b" ] }')
    ['skos']
    """
    declared = {m.group("declared") or "" for m in _TOKEN.finditer(query) if m.group("prefix")}
    used = [m.group("used") for m in _TOKEN.finditer(query) if m.group("name")]
    return [p for p in dict.fromkeys(used) if p not in declared]


def query_form(query: str) -> str | None:
    """The form of ``query`` (SELECT, ASK, CONSTRUCT, DESCRIBE), None when none is found or the
    query is one this endpoint refuses."""
    try:
        return inspect_query(query, max_length=context().settings.max_query_length).form
    except Problem:
        return None


# -- problems, as the page says them -------------------------------------------------------------------

_ERROR_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Trouble:
    """A problem as the page shows it: titles, a short message, and the place in the query it
    points at (the line, split around the character)."""

    status: int
    title: str
    title_zh: str
    message: str
    line: int | None = None
    around: tuple[str, str, str] | None = None


def trouble(problem: Problem, query: str, form: str | None) -> Trouble:
    """What to tell a person of ``problem``, which running ``query`` (of ``form``) met."""
    zh = TITLES_ZH.get(problem.title, "")
    if isinstance(problem, QuerySyntaxError):
        return _syntax_trouble(problem, query, zh)
    message = problem.message
    if isinstance(problem, ResultTooLarge) and (limit := top_level_limit(query)) is not None:
        most, what = context().limits.max_rows, "triples" if form in GRAPH_FORMS else "solutions"
        message = (f"the result has more than {most:,} {what}, the most one answer may hold; "
                   + (f"LIMIT {limit:,} counts solutions, and they make more triples than that: lower it"
                      if form in GRAPH_FORMS else
                      f"the query's LIMIT {limit:,} is above that: make it {most:,} or less, and page with OFFSET"))
    return Trouble(problem.status, problem.title, zh, message)


def _syntax_trouble(problem: Problem, query: str, zh: str) -> Trouble:
    m = _ERROR_AT.match(problem.message)
    if m is None:
        return Trouble(problem.status, problem.title, zh, problem.message)
    line, column = int(m.group(1)), int(m.group(2))
    lines = query.split("\n")
    text = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    at = max(column - 1, 0)
    expected = tidy_expected(m.group(3))
    if expected is None:
        ends = line >= len(lines) and at >= len(text.rstrip())
        expected = "the query ends too soon" if ends else "this character cannot be here"
    message = f"error at {line}:{column}: {expected}"
    missing = undeclared_prefixes(query)
    if missing:
        message += "; " + ", ".join(f"{p}:" for p in missing) + " used without a PREFIX line"
    return Trouble(problem.status, problem.title, zh, message, line, (text[:at], text[at:at + 1], text[at + 1:]))


def tidy_expected(text: str) -> str | None:
    """The parser's list of what it expected, without the character classes (long runs of Unicode
    ranges); the parser's own sentences in it (a prefix not declared …) instead, if it has any;
    None when nothing is left.

    >>> tidy_expected('''expected one of ",", "}", ['0' ..= '9' | '\\\\u{00B7}'], [_]''')
    'expected one of ",", "}" or another character'
    >>> tidy_expected("expected one of Prefix not found, [':'], [_]")
    'Prefix not found'
    >>> tidy_expected("expected [_]") is None
    True
    """
    if not text.startswith("expected "):
        return text
    items = _split_items(text.removeprefix("expected ").removeprefix("one of "))
    words = [i for i in items if not i.startswith("[")]
    sentences = [w for w in words if " " in w and not w.startswith(("'", '"'))]
    if sentences:
        return "; ".join(sentences)
    if not words:
        return None
    listed = ", ".join(words)
    if len(words) < len(items):
        listed += " or another character"
    return ("expected one of " if len(words) > 1 or len(words) < len(items) else "expected ") + listed


def _split_items(text: str) -> list[str]:
    """The comma-separated items of a parser's list, whose quoted and bracketed items may hold commas."""
    items, current, depth, quote, escaped = [], "", 0, "", False
    for ch in text:
        if escaped:
            escaped = False
        elif quote:
            escaped, quote = ch == "\\", "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(current.strip())
            current = ""
            continue
        current += ch
    return [i for i in (*items, current.strip()) if i]


# -- formats, addresses and snippets ---------------------------------------------------------------------

def formats_for(form: str | None) -> tuple[Format, ...]:
    """The formats a query of ``form`` can be answered in (none until its form is known)."""
    if form is None:
        return ()
    return GRAPHS if form in GRAPH_FORMS else SOLUTIONS


def run_address(query: str, *, external: bool = False, **more: str) -> str:
    """The ``/sparql`` address that runs ``query`` (a GET, so it can be shared)."""
    return url_for("endpoint.sparql", _external=external) + "?" + urlencode({"query": query, **more})


def snippets(endpoint: str, query: str, form: str | None) -> dict[str, str]:
    """Code that runs ``query`` at ``endpoint`` with curl, Python (SPARQLWrapper) and JavaScript."""
    text = query.replace("\r\n", "\n")
    graph = form in GRAPH_FORMS
    accept = (GRAPHS if graph else SOLUTIONS)[0].media_type
    curl = " ".join(["curl", "-H", shlex.quote(f"Accept: {accept}"), "--data-urlencode",
                     shlex.quote(f"query={text}"), shlex.quote(endpoint)])
    if graph:
        python_format, python_show = "TURTLE", "print(sparql.queryAndConvert().decode())"
    elif form == "ASK":
        python_format, python_show = "JSON", 'print(sparql.queryAndConvert()["boolean"])'
    else:
        python_format, python_show = "JSON", ('for row in sparql.queryAndConvert()["results"]["bindings"]:\n'
                                              '    print({name: cell["value"] for name, cell in row.items()})')
    python = (f"from SPARQLWrapper import {python_format}, SPARQLWrapper\n\n"
              f"sparql = SPARQLWrapper({endpoint!r})\n"
              f"sparql.setQuery({python_string(text)})\n"
              f"sparql.setReturnFormat({python_format})\n"
              f"{python_show}\n")
    javascript = (f"const query = {json.dumps(text, ensure_ascii=False)};\n"
                  f"fetch({json.dumps(endpoint)}, {{\n"
                  f'  method: "POST",\n'
                  f"  headers: {{Accept: {json.dumps(accept)}}},\n"
                  f"  body: new URLSearchParams({{query}}),\n"
                  f"}})\n"
                  f"  .then((response) => response.{'text' if graph else 'json'}())\n"
                  f"  .then((result) => console.log({'result' if graph else 'JSON.stringify(result, null, 2)'}));\n")
    return {"curl": curl, "Python": python, "JavaScript": javascript}


def python_string(text: str) -> str:
    """``text`` as a Python string literal: triple-quoted when that writes it as it is, else ``repr``.

    >>> print(python_string('SELECT * {\\n  ?s ?p "x" }\\n'))
    \"\"\"SELECT * {
      ?s ?p "x" }
    \"\"\"
    >>> python_string('a\\\\b')
    "'a\\\\\\\\b'"
    """
    plain = all(c.isprintable() or c in "\n\t" for c in text)
    if plain and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return repr(text)


# -- the pages --------------------------------------------------------------------------------------------

def page(query: str, form: str | None) -> Response:
    """The editor with ``query`` and its answer (``query`` empty: the editor with an example or a
    first query in it, nothing run)."""
    if not query:
        return _render(_example_text() or DEFAULT_QUERY, ran=False)
    table = run_table(query, form)
    shown = results(table, url_for("endpoint.sparql"), {"query": query})
    return _render(query, form=form, results=shown)


def error_page(query: str, problem: Problem) -> Response:
    """The editor with ``query`` kept and ``problem`` said, answered with the problem's status."""
    form = query_form(query) if query else None
    response = _render(query, form=form, trouble=trouble(problem, query, form), status=problem.status)
    response.headers.update(CORS)
    retry_after = getattr(problem, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _example_text() -> str | None:
    slug = request.args.get("example")
    if not slug:
        return None
    return find_example(slug).text


def find_example(slug: str) -> Example:
    found = {e.slug: e for e in examples(context().settings.queries_dir)}.get(slug)
    if found is None:
        raise NotFound(f"there is no example query {slug!r}")
    return found


def _render(query: str, *, form: str | None = None, ran: bool = True, results: Results | None = None,
            trouble: Trouble | None = None, status: int = 200) -> Response:
    form = form if ran else query_form(query)
    formats = formats_for(form)
    config = {"prefixes": PREFIXES, "formats": {"solutions": [f.key for f in SOLUTIONS],
                                                "graphs": [f.key for f in GRAPHS]},
              "examples": url_for("examples.gallery")}
    body = render_template(
        "sparql.html", query=query, ran=ran, form=form, formats=formats, results=results, trouble=trouble,
        chosen_format=request.values.get("format", ""), config=config, numeric=NUMERIC,
        examples=examples(context().settings.queries_dir),
        downloads=[(f, run_address(query, format=f.key)) for f in formats] if ran else [],
        share=run_address(query, external=True) if ran and query else None,
        snippets=snippets(url_for("endpoint.sparql", _external=True), query, form) if ran and query else {})
    response = Response(body, status, mimetype="text/html")
    response.vary.add("Accept")
    return response
