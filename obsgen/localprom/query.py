"""Queries of a local Prometheus, through the gate's own HTTP client (obsgen/gate/http.py)."""
from __future__ import annotations

from typing import Iterator

from obsgen.gate.http import Client, Endpoint, Series

# Local servers answer long range queries slowly on a loaded machine; nothing to retry.
TIMEOUT = 300.0


def client(url: str, *, name: str = "local", timeout: float = TIMEOUT) -> Client:
    """A client of the Prometheus at `url`, POSTing every query (long PromQL stays off the URL)."""
    return Client(Endpoint(name=name, url=url, timeout=timeout, retries=0, post_above=0))


def range_chunks(client: Client, expr: str, start: int, end: int, step: int, max_points: int) -> Iterator[Series]:
    """A range query over [start, end] split into queries of at most `max_points` steps;
    a series that spans several chunks comes once per chunk, its points in time order."""
    lo = start
    while lo <= end:
        hi = min(end, lo + (max_points - 1) * step)
        yield from client.query_range(expr, lo, hi, step)
        lo = hi + step

