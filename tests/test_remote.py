"""The site over a remote store that is down or does not answer: a 503 within the time limit, never
a hang; and the serve command says so and stops."""

from __future__ import annotations

import base64
import contextlib
import http.server
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from servers import free_port

from ipgraph.cli import main
from ipgraph.config import Settings
from ipgraph.store import RemoteStore, open_store
from ipgraph.web import create_app

TIMEOUT = 1.0


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A server that takes connections and requests and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


Reply = tuple[int, dict[str, str], bytes]  # an HTTP answer: status, headers, body


@contextlib.contextmanager
def answering(answer: Callable[[dict[str, str], bytes], Reply]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that answers each POST with ``answer(headers, body)``;
    yields the URL of its ``/query``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            status, headers, body = answer(dict(self.headers), self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def babbling_endpoint() -> Iterator[str]:
    """A server that answers every request 200 with something that is not SPARQL results."""
    with answering(lambda headers, body: (200, {"Content-Type": "text/html"}, b"<html>It works!</html>")) as url:
        yield url


def site(endpoint: str, tmp_path):
    settings = Settings.from_env({}, store=endpoint, store_dir=tmp_path, query_timeout=TIMEOUT)
    store = open_store(settings)
    assert isinstance(store, RemoteStore)
    return create_app(settings, store=store).test_client()


@pytest.mark.parametrize("path", ["/", "/id/body/guangzhou-customs", "/search?q=海关", "/sparql?query=ASK%7B%7D"])
def test_a_store_that_is_down_is_a_503(tmp_path, path):
    client = site(f"http://127.0.0.1:{free_port()}/query", tmp_path)
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/id/body/guangzhou-customs", "/sparql?query=ASK%7B%7D"])
def test_a_store_that_does_not_answer_is_a_503_within_the_time_limit(tmp_path, silent_endpoint, path):
    client = site(silent_endpoint, tmp_path)
    started = time.monotonic()
    response = client.get(path, headers={"Accept": "application/json"})
    waited = time.monotonic() - started
    assert response.status_code == 503
    assert f"did not answer within {TIMEOUT:g} s" in response.get_data(as_text=True)
    assert waited < TIMEOUT + 2  # not a hang: the limit holds (a generous margin for a busy machine)


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK%7B%7D"])
def test_a_store_that_answers_something_else_is_a_503(tmp_path, babbling_endpoint, path):
    response = site(babbling_endpoint, tmp_path).get(path, headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "It works!" in response.get_data(as_text=True)  # what it said, for whoever reads the log


def test_serve_over_a_store_that_is_down_says_so_and_stops(capsys):
    url = f"http://127.0.0.1:{free_port()}/query"
    assert main(["serve", "--store", url, "--port", str(free_port())]) == 2
    assert f"the store at {url} cannot be reached" in capsys.readouterr().err


def test_a_store_must_be_embedded_or_a_url():
    with pytest.raises(ValueError, match="'embedded', or the http"):
        Settings.from_env({"IPGRAPH_STORE": "oxigraph"})


@pytest.fixture
def guarded(oxigraph_server) -> Iterator[tuple[str, list[bool]]]:
    """A reverse proxy in front of the Oxigraph server that asks for HTTP basic authentication
    (user ``reader``, password ``secret``); yields its URL and, for each request, whether it came
    with credentials."""
    expected = "Basic " + base64.b64encode(b"reader:secret").decode()
    seen: list[bool] = []

    def forward(headers: dict[str, str], body: bytes) -> Reply:
        given = headers.get("Authorization")
        seen.append(given is not None)
        if given != expected:
            return 401, {"WWW-Authenticate": 'Basic realm="store"'}, b""
        forwarded = urllib.request.Request(oxigraph_server.query, data=body, method="POST", headers={
            "Content-Type": headers["Content-Type"], "Accept": headers["Accept"]})
        with urllib.request.urlopen(forwarded) as answer:  # noqa: S310 - the test's own server
            return answer.status, {"Content-Type": answer.headers["Content-Type"]}, answer.read()

    with answering(forward) as url:
        yield url, seen


def test_credentials_go_to_a_store_that_asks_for_them(tmp_path, guarded):
    url, seen = guarded
    settings = Settings.from_env({}, store=url, store_dir=tmp_path, store_user="reader",
                                 store_password="secret")  # noqa: S106 - the test proxy's own
    store = open_store(settings)
    assert store.ask("ASK { ?s ?p ?o }")
    assert store.ask("ASK { ?s ?p ?o }")
    assert seen == [False, True, True]  # asked once, then sent with every request
    store.close()


def test_wrong_credentials_are_a_503_that_says_so(tmp_path, guarded):
    url, _ = guarded
    settings = Settings.from_env({}, store=url, store_dir=tmp_path, store_user="reader",
                                 store_password="wrong")  # noqa: S106 - the test proxy's own
    client = create_app(settings, store=open_store(settings)).test_client()
    response = client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "answered 401" in response.get_data(as_text=True)
