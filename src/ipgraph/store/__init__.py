"""The one way views and commands reach the data.

:class:`Store` is the interface; :class:`EmbeddedStore` is Oxigraph on this machine, the graph
built once on disk (:mod:`.disk`) and opened read-only. A remote SPARQL endpoint is another
implementation of the same interface: nothing outside this package knows which one it talks to.

Two kinds of query go through a store:

* the site's own queries (``ipgraph.queries``), trusted and small, with values bound as terms —
  :meth:`Store.select`, :meth:`Store.ask`, :meth:`Store.construct` — answered with rdflib terms;
* anyone's query from ``/sparql`` — :meth:`Store.answer` — which runs under the time, size and
  memory limits in a query worker (:mod:`.pool`) and comes back as the bytes of the negotiated format.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("http://example.org/a"), URIRef("http://example.org/n"), Literal(3)))
>>> store = EmbeddedStore.from_graph(g)
>>> rows = store.select("SELECT ?s ?n WHERE { ?s ?p ?n }", bindings={"s": URIRef("http://example.org/a")})
>>> rows[0]["n"].toPython()
3

A bound variable of a SELECT query must be in its projection (SEP-0007 substitution).
"""

from __future__ import annotations

from .base import Answer, Bindings, Limits, Store
from .embedded import EmbeddedStore
from .engine import from_ox, to_ox

__all__ = ["Answer", "Bindings", "EmbeddedStore", "Limits", "Store", "from_ox", "to_ox"]
