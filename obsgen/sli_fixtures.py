"""Concrete input series for an SLI's promtool tests, derived from its selectors.

A selector says which series count (`status=~"5.."`); a test needs one real series that does
(`status="500"`) and one that counts as total but not as an error. Values are searched among
the selectors' own literals, strings built from their regexes, and a few common ones.
"""
from __future__ import annotations

import re

import promql_parser as pp

from obsgen import promql
from obsgen.model import EventRatio, LatencyThreshold, NativeLatencyThreshold
from obsgen.sli_selectors import le_values

COMMON = ("200", "500", "0", "1", "ok", "error", "success", "failure", "true", "false", "x")


def matchers_of(selector: str) -> tuple[str, list[tuple[str, str, str]]]:
    node = promql.parse(selector)
    if not isinstance(node, pp.VectorSelector):
        raise ValueError(f"not a plain series selector: {selector}")
    ops = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}
    found = [(m.name, ops[str(m.op).rsplit(".", 1)[-1]], m.value) for m in node.matchers.matchers if m.name != "__name__"]
    return node.name or "", found


def _holds(value: str, op: str, pattern: str) -> bool:
    if op == "=":
        return value == pattern
    if op == "!=":
        return value != pattern
    hit = re.fullmatch(pattern, value) is not None
    return hit if op == "=~" else not hit


def _from_regex(pattern: str) -> list[str]:
    out = []
    for alt in pattern.split("|"):
        s = alt.strip("^$")
        s = re.sub(r"\[([^\]])[^\]]*\]", r"\1", s)
        s = s.replace(".*", "").replace(".+", "x").replace("\\d", "0").replace(".", "0").replace("\\", "")
        s = re.sub(r"[()?*+]", "", s)
        out.append(s)
    return out


def _candidates(label: str, matchers) -> list[str]:
    own = [m for m in matchers if m[0] == label]
    found = [v for _, op, v in own if op == "="]
    for _, op, v in own:
        if op == "=~":
            found += _from_regex(v)
    # a value a negative matcher names, last: the total-not-error series of `grpc_code!="OK"` is `grpc_code="OK"`
    negated = [v for _, op, v in own if op == "!="] + [x for _, op, v in own if op == "!~" for x in _from_regex(v)]
    return list(dict.fromkeys([*found, *COMMON, "", *negated]))


def concrete(required: list, avoid: list | None = None) -> dict[str, str]:
    """Labels satisfying every matcher in `required`, and not all of `avoid` (when given)."""
    labels: dict[str, str] = {}
    for label in sorted({m[0] for m in required}):
        mine = [m for m in required if m[0] == label]
        value = next((v for v in _candidates(label, required) if all(_holds(v, op, p) for _, op, p in mine)), None)
        if value is None:
            raise ValueError(f"no value of label {label} satisfies {mine}")
        labels[label] = value
    if avoid and _matches(labels, avoid):
        for label in sorted({m[0] for m in avoid}):
            mine = [m for m in required if m[0] == label]
            for v in _candidates(label, required + avoid):
                trial = {**labels, label: v}
                if all(_holds(v, op, p) for _, op, p in mine) and not _matches(trial, avoid):
                    return {k: x for k, x in trial.items() if x}
        raise ValueError(f"no series matches {required} without matching {avoid}")
    return {k: v for k, v in labels.items() if v}


def _matches(labels: dict, matchers) -> bool:
    return all(_holds(labels.get(name, ""), op, p) for name, op, p in matchers)


def text(name: str, labels: dict[str, str]) -> str:
    return promql.selector(name, [f"{k}={promql.quote(v)}" for k, v in sorted(labels.items())])


def series(sli, le_spelling: int = 0) -> list[tuple[str, str]] | None:
    """[(series, role)] where role is "good", "bad" or "total" (good + bad); None when the SLI's
    inputs cannot be derived (a raw-ratio SLI is opaque PromQL). A native histogram is one
    series in two roles, its count under the threshold and its count (obsgen/slo/native.py
    writes them as one)."""
    if isinstance(sli, EventRatio):
        t_name, t_m = matchers_of(sli.total)
        counted = sli.errors if sli.errors is not None else sli.good
        c_name, c_m = matchers_of(counted)
        role, other = ("bad", "good") if sli.errors is not None else ("good", "bad")
        if c_name == t_name:
            return [(text(t_name, concrete(t_m + c_m)), role), (text(t_name, concrete(t_m, c_m)), other)]
        return [(text(c_name, concrete(c_m)), role), (text(t_name, concrete(t_m)), "total")]
    if isinstance(sli, LatencyThreshold):
        count = promql.selector(f"{sli.histogram}_count", [sli.matchers] if sli.matchers else [])
        name, m = matchers_of(count)
        labels = concrete(m)
        le = le_values(sli.threshold)[le_spelling % len(le_values(sli.threshold))]
        return [(text(f"{sli.histogram}_bucket", {**labels, "le": le}), "good"), (text(name, labels), "total")]
    if isinstance(sli, NativeLatencyThreshold):
        name, m = matchers_of(promql.selector(sli.histogram, [sli.matchers] if sli.matchers else []))
        series = text(name, concrete(m))
        return [(series, "good"), (series, "total")]
    return None


def native_threshold(sli) -> float | None:
    """The threshold whose buckets a native-histogram SLI's fixtures are written around; None
    for the other kinds (their fixtures are plain counters)."""
    return sli.threshold if isinstance(sli, NativeLatencyThreshold) else None
