"""Recognise the PromQL shapes of another tool's queries that obsgen can count exactly.

A Sloth or OpenSLO query over a templated window (`[{{.window}}]`) is parsed with a sentinel
range in place of the template; `sum(rate(SEL[window]))` (or `increase`) is then the counter
SEL, `sum(rate(H_count{m}[w])) - sum(rate(H_bucket{le="T",m}[w]))` a latency threshold on the
histogram H, and anything else stays the user's own expression over `$window` (RawRatio).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import promql_parser as pp

from obsgen import promql

SENTINEL = 1_234_567          # seconds: a range no one writes, standing for the template
TEMPLATE = re.compile(r"\{\{\s*\.window\s*\}\}")
_COUNTERS = {"rate", "increase"}


def has_template(query: str) -> bool:
    return bool(TEMPLATE.search(query))


def with_window(query: str, window: str) -> str:
    return TEMPLATE.sub(window, query)


def parse(query: str):
    """The query with the template as the sentinel range; ValueError when it does not parse."""
    return promql.parse(with_window(query, f"{SENTINEL}s"))


def _strip(node):
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    return node


def counter(node) -> str | None:
    """SEL when `node` is sum(rate(SEL[window])) or sum(increase(SEL[window])), else None."""
    node = _strip(node)
    if not isinstance(node, pp.AggregateExpr) or str(node.op) != "sum" or node.modifier is not None:
        return None
    call = _strip(node.expr)
    if not isinstance(call, pp.Call) or call.func.name not in _COUNTERS or len(call.args) != 1:
        return None
    matrix = call.args[0]
    if not isinstance(matrix, pp.MatrixSelector) or matrix.range != timedelta(seconds=SENTINEL):
        return None
    vs = matrix.vector_selector
    if vs.offset is not None or vs.at is not None or not vs.name:
        return None
    return promql.unparse(vs)


@dataclass(frozen=True)
class Latency:
    histogram: str
    threshold: float
    matchers: str

    @property
    def count_selector(self) -> str:
        return promql.selector(f"{self.histogram}_count", [self.matchers] if self.matchers else [])


def same(a: str, b: str) -> bool:
    """Whether two selectors pick the same series (matcher order and quoting aside)."""
    (na, ma), (nb, mb) = _parts(a), _parts(b)
    return na == nb and sorted(ma) == sorted(mb)


def _parts(selector: str) -> tuple[str, list[str]]:
    name, matchers = promql.selector_parts(selector)
    return name, [_canonical(m) for m in matchers]


def _canonical(matcher: str) -> str:
    node = pp.parse(f"x{{{matcher}}}").matchers.matchers[0]
    return f"{node.name}{promql._OPS[str(node.op)]}{promql.quote(node.value)}"


def difference(node) -> tuple[str, str] | None:
    """(A, B) when `node` is sum(rate(A[w])) - sum(rate(B[w])), else None."""
    node = _strip(node)
    if not isinstance(node, pp.BinaryExpr) or str(node.op) != "-" or node.modifier is not None:
        return None
    a, b = counter(node.lhs), counter(node.rhs)
    return (a, b) if a and b else None


def latency(node) -> Latency | None:
    """The histogram, threshold and matchers when `node` counts requests slower than a bucket:
    sum(rate(H_count{m}[w])) - sum(rate(H_bucket{le="T",m}[w]))."""
    pair = difference(node)
    if pair is None:
        return None
    (count_name, count_m), (bucket_name, bucket_m) = _parts(pair[0]), _parts(pair[1])
    if not count_name.endswith("_count") or bucket_name != count_name[: -len("_count")] + "_bucket":
        return None
    le = [m for m in bucket_m if m.startswith("le=")]
    rest = [m for m in bucket_m if not m.startswith("le=")]
    if len(le) != 1 or sorted(rest) != sorted(count_m):
        return None
    try:
        threshold = float(le[0][len('le="'):-1])
    except ValueError:
        return None
    if not 0 < threshold < float("inf"):
        return None
    return Latency(count_name[: -len("_count")], int(threshold) if threshold.is_integer() else threshold, ",".join(count_m))
