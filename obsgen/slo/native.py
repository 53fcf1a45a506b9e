"""Native-histogram input for the promtool proofs (promtool 3's `{{schema:... count:...}}` notation).

A native-histogram SLI's test fixtures are two roles of one series: its count ("total") and its
count at or under the threshold ("good"). Written out, each sample is one histogram of schema 0
(bucket i holds (2^(i-1), 2^i]) with the good requests in the bucket just below the one holding
the threshold and the slow ones in the bucket just above it, so histogram_fraction reads the
good count exactly whatever the threshold. promtool 2.42 cannot read this notation.
"""
from __future__ import annotations

import math
from fractions import Fraction

from obsgen import sli_fixtures
from obsgen.slo.scrapes import GAP, STALE, promtool_values

SCHEMA = 0


def threshold_bucket(threshold: float) -> int:
    """The index of the schema-0 bucket holding `threshold`: the smallest i with 2^i >= it."""
    mantissa, exponent = math.frexp(threshold)   # threshold = mantissa * 2^exponent, 0.5 <= mantissa < 1
    return exponent - 1 if mantissa == 0.5 else exponent


def histogram(good, total, threshold: float) -> str:
    """One sample: `good` requests under the threshold, `total - good` over it."""
    i = threshold_bucket(threshold)
    slow = Fraction(total) - Fraction(good)
    return (f"{{{{schema:{SCHEMA} count:{_num(total)} buckets:[{_num(good)} 0 {_num(slow)}] offset:{i - 1}}}}}")


def values(good: list, total: list, threshold: float) -> str:
    """promtool's input for one native-histogram series from its two counts per sample (numbers,
    STALE or GAP alike in both); runs with equal non-negative increments folded as a+bxn."""
    out, i, n = [], 0, len(total)
    while i < n:
        g, t = good[i], total[i]
        if t is GAP or t == STALE:
            out.append("_" if t is GAP else "stale")
            i += 1
            continue
        j = i
        while j + 1 < n and _number(total[j + 1]) and total[j + 1] >= total[j] and good[j + 1] >= good[j] and \
                (j == i or (total[j + 1] - total[j], good[j + 1] - good[j]) == (total[i + 1] - t, good[i + 1] - g)):
            j += 1
        start = histogram(g, t, threshold)
        if j == i:
            out.append(start)
        else:
            out.append(f"{start}+{histogram(good[i + 1] - g, total[i + 1] - t, threshold)}x{j - i}")
        i = j + 1
    return " ".join(out)


def merge(entries, threshold: float) -> list[tuple[str, str]]:
    """[(series text, promtool values)] from [(series text, role, samples)] where each native
    series appears twice, as its "good" and its "total" counts, in first-seen order."""
    by_text: dict[str, dict[str, list]] = {}
    for text, role, samples in entries:
        by_text.setdefault(text, {})[role] = list(samples)
    return [(text, values(roles["good"], roles["total"], threshold)) for text, roles in by_text.items()]


def _number(x) -> bool:
    return isinstance(x, (int, Fraction)) and not isinstance(x, bool)


def _num(x) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else repr(float(x))


def written(sli, series) -> tuple[tuple[str, str], ...]:
    """(text, promtool values) of the fault proofs' scrape-level series (obsgen/slo/scrapes.py
    `Series`): counters as they are, a native histogram's two roles as one series."""
    threshold = sli_fixtures.native_threshold(sli)
    if threshold is None:
        return tuple((s.text, promtool_values(s.samples)) for s in series)
    return tuple(merge([(s.text, s.role, s.samples) for s in series], threshold))
