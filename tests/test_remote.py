"""The site over a remote store that is down or does not answer: a 503 within the time limit, never
a hang; and the serve command says so and stops."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

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


def test_serve_over_a_store_that_is_down_says_so_and_stops(capsys):
    url = f"http://127.0.0.1:{free_port()}/query"
    assert main(["serve", "--store", url, "--port", str(free_port())]) == 2
    assert f"the store at {url} cannot be reached" in capsys.readouterr().err


def test_a_store_must_be_embedded_or_a_url():
    with pytest.raises(ValueError, match="'embedded', or the http"):
        Settings.from_env({"IPGRAPH_STORE": "oxigraph"})
