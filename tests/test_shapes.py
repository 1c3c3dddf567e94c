"""The SHACL shapes: each one's examples behave, and the real data conforms.

Every node shape in ``shapes/`` has ``tests/shapes/{Shape}-valid.ttl``, which conforms to *all*
shapes on its own, and ``{Shape}-invalid.ttl`` (plus optional ``{Shape}-invalid-{case}.ttl``),
which breaks a rule of that shape: the comment at its top says which. Examples are validated the
way the data is, with the ontology and the report's text beside them (:mod:`ipgraph.validation`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ipgraph.namespaces import IPG, QB
from ipgraph.validation import (
    Validation,
    default_ontology,
    default_report_text,
    default_shapes,
    format_violation,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "shapes"
DATA = ROOT / "data" / "turtle"
SHAPES_NS = "https://ipgraph.example.org/def/shapes/"

VALID = sorted(EXAMPLES.glob("*-valid.ttl"))
INVALID = sorted(EXAMPLES.glob("*-invalid*.ttl"))


def shape_of(example: Path) -> str:
    """The shape an example file is named after: ``ObservationShape-invalid-unit.ttl`` → ``ObservationShape``."""
    return example.name.split("-", 1)[0]


def node_shapes(shapes: Graph) -> set[str]:
    """Local names of the node shapes (shapes with a target) in the ``ipgsh:`` namespace."""
    return {str(s)[len(SHAPES_NS):] for s in shapes.subjects(SH.targetClass, None) if str(s).startswith(SHAPES_NS)}


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return default_shapes()


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return default_ontology()


@pytest.fixture(scope="session")
def report_text() -> str:
    return default_report_text()


@pytest.fixture
def check(shapes: Graph, ontology: Graph, report_text: str):
    """Validate one Turtle file the way the data is validated."""

    def run(path: Path) -> Validation:
        return validate(Graph().parse(path, format="turtle"), shapes=shapes, ontology=ontology,
                        report_text=report_text)

    return run


def test_every_node_shape_has_a_valid_and_an_invalid_example(shapes: Graph) -> None:
    names = node_shapes(shapes)
    assert names, "no node shapes found in shapes/"
    missing = sorted(f"{name}-{kind}.ttl" for name in names for kind in ("valid", "invalid")
                     if not (EXAMPLES / f"{name}-{kind}.ttl").is_file())
    assert not missing, f"examples missing in tests/shapes/: {missing}"
    strays = sorted(p.name for p in VALID + INVALID if shape_of(p) not in names)
    assert not strays, f"examples named after no shape: {strays}"


def test_every_node_shape_has_a_label_and_messages(shapes: Graph) -> None:
    problems = []
    for name in sorted(node_shapes(shapes)):
        shape = URIRef(SHAPES_NS + name)
        if shapes.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is None:
            problems.append(f"{name}: no rdfs:label")
        for prop in shapes.objects(shape, SH.property):
            if shapes.value(prop, SH.message) is None:
                problems.append(f"{name}: property shape {prop} has no sh:message")
        for constraint in shapes.objects(shape, SH.sparql):
            if shapes.value(constraint, SH.message) is None:
                problems.append(f"{name}: SPARQL constraint {constraint} has no sh:message")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(example: Path, check) -> None:
    result = check(example)
    assert result.conforms, "\n".join(format_violation(v) for v in result.violations)


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_breaks_its_shape(example: Path, check, shapes: Graph) -> None:
    first_lines = example.read_text(encoding="utf-8").splitlines()[:3]
    assert any(line.startswith("# Invalid: ") for line in first_lines), "say at the top which rule it breaks"
    result = check(example)
    assert not result.conforms
    shape = URIRef(SHAPES_NS + shape_of(example))
    own = {str(shape)} | {str(p) for p in shapes.objects(shape, SH.property)}
    reported = {v.shape for v in result.violations}
    assert own & reported, (
        f"no violation from {shape_of(example)} or its property shapes; got:\n"
        + "\n".join(f"{v.shape}: {format_violation(v)}" for v in result.violations))


def test_format_violation_names_the_node_the_path_and_the_fix(check) -> None:
    result = check(EXAMPLES / "PassageShape-invalid-too-short.ttl")
    lines = [format_violation(v) for v in result.violations]
    expected = ("patent applications passage:gz-patent-applications — oa:hasSelector/oa:exact: "
                "Make oa:exact a plain string of 6 to 200 characters")
    assert any(line.startswith(expected) for line in lines), lines


def test_a_quote_not_in_the_report_is_named(check) -> None:
    result = check(EXAMPLES / "PassageShape-invalid.ttl")
    assert any("全市专利申请量173124件" in v.message and v.path == "oa:exact" for v in result.violations)


def data_files() -> list[Path]:
    return sorted(DATA.glob("*.ttl"))


def test_every_class_in_the_data_has_a_node_shape(shapes: Graph) -> None:
    files = data_files()
    assert files, f"no Turtle files in {DATA}"
    data = Graph()
    for f in files:
        data.parse(f, format="turtle")
    used = {c for c in data.objects(None, RDF.type) if str(c).startswith(str(IPG)) or c == QB.Observation}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert sorted(used - targeted) == []


def test_the_data_conforms(shapes: Graph, ontology: Graph, report_text: str) -> None:
    files = data_files()
    assert files, f"no Turtle files in {DATA}"
    data = Graph()
    for f in files:
        data.parse(f, format="turtle")
    result = validate(data, shapes=shapes, ontology=ontology, report_text=report_text)
    if not result.conforms:
        pytest.fail(f"{len(result.violations)} violations:\n"
                    + "\n".join(format_violation(v) for v in result.violations), pytrace=False)
