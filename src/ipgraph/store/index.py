"""The label index: every thing of the data with its class and labels, built with the store.

Lists of a class are read from here a page at a time, in label order, with keyset paging (the
page after a given sort key), so no request sorts the graph; the home page's counts per class are
one indexed ``GROUP BY``. It is a SQLite file beside the store (``index.sqlite``), written once
with it and opened read-only.

>>> import tempfile
>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDF, RDFS
>>> g, C = Graph(), URIRef("http://example.org/C")
>>> for n, name in enumerate(["b", "a", "c"]):
...     _ = g.add((URIRef(f"http://example.org/{n}"), RDF.type, C))
...     _ = g.add((URIRef(f"http://example.org/{n}"), RDFS.label, Literal(name, lang="en")))
>>> with tempfile.TemporaryDirectory() as folder:
...     write_index(g, Path(folder) / "index.sqlite")
...     index = LabelIndex(Path(folder) / "index.sqlite")
...     first = index.members(str(C), limit=2)
...     ([m.en for m in first.members], [m.en for m in index.members(str(C), after=first.next).members])
(['a', 'b'], ['c'])
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

NAME = "index.sqlite"


@dataclass(frozen=True)
class Member:
    iri: str
    zh: str | None
    en: str | None


@dataclass(frozen=True)
class Page:
    """One page of a class's members in label order; ``next`` is the key of the page after, if any."""

    members: list[Member]
    next: str | None


def sort_key(iri: str, zh: str | None, en: str | None) -> str:
    """Label order: by the English label, else the Chinese, else the IRI; the IRI breaks ties."""
    return f"{(en or zh or iri).casefold()}\x00{iri}"


def write_index(graph: Graph, path: Path) -> None:
    """Index every IRI of ``graph`` that has a type, except the ontology's own terms and the parts
    of a page (``…#position``)."""
    labels: dict[tuple[URIRef, str], str] = {}
    for thing, label in graph.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language in ("zh", "en"):
            labels.setdefault((thing, label.language), str(label))
    defined = set(graph.subjects(RDFS.isDefinedBy, None))
    rows, classes = [], set()
    for thing, cls in graph.subject_objects(RDF.type):
        if not isinstance(thing, URIRef) or "#" in thing or thing in defined or not isinstance(cls, URIRef):
            continue
        zh, en = labels.get((thing, "zh")), labels.get((thing, "en"))
        rows.append((str(cls), sort_key(str(thing), zh, en), str(thing), zh, en))
        classes.add(cls)
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE members (class TEXT NOT NULL, sort TEXT NOT NULL, iri TEXT NOT NULL, "
                   "zh TEXT, en TEXT, PRIMARY KEY (class, sort)) WITHOUT ROWID")
        db.executemany("INSERT OR IGNORE INTO members VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("CREATE TABLE classes (class TEXT PRIMARY KEY, zh TEXT, en TEXT) WITHOUT ROWID")
        db.executemany("INSERT INTO classes VALUES (?, ?, ?)",
                       [(str(c), labels.get((c, "zh")), labels.get((c, "en"))) for c in classes])
        db.commit()
    finally:
        db.close()


class LabelIndex:
    """The index at ``path``, read-only; one connection per thread."""

    def __init__(self, path: Path):
        self.path = path
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._uri, uri=True, check_same_thread=False)

    def members(self, cls: str, *, after: str | None = None, limit: int = 50) -> Page:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT sort, iri, zh, en FROM members WHERE class = ? AND sort > ? "
                              "ORDER BY sort LIMIT ?", (cls, after or "", limit + 1)).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([Member(iri, zh, en) for _, iri, zh, en in rows], rows[-1][0] if more else None)

    def class_counts(self) -> list[tuple[Member, int]]:
        """Every class, labelled, with how many things it has, the largest first."""
        with closing(self._connect()) as db:
            return [(Member(cls, zh, en), n) for cls, zh, en, n in db.execute(
                "SELECT m.class, c.zh, c.en, COUNT(*) AS n FROM members m JOIN classes c ON c.class = m.class "
                "GROUP BY m.class ORDER BY n DESC, m.class")]

    def label(self, cls: str) -> Member:
        """The class ``cls`` with its labels."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT zh, en FROM classes WHERE class = ?", (cls,)).fetchone()
        return Member(cls, *(row or (None, None)))

    def count(self, cls: str) -> int:
        with closing(self._connect()) as db:
            return db.execute("SELECT COUNT(*) FROM members WHERE class = ?", (cls,)).fetchone()[0]
