"""Which counters and histograms to synthesize for an SLO, read from its SLI's selectors.

obsgen.sli_fixtures turns a selector into concrete series (`status=~"5.."` -> `status="500"`)
with a role: bad, good or total. Here those series become the synth harness's stream parts:
a counter split by an outcome label, a counter with a separate error (or success) counter, or
a latency histogram. A raw-PromQL SLI is opaque: nothing is derived, and the demo says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from obsgen import sli_fixtures
from obsgen.model import SLO, LatencyThreshold
from obsgen.synth.model import ErrorCounter, OutcomeLabel

Labels = tuple[tuple[str, str], ...]


class Underivable(ValueError):
    """The SLI's series cannot be synthesized (e.g. a RawRatio SLI)."""


@dataclass(frozen=True)
class Counter:
    """Requests and their outcome. `inverted`: the separate counter counts successes, so the
    synth stream's "error" component is the good events."""

    name: str
    labels: Labels
    outcome: OutcomeLabel | ErrorCounter
    inverted: bool = False


@dataclass(frozen=True)
class Histogram:
    family: str
    labels: Labels
    threshold: float


def parse(selector: str) -> tuple[str, dict[str, str]]:
    name, matchers = sli_fixtures.matchers_of(selector)
    return name, {label: value for label, _, value in matchers}


def part_of(slo: SLO) -> Counter | Histogram:
    series = sli_fixtures.series(slo.sli)
    if series is None:
        raise Underivable(f"{slo.id}: a raw-PromQL SLI names no series to synthesize")
    if isinstance(slo.sli, LatencyThreshold):
        count = next(text for text, role in series if role == "total")
        _, labels = parse(count)
        return Histogram(slo.sli.histogram, _labels(labels), float(slo.sli.threshold))
    roles = {role: parse(text) for text, role in series}
    if "total" not in roles:          # one counter, split by a label: bad and good series
        (bad_name, bad), (good_name, good) = roles["bad"], roles["good"]
        differ = sorted(k for k in bad.keys() | good.keys() if bad.get(k) != good.get(k))
        if bad_name != good_name or len(differ) != 1:
            raise Underivable(f"{slo.id}: good and bad series differ in more than one label value")
        label = differ[0]
        counted = slo.sli.errors if slo.sli.errors is not None else slo.sli.good
        ok, error = (good.get(label) or _other_value(counted, label, bad.get(label)),
                     bad.get(label) or _other_value(counted, label, good.get(label)))
        common = {k: v for k, v in bad.items() if k != label}
        return Counter(bad_name, _labels(common), OutcomeLabel(label, ok=ok, error=error))
    total_name, total = roles["total"]
    inverted = "good" in roles
    part_name, part = roles["good" if inverted else "bad"]
    if part != total:
        raise Underivable(f"{slo.id}: the total and {'good' if inverted else 'error'} counters need the same labels")
    if not total_name.endswith("_total") or not part_name.endswith("_total"):
        raise Underivable(f"{slo.id}: counters must end in _total")
    return Counter(total_name, _labels(total), ErrorCounter(part_name), inverted)


def _other_value(selector: str, label: str, taken: str | None) -> str:
    """A value of `label` the selector does not count (the series it leaves out must still carry
    the label: the synth harness splits one counter by it)."""
    _, matchers = sli_fixtures.matchers_of(selector)
    mine = [(op, value) for name, op, value in matchers if name == label]
    for value in sli_fixtures.COMMON:
        if value != taken and not all(_holds(value, op, pattern) for op, pattern in mine):
            return value
    raise Underivable(f"no value of {label} falls outside {selector}")


def _holds(value: str, op: str, pattern: str) -> bool:
    if op in ("=", "!="):
        return (value == pattern) == (op == "=")
    return (re.fullmatch(pattern, value) is not None) == (op == "=~")


def _labels(labels: dict[str, str]) -> Labels:
    return tuple(sorted(labels.items()))
