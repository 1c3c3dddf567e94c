"""The site index: every thing of the data with its classes, labels, facets and a full-text index
of its names, built with the store.

A SQLite file beside the store (``index.sqlite``), written once with it and opened read-only:

- ``members``: each thing under every class it has, asserted or inherited through
  ``rdfs:subClassOf`` (``direct`` marks the asserted ones), with its zh and en labels and a sort
  key, so a class list is read a page at a time in label order with keyset paging and no request
  sorts the graph.
- ``facets``: (facet, value, thing) rows — the kind, body, district, report section, period and
  indicator of each thing (:data:`FACETS`) — so a list filters and counts by them with indexed
  look-ups.
- ``entries``, ``search`` and ``grams``: the labels and alternative labels of every thing, indexed
  for search. ``search`` is FTS5 with the trigram tokenizer (a substring search that needs no word
  breaks, so it suits Chinese); it cannot match fewer than three characters, and a Chinese name is
  often two (海关), so ``grams`` indexes each name's one- and two-character pieces too.

>>> import pyoxigraph as ox, tempfile
>>> ex, label = "http://example.org/", ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> store = ox.Store()
>>> for n, name in enumerate(["广州海关", "黄埔海关", "广州知识产权法院"]):
...     thing = ox.NamedNode(f"{ex}{n}")
...     store.add(ox.Quad(thing, ox.NamedNode(str(RDF.type)), ox.NamedNode(f"{ex}Body")))
...     store.add(ox.Quad(thing, label, ox.Literal(name, language="zh")))
>>> with tempfile.TemporaryDirectory() as folder:
...     write_index(Path(folder) / "index.sqlite", store)
...     index = LabelIndex(Path(folder) / "index.sqlite")
...     first = index.members(f"{ex}Body", limit=2)
...     print([m.zh for m in first.members], [m.zh for m in index.members(f"{ex}Body", after=first.next).members])
...     print([hit.zh for hit in index.search("海关").hits], [hit.zh for hit in index.search("知识产权法院").hits])
['广州海关', '广州知识产权法院'] ['黄埔海关']
['广州海关', '黄埔海关'] ['广州知识产权法院']
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, SKOS

from ..namespaces import IPG

NAME = "index.sqlite"
#: The index's tables as this module writes and reads them; part of the store's version, so that a
#: store written with another layout is built again rather than read wrongly.
LAYOUT = 3

_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX ipg: <https://ipgraph.example.org/def/>
"""

#: The facets of a list, each a query for its (thing, value) pairs. ``$bodies`` is replaced by
#: the classes of bodies (``org:Organization`` and its subclasses in the ontology).
FACETS: Mapping[str, str] = {
    "kind": "SELECT ?thing ?value WHERE { { ?thing a ?value } UNION { ?thing ipg:documentKind ?value } "
            "UNION { ?thing ipg:valueType ?value } FILTER(isIRI(?thing) && isIRI(?value)) }",
    "indicator": "SELECT ?thing ?value WHERE { ?thing ipg:indicator ?value }",
    "body": "SELECT DISTINCT ?thing ?value WHERE { VALUES ?class { $bodies } ?value a ?class . "
            "?thing ?property ?value FILTER(isIRI(?thing) && ?thing != ?value) }",
    "district": "SELECT DISTINCT ?thing ?value WHERE { ?value a ipg:District . ?thing ?property ?value "
                "FILTER(isIRI(?thing) && ?thing != ?value) }",
    # the innermost section; write_index puts the top-level section in its place (_top_sections)
    "section": "SELECT DISTINCT ?thing ?value WHERE { { ?thing ipg:evidence/dcterms:isPartOf ?value } UNION "
               "{ ?thing a ipg:Passage ; dcterms:isPartOf ?value } }",
    "period": "SELECT DISTINCT ?thing ?value WHERE { { ?thing sdmx-dimension:refPeriod ?value } UNION "
              "{ ?thing dcterms:temporal ?value } FILTER(isIRI(?value)) }",
}
_BODIES = ("http://www.w3.org/ns/org#Organization", "http://www.w3.org/ns/org#FormalOrganization")
_CANDIDATES = 2000  # matches ranked for one search; a query that matches more is too broad to page through


@dataclass(frozen=True)
class Member:
    iri: str
    zh: str | None
    en: str | None


@dataclass(frozen=True)
class Page:
    """One page of a list in label order; ``next`` is the key of the page after, if any."""

    members: list[Member]
    next: str | None


@dataclass(frozen=True)
class FacetValue:
    value: Member
    count: int
    chosen: bool = False


@dataclass(frozen=True)
class Hit(Member):
    """A thing a search found, with the name that matched and the classes it has."""

    matched: str = ""
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hits:
    """A page of hits, how many there are (``capped``: at least that many; a search that matches
    more names than are ranked counts only those), and the hits by class."""

    hits: list[Hit]
    total: int
    classes: list[FacetValue] = field(default_factory=list)
    capped: bool = False


def sort_key(iri: str, zh: str | None, en: str | None) -> str:
    """Label order: by the English label, else the Chinese, else the IRI; the IRI breaks ties."""
    return f"{(en or zh or iri).casefold()}\x00{iri}"


def grams(text: str) -> str:
    """The one- and two-character pieces of ``text`` (letters and digits only), space-separated:
    what ``grams`` indexes so that a query of one or two characters is an indexed look-up.

    >>> grams("广州海关")
    '广 州 海 关 广州 州海 海关'
    """
    folded = text.casefold()
    ones = [c for c in folded if c.isalnum()]
    twos = [a + b for a, b in zip(folded, folded[1:], strict=False) if a.isalnum() and b.isalnum()]
    return " ".join(dict.fromkeys(ones + twos))


def _select(store: ox.Store, query: str) -> Iterator[tuple[str, ...]]:
    for solution in store.query(_PREFIXES + query, use_default_graph_as_union=True):
        yield tuple(term.value for term in solution)


def _superclasses(store: ox.Store) -> dict[str, set[str]]:
    """Each class with every class it is a subclass of, through ``rdfs:subClassOf`` chains."""
    parents: dict[str, set[str]] = defaultdict(set)
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            parents[q.subject.value].add(q.object.value)
    closed: dict[str, set[str]] = {}

    def up(cls: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if cls not in closed:
            closed[cls] = set().union(*([{p} | up(p, seen | {cls}) for p in parents[cls] if p not in seen] or [set()]))
        return closed[cls]

    for cls in list(parents):
        up(cls)
    return closed


def write_index(path: Path, store: ox.Store) -> None:
    """Index every IRI of ``store`` that has a type, except the ontology's own terms and the parts
    of a page (``…#position``), with the first zh and en label read for each.

    The rows go through SQLite, not Python dicts, so the index of a graph of millions of things is
    written in bounded memory (the class hierarchy, which is the ontology's, is read whole)."""
    rdf_type, defined_by = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.isDefinedBy))
    superclasses = _superclasses(store)
    bodies = {c for c, ups in superclasses.items() if ups & set(_BODIES)} | set(_BODIES)
    db = sqlite3.connect(path)
    try:
        db.create_function("sort_key", 3, sort_key, deterministic=True)
        db.create_function("grams", 1, grams, deterministic=True)
        db.executescript("""
            CREATE TEMP TABLE types (thing TEXT NOT NULL, class TEXT NOT NULL, direct INTEGER NOT NULL,
                                     PRIMARY KEY (thing, class)) WITHOUT ROWID;
            CREATE TEMP TABLE defined (thing TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE names (iri TEXT PRIMARY KEY, zh TEXT, en TEXT) WITHOUT ROWID;
            CREATE TABLE entries (id INTEGER PRIMARY KEY, thing TEXT NOT NULL, lang TEXT, text TEXT NOT NULL);
            CREATE TABLE facets (facet TEXT NOT NULL, value TEXT NOT NULL, thing TEXT NOT NULL,
                                 PRIMARY KEY (facet, value, thing)) WITHOUT ROWID;
            CREATE INDEX facets_of_thing ON facets (thing, facet);
        """)
        db.executemany("INSERT INTO types VALUES (?, ?, ?) ON CONFLICT (thing, class) "
                       "DO UPDATE SET direct = MAX(direct, excluded.direct)", _types(store, rdf_type, superclasses))
        db.executemany("INSERT OR IGNORE INTO defined VALUES (?)",
                       ((q.subject.value,) for q in store.quads_for_pattern(None, defined_by, None)
                        if isinstance(q.subject, ox.NamedNode)))
        _write_names(db, store)
        db.executescript("""
            CREATE TABLE members (class TEXT NOT NULL, sort TEXT NOT NULL, iri TEXT NOT NULL,
                                  zh TEXT, en TEXT, direct INTEGER NOT NULL, PRIMARY KEY (class, sort)) WITHOUT ROWID;
            INSERT OR IGNORE INTO members
                SELECT t.class, sort_key(t.thing, n.zh, n.en), t.thing, n.zh, n.en, t.direct
                FROM types t LEFT JOIN names n ON n.iri = t.thing
                WHERE t.thing NOT IN (SELECT thing FROM defined);
            CREATE INDEX members_by_iri ON members (iri);
            CREATE TABLE classes (class TEXT PRIMARY KEY, zh TEXT, en TEXT) WITHOUT ROWID;
            INSERT INTO classes SELECT c.class, n.zh, n.en FROM (SELECT DISTINCT class FROM members) c
                LEFT JOIN names n ON n.iri = c.class;
        """)
        # search finds things, not the passages that quote them (the report's page shows those)
        db.execute("DELETE FROM entries WHERE thing NOT IN (SELECT iri FROM members) "
                   "OR thing IN (SELECT iri FROM members WHERE class = ?)", (str(IPG.Passage),))
        db.executescript("""
            CREATE VIRTUAL TABLE search USING fts5(text, content='entries', content_rowid='id', tokenize='trigram');
            INSERT INTO search (rowid, text) SELECT id, text FROM entries;
            CREATE VIRTUAL TABLE grams USING fts5(pieces, content='', tokenize='unicode61');
            INSERT INTO grams (rowid, pieces) SELECT id, grams(text) FROM entries;
        """)
        tops = _top_sections(store)
        for facet, query in FACETS.items():
            query = query.replace("$bodies", " ".join(f"<{c}>" for c in sorted(bodies)))
            pairs = _select(store, query)
            if facet == "section":
                pairs = ((thing, tops[part]) for thing, part in pairs if part in tops)
            db.executemany("INSERT OR IGNORE INTO facets SELECT ?, ?, ? WHERE ? IN (SELECT iri FROM members)",
                           ((facet, value, thing, thing) for thing, value in pairs))
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()


def _top_sections(store: ox.Store) -> dict[str, str]:
    """Each section of a report with the top-level section it lies in (itself, for a top one),
    read up ``dcterms:isPartOf`` here: the engine took minutes over ``dcterms:isPartOf*`` at ten
    times the report, and the sections are few."""
    parent = dict(_select(store, "SELECT ?section ?parent WHERE { ?section a ipg:ReportSection ; "
                                 "dcterms:isPartOf ?parent }"))
    tops = {}
    for section in parent:
        top, seen = section, {section}
        while parent.get(top) in parent and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        tops[section] = top
    return tops


def _types(store: ox.Store, rdf_type: ox.NamedNode,
           superclasses: Mapping[str, set[str]]) -> Iterable[tuple[str, str, int]]:
    for q in store.quads_for_pattern(None, rdf_type, None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode) and "#" not in q.subject.value:
            yield q.subject.value, q.object.value, 1
            for up in superclasses.get(q.object.value, ()):
                yield q.subject.value, up, 0


def _write_names(db: sqlite3.Connection, store: ox.Store) -> None:
    """The first zh and en ``rdfs:label`` of every IRI, and each label and alternative label as
    an entry of the search index."""
    db.execute("CREATE TEMP TABLE labels (thing TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL, "
               "PRIMARY KEY (thing, lang)) WITHOUT ROWID")
    label, alt = ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))
    for predicate in (label, alt):
        for q in store.quads_for_pattern(None, predicate, None):
            if not (isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)):
                continue
            thing, lang, text = q.subject.value, q.object.language, q.object.value
            if predicate == label and lang in ("zh", "en"):
                db.execute("INSERT OR IGNORE INTO labels VALUES (?, ?, ?)", (thing, lang, text))
            db.execute("INSERT INTO entries (thing, lang, text) VALUES (?, ?, ?)", (thing, lang, text))
    db.execute("""INSERT INTO names SELECT thing, MAX(CASE lang WHEN 'zh' THEN label END),
                  MAX(CASE lang WHEN 'en' THEN label END) FROM labels GROUP BY thing""")


Filters = Mapping[str, Iterable[str]]


def _where(cls: str, filters: Filters | None) -> tuple[str, list[str]]:
    """The condition that keeps the members of ``cls`` with every chosen facet value."""
    sql, args = ["m.class = ?"], [cls]
    for facet, values in (filters or {}).items():
        for value in values:
            sql.append("m.iri IN (SELECT thing FROM facets WHERE facet = ? AND value = ?)")
            args += [facet, value]
    return " AND ".join(sql), args


def _phrase(token: str) -> str:
    """``token`` as an FTS5 phrase: quoted, so that no character of it is query syntax."""
    return '"' + token.replace('"', '""') + '"'


class LabelIndex:
    """The index at ``path``, read-only; one connection per call, so any thread may call."""

    def __init__(self, path: Path):
        self.path = path
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._uri, uri=True, check_same_thread=False)

    def members(self, cls: str, *, after: str | None = None, limit: int = 50, filters: Filters | None = None,
                descending: bool = False) -> Page:
        """A page of the things of ``cls`` (with the facet values ``filters`` chooses) in label
        order, or its reverse, from the key ``after``."""
        where, args = _where(cls, filters)
        if after is not None or not descending:
            where += " AND m.sort < ?" if descending else " AND m.sort > ?"
            args.append(after or "")
        order = "DESC" if descending else "ASC"
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT m.sort, m.iri, m.zh, m.en FROM members m WHERE {where} "  # noqa: S608
                              f"ORDER BY m.sort {order} LIMIT ?", (*args, limit + 1)).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([Member(iri, zh, en) for _, iri, zh, en in rows], rows[-1][0] if more else None)

    def count(self, cls: str, filters: Filters | None = None) -> int:
        where, args = _where(cls, filters)
        with closing(self._connect()) as db:
            return db.execute(f"SELECT COUNT(*) FROM members m WHERE {where}", args).fetchone()[0]  # noqa: S608

    def facets(self, cls: str, filters: Filters | None = None) -> dict[str, list[FacetValue]]:
        """Each facet of the members of ``cls`` that ``filters`` keeps: its values, labelled, with
        how many of those members have each, the most frequent first."""
        where, args = _where(cls, filters)
        chosen = {(f, v) for f, values in (filters or {}).items() for v in values}
        found: dict[str, list[FacetValue]] = defaultdict(list)
        with closing(self._connect()) as db:
            for facet, value, zh, en, n in db.execute(
                    f"SELECT f.facet, f.value, n.zh, n.en, COUNT(*) AS c FROM members m "  # noqa: S608
                    f"JOIN facets f ON f.thing = m.iri LEFT JOIN names n ON n.iri = f.value WHERE {where} "
                    f"GROUP BY f.facet, f.value ORDER BY f.facet, c DESC, f.value", args):
                found[facet].append(FacetValue(Member(value, zh, en), n, (facet, value) in chosen))
        return {facet: found[facet] for facet in FACETS if facet in found}

    def class_counts(self) -> list[tuple[Member, int]]:
        """Every class that things are asserted to have, labelled, with how many, the largest first."""
        with closing(self._connect()) as db:
            return [(Member(cls, zh, en), n) for cls, zh, en, n in db.execute(
                "SELECT m.class, c.zh, c.en, COUNT(*) AS n FROM members m JOIN classes c ON c.class = m.class "
                "WHERE m.direct GROUP BY m.class ORDER BY n DESC, m.class")]

    def label(self, iri: str) -> Member:
        """``iri`` with its labels."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT zh, en FROM names WHERE iri = ?", (iri,)).fetchone()
        return Member(iri, *(row or (None, None)))

    def search(self, text: str, *, cls: str | None = None, limit: int = 20, offset: int = 0) -> Hits:
        """The things whose label or alternative label contains every word of ``text``, best first:
        a name that is the query, then one that contains it whole, then one that has its words
        apart; within each, the shorter name first (广州海关 before 海关查获涉嫌侵权案件数).
        ``cls`` keeps things of that class (asserted or inherited)."""
        words = text.split()
        if not words:
            return Hits([], 0)
        sql = ["SELECT e.thing, e.text, n.zh, n.en FROM entries e LEFT JOIN names n ON n.iri = e.thing WHERE 1"]
        args: list[object] = []
        for word in words:
            table = "search" if len(word) >= 3 else "grams"
            sql.append(f"AND e.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")  # noqa: S608
            args.append(_phrase(word.casefold()))
        sql.append("LIMIT ?")
        args.append(_CANDIDATES)
        whole = " ".join(words).casefold()
        best: dict[str, tuple[tuple, Hit]] = {}
        with closing(self._connect()) as db:
            rows = db.execute(" ".join(sql), args).fetchall()
            for thing, matched, zh, en in rows:
                name = matched.casefold()
                tier = 0 if name == whole else 1 if whole in name else 2
                rank = (tier, len(matched), sort_key(thing, zh, en))
                if thing not in best or rank < best[thing][0]:
                    best[thing] = (rank, Hit(thing, zh, en, matched=matched))
            classes = self._direct_classes(db, list(best))
        counts: dict[str, int] = defaultdict(int)
        for thing in best:
            for c in classes.get(thing, ()):
                counts[c] += 1
        kept = [hit for _, hit in sorted(best.values(), key=lambda pair: pair[0])
                if cls is None or cls in classes.get(hit.iri, ()) or self._is_a(hit.iri, cls)]
        page = [Hit(h.iri, h.zh, h.en, matched=h.matched, classes=tuple(classes.get(h.iri, ())))
                for h in kept[offset:offset + limit]]
        facet = [FacetValue(self.label(c), n, c == cls) for c, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
        return Hits(page, len(kept), facet, capped=len(rows) == _CANDIDATES)

    def _direct_classes(self, db: sqlite3.Connection, things: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for start in range(0, len(things), 500):
            chunk = things[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for iri, cls in db.execute(f"SELECT iri, class FROM members WHERE direct AND iri IN ({marks}) "  # noqa: S608
                                       "ORDER BY class", chunk):
                found[iri].append(cls)
        return found

    def _is_a(self, iri: str, cls: str) -> bool:
        with closing(self._connect()) as db:
            return db.execute("SELECT 1 FROM members WHERE iri = ? AND class = ?", (iri, cls)).fetchone() is not None
