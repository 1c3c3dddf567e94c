"""The one way views and commands reach the data.

:class:`Store` is the interface; :class:`EmbeddedStore` is Oxigraph on this machine, the graph
built once on disk (:mod:`.disk`) and opened read-only; :class:`RemoteStore` is any SPARQL 1.1
endpoint that holds the graph (:mod:`.remote`). :func:`open_store` opens the one the settings name:
nothing outside this package knows which one it talks to.

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

from pathlib import Path

from ..config import Settings
from . import disk
from .base import Answer, Bindings, Dataset, Limits, Store
from .embedded import EmbeddedStore
from .engine import from_ox, to_ox
from .remote import RemoteStore

__all__ = ["Answer", "Bindings", "Dataset", "EmbeddedStore", "Limits", "RemoteStore", "Store", "from_ox",
           "open_store", "to_ox"]


def open_store(settings: Settings, *, found: str | None = None, shared_answers: Path | None = None) -> Store:
    """The store ``settings`` names (``IPGRAPH_STORE``), opened.

    The embedded store is validated and built first if this version of the data has none yet, or
    is the one at ``found`` (the :attr:`~Store.location` of a store opened before: ``ipgraph
    serve`` finds it once and hands it to its workers); its workers share their answers through
    ``shared_answers``. A remote store is the endpoint at the URL the setting holds.
    """
    if settings.store == "embedded":
        return EmbeddedStore.from_settings(settings, built=disk.read_info(Path(found)) if found else None,
                                           shared_answers=shared_answers)
    return RemoteStore.from_settings(settings)
