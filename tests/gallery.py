"""Reading the answers of the example queries in data/queries/: shared by the test_queries* files."""

from __future__ import annotations

from pathlib import Path

QUERIES = Path(__file__).resolve().parent.parent / "data" / "queries"
ID = "https://ipgraph.example.org/id/"


def run(store, name: str) -> list[dict]:
    """The rows of the named query file, each a dict from variable name to an rdflib term."""
    return store.select((QUERIES / name).read_text(encoding="utf-8"))


def value(row: dict, var: str):
    """The Python value of a bound variable, None when it is unbound."""
    term = row.get(var)
    return None if term is None else term.toPython()


def text(row: dict, var: str) -> str | None:
    """The lexical form of a bound variable, None when it is unbound."""
    term = row.get(var)
    return None if term is None else str(term)


def parts(row: dict, var: str, sep: str = " / ") -> frozenset[str]:
    """The members of a GROUP_CONCAT answer, in any order (the engine promises none inside a group);
    empty when the variable is unbound or empty."""
    joined = text(row, var) or ""
    return frozenset(x for x in joined.split(sep) if x)
