"""Oxigraph, the engine under the embedded store: terms both ways, and answering one query.

:func:`answer_query` is what a query worker runs for every ``/sparql`` query: it writes the
result in the negotiated format, or the problem, as one message (:func:`pack`) that the pool
reads back with :func:`unpack`. It is here, not in the worker, so that the two ends of the message
sit side by side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import Problem, QueryAborted, QuerySyntaxError, ResultTooLarge, StoreUnavailable
from ..namespaces import PREFIXES
from ..querycheck import names_dataset
from ..results import write_boolean, write_solutions
from .base import Answer, Bindings

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
               "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}

def to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


def from_ox(term: Any) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


def run(store: ox.Store, query: str, bindings: Bindings | None = None, **dataset: Any) -> Any:
    """``query`` on ``store`` with ``bindings`` substituted, over the merge of the store's graphs
    unless ``dataset`` (:func:`dataset_options`) says otherwise; the engine's errors as problems."""
    substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
    options = dataset or {"use_default_graph_as_union": True}
    try:
        return store.query(query, substitutions=substitutions or None, **options)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except OSError as exc:
        raise StoreUnavailable(str(exc)) from None


def dataset_options(query: str, default: list[str] | None, named: list[str] | None,
                    base: str | None) -> dict[str, Any]:
    """The options of ``Store.query`` for a request's dataset (:class:`~.base.Dataset`, ``None``
    when the request names none) and base IRI: the graphs it names, else the query's own ``FROM``
    and ``FROM NAMED``, else the merge of every graph of the store (Oxigraph ignores ``FROM`` under
    ``use_default_graph_as_union``, so that is set only when the query has none)."""
    options: dict[str, Any] = {"base_iri": base}
    if default is not None or named is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in default or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in named or ()]
    elif not names_dataset(query):
        options["use_default_graph_as_union"] = True
    return options


def answer_query(store: ox.Store, query: str, solutions: str, graph: str, media_types: tuple[str, str],
                 max_rows: int, default: list[str] | None = None, named: list[str] | None = None,
                 base: str | None = None) -> bytes:
    """Answer an untrusted query over the dataset :func:`dataset_options` makes of ``default``,
    ``named`` and ``base``: solutions or a boolean written as ``solutions`` (a result format key),
    triples as ``graph`` (an RDF format key), at most ``max_rows`` of either; the result or the
    problem packed as one message."""
    try:
        result = run(store, query, **dataset_options(query, default, named, base))
        if isinstance(result, ox.QueryBoolean):
            answer = Answer(media_types[0], write_boolean(bool(result), solutions))
        elif isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = capped(({n: t for n, t in zip(names, s, strict=True) if t is not None} for s in result),
                          max_rows, "solutions")
            answer = Answer(media_types[0], write_solutions(names, rows, solutions))
        else:
            triples = capped(result, max_rows, "triples")
            body = ox.serialize(triples, format=RDF_FORMATS[graph], prefixes=prefixes_for(graph, triples))
            answer = Answer(media_types[1], body)
    except Problem as problem:
        return pack({"problem": type(problem).__name__, "message": problem.message}, b"")
    return pack({"media_type": answer.media_type}, answer.body)


def dump_store(store: ox.Store, fmt: str) -> bytes:
    """Every quad of ``store`` in its named graph (``trig``, ``nquads``), or the merge of its graphs
    as triples (``turtle``, ``ntriples``, ``rdfxml``, ``jsonld``)."""
    if fmt in ("trig", "nquads"):
        return store.dump(format=RDF_FORMATS[fmt], prefixes=prefixes_for(fmt))
    triples = (quad.triple for quad in store)
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes_for(fmt))


def prefixes_for(fmt: str, triples: Iterable[Any] | None = None) -> dict[str, str] | None:
    """The prefixes to write ``fmt`` with: those that ``triples`` use, or all of them."""
    if fmt not in ("turtle", "trig", "rdfxml"):
        return None
    if triples is None:
        return dict(PREFIXES)
    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def capped(items: Iterable[Any], limit: int, what: str) -> list[Any]:
    """``items`` as a list, or :class:`ResultTooLarge` once there are more than ``limit``."""
    taken = []
    for item in items:
        if len(taken) == limit:
            raise ResultTooLarge(f"the result has more than {limit:,} {what}, the most one answer may "
                                 "hold; add LIMIT (and OFFSET to page through it)")
        taken.append(item)
    return taken


# The worker's message: one line of JSON (the outcome), then the body.
_PROBLEMS = {cls.__name__: cls for cls in (QuerySyntaxError, ResultTooLarge, StoreUnavailable)}


def pack(head: dict[str, str], body: bytes) -> bytes:
    return json.dumps(head).encode() + b"\n" + body


def unpack(payload: bytes, max_memory: int) -> Answer:
    """The answer a worker wrote, or the problem it reported; a message cut short means the
    worker ended mid-answer (over its memory, or the engine failed)."""
    line, newline, body = payload.partition(b"\n")
    if not newline:
        raise QueryAborted(f"the query stopped the engine before it answered: it needed more than the "
                           f"{max_memory:,} MiB of memory a query may use, or the engine failed on "
                           "it; narrow it down")
    head = json.loads(line)
    if "problem" in head:
        raise _PROBLEMS.get(head["problem"], Problem)(head["message"])
    return Answer(head["media_type"], body)
