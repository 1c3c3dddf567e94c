"""One handler for every error: the status the error carries, the message a person can act on.

Errors are written as RFC 9457 problem details (``application/problem+json``), as plain text,
or as an HTML page for a browser. An error that is not a :class:`~ipgraph.errors.Problem` is a
fault of the server: it is logged and answered with a plain 500 that leaks nothing.
"""

from __future__ import annotations

import json

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import Problem
from ..negotiation import HTML, Format, negotiate

PROBLEM_JSON = Format("problem", "application/problem+json", "json", ("application/json",))
TEXT = Format("text", "text/plain", "txt")
CORS = {"Access-Control-Allow-Origin": "*"}


def render_problem(status: int, title: str, detail: str) -> Response:
    offers = (PROBLEM_JSON, TEXT, HTML) if request.path.startswith("/sparql") else (HTML, PROBLEM_JSON, TEXT)
    chosen = negotiate(request.headers.get("Accept"), offers) or PROBLEM_JSON
    if chosen is HTML:
        body = render_template("error.html", status=status, title=title, detail=detail)
        response = Response(body, status, mimetype="text/html")
    elif chosen is TEXT:
        response = Response(f"{status} {title}: {detail}\n", status, mimetype="text/plain")
    else:
        document = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        response = Response(json.dumps(document, ensure_ascii=False), status,
                            mimetype="application/problem+json")
    response.headers.update(CORS)
    response.vary.add("Accept")
    return response


def problem_response(error: Problem) -> Response:
    """The answer to a request that met ``error``, logged when it is the server's."""
    if error.status >= 500:
        current_app.logger.warning("%s on %s %s: %s", error.title, request.method, request.path, error.message)
    response = render_problem(error.status, error.title, error.message)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(Problem, problem_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = render_problem(error.code or 500, error.name, error.description or error.name)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(Exception)
    def fault(error: Exception) -> Response:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_problem(500, "Internal server error",
                              "The server could not answer this request; the error has been logged.")
