"""Loading the graph into any SPARQL 1.1 store: what ``ipgraph push`` does.

Each named graph is *replaced* in the target store, so pushing twice leaves it as pushing once:
by the Graph Store Protocol when the store has it (one HTTP ``PUT`` of the graph as N-Triples),
else by SPARQL Update (``DROP SILENT GRAPH``, then ``INSERT`` in chunks). Afterwards the triples of
each graph are counted at the query endpoint, and must be as many as were sent.

Blank nodes are fresh in every update request, so the triples that share blank nodes travel in
the same chunk (:func:`chunks`).

>>> a, b = ox.BlankNode("a"), ox.BlankNode("b")
>>> p = ox.NamedNode("http://example.org/p")
>>> linked = [ox.Triple(a, p, b), ox.Triple(p, p, p), ox.Triple(b, p, ox.Literal("x"))]
>>> [len(chunk) for chunk in chunks(linked, 1)]
[2, 1]
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

GSP, UPDATE = "GSP", "Update"
# What a URL without the Graph Store Protocol answers a PUT with; 401 and 403 are refusals instead.
NO_GRAPH_STORE = frozenset({400, 404, 405, 415, 501})
FORM = "application/x-www-form-urlencoded"


class PushError(Exception):
    """The push did not complete: the store could not be reached, refused, or holds other counts."""


class Refused(PushError):
    """The store answered with an HTTP error status."""

    def __init__(self, url: str, status: int, reason: str, body: bytes, media_type: str = ""):
        super().__init__(f"{url} answered {status} {reason}: {_start(body, html='html' in media_type)}")
        self.status = status


@dataclass(frozen=True)
class Endpoints:
    """Where the store answers queries, updates (SPARQL 1.1 Update) and the Graph Store Protocol."""

    query: str
    update: str
    graph_store: str

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.graph_store):
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"not an http(s) URL: {url!r}")


@dataclass(frozen=True)
class Pushed:
    """One graph in the store: its IRI, its triples and how they were sent (``GSP`` or ``Update``)."""

    graph: str
    triples: int
    method: str


class Client:
    """HTTP requests with a timeout and, given a user, basic or digest authentication.

    Credentials go out when the store asks for them: Virtuoso answers unasked-for basic credentials
    with a bare 401 rather than with its digest challenge. After one challenge they go out with every
    request, so that a large body is sent once (Virtuoso closes the connection when it challenges,
    cutting a large body off); :meth:`greet` gets that challenge before the first large body.
    """

    def __init__(self, endpoints: Endpoints, *, user: str = "", password: str = "", timeout: float = 60.0):
        handlers: list[urllib.request.BaseHandler] = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
            for url in (endpoints.query, endpoints.update, endpoints.graph_store):
                passwords.add_password(None, url, user, password)
            handlers = [urllib.request.HTTPBasicAuthHandler(passwords), _Digest(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self.authenticates = bool(user)
        self.timeout = timeout

    def send(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 - http(s) only
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise Refused(url, error.code, error.reason, error.read(), error.headers.get_content_type()) from None
        except urllib.error.URLError as error:
            raise PushError(self._failure(url, error.reason)) from None
        except (OSError, ValueError) as error:  # a timeout, a dropped connection, a bad URL
            raise PushError(self._failure(url, error)) from None

    def _failure(self, url: str, reason: object) -> str:
        if isinstance(reason, TimeoutError):
            return f"no answer from {url} within {self.timeout:g} s"
        return f"cannot reach {url}: {reason or type(reason).__name__}"

    def greet(self, url: str) -> None:
        """Ask ``url`` for its headers (``HEAD``) when there are credentials to give; raise
        :class:`Refused` if it does not accept them, whatever else it answers."""
        if not self.authenticates:
            return
        try:
            self.send("HEAD", url, None, {})
        except Refused as refused:
            if refused.status == 401:
                raise
        except PushError:
            pass  # the request that follows says what is wrong


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that answers every request with the last challenge received, its nonce
    counted up, rather than waiting to be challenged again."""

    challenge: dict[str, str] | None = None

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        if self.challenge is not None and not request.has_header("Authorization"):
            answer = self.get_authorization(request, self.challenge)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        return request

    https_request = http_request

    def http_error_auth_reqed(self, auth_header, host, req, headers):
        scheme, _, rest = headers.get(auth_header, "").partition(" ")
        if scheme.lower() == "digest":
            self.challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(rest)))
        return super().http_error_auth_reqed(auth_header, host, req, headers)


def split(nquads: bytes, order: Sequence[str] = (), into: str | None = None) -> dict[str, list[ox.Triple]]:
    """The triples of each named graph of an N-Quads document, the graphs named in ``order`` first and
    in that order; or, given a graph IRI ``into``, all of them merged into that graph."""
    graphs: dict[str, dict[ox.Triple, None]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if into is None and isinstance(quad.graph_name, ox.DefaultGraph):
            raise ValueError("the store holds triples in its default graph: push them into one graph with --graph")
        graphs.setdefault(into or quad.graph_name.value, {})[quad.triple] = None
    rank = {graph: position for position, graph in enumerate(order)}
    return {graph: list(graphs[graph]) for graph in sorted(graphs, key=lambda g: rank.get(g, len(rank)))}


def push(graphs: dict[str, list[ox.Triple]], endpoints: Endpoints, *, client: Client,
         chunk_size: int = 1000) -> list[Pushed]:
    """Replace each graph of ``graphs`` in the store, then check that the store counts as many triples
    in each as were sent. Raises :class:`PushError`."""
    if chunk_size <= 0:
        raise ValueError(f"the chunk size must be positive, not {chunk_size}")
    pushed: list[Pushed] = []
    method = GSP
    for graph, triples in graphs.items():
        if method == GSP and not put_graph(client, endpoints.graph_store, graph, triples):
            method = UPDATE
        if method == UPDATE:
            update_graph(client, endpoints.update, graph, triples, chunk_size)
        pushed.append(Pushed(graph, len(triples), method))
    differ = [f"{p.graph} holds {n:,} triples, {p.triples:,} were pushed"
              for p in pushed if (n := count(client, endpoints.query, p.graph)) != p.triples]
    if differ:
        raise PushError(f"counts differ at {endpoints.query}: " + "; ".join(differ))
    return pushed


def put_graph(client: Client, url: str, graph: str, triples: Sequence[ox.Triple]) -> bool:
    """Replace ``graph`` by the Graph Store Protocol; False when ``url`` does not speak it."""
    target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph})
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    client.greet(target)
    try:
        client.send("PUT", target, body, {"Content-Type": "application/n-triples"})
    except Refused as refused:
        if refused.status in NO_GRAPH_STORE:
            return False
        raise
    return True


def update_graph(client: Client, url: str, graph: str, triples: Sequence[ox.Triple], chunk_size: int) -> None:
    """Replace ``graph`` by SPARQL Update: drop it, then insert ``triples`` a chunk a request. A chunk
    with blank nodes is an ``INSERT … WHERE {}``, as some stores refuse blank nodes in ``INSERT DATA``."""
    name = iri(graph)
    client.send("POST", url, _form(update=f"DROP SILENT GRAPH {name}"), {"Content-Type": FORM})
    for chunk in chunks(triples, chunk_size):
        body = "\n".join(str(t) + " ." for t in chunk)
        if any(_blank_nodes(t) for t in chunk):
            text = f"INSERT {{ GRAPH {name} {{\n{body}\n}} }} WHERE {{}}"
        else:
            text = f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}"
        client.send("POST", url, _form(update=text), {"Content-Type": FORM})


def count(client: Client, url: str, graph: str) -> int:
    """How many triples the store at query endpoint ``url`` holds in ``graph``."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}"
    body = client.send("POST", url, _form(query=query),
                       {"Content-Type": FORM, "Accept": "application/sparql-results+json"})
    try:
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise PushError(f"{url} did not answer a count in SPARQL JSON results: {_start(body)}") from None


def chunks(triples: Sequence[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """``triples`` in lists of at most ``size``, except that the triples linked through blank nodes
    stay in one list however many they are."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        nodes = _blank_nodes(triple)
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[object, list[ox.Triple]] = {}
    for position, triple in enumerate(triples):
        nodes = _blank_nodes(triple)
        groups.setdefault(root(nodes[0]) if nodes else position, []).append(triple)
    packed: list[list[ox.Triple]] = []
    for group in groups.values():
        if not packed or len(packed[-1]) + len(group) > size:
            packed.append([])
        packed[-1].extend(group)
    return packed


def iri(text: str) -> str:
    """``text`` as an IRI in SPARQL syntax, ``<…>``; ValueError when it is not an absolute IRI.

    >>> iri("https://example.org/graph/data")
    '<https://example.org/graph/data>'
    """
    try:
        return str(ox.NamedNode(text))
    except ValueError as error:
        raise ValueError(f"not an absolute IRI: {text!r} ({error})") from None


def _blank_nodes(term: object) -> list[ox.BlankNode]:
    if isinstance(term, ox.BlankNode):
        return [term]
    if isinstance(term, ox.Triple):
        return [*_blank_nodes(term.subject), *_blank_nodes(term.object)]
    return []


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode("ascii")


def _start(body: bytes, length: int = 300, *, html: bool = False) -> str:
    """The beginning of an answer's body as one line of text, without its tags when it is ``html``.

    >>> _start(b"<html><h1>Forbidden</h1>\\n<p>read-only</p></html>", html=True)
    'Forbidden read-only'
    """
    text = body[:65536].decode("utf-8", "replace")
    text = " ".join((re.sub(r"<[^>]*>", " ", text) if html else text).split())
    return (text[:length] + "…" if len(text) > length else text) or "(no body)"

