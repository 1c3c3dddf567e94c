"""Read the ontology and the data into one graph, tied to the report's text.

The Turtle files state each quote (``oa:exact``) and nothing else about where it lies. Loading
checks the report's text against the sha256 that the graph records, adds the text itself
(``cnt:chars``) to the text's node, and *anchors* every quote: it finds the quote in the text and
adds a ``oa:TextPositionSelector`` (code-point offsets) and the ``oa:prefix``/``oa:suffix`` around
it. A quote that is not in the report, or that is there more than once with nothing to tell the
places apart, stops the load with a message naming the passage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .config import Settings
from .namespaces import CNT, IPG, OA

CONTEXT_CHARS = 16  # characters of oa:prefix / oa:suffix added around an anchored quote


class DatasetError(Exception):
    """The files cannot be made into a graph: a parse error, a wrong checksum, a stray quote."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Anchor:
    """Where a quote lies in the report: ``text[start:end] == exact``."""

    start: int
    end: int
    prefix: str
    suffix: str


def turtle_files(*folders: Path) -> list[Path]:
    """The ``.ttl`` files of ``folders``, in a stable order."""
    return [f for folder in folders for f in sorted(folder.glob("*.ttl"))]


def parse_files(files: Iterable[Path]) -> Graph:
    """One graph of all ``files``; a syntax error names its file."""
    graph = Graph()
    problems = []
    for f in files:
        try:
            graph.parse(f, format="turtle")
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds; each is reported
            problems.append(f"{f}: {exc}")
    if problems:
        raise DatasetError(problems)
    return graph


def build_graph(settings: Settings) -> Graph:
    """The ontology, the data and the report's text, with every quote anchored."""
    folders = [settings.ontology_dir, settings.data_dir]
    files = turtle_files(*folders)
    if not files:
        raise DatasetError([f"no Turtle files in {' or '.join(map(str, folders))}"])
    graph = parse_files(files)
    text = read_source(settings.source_file)
    attach_text(graph, text)
    anchor_quotes(graph, text)
    return graph


def read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError([f"cannot read the report's text: {exc}"]) from None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def attach_text(graph: Graph, text: str) -> None:
    """Give each ``ipg:ReportText`` node its content, after checking the recorded checksum."""
    nodes = list(graph.subjects(RDF.type, IPG.ReportText))
    check_checksums({str(node): {str(v) for v in graph.objects(node, IPG.sha256)} for node in nodes}, text)
    for node in nodes:
        graph.add((node, CNT.chars, Literal(text)))


def check_checksums(recorded: dict[str, set[str]], text: str) -> None:
    """Each text node (its name → the ``ipg:sha256`` values it records) must record the text's digest,
    and there must be one; else :class:`DatasetError`, a line for each node that does not."""
    if not recorded:
        raise DatasetError(["the graph has no ipg:ReportText node for the report's text"])
    digest = sha256(text)
    problems = [f"{node}: ipg:sha256 {sorted(shas)} does not match the text's {digest}"
                for node, shas in recorded.items() if shas != {digest}]
    if problems:
        raise DatasetError(problems)


def locate(text: str, exact: str, prefix: str | None = None, suffix: str | None = None) -> list[int]:
    """Start offsets of ``exact`` in ``text`` that also have the given prefix and suffix.

    >>> locate("abcabc", "bc")
    [1, 4]
    >>> locate("xabcyabc", "abc", prefix="y")
    [5]
    """
    starts, at = [], text.find(exact)
    while at != -1:
        if (prefix is None or text[:at].endswith(prefix)) and (
                suffix is None or text.startswith(suffix, at + len(exact))):
            starts.append(at)
        at = text.find(exact, at + 1)
    return starts


def anchor(text: str, exact: str, prefix: str | None = None, suffix: str | None = None) -> Anchor:
    """The one place ``exact`` stands in ``text``; ``ValueError`` when there is none or several."""
    if not exact:
        raise ValueError("the quote is empty")
    starts = locate(text, exact, prefix, suffix)
    if not starts:
        raise ValueError(f"not in the report: {exact!r}")
    if len(starts) > 1:
        raise ValueError(f"stands {len(starts)} times in the report; add oa:prefix to say which: {exact!r}")
    start, end = starts[0], starts[0] + len(exact)
    return Anchor(start, end, text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def anchor_quotes(graph: Graph, text: str) -> int:
    """Add position selectors and context to every ``oa:TextQuoteSelector``; return how many."""
    problems, count = [], 0
    for target, selector in list(graph.subject_objects(OA.hasSelector)):
        if (selector, RDF.type, OA.TextQuoteSelector) not in graph:
            continue
        exact = graph.value(selector, OA.exact)
        prefix, suffix = graph.value(selector, OA.prefix), graph.value(selector, OA.suffix)
        try:
            where = anchor(text, str(exact or ""), prefix and str(prefix), suffix and str(suffix))
        except ValueError as exc:
            problems.append(f"{target}: {exc}")
            continue
        position = URIRef(f"{target}#position") if isinstance(target, URIRef) else BNode()
        graph.add((target, OA.hasSelector, position))
        graph.add((position, RDF.type, OA.TextPositionSelector))
        graph.add((position, OA.start, Literal(where.start, datatype=XSD.integer)))
        graph.add((position, OA.end, Literal(where.end, datatype=XSD.integer)))
        if prefix is None:
            graph.add((selector, OA.prefix, Literal(where.prefix)))
        if suffix is None:
            graph.add((selector, OA.suffix, Literal(where.suffix)))
        count += 1
    if problems:
        raise DatasetError(problems)
    return count
