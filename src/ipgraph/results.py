r"""SPARQL query results written in the four W3C formats: JSON, XML, CSV and TSV.

The writers take rows of terms from either pyoxigraph or rdflib, so the embedded and a remote
store answer in the same bytes.

>>> from rdflib import Literal, URIRef
>>> rows = [{"s": URIRef("http://example.org/a"), "n": Literal(3)}]
>>> write_solutions(["s", "n"], rows, "tsv").decode().splitlines()
['?s\t?n', '<http://example.org/a>\t3']
>>> write_boolean(True, "json")
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_BARE_IN_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}

Row = Mapping[str, Any]


def term_parts(term: Any) -> tuple[str, str, str | None, str | None]:
    """``(kind, value, language, datatype)`` of a pyoxigraph or rdflib term; kind is uri, bnode or literal."""
    name = type(term).__name__
    if name in ("NamedNode", "URIRef"):
        return "uri", str(term.value if name == "NamedNode" else term), None, None
    if name in ("BlankNode", "BNode"):
        return "bnode", str(term.value if name == "BlankNode" else term), None, None
    if name == "Literal":
        if hasattr(term, "value") and not hasattr(term, "toPython"):  # pyoxigraph
            lexical, language = term.value, term.language
            datatype = term.datatype.value if term.datatype is not None else None
        else:  # rdflib
            lexical, language = str(term), term.language
            datatype = str(term.datatype) if term.datatype is not None else None
        if language or datatype in (XSD_STRING, LANG_STRING):
            datatype = None
        return "literal", lexical, language, datatype
    raise TypeError(f"not an RDF term: {term!r}")


def write_solutions(variables: Sequence[str], rows: Iterable[Row], fmt: str) -> bytes:
    """``rows`` (variable name → term, a missing name is unbound) in format ``json|xml|csv|tsv``."""
    return _WRITERS[fmt](list(variables), rows)


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result; CSV and TSV carry it as a one-column table, as common engines do."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    word = "true" if value else "false"
    return (f"_askResult\r\n{word}\r\n" if fmt == "csv" else f"?_askResult\n{word}\n").encode()


def _json(variables: list[str], rows: Iterable[Row]) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for var in variables:
            term = row.get(var)
            if term is None:
                continue
            kind, value, language, datatype = term_parts(term)
            cell: dict[str, str] = {"type": kind, "value": value}
            if language:
                cell["xml:lang"] = language
            if datatype:
                cell["datatype"] = datatype
            binding[var] = cell
        bindings.append(binding)
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _xml(variables: list[str], rows: Iterable[Row]) -> bytes:
    out = ['<?xml version="1.0"?>\n', f'<sparql xmlns="{SPARQL_RESULTS_NS}"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for var in variables:
            term = row.get(var)
            if term is None:
                continue
            kind, value, language, datatype = term_parts(term)
            if kind == "literal":
                attrs = (f" xml:lang={quoteattr(language)}" if language else "") + (
                    f" datatype={quoteattr(datatype)}" if datatype else "")
                cell = f"<literal{attrs}>{escape(value)}</literal>"
            else:
                cell = f"<{kind}>{escape(value)}</{kind}>"
            out.append(f"<binding name={quoteattr(var)}>{cell}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv(variables: list[str], rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        cells = []
        for var in variables:
            term = row.get(var)
            if term is None:
                cells.append("")
                continue
            kind, value, _, _ = term_parts(term)
            cells.append(f"_:{value}" if kind == "bnode" else value)
        writer.writerow(cells)
    return buffer.getvalue().encode()


def _tsv_term(term: Any) -> str:
    kind, value, language, datatype = term_parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if datatype in _BARE_IN_TSV and value and not value.startswith((".", "+")) and "\t" not in value:
        return value
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace(
        "\r", "\\r").replace("\t", "\\t")
    if language:
        return f'"{text}"@{language}'
    return f'"{text}"^^<{datatype}>' if datatype else f'"{text}"'


def _tsv(variables: list[str], rows: Iterable[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if row.get(v) is None else _tsv_term(row[v]) for v in variables))
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
