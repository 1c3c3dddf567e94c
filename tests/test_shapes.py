"""The SHACL shapes: each one's examples behave, and the real data conforms.

Every node shape in ``shapes/`` has ``tests/shapes/{Shape}-valid.ttl``, which conforms to *all*
shapes on its own, and ``{Shape}-invalid.ttl`` (plus optional ``{Shape}-invalid-{case}.ttl``),
which breaks exactly one rule of that shape. The comment at its top says which in words
(``# Invalid: …``) and as the rule itself (``# Breaks: {source} {component} {path}``, see
:attr:`ipgraph.validation.Violation.rule`), and every violation the example produces must be
that rule. Every constraint of the shapes graph is the declared rule of some invalid example, or
is listed in :data:`UNCOVERED`. Examples are validated the way the data is, with the ontology and
the report's text beside them (:mod:`ipgraph.validation`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ipgraph.cli import main
from ipgraph.namespaces import IPG, QB
from ipgraph.validation import (
    ShapesError,
    Validation,
    default_ontology,
    default_report_text,
    default_shapes,
    format_violation,
    shape_name,
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


BREAKS = "# Breaks: "


def declared_rule(example: Path) -> tuple[str, str, str]:
    """The rule an invalid example says it breaks: its ``# Breaks: {source} {component} {path}`` line.

    The line is in the comment block at the top of the file; ``path`` is ``-`` for a rule with no
    path (a node shape's own constraint, a SPARQL constraint that reports none).
    """
    header = []
    for line in example.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    lines = [line[len(BREAKS):].split() for line in header if line.startswith(BREAKS)]
    assert len(lines) == 1, f"{example.name}: say at the top, in one '{BREAKS}' line, the rule it breaks"
    assert len(lines[0]) == 3, f"{example.name}: '{BREAKS}{{source}} {{component}} {{path}}', got {lines[0]}"
    source, component, path = lines[0]
    return source, component, path


# The constraint component of each parameter of a shape (SHACL core, section 4); sh:sparql is its
# own component per constraint. A parameter missing here fails test_every_constraint_is_known.
COMPONENTS = {
    SH[p]: f"sh:{c}ConstraintComponent" for p, c in {
        "class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind",
        "minCount": "MinCount", "maxCount": "MaxCount",
        "minExclusive": "MinExclusive", "minInclusive": "MinInclusive",
        "maxExclusive": "MaxExclusive", "maxInclusive": "MaxInclusive",
        "minLength": "MinLength", "maxLength": "MaxLength", "pattern": "Pattern",
        "languageIn": "LanguageIn", "uniqueLang": "UniqueLang",
        "equals": "Equals", "disjoint": "Disjoint", "lessThan": "LessThan",
        "lessThanOrEquals": "LessThanOrEquals",
        "not": "Not", "and": "And", "or": "Or", "xone": "Xone", "node": "Node",
        "qualifiedMinCount": "QualifiedMinCount", "qualifiedMaxCount": "QualifiedMaxCount",
        "closed": "Closed", "hasValue": "HasValue", "in": "In",
    }.items()
}
# sh: terms on a shape that are no constraint of their own: targets, paths, messages, the shapes
# sh:property leads to (walked), and the companions of a parameter (sh:flags of sh:pattern …).
NOT_CONSTRAINTS = {SH[t] for t in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "property", "message",
    "severity", "name", "description", "order", "group", "deactivated", "flags", "qualifiedValueShape",
    "qualifiedValueShapesDisjoint", "ignoredProperties", "declare", "prefixes", "sparql")}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def constraints_of(shapes: Graph, roots: set[Node]) -> set[tuple[str, str]]:
    """Every constraint of ``roots`` and of the property shapes they reach, as ``(source, component)``.

    ``source`` is named as in :attr:`Violation.rule`: the shape, or the SPARQL constraint where it
    has a name. A property shape has one path, so ``(source, component)`` names one rule.
    """
    found: set[tuple[str, str]] = set()
    seen: set[Node] = set()
    todo = list(roots)
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        todo.extend(shapes.objects(shape, SH.property))
        for predicate in set(shapes.predicates(shape, None)):
            if predicate in COMPONENTS:
                found.add((shape_name(shape), COMPONENTS[predicate]))
            elif predicate == SH.sparql:
                for constraint in shapes.objects(shape, SH.sparql):
                    source = constraint if isinstance(constraint, URIRef) else shape
                    found.add((shape_name(source), "sh:SPARQLConstraintComponent"))
            elif str(predicate).startswith(str(SH)) and predicate not in NOT_CONSTRAINTS:
                found.add((shape_name(shape), f"unknown parameter {shape_name(predicate)}"))
    return found


def targeted(shapes: Graph) -> set[Node]:
    """The shapes with a target of their own: the node shapes and a few property shapes."""
    return {s for target in TARGETS for s in shapes.subjects(target, None)}


def all_constraints(shapes: Graph) -> set[tuple[str, str]]:
    """Every constraint that can report a violation: reachable from a shape with a target."""
    return constraints_of(shapes, targeted(shapes))


def constraints_for_example(shapes: Graph, name: str) -> set[tuple[str, str]]:
    """The constraints an invalid example named after node shape ``name`` may break: that shape's,
    and those of the property shapes that carry their own target (``ipgsh:partner`` …), which
    belong to no one node shape."""
    own_target = {s for s in targeted(shapes) if (s, SH.path, None) in shapes}
    return constraints_of(shapes, {URIRef(SHAPES_NS + name)}) | constraints_of(shapes, own_target)


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
def test_invalid_example_breaks_exactly_its_rule(example: Path, check, shapes: Graph) -> None:
    first_lines = example.read_text(encoding="utf-8").splitlines()[:3]
    assert any(line.startswith("# Invalid: ") for line in first_lines), "say at the top which rule it breaks"
    rule = declared_rule(example)
    assert rule[:2] in constraints_for_example(shapes, shape_of(example)), (
        f"{rule} is no constraint of {shape_of(example)} or of its property shapes")
    result = check(example)
    assert not result.conforms
    broken = {v.rule for v in result.violations}
    assert broken == {rule}, (
        f"declared {' '.join(rule)}; broke:\n"
        + "\n".join(f"{' '.join(v.rule)}: {format_violation(v)}" for v in result.violations))


# Constraints that no invalid example breaks, with the reason. A ratchet: a new constraint without
# an example fails test_every_constraint_has_an_invalid_example, and so does an example for a
# constraint listed here until it is taken off the list. Each of these cannot be broken on its own:
# whatever breaks it breaks another constraint too, so no example can declare it as its one rule.
_LANG = "a value that is no rdf:langString has no language tag, so it breaks sh:languageIn too"
_EXACT_TAG = "a tag outside sh:languageIn's ranges also fails the exact-tag SPARQL constraint"
UNCOVERED: dict[tuple[str, str], str] = {
    ("ipgsh:evidence", "sh:NodeKindConstraintComponent"):
        "a literal breaks sh:class ipg:Passage too; a blank-node passage breaks NamedNodeShape",
    ("ipgsh:NamedNodeShape", "sh:NodeKindConstraintComponent"): "a blank node also fails sh:pattern",
    ("ipgsh:slogan", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:namedPerson", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:topic", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:ObservationShape-statedAs", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:RankStatementShape-statedAs", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:RankStatementShape-rankComparand", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:altLabel-zh", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:label-languages", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:prefLabel-languages", "sh:DatatypeConstraintComponent"): _LANG,
    ("ipgsh:altLabel-zh", "sh:LanguageInConstraintComponent"): _EXACT_TAG,
    ("ipgsh:label-languages", "sh:LanguageInConstraintComponent"): _EXACT_TAG,
    ("ipgsh:prefLabel-languages", "sh:LanguageInConstraintComponent"): _EXACT_TAG,
    ("ipgsh:DataSetShape-structure", "sh:MinCountConstraintComponent"):
        "no qb:structure also fails sh:hasValue ipg:ObservationStructure",
    ("ipgsh:ObservationShape-changeOf", "sh:ClassConstraintComponent"):
        "a target that is no qb:Observation also fails ObservationShape-changeOf-level",
    ("ipgsh:ReportTextShape-chars", "sh:MaxCountConstraintComponent"):
        "two texts that both match the one checksum differ only in datatype, so sh:datatype fails too",
    ("ipgsh:ReportTextShape-sha256", "sh:MaxCountConstraintComponent"):
        "two digests that both match the text differ only in datatype, so sh:datatype fails too",
    ("ipgsh:ReportTextShape-sha256", "sh:PatternConstraintComponent"):
        "a digest that is not 64 lowercase hex digits never matches the text (the checksum fails), and "
        "without cnt:chars the text breaks ReportTextShape-chars",
    ("ipgsh:InstantShape-year", "sh:MaxCountConstraintComponent"):
        "a second integer year either differs from the date's (InstantShape-year-of-date) or is the same "
        "literal once rdflib normalises it",
    ("ipgsh:ProperIntervalShape-year", "sh:DatatypeConstraintComponent"):
        "a one-year period's ipg:year of another datatype is not the integer year that "
        "ProperIntervalShape-calendar-year looks for; a period of several years breaks several-years",
}


def test_every_constraint_is_known(shapes: Graph) -> None:
    unknown = sorted(c for c in all_constraints(shapes) if c[1].startswith("unknown"))
    assert not unknown, f"add these parameters to COMPONENTS or NOT_CONSTRAINTS: {unknown}"


def test_every_constraint_has_an_invalid_example(shapes: Graph) -> None:
    constraints = all_constraints(shapes)
    declared = {declared_rule(example)[:2] for example in INVALID}
    assert sorted(declared - constraints) == [], "examples declare rules that are no constraint"
    uncovered = constraints - declared
    assert sorted(uncovered - set(UNCOVERED)) == [], "write an invalid example for each of these"
    assert sorted(set(UNCOVERED) - uncovered) == [], "these have an example now: take them off UNCOVERED"


def test_a_shapes_graph_pyshacl_cannot_use_raises_a_clear_error() -> None:
    """Regression: a SPARQL constraint with VALUES made pySHACL return a ``ValidationFailure`` in
    place of the report graph, and ``validate`` crashed reading it
    (AttributeError: 'ValidationFailure' object has no attribute 'subjects')."""
    with pytest.raises(ShapesError, match="VALUES"):
        validate(Graph().parse(data=VALUES_DATA, format="turtle"),
                 shapes=Graph().parse(data=VALUES_SHAPES, format="turtle"), ontology=Graph(), report_text="")


VALUES_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "m" ;
                sh:select "SELECT $this WHERE { VALUES ?v { 1 } $this ex:p ?v }" ] .
"""
VALUES_DATA = "<http://example.org/a> a <http://example.org/Thing> ; <http://example.org/p> 1 ."


def test_validate_exits_2_when_the_shapes_are_broken(tmp_path: Path, capsys) -> None:
    """The command line says what is wrong with the shapes, with status 2, instead of a traceback."""
    for part in ("ontology", "shapes", "data/source"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "data" / "turtle").mkdir()
    shutil.copy(EXAMPLES / "MarketShape-valid.ttl", tmp_path / "data" / "turtle" / "market.ttl")
    (tmp_path / "shapes" / "broken.ttl").write_text(
        VALUES_SHAPES.replace("ex:Thing", "<https://ipgraph.example.org/def/Market>"), encoding="utf-8")
    assert main(["--root", str(tmp_path), "validate"]) == 2
    err = capsys.readouterr().err
    assert "shapes" in err and "VALUES" in err


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
