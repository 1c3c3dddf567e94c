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
...     write_index(Path(folder) / "index.sqlite", *graph_rows(g))
...     index = LabelIndex(Path(folder) / "index.sqlite")
...     first = index.members(str(C), limit=2)
...     ([m.en for m in first.members], [m.en for m in index.members(str(C), after=first.next).members])
(['a', 'b'], ['c'])
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
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


def graph_rows(graph: Graph) -> tuple[Iterable[tuple[str, str]], Iterable[tuple[str, str, str]], set[str]]:
    """What :func:`write_index` reads, from an rdflib graph: (thing, class) pairs, (thing,
    language, label) triples, and the terms the ontology defines."""
    types = ((str(t), str(c)) for t, c in graph.subject_objects(RDF.type)
             if isinstance(t, URIRef) and isinstance(c, URIRef))
    labels = ((str(t), label.language, str(label)) for t, label in graph.subject_objects(RDFS.label)
              if isinstance(t, URIRef) and isinstance(label, Literal) and label.language in ("zh", "en"))
    defined = {str(t) for t in graph.subjects(RDFS.isDefinedBy, None)}
    return types, labels, defined


def write_index(path: Path, types: Iterable[tuple[str, str]], labels: Iterable[tuple[str, str, str]],
                defined: set[str]) -> None:
    """Index every IRI that has a type, except the ontology's own terms (``defined``) and the parts
    of a page (``…#position``), with the first zh and en label read for each.

    The rows go through SQLite, not Python dicts, so the index of a graph of millions of things is
    written in bounded memory."""
    db = sqlite3.connect(path)
    try:
        db.create_function("sort_key", 3, sort_key, deterministic=True)
        db.execute("CREATE TEMP TABLE types (thing TEXT NOT NULL, class TEXT NOT NULL)")
        db.execute("CREATE TEMP TABLE labels (thing TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL, "
                   "PRIMARY KEY (thing, lang)) WITHOUT ROWID")
        db.execute("CREATE TEMP TABLE defined (thing TEXT PRIMARY KEY) WITHOUT ROWID")
        db.executemany("INSERT INTO types VALUES (?, ?)", ((t, c) for t, c in types if "#" not in t))
        db.executemany("INSERT OR IGNORE INTO labels VALUES (?, ?, ?)", labels)
        db.executemany("INSERT OR IGNORE INTO defined VALUES (?)", ((t,) for t in defined))
        db.execute("CREATE TABLE members (class TEXT NOT NULL, sort TEXT NOT NULL, iri TEXT NOT NULL, "
                   "zh TEXT, en TEXT, PRIMARY KEY (class, sort)) WITHOUT ROWID")
        db.execute("""INSERT OR IGNORE INTO members
                      SELECT t.class, sort_key(t.thing, zh.label, en.label), t.thing, zh.label, en.label
                      FROM types t
                      LEFT JOIN labels zh ON zh.thing = t.thing AND zh.lang = 'zh'
                      LEFT JOIN labels en ON en.thing = t.thing AND en.lang = 'en'
                      WHERE t.thing NOT IN (SELECT thing FROM defined)""")
        db.execute("CREATE TABLE classes (class TEXT PRIMARY KEY, zh TEXT, en TEXT) WITHOUT ROWID")
        db.execute("""INSERT INTO classes
                      SELECT c.class, zh.label, en.label FROM (SELECT DISTINCT class FROM members) c
                      LEFT JOIN labels zh ON zh.thing = c.class AND zh.lang = 'zh'
                      LEFT JOIN labels en ON en.thing = c.class AND en.lang = 'en'""")
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
