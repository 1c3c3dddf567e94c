"""Check a graph against the SHACL shapes in ``shapes/``, with the ontology and the report's text.

The shapes need two things beside the data: the ontology's subclass axioms (``sh:class ipg:Passage``
accepts any subclass only if ``rdfs:subClassOf`` is in the graph being validated; pySHACL runs with
``inference="none"``) and the report's text (``cnt:chars`` on ``report:guangzhou-2018-text``),
against which every quote is checked. :func:`validate` puts the three together, runs pySHACL and
returns the results as plain values; :func:`format_violation` turns one into a line a person can
act on. A shapes graph that pySHACL cannot use (a SPARQL constraint with ``VALUES``, a malformed
shape) raises :class:`ShapesError` rather than passing for a report.

>>> from rdflib import Graph
>>> result = validate(Graph(), shapes=Graph(), ontology=Graph(), report_text="")
>>> result.conforms, result.violations
(True, ())
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pyshacl
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, NamespaceManager
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .config import Settings, default_root
from .namespaces import CNT, ID, PREFIXES, SH, shorten

REPORT_TEXT = URIRef(f"{ID}report/guangzhou-2018-text")
# The shapes' own namespace (``shapes/*.ttl``), written ``ipgsh:`` in violations and examples.
SHAPES = "https://ipgraph.example.org/def/shapes/"

_PATH_OPERATORS = (
    (SH.zeroOrMorePath, "*"),
    (SH.oneOrMorePath, "+"),
    (SH.zeroOrOnePath, "?"),
)


class ShapesError(ValueError):
    """pySHACL could not validate with the shapes graph: the shapes are broken, not the data.

    pySHACL reports such a failure (https://www.w3.org/TR/shacl/#failures) by returning a
    ``ValidationFailure`` in place of the report graph, or raises while loading the shapes; either
    way no result says anything about the data. A ``ValueError``, so that the command line exits
    with status 2 and the message.
    """


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, in terms a person can act on.

    ``focus`` is the full IRI of the node at fault (``_:…`` for a blank node), ``focus_label`` its
    ``rdfs:label`` (English, else Chinese), ``path`` the property as a prefixed name or SPARQL
    property path, ``shape`` the shape that reported it (``sh:sourceShape``: ``ipgsh:level`` for
    the shared property shape, whichever node shape uses it), ``value`` the offending value, if
    any, ``component`` the constraint component broken (``sh:sourceConstraintComponent``, such as
    ``sh:MaxCountConstraintComponent``) and ``constraint`` the SPARQL-based constraint that
    reported it (``sh:sourceConstraint``; ``None`` for the other components).
    """

    focus: str
    focus_label: str | None
    path: str | None
    message: str
    severity: str
    shape: str
    value: str | None
    component: str
    constraint: str | None = None

    @property
    def rule(self) -> tuple[str, str, str]:
        """The constraint broken, as ``(source, component, path)``; ``path`` is ``-`` if none.

        ``source`` is the SPARQL-based constraint where it has a name
        (``ipgsh:PassageShape-in-report``), else the shape (``ipgsh:level``, or
        ``ipgsh:label-languages`` for its unnamed SPARQL constraint). The examples in
        ``tests/shapes/`` declare the one rule they break in this form.

        >>> Violation(focus="_:b", focus_label=None, path="ipg:level", message="m", severity="Violation",
        ...           shape="ipgsh:level", value=None, component="sh:MaxCountConstraintComponent").rule
        ('ipgsh:level', 'sh:MaxCountConstraintComponent', 'ipg:level')
        """
        named = self.constraint is not None and not self.constraint.startswith("_:")
        return (self.constraint if named else self.shape), self.component, self.path or "-"


@dataclass(frozen=True)
class Validation:
    """The outcome of :func:`validate`: whether the data conforms, why not, and pySHACL's report."""

    conforms: bool
    violations: tuple[Violation, ...]
    graph: Graph


def turtle_graph(files: Iterable[Path]) -> Graph:
    """One graph parsed from the Turtle ``files``."""
    graph = Graph()
    for file in files:
        graph.parse(file, format="turtle")
    return graph


def default_shapes(root: Path | None = None) -> Graph:
    """The shapes graph: every ``shapes/*.ttl`` of the project."""
    return turtle_graph(sorted(((root or default_root()) / "shapes").glob("*.ttl")))


def default_ontology(root: Path | None = None) -> Graph:
    """The ontology graph: every ``ontology/*.ttl`` of the project."""
    return turtle_graph(sorted(((root or default_root()) / "ontology").glob("*.ttl")))


def default_report_text(root: Path | None = None) -> str:
    """The report's text, the target of every quote."""
    return Settings(root=root or default_root()).source_file.read_text(encoding="utf-8")


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pySHACL sends a SPARQL-based constraint's text to ``query`` once per focus node, and rdflib
    parses it every time (most of the run time with a few hundred passages). Parsed queries are
    kept per graph, so nothing outlives one validation.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def data_graph(data: Graph, ontology: Graph, report_text: str) -> Graph:
    """A new graph of ``data`` and ``ontology``, with the report's text on its text node."""
    graph = _PreparedQueryGraph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for source in (ontology, data):
        for triple in source:
            graph.add(triple)
    graph.add((REPORT_TEXT, CNT.chars, Literal(report_text)))
    return graph


def validate(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    report_text: str | None = None,
) -> Validation:
    """Validate ``data`` against the project's shapes, with the ontology and the report's text.

    Any of ``shapes``, ``ontology`` and ``report_text`` left out is read from the project
    (``shapes/*.ttl``, ``ontology/*.ttl``, ``data/source/guangzhou-ip-report-2018.zh.txt``).
    ``data`` is not changed. Warnings count as failures (``allow_warnings=False``).
    """
    shapes = default_shapes() if shapes is None else shapes
    ontology = default_ontology() if ontology is None else ontology
    report_text = default_report_text() if report_text is None else report_text
    graph = data_graph(data, ontology, report_text)
    try:
        conforms, results, _text = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=False,
            inplace=True,
        )
    except ReportableRuntimeError as exc:  # a shape or constraint pySHACL cannot load
        raise ShapesError(f"the SHACL shapes cannot be used: {exc_message(exc)}") from exc
    if isinstance(results, ValidationFailure):  # returned, not raised: no report graph at all
        raise ShapesError(f"the SHACL shapes cannot be used: {exc_message(results)}")
    violations = tuple(sorted(set(read_results(results, graph)),
                              key=lambda v: (v.focus, v.path or "", v.shape, v.component, v.message,
                                             v.value or "")))
    return Validation(conforms=bool(conforms), violations=violations, graph=results)


def exc_message(exc: ReportableRuntimeError) -> str:
    """pySHACL's own message for ``exc``, on one line."""
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())


def read_results(results: Graph, data: Graph) -> Iterable[Violation]:
    """The ``sh:ValidationResult``\\ s of pySHACL's report ``results`` as :class:`Violation`\\ s."""
    names = prefix_graph().namespace_manager
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        constraint = results.value(result, SH.sourceConstraint)
        yield Violation(
            focus=node_text(focus, compact=False),
            focus_label=label(data, focus),
            path=None if path is None else path_text(results, path),
            message="; ".join(messages) or "(no message)",
            severity=local_name(severity) if severity is not None else "Violation",
            shape=shape_name(results.value(result, SH.sourceShape)),
            # pySHACL reports the focus node as the value of a node-level SPARQL result.
            value=None if value is None or value == focus else node_text(value, names=names),
            component=shape_name(component) if component is not None else "(no component)",
            constraint=None if constraint is None else shape_name(constraint),
        )


def shape_name(node: Node | None) -> str:
    """A shape, constraint or constraint component as a prefixed name (``ipgsh:level``,
    ``sh:MaxCountConstraintComponent``), ``_:id`` for a blank node.

    >>> shape_name(URIRef(SHAPES + "level")), shape_name(SH.MaxCountConstraintComponent)
    ('ipgsh:level', 'sh:MaxCountConstraintComponent')
    """
    if isinstance(node, URIRef) and str(node).startswith(SHAPES) and "/" not in str(node)[len(SHAPES):]:
        return f"ipgsh:{str(node)[len(SHAPES):]}"
    return node_text(node)


def label(graph: Graph, node: Node | None) -> str | None:
    """``node``'s ``rdfs:label`` in English, else in Chinese, else any; ``None`` if it has none."""
    if node is None:
        return None
    labels = [v for v in graph.objects(node, RDFS.label) if isinstance(v, Literal)]
    for lang in ("en", "zh"):
        for value in labels:
            if value.language == lang:
                return str(value)
    return str(labels[0]) if labels else None


def local_name(iri: Node) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def node_text(node: Node | None, *, compact: bool = True, names: NamespaceManager | None = None) -> str:
    """``node`` as text: a prefixed name (or the full IRI), ``_:id``, or a Turtle literal.

    >>> node_text(Literal(5))
    '"5"^^xsd:integer'
    """
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return shorten(str(node)) if compact else str(node)
    if isinstance(node, Literal):
        return node.n3(namespace_manager=names or prefix_graph().namespace_manager)
    return node.n3()


def prefix_graph() -> Graph:
    """An empty graph that knows the project's prefixes (for writing literals' datatypes)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path, as found in ``graph``, written as a SPARQL property path."""
    if isinstance(path, URIRef):
        return shorten(str(path))
    if not isinstance(path, BNode):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{wrap(path_text(graph, inverse))}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(wrap(path_text(graph, p)) for p in Collection(graph, alternatives))
    for operator, symbol in _PATH_OPERATORS:
        inner = graph.value(path, operator)
        if inner is not None:
            return f"{wrap(path_text(graph, inner))}{symbol}"
    if graph.value(path, RDF.first) is not None:
        return "/".join(wrap(path_text(graph, p)) for p in Collection(graph, path))
    return path.n3()


def wrap(text: str) -> str:
    """``text`` in parentheses when it is a compound path."""
    return f"({text})" if any(c in text for c in "/|^*+?") and not text.startswith("^") else text


def format_violation(v: Violation) -> str:
    """One line a person can act on: ``<label> <focus> — <path>: <message>``.

    >>> format_violation(Violation(
    ...     focus="https://ipgraph.example.org/id/passage/x", focus_label="a quote", path="oa:hasSource",
    ...     message="Give the passage its source.", severity="Violation",
    ...     shape="ipgsh:PassageShape-hasSource", value=None, component="sh:MinCountConstraintComponent"))
    'a quote passage:x — oa:hasSource: Give the passage its source.'
    """
    head = " ".join(part for part in (v.focus_label, shorten(v.focus)) if part)
    where = f" — {v.path}" if v.path else ""
    value = f" (value: {v.value})" if v.value and v.value not in v.message else ""
    level = "" if v.severity == "Violation" else f"[{v.severity}] "
    return f"{level}{head}{where}: {v.message}{value}"


def validate_settings(graph: Graph, settings: Settings) -> Validation:
    """Validate ``graph`` — built by :func:`ipgraph.dataset.build_graph`, so the ontology and the
    report's text are in it already — against the shapes of the project ``settings`` points at."""
    return validate(graph, shapes=default_shapes(settings.root), ontology=Graph(),
                    report_text=settings.source_file.read_text(encoding="utf-8"))


def report_document(result: Validation, *, version: str, triples: int) -> dict[str, object]:
    """``result`` as the JSON document the site's quality page reads (``/quality.json``)."""
    violations = [asdict(v) for v in result.violations]
    return {
        "version": version,
        "triples": triples,
        "conforms": result.conforms,
        "counts": {
            "results": len(violations),
            "focus_nodes": len({v["focus"] for v in violations}),
            "by_severity": dict(Counter(v["severity"] for v in violations).most_common()),
            "by_shape": dict(Counter(v["shape"] for v in violations).most_common()),
        },
        "results": violations,
    }
