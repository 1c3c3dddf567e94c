"""All SPARQL text of the site: the named queries it runs, and the gallery of example queries.

The site's queries live beside this module in ``queries/NAME.rq``; values go in as bindings
(:meth:`ipgraph.store.Store.select`), never into the text. The example queries are
``data/queries/NN-slug.rq``, each opening with ``# title@zh:``, ``# title@en:``,
``# description@zh:`` and ``# description@en:`` lines.

An example may take named parameters, one header line each, after those four::

    # param: ?office ipg:CustomsAuthority
    # param: ?role xsd:string

The variable comes first, then its type, written as a prefixed name (:data:`~ipgraph.namespaces.PREFIXES`)
or a full IRI in ``<…>``. An XSD datatype (:data:`LITERAL_TYPES`) makes the value a literal of that
type; any other type is a class, and the value is the IRI of a thing of that class, written in full
or as a prefixed name. A value given binds the variable; a parameter not given leaves its variable
free, so the query answers for every value. :func:`bind` writes the values as one ``VALUES`` clause
at the end of the query, each term written by rdflib (``Node.n3()``) from a value checked against
its type (:meth:`Parameter.term`): the query stays one text and runs like any other, within the
limits of ``/sparql``. A trailing ``VALUES`` clause is joined with the solutions after grouping, so
a parameter is a variable the query groups by, or any variable of a query that does not group.

>>> office = Parameter("office", "https://ipgraph.example.org/def/CustomsAuthority")
>>> print(bind("SELECT ?office WHERE { ?office a ?c }", {"office": office.term("body:guangzhou-customs")}))
SELECT ?office WHERE { ?office a ?c }
VALUES (?office) { (<https://ipgraph.example.org/id/body/guangzhou-customs>) }
<BLANKLINE>
>>> Parameter("year", XSD + "integer").term("2018").n3()
'"2018"^^<http://www.w3.org/2001/XMLSchema#integer>'
>>> Parameter("year", XSD + "integer").term("next year")
Traceback (most recent call last):
...
ipgraph.errors.BadRequest: year must be an integer (xsd:integer), not 'next year'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from .errors import BadRequest
from .namespaces import PREFIXES, expand, shorten

HERE = Path(__file__).resolve().parent / "queries"
XSD = PREFIXES["xsd"]
_HEADER = re.compile(r"^#\s*(title|description)@(zh|en):\s*(.*?)\s*$")
_PARAM = re.compile(r"^#\s*param:\s*(.*?)\s*$")
_PARAM_PARTS = re.compile(r"^\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type><[^<>\s]+>|[A-Za-z][\w.-]*:[\w.-]+)$")

#: The literal types a parameter may have: each with what a reader is told and the lexical forms it takes.
LITERAL_TYPES: dict[str, tuple[str, re.Pattern[str]]] = {
    XSD + "string": ("a text", re.compile(r"^.+$", re.S)),
    XSD + "integer": ("an integer", re.compile(r"^[+-]?\d+$")),
    XSD + "decimal": ("a decimal number", re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")),
    XSD + "boolean": ("true or false", re.compile(r"^(true|false)$")),
    XSD + "gYear": ("a year", re.compile(r"^-?\d{4}$")),
    XSD + "date": ("a date (YYYY-MM-DD)", re.compile(r"^-?\d{4}-\d{2}-\d{2}$")),
}
#: Request arguments the example pages use themselves, so no parameter may have these names.
RESERVED = frozenset({"page", "chart"})
MAX_VALUE_LENGTH = 1000


@cache
def named(name: str) -> str:
    """The text of the site's query ``name`` (``queries/NAME.rq``)."""
    path = HERE / f"{name}.rq"
    if not path.is_file():
        raise KeyError(f"no site query named {name!r}")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Parameter:
    """A named parameter of an example: the variable it binds and the type of its values."""

    name: str
    type: str

    @property
    def literal(self) -> bool:
        """Whether the values are literals (else IRIs of things of the class ``type``)."""
        return self.type in LITERAL_TYPES

    def term(self, value: str) -> Identifier:
        """``value`` as the RDF term it stands for; :class:`BadRequest` when it is not of this type."""
        if len(value) > MAX_VALUE_LENGTH:
            raise BadRequest(f"{self.name} is {len(value):,} characters long; the most is {MAX_VALUE_LENGTH:,}")
        if self.literal:
            what, form = LITERAL_TYPES[self.type]
            if not form.match(value):
                raise BadRequest(f"{self.name} must be {what} ({shorten(self.type)}), not {value!r}")
            return Literal(value) if self.type == XSD + "string" else Literal(value, datatype=URIRef(self.type))
        found = expand(value)
        if found is None:
            raise BadRequest(f"{self.name} must be an IRI, in full or as a prefixed name such as "
                             f"body:guangzhou-customs, not {value!r}")
        return URIRef(found)


@dataclass(frozen=True)
class Example:
    """An example query of the gallery."""

    slug: str
    text: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()

    @property
    def missing(self) -> list[str]:
        """The header lines this query lacks."""
        return [f"{part}@{lang}" for part in ("title", "description") for lang in ("zh", "en")
                if lang not in getattr(self, part)]


def read_example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    parameters: list[Parameter] = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            (title if m.group(1) == "title" else description)[m.group(2)] = m.group(3)
        m = _PARAM.match(line)
        if m:
            parameters.append(_parameter(m.group(1), path))
    return Example(slug=path.stem, text=text, title=title, description=description, parameters=tuple(parameters))


def _parameter(declaration: str, path: Path) -> Parameter:
    """The parameter a ``# param:`` line declares; ValueError for a line that declares none."""
    m = _PARAM_PARTS.match(declaration)
    type_iri = m and expand(m.group("type"))
    if not m or not type_iri:
        raise ValueError(f"{path.name}: '# param: {declaration}' is not '?name type' with a known prefix")
    if m.group("name") in RESERVED:
        raise ValueError(f"{path.name}: a parameter may not be called {m.group('name')}")
    if type_iri.startswith(XSD) and type_iri not in LITERAL_TYPES:
        raise ValueError(f"{path.name}: {m.group('type')} is not a parameter type; use one of "
                         + ", ".join(shorten(t) for t in LITERAL_TYPES) + " or a class")
    return Parameter(m.group("name"), type_iri)


def bind(text: str, values: Mapping[str, Identifier]) -> str:
    """``text`` with ``values`` (variable name → term) as a trailing ``VALUES`` clause; ``text`` itself
    when there are none."""
    if not values:
        return text
    names = " ".join(f"?{name}" for name in values)
    terms = " ".join(term.n3() for term in values.values())
    return f"{text.rstrip()}\nVALUES ({names}) {{ ({terms}) }}\n"


def examples(folder: Path) -> list[Example]:
    """The example queries in ``folder``, in file-name order."""
    return [read_example(p) for p in sorted(folder.glob("*.rq"))]
