"""The exported statistics are a well-formed RDF Data Cube: W3C qb integrity constraints IC-1 … IC-21.

What ``ipgraph export --format ttl`` writes is loaded into a fresh Oxigraph store and normalized
with the specification's two SPARQL Update operations (§10.1); then each integrity constraint is
run as the specification's own ASK query (§11.1), with the prefix bindings it assumes. IC-20 and
IC-21 are templates: one instance per parent-child property that their instantiation queries find.
The query text is in ``tests/datacube/``, copied verbatim from the W3C Recommendation of
16 January 2014 (see ``tests/datacube/README.md`` for the source and the W3C notice).

The ASK query gives the verdict. To name the offending nodes, the same pattern is also run as a
SELECT: ``ASK`` becomes ``SELECT DISTINCT *``, and where the pattern's variables sit behind a
sub-SELECT that projects only an aggregate (IC-12, IC-17) the sub-SELECT also projects its
``GROUP BY`` keys. The two must agree, or the test reports that instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from ipgraph.cli import main
from ipgraph.namespaces import shorten
from ipgraph.store import from_ox

DATACUBE = Path(__file__).parent / "datacube"
PREFIXES = (DATACUBE / "prefixes.rq").read_text(encoding="utf-8")
NORMALIZATION = [DATACUBE / "normalize-phase-1.ru", DATACUBE / "normalize-phase-2.ru"]
SHOWN = 25  # offending bindings listed in a failure message

# IC-12 and IC-17 project only an aggregate from their sub-SELECT; the diagnostic SELECT adds the
# GROUP BY keys (the observations) to that projection. Each replacement must match exactly once.
WITNESSES = {
    "IC-12": ("SELECT (MIN(?equal) AS ?allEqual)", "SELECT ?obs1 ?obs2 (MIN(?equal) AS ?allEqual)"),
    "IC-17": ("SELECT ?numMeasures (COUNT(?obs2) AS ?count)",
              "SELECT ?obs1 ?numMeasures (COUNT(?obs2) AS ?count)"),
}


@dataclass(frozen=True, repr=False)
class Constraint:
    name: str  # "IC-12"
    title: str  # "No duplicate observations"
    asks: tuple[str, ...]  # the ASK queries (IC-19 has two); for IC-20/21, the template
    instantiation: str | None = None  # IC-20/21: the query whose ?p bindings instantiate the template

    def __repr__(self) -> str:
        return f"{self.name} {self.title}"


def load_constraints() -> list[Constraint]:
    constraints = []
    for n in range(1, 22):
        text = (DATACUBE / f"ic-{n:02d}.rq").read_text(encoding="utf-8")
        title = re.search(rf"IC-{n}\.\s+([^:\n]+)", text).group(1).strip()
        asks = tuple(part for part in re.split(r"(?m)^(?=ASK \{)", text) if part.startswith("ASK"))
        inst = DATACUBE / f"ic-{n:02d}-instantiation.rq"
        constraints.append(Constraint(f"IC-{n}", title, asks,
                                      inst.read_text(encoding="utf-8") if inst.exists() else None))
    return constraints


CONSTRAINTS = load_constraints()


def normalized_store(turtle: bytes | Path) -> ox.Store:
    """A fresh store holding ``turtle``, normalized by the specification's two update operations."""
    store = ox.Store()
    if isinstance(turtle, Path):
        store.load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    else:
        store.load(turtle, format=ox.RdfFormat.TURTLE)
    for update in NORMALIZATION:
        store.update(update.read_text(encoding="utf-8"))
    return store


def instances(store: ox.Store, constraint: Constraint) -> list[tuple[str, str]]:
    """``(label, ASK query)`` for each query the constraint runs on this graph."""
    if constraint.instantiation is None:
        return [(f"query {i + 1} of {len(constraint.asks)}" if len(constraint.asks) > 1 else "", ask)
                for i, ask in enumerate(constraint.asks)]
    (template,) = constraint.asks
    found = sorted({row["p"].value for row in store.query(PREFIXES + constraint.instantiation)})
    return [(f"$p = <{p}>", template.replace("$p", p)) for p in found]


def as_select(name: str, ask: str) -> str:
    """The same pattern as a SELECT of every variable it binds."""
    assert ask.startswith("ASK {")
    select = "SELECT DISTINCT * {" + ask[len("ASK {"):]
    if name in WITNESSES:
        old, new = WITNESSES[name]
        assert select.count(old) == 1, f"{name}: the diagnostic rewrite no longer matches the query"
        select = select.replace(old, new)
    return select


def show(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    node = from_ox(term)
    if isinstance(term, ox.NamedNode):
        short = shorten(str(node))
        return short if short != str(node) else f"<{node}>"
    return node.n3()


def violations(store: ox.Store, constraint: Constraint) -> list[dict[str, str]]:
    """What violates ``constraint`` in ``store``: one ``{variable: node}`` per offending binding."""
    found = []
    for label, ask in instances(store, constraint):
        violated = bool(store.query(PREFIXES + ask))
        result = store.query(PREFIXES + as_select(constraint.name, ask))
        names = [v.value for v in result.variables]
        rows = [{**({"query": label} if label else {}),
                 **{f"?{n}": show(t) for n, t in zip(names, row, strict=True) if t is not None}}
                for row in result]
        if violated != bool(rows):
            raise AssertionError(f"{constraint.name} {label}: the ASK query says "
                                 f"{'violated' if violated else 'satisfied'} but its SELECT form found "
                                 f"{len(rows)} binding(s); the diagnostic rewrite is wrong")
        found += sorted(rows, key=lambda r: sorted(r.items()))
    return found


def report(constraint: Constraint, found: list[dict[str, str]]) -> str:
    """The failure message: the offending bindings, then each variable's distinct offending values."""
    lines = [f"{constraint.name} {constraint.title}: violated, {len(found)} offending binding(s):"]
    lines += ["  " + "  ".join(f"{k}={v}" for k, v in row.items()) for row in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"  … and {len(found) - SHOWN} more")
    lines.append("distinct values:")
    for name in dict.fromkeys(k for row in found for k in row):
        values = sorted({row[name] for row in found if name in row})
        more = f" … and {len(values) - SHOWN} more" if len(values) > SHOWN else ""
        lines.append(f"  {name} ({len(values)}): {' '.join(values[:SHOWN])}{more}")
    return "\n".join(lines)


# --- the exported graph ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cube(settings, tmp_path_factory) -> ox.Store:
    """What ``ipgraph export --format ttl`` writes, in a fresh store, normalized."""
    out = tmp_path_factory.mktemp("export") / "ipgraph.ttl"
    assert main(["--root", str(settings.root), "export", "--format", "ttl", "--output", str(out)]) == 0
    return normalized_store(out)


def test_the_exported_cube_has_its_observations(cube):
    """Not a W3C constraint: guards the ones below from passing on an empty cube."""
    query = PREFIXES + """SELECT (COUNT(?obs) AS ?n) WHERE {
        ?obs a qb:Observation ; qb:dataSet <https://ipgraph.example.org/id/dataset/guangzhou-2018> }"""
    (row,) = cube.query(query)
    assert int(row["n"].value) > 40


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=[c.name for c in CONSTRAINTS])
def test_the_exported_cube_satisfies(cube, constraint):
    found = violations(cube, constraint)
    assert not found, report(constraint, found)


# --- the checker itself, on small cubes whose verdicts are known ------------------------------------

WELL_FORMED = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix eg: <http://example.org/> .

eg:dsd a qb:DataStructureDefinition ;
    qb:component [ qb:dimension eg:area ] , [ qb:dimension eg:sector ] , [ qb:measure eg:count ] .
eg:area a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList eg:areas .
eg:sector a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList eg:sectors .
eg:count a qb:MeasureProperty .
eg:areas a skos:ConceptScheme .
eg:north a skos:Concept ; skos:inScheme eg:areas .
eg:sectors a qb:HierarchicalCodeList ; qb:hierarchyRoot eg:all ; qb:parentChildProperty eg:narrower .
eg:all eg:narrower eg:farming .
eg:ds qb:structure eg:dsd .
eg:o1 qb:dataSet eg:ds ; eg:area eg:north ; eg:sector eg:farming ; eg:count 1 .
"""

# (constraint, triples added to WELL_FORMED, a node the failure must name)
BROKEN = [
    ("IC-1", "eg:o1 qb:dataSet eg:ds2 . eg:ds2 qb:structure eg:dsd .", "http://example.org/ds2"),
    ("IC-4", "eg:dsd qb:component [ qb:dimension eg:year ] . eg:o1 eg:year 2018 .", "http://example.org/year"),
    ("IC-11", "eg:dsd qb:component [ qb:dimension eg:year ] . eg:year rdfs:range rdfs:Resource .",
     "http://example.org/year"),
    ("IC-12", "eg:o2 qb:dataSet eg:ds ; eg:area eg:north ; eg:sector eg:farming ; eg:count 2 .",
     "http://example.org/o2"),
    ("IC-19", "eg:o2 qb:dataSet eg:ds ; eg:area eg:south ; eg:sector eg:all ; eg:count 2 . "
              "eg:south skos:inScheme eg:areas .", "http://example.org/south"),
    ("IC-20", "eg:o2 qb:dataSet eg:ds ; eg:area eg:north ; eg:sector eg:mining ; eg:count 2 .",
     "http://example.org/mining"),
    ("IC-21", "eg:sectors qb:parentChildProperty [ owl:inverseOf eg:broader ] .", "http://example.org/farming"),
]


def test_the_checker_passes_a_well_formed_cube():
    store = normalized_store(WELL_FORMED.encode())
    assert {c.name: violations(store, c) for c in CONSTRAINTS} == {c.name: [] for c in CONSTRAINTS}


@pytest.mark.parametrize(("name", "extra", "node"), BROKEN, ids=[b[0] for b in BROKEN])
def test_the_checker_catches(name, extra, node):
    store = normalized_store((WELL_FORMED + extra).encode())
    failing = {c.name: violations(store, c) for c in CONSTRAINTS}
    assert failing[name], f"{name} not detected"
    assert any(f"<{node}>" in row.values() for row in failing[name]), failing[name]
