"""All SPARQL text of the site: the named queries it runs, and the gallery of example queries.

The site's queries live beside this module in ``queries/NAME.rq``; values go in as bindings
(:meth:`ipgraph.store.Store.select`), never into the text. The example queries are
``data/queries/NN-slug.rq``, each opening with ``# title@zh:``, ``# title@en:``,
``# description@zh:`` and ``# description@en:`` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent / "queries"
_HEADER = re.compile(r"^#\s*(title|description)@(zh|en):\s*(.*?)\s*$")


@cache
def named(name: str) -> str:
    """The text of the site's query ``name`` (``queries/NAME.rq``)."""
    path = HERE / f"{name}.rq"
    if not path.is_file():
        raise KeyError(f"no site query named {name!r}")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Example:
    """An example query of the gallery."""

    slug: str
    text: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """The header lines this query lacks."""
        return [f"{part}@{lang}" for part in ("title", "description") for lang in ("zh", "en")
                if lang not in getattr(self, part)]


def read_example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            (title if m.group(1) == "title" else description)[m.group(2)] = m.group(3)
    return Example(slug=path.stem, text=text, title=title, description=description)


def examples(folder: Path) -> list[Example]:
    """The example queries in ``folder``, in file-name order."""
    return [read_example(p) for p in sorted(folder.glob("*.rq"))]
