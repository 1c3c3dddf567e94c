"""Reading a response of the test client."""

from __future__ import annotations


def fetch(client, path: str, headers: dict | None = None):
    """The response to a GET, read and closed (a file sent from disk stays open until then)."""
    response = client.get(path, headers=headers or {})
    response.get_data()
    response.close()
    return response
