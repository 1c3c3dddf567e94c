"""Errors that carry their HTTP status; the web layer renders every one of them the same way."""

from __future__ import annotations


class Problem(Exception):
    """A request that cannot be answered as asked. ``status`` is the HTTP status to answer with."""

    status = 500
    title = "Internal server error"

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(Problem):
    status, title = 400, "Bad request"


class QuerySyntaxError(BadRequest):
    """The engine's parser rejected the query; ``message`` is the parser's own."""

    title = "Query syntax error"


class QueryRefused(BadRequest):
    """A well-formed query that this endpoint will not run (SERVICE, FROM, too deep …)."""

    title = "Query refused"


class ResultTooLarge(BadRequest):
    title = "Result too large"


class NotFound(Problem):
    status, title = 404, "Not found"


class MethodNotAllowed(Problem):
    status, title = 405, "Method not allowed"


class NotAcceptable(Problem):
    status, title = 406, "Not acceptable"


class PayloadTooLarge(Problem):
    status, title = 413, "Payload too large"


class UnsupportedMediaType(Problem):
    status, title = 415, "Unsupported media type"


class UpdateRefused(Problem):
    status, title = 403, "Updates are not accepted"


class QueryTimeout(Problem):
    status, title = 503, "Query timed out"


class QueryAborted(Problem):
    """The query's process ended before it answered: out of its memory, or an engine failure."""

    status, title = 503, "Query stopped"


class StoreUnavailable(Problem):
    status, title = 503, "Store unavailable"


class ServiceBusy(Problem):
    """Every query worker is busy and the queue for them is full: try again after ``retry_after`` s."""

    status, title = 503, "Service busy"

    def __init__(self, message: str, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class TooManyRequests(Problem):
    """One client asked more often than the rate limit allows."""

    status, title = 429, "Too many requests"

    def __init__(self, message: str, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after
