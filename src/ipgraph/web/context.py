"""What every view needs: the settings and the store of the running application."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..config import Settings
from ..store import Limits, Store

EXTENSION = "ipgraph"


@dataclass(frozen=True)
class Context:
    settings: Settings
    store: Store

    @property
    def limits(self) -> Limits:
        return Limits.from_settings(self.settings)

    def local_path(self, iri: str) -> str | None:
        """The path under this site that serves ``iri``, or None for an IRI from elsewhere."""
        base = self.settings.base_iri
        if iri == f"{base}/def" or iri.startswith((f"{base}/id/", f"{base}/def/")):
            return iri[len(base):]
        return None


def context() -> Context:
    return current_app.extensions[EXTENSION]
