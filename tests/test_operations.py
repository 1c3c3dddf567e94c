"""Operating the site: /health, /metrics, ETag and 304, the caches, security headers, the access
log, the rate limit and the busy answer, through the real application over the real store."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest

from ipgraph.config import Settings
from ipgraph.store import EmbeddedStore
from ipgraph.web import create_app

PAGE = "/id/place/guangzhou"
ASK = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20173124%20%7D"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def client_with(store, **settings):
    return create_app(Settings.from_env({}, **settings), store=store).test_client()


def metric(client, name: str, **labels) -> float:
    """The value of one sample of /metrics (0 when it is not there yet)."""
    wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else "")
    for line in client.get("/metrics").get_data(as_text=True).splitlines():
        sample, _, value = line.rpartition(" ")
        if sample == wanted:
            return float(value)
    return 0.0


def test_health_reports_the_store_without_caching(client, store):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["version"] == store.version and body["triples"] == len(store)
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_metrics_count_requests_by_route_and_status(client):
    before = metric(client, "ipgraph_requests_total", method="GET", route="/id/<path:rest>", status="200")
    client.get(PAGE)
    after = metric(client, "ipgraph_requests_total", method="GET", route="/id/<path:rest>", status="200")
    assert after == before + 1
    text = client.get("/metrics").get_data(as_text=True)
    for name in ("ipgraph_request_seconds_bucket", "ipgraph_query_queue_depth", "ipgraph_query_workers"):
        assert name in text


def test_pages_carry_an_etag_of_the_data_version_and_answer_304(client, store):
    first = client.get(PAGE, headers={"Accept": "text/html"})
    etag = first.headers["ETag"]
    assert store.version in etag
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(PAGE, headers={"Accept": "text/html", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    turtle = client.get(PAGE, headers={"Accept": "text/turtle"})
    assert turtle.headers["ETag"] != etag  # each representation its own tag
    assert client.get(PAGE, headers={"Accept": "text/turtle", "If-None-Match": etag}).status_code == 200


def test_a_repeated_page_comes_from_the_cache(client):
    client.get("/class/ipg:District")
    hits = metric(client, "ipgraph_cache_total", cache="pages", outcome="hit")
    response = client.get("/class/ipg:District")
    assert response.status_code == 200 and "越秀区" in response.get_data(as_text=True)
    assert metric(client, "ipgraph_cache_total", cache="pages", outcome="hit") == hits + 1


def test_a_repeated_query_comes_from_the_result_cache(client):
    query = {"query": "SELECT ?s WHERE { ?s ?p 173124 }"}
    client.post("/sparql", data=query, headers={"Accept": "text/csv"})
    hits = metric(client, "ipgraph_cache_total", cache="sparql", outcome="hit")
    response = client.post("/sparql", data=query, headers={"Accept": "text/csv"})
    assert "guangzhou-2018-patent-applications" in response.get_data(as_text=True)
    assert metric(client, "ipgraph_cache_total", cache="sparql", outcome="hit") == hits + 1


def test_html_pages_have_a_content_security_policy_and_every_answer_nosniff(client):
    html = client.get(PAGE, headers={"Accept": "text/html"})
    assert "default-src 'self'" in html.headers["Content-Security-Policy"]
    assert html.headers["X-Frame-Options"] == "DENY"
    for response in (html, client.get(PAGE, headers={"Accept": "text/turtle"}), client.get(ASK)):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in client.get(ASK).headers


def test_each_request_is_one_json_line_in_the_access_log(client, caplog):
    with caplog.at_level(logging.INFO, logger="ipgraph.access"):
        client.get(PAGE + "?format=ttl")
    line = json.loads([r for r in caplog.records if r.name == "ipgraph.access"][-1].getMessage())
    assert line["method"] == "GET" and line["path"] == PAGE + "?format=ttl" and line["status"] == 200
    assert line["ms"] >= 0 and line["bytes"] > 0


def test_rate_limit_answers_429_with_retry_after(store):
    client = client_with(store, rate_limit=3)
    statuses = [client.get(ASK).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(ASK, headers={"Accept": "application/problem+json"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert client.get("/health").status_code == 200  # exempt


@pytest.mark.timeout(60)
def test_busy_workers_and_a_full_queue_answer_503_with_retry_after_at_once(graph):
    store = EmbeddedStore.from_graph(graph, query_workers=1, max_query_workers=1, query_queue=0)
    client = client_with(store, query_workers=1, max_query_workers=1, query_queue=0, query_timeout=3)
    assert client.get(ASK).status_code == 200  # the worker is up
    slow = threading.Thread(target=client.post, args=("/sparql",), kwargs={"data": {"query": CARTESIAN}})
    slow.start()
    try:
        time.sleep(0.3)  # the slow query holds the only worker
        started = time.monotonic()
        refused = client.get("/sparql?query=ASK%7B%7D")
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "2"
        assert time.monotonic() - started < 0.5
        assert client.get(PAGE).status_code == 200  # pages do not wait for query workers
    finally:
        slow.join()
        store.close()


@pytest.mark.timeout(60)
def test_a_busy_pool_starts_another_worker_for_a_good_query_and_shrinks_back(graph):
    store = EmbeddedStore.from_graph(graph, query_workers=1, max_query_workers=2, query_queue=4)
    client = client_with(store, query_workers=1, max_query_workers=2, query_queue=4, query_timeout=3)
    pool = store.pool(Settings().max_query_memory)
    assert client.get(ASK).status_code == 200
    slow = threading.Thread(target=client.post, args=("/sparql",), kwargs={"data": {"query": CARTESIAN}})
    slow.start()
    try:
        time.sleep(0.3)  # the slow query holds the only worker
        started = time.monotonic()
        assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
        assert time.monotonic() - started < 3  # answered by a second worker, not after the slow one
        assert len(pool.pids()) == 2
    finally:
        slow.join()
    deadline = time.monotonic() + 10
    while len(pool.pids()) != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.pids()) == 1  # the slow query's worker was killed and not replaced: one is the size
    store.close()


@pytest.mark.timeout(60)
def test_the_workers_of_one_server_share_their_answers_and_refusals(graph, tmp_path):
    """Two workers of one server (two stores over one built store and one answers file): what one
    worker answered or stopped at a limit, the other answers from the file without running it."""
    from ipgraph.errors import QueryTimeout
    from ipgraph.negotiation import GRAPHS, SOLUTIONS
    from ipgraph.store import Limits

    shared = tmp_path / "answers.sqlite"
    first = EmbeddedStore.from_graph(graph, shared_answers=shared)
    second = EmbeddedStore(first.built, shared_answers=shared)
    limits = Limits.from_settings(Settings.from_env({}, query_timeout=2))
    ask = dict(solutions=SOLUTIONS[0], graph=GRAPHS[0], limits=limits)
    try:
        answered = first.answer("ASK { ?s ?p 173124 }", **ask)
        assert second.answer("ASK { ?s ?p 173124 }", **ask) == answered
        with pytest.raises(QueryTimeout):
            first.answer(CARTESIAN, **ask)
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            second.answer(CARTESIAN, **ask)
        assert time.monotonic() - started < 0.5
        assert second._pools == {}, "the second worker ran no query: both answers came from the file"
        # a worker of another server (no shared file) runs the query itself
        alone = EmbeddedStore(first.built)
        assert alone.answer("ASK { ?s ?p 173124 }", **ask) == answered and alone._pools != {}
        alone.close()
    finally:
        second.close()
        first.close()
