"""The report's text, and every quote of the graph tied to it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from ipgraph.dataset import anchor, locate
from ipgraph.namespaces import CNT, IPG, OA

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "guangzhou-ip-report-2018.zh.txt"
SHA256 = "6fb78dd47421bd87bdcc166c7065e4822ce3e3827d25a73ae83cc929c344b6a0"
DCTERMS_IS_PART_OF = URIRef("http://purl.org/dc/terms/isPartOf")


def test_source_is_the_report_byte_for_byte():
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SHA256


def test_graph_records_the_checksum_and_carries_the_text(graph):
    (text_node,) = graph.subjects(RDF.type, IPG.ReportText)
    assert str(graph.value(text_node, IPG.sha256)) == SHA256
    assert str(graph.value(text_node, CNT.chars)) == SOURCE.read_text(encoding="utf-8")


def test_every_quote_is_anchored_at_its_place(graph):
    text = SOURCE.read_text(encoding="utf-8")
    quotes = list(graph.subject_objects(OA.exact))
    assert len(quotes) > 30
    for selector, exact in quotes:
        (passage,) = graph.subjects(OA.hasSelector, selector)
        positions = [s for s in graph.objects(passage, OA.hasSelector)
                     if (s, RDF.type, OA.TextPositionSelector) in graph]
        assert len(positions) == 1, passage
        start, end = (graph.value(positions[0], OA.start).toPython(), graph.value(positions[0], OA.end).toPython())
        assert text[start:end] == str(exact)
        assert text[:start].endswith(str(graph.value(selector, OA.prefix)))
        assert text[end:].startswith(str(graph.value(selector, OA.suffix)))


def section_at(text: str, position: int) -> str:
    """The notation of the report section at ``position``: 二, 二（一） inside a subsection, or
    七 社会宣传 under one of 七's unnumbered headings (a line that is the heading alone)."""
    heading = None
    pattern = r"(?m)^\s*([一二三四五六七八])、|^\s*(（[一二三四五六七八九十]）)|^\s*(社会宣传|青少年教育)\s*$"
    for m in re.finditer(pattern, text):
        if m.start() > position:
            break
        if m.group(1):
            heading = m.group(1)
        elif heading is not None:
            heading = heading[0] + (m.group(2) or " " + m.group(3))
    return heading or "前言"


def test_each_passage_names_the_section_it_lies_in(graph):
    text = SOURCE.read_text(encoding="utf-8")
    checked = 0
    for passage in set(graph.subjects(RDF.type, IPG.Passage)):
        section = graph.value(passage, DCTERMS_IS_PART_OF)
        notation = "前言" if (section, RDF.type, IPG.Report) in graph else str(graph.value(section, SKOS.notation))
        start = next(graph.objects(URIRef(f"{passage}#position"), OA.start)).toPython()
        assert notation == section_at(text, start), passage
        checked += 1
    assert checked > 30


def test_locate_and_anchor():
    text = "专利申请量，专利授权量，专利申请量"
    assert locate(text, "专利申请量") == [0, 12]
    with pytest.raises(ValueError, match="stands 2 times"):
        anchor(text, "专利申请量")
    assert anchor(text, "专利申请量", prefix="，").start == 12
    with pytest.raises(ValueError, match="not in the report"):
        anchor(text, "商标")


def test_no_two_passages_quote_the_same_words(graph):
    """A passage is one segment of the report: a second node for the same words splits its evidence."""
    quotes = {}
    for passage in graph.subjects(RDF.type, IPG.Passage):
        for selector in graph.objects(passage, OA.hasSelector):
            exact = graph.value(selector, OA.exact)
            if exact is not None:
                quotes.setdefault(str(exact), []).append(str(passage))
    assert {q: ps for q, ps in quotes.items() if len(ps) > 1} == {}
