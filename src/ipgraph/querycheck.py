"""Look at a query before any engine does: its form, and whether it is safe to run here.

The engines run what they are given: pyoxigraph sends ``SERVICE <url>`` requests by itself and
takes its whole process down on a few thousand nested parentheses. A lexical pass (strings, IRIs
and comments set aside, so that their words do not count) finds the query form and whether the
query names its dataset (``FROM``, ``FROM NAMED``: graphs of the store, which the stores here never
fetch), and refuses the rest with a message a person can act on. The engine's parser remains the
judge of syntax.

>>> inspect_query("PREFIX ex: <http://e/#> SELECT * { ?s ex:from ?o }")
QueryInfo(form='SELECT', nesting=1, dataset=False, relative_iris=False)
>>> inspect_query("SELECT * FROM <http://e/g> { ?s ?p ?o }").dataset
True
>>> inspect_query("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ipgraph.errors.QueryRefused: SERVICE is not allowed: this endpoint answers from its own data ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import PayloadTooLarge, QueryRefused

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

# One token at a time; the alternatives that hide text from the keyword scan come first.
TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()\[\];,.]*)?|:[^\s{}()\[\];,.]*)
    | (?P<open>[({\[])
    | (?P<close>[)}\]])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryInfo:
    """What the lexical pass learnt: the form (SELECT, ASK, CONSTRUCT, DESCRIBE or None), the
    deepest nesting, whether the query names its dataset with ``FROM`` or ``FROM NAMED``, and
    whether it writes an IRI without a scheme, to be resolved against a base.

    >>> inspect_query("CONSTRUCT { <s> <p> 1 } WHERE {}").relative_iris
    True
    """

    form: str | None
    nesting: int
    dataset: bool
    relative_iris: bool


def inspect_query(query: str, *, max_length: int = 20_000, max_nesting: int = 200) -> QueryInfo:
    """The query's form; :class:`QueryRefused` for what this endpoint does not run."""
    if len(query) > max_length:
        raise PayloadTooLarge(f"the query has {len(query):,} characters; the limit is {max_length:,}")
    form, depth, deepest, relative = None, 0, 0, False
    words: list[str] = []
    for m in TOKEN.finditer(query):
        kind = m.lastgroup
        if kind == "iri":
            relative = relative or not _ABSOLUTE.match(m.group()[1:-1])
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_nesting:
                raise QueryRefused(f"the query nests brackets more than {max_nesting} deep")
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            word = m.group().upper()
            words.append(word)
            if form is None and word in FORMS:
                form = word
    _refuse(words, form)
    return QueryInfo(form=form, nesting=deepest, dataset="FROM" in words, relative_iris=relative)


_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def names_dataset(query: str) -> bool:
    """Whether ``query`` has a ``FROM`` or ``FROM NAMED`` clause (words in strings, IRIs and
    comments do not count).

    >>> names_dataset('SELECT * { ?s ?p "FROM" } # FROM')
    False
    """
    return any(m.lastgroup == "word" and m.group().upper() == "FROM" for m in TOKEN.finditer(query))


def _refuse(words: list[str], form: str | None) -> None:
    if "SERVICE" in words:
        raise QueryRefused("SERVICE is not allowed: this endpoint answers from its own data and "
                           "makes no outbound requests")
    if form is None and any(w in UPDATE_WORDS for w in words):
        raise QueryRefused("this is a read-only endpoint: SPARQL Update is not accepted")
