"""PromQL rewrites keep every string's escapes, so what obsgen writes is what Prometheus reads."""
import pytest

from obsgen import promql

CASES = [
    ("a regex with an escaped dot", 'sum(rate(x{le=~"1|1\\\\.0"}[5m]))', 'sum(rate(x{le=~"1|1\\\\.0"}[5m]))'),
    ("a quote inside a label value", 'x{a="q\\"x"}', 'x{a="q\\"x"}'),
    ("a backslash in a label_replace regex", 'label_replace(x, "d", "$1", "s", "(.*)\\\\.z")', 'label_replace(x, "d", "$1", "s", "(.*)\\\\.z")'),
]


@pytest.mark.parametrize("source,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_round_trips_strings(source, expected):
    assert promql.check(source) == expected
    assert promql.check(promql.check(source)) == expected


@pytest.mark.parametrize("source,expected", [
    ('sum(rate(x{a="b"}[5m]))', 'sum(rate(x{a="b",region=~"a|b"}[5m]))'),
    ("y offset 1h", 'y{region=~"a|b"} offset 1h'),
    ("max_over_time(z[1h:5m])", 'max_over_time(z{region=~"a|b"}[1h:5m])'),
], ids=["inside a range", "keeping an offset", "inside a subquery"])
def test_with_matcher_narrows_every_selector(source, expected):
    assert promql.with_matcher(source, 'region=~"a|b"') == expected
