"""What several views read from a request or answer with: a page number, a CSV document."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response, request

from ..errors import BadRequest
from .errors import CORS


def page_number() -> int:
    """The ``page=`` of the request: 1 when it has none."""
    text = request.args.get("page", "").strip()
    if not text:
        return 1
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise BadRequest(f"page must be a whole number from 1, not {text!r}")
    return int(text)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """``header`` and ``rows`` as a CSV attachment named ``filename``, open to any site's scripts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers.update(CORS)
    return response
