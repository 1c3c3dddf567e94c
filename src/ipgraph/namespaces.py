"""The namespaces the graph uses, and the prefixes it is written and shown with."""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

DEFAULT_BASE = "https://ipgraph.example.org"

IPG = Namespace(f"{DEFAULT_BASE}/def/")
ID = Namespace(f"{DEFAULT_BASE}/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
CNT = Namespace("http://www.w3.org/2011/content#")
QB = Namespace("http://purl.org/linked-data/cube#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")

# Prefixes of the data's own kinds of thing (docs/modelling.md), then the W3C ones.
KINDS = ("report", "section", "passage", "dataset", "observation", "ranking", "indicator", "unit",
         "period", "concept", "scheme", "place", "body", "document", "action", "case", "programme",
         "event", "award", "product")
_KIND_PREFIX = {"observation": "obs", "indicator": "ind", "document": "doc", "programme": "prog"}

PREFIXES: dict[str, str] = {
    "ipg": str(IPG),
    **{_KIND_PREFIX.get(kind, kind): f"{ID}{kind}/" for kind in KINDS},
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "prov": str(PROV), "time": str(TIME), "void": str(VOID),
    "dcat": str(DCAT), "oa": str(OA), "cnt": str(CNT), "qb": str(QB), "org": str(ORG),
    "schema": str(SCHEMA), "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE), "sdmx-attribute": str(SDMX_ATTRIBUTE), "sh": str(SH),
    "vann": str(VANN), "foaf": str(FOAF),
}


@lru_cache(maxsize=65536)
def shorten(iri: str) -> str:
    """``iri`` as a prefixed name where a known prefix covers it (remembered: pages ask again and again).

    >>> shorten("https://ipgraph.example.org/id/body/guangzhou-ip-court")
    'body:guangzhou-ip-court'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None or "/" in iri[len(best):] or "#" in iri[len(best):]:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]+$")
_PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*):(?P<local>[\w.-]+)$")


def expand(name: str) -> str | None:
    """The IRI ``name`` writes, in full (bare or in ``<…>``) or as a prefixed name of a known
    prefix; None if it writes none.

    >>> expand("body:guangzhou-ip-court"), expand("<http://example.org/a>")
    ('https://ipgraph.example.org/id/body/guangzhou-ip-court', 'http://example.org/a')
    >>> expand("https://schema.org/Place"), expand("nothing:here"), expand("plain"), expand("a b:c")
    ('https://schema.org/Place', None, None, None)
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefixed = _PREFIXED.match(text)
    if prefixed and prefixed.group("prefix") in PREFIXES:
        return PREFIXES[prefixed.group("prefix")] + prefixed.group("local")
    if "://" in text and _IRI.match(text):
        return text
    return None
