"""Whether two graphs are the same graph, fast when their blank nodes can be told apart.

rdflib's ``isomorphic`` tries every way of matching blank nodes; over the whole report (thousands
of quote selectors, each a blank node) that takes most of a minute. A blank node of this data is
told apart by what it says and by what points to it (a passage's selector by its passage and its
quote), so each is named by a digest of those triples, and the graphs compared as sets of
triples. Where two blank nodes of one graph get the same name, this falls back to rdflib.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic


def same_graph(a: Graph, b: Graph) -> bool:
    named_a, named_b = _named(a), _named(b)
    if named_a is None or named_b is None:
        return isomorphic(a, b)
    return named_a == named_b


def _named(graph: Graph) -> set | None:
    """The triples with each blank node replaced by a name made of its surroundings, or None when
    two blank nodes get the same name."""
    def around(node: BNode) -> str:
        out = sorted(f"{p.n3()} {o.n3()}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode))
        into = sorted(f"{s.n3()} {p.n3()}" for s, p in graph.subject_predicates(node) if not isinstance(s, BNode))
        return hashlib.sha256("\n".join(out + ["<-"] + into).encode("utf-8")).hexdigest()

    nodes = {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode)}
    names = {node: URIRef(f"urn:bnode:{around(node)}") for node in nodes}
    if len(set(names.values())) < len(names):
        return None
    return {tuple(names.get(x, x) for x in triple) for triple in graph}
