"""The base window's counts are exact deltas: they telescope, survive resets and new series."""
from __future__ import annotations

import pytest

from obsgen import names, promtool, serialize
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import recording

from tests.slo.fixtures import region, slo

CASES = [
    ("a steady counter counts every increment", {"a": "0 10 20 30 40 50"}, 50),
    ("a reset counts the new process's events", {"a": "0 10 20 5 15 25"}, 45),
    ("a series that appears later counts from zero", {"a": "0 10 20 30 40 50", "b": "_ _ _ 0 7 9"}, 59),
    ("a series that vanishes stops counting", {"a": "0 10 20 30 40 50", "b": "0 1 2 _ _ _"}, 52),
    # The faults of real scrapes, on counters that already hold a long history: none of them may
    # book the lifetime value (1000000), and none may book an increase twice.
    ("a failed scrape (stale marker) is bridged by the next sample",
     {"a": "1000000 1000010 stale 1000030 1000040 1000050"}, 50),
    ("two failed scrapes in a row are bridged", {"a": "1000000 1000010 stale stale 1000040 1000050"}, 50),
    ("a stale marker as the newest sample books nothing", {"a": "1000000 1000010 1000020 1000030 1000040 stale"}, 40),
    ("Prometheus down (no samples at all) is bridged once it is back",
     {"a": "1000000 1000010 _ _ 1000040 1000050"}, 50),
    ("a target down, then back with a reset, counts the new process from zero",
     {"a": "1000000 1000010 stale _ 5 15"}, 25),
    ("a long-lived series appearing books nothing of its past", {"a": "0 10 20 30 40 50", "b": "_ _ _ 1000000 1000007 1000009"}, 59),
    ("a pod replaced: the old series goes stale, the new one counts from its first sample",
     {"a": "0 10 20 stale _ _", "b": "_ _ _ 3 13 23"}, 40),
]


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2", "3")
@pytest.mark.parametrize("series,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_5m_request_count_is_the_exact_sum_of_increments(tmp_path, series, expected):
    s, r = slo(), region()
    rules = tmp_path / "rules.yml"
    rules.write_bytes(serialize.to_yaml(group_file("t", recording.rules(s, r), r.evaluation_interval)))
    labels = recording.identity(s, r.name)
    name = names.requests_count("5m")
    test = {"rule_files": [str(rules)], "evaluation_interval": "1m", "tests": [{
        "interval": "1m",
        "input_series": [{"series": f'http_requests_total{{service="api",status="200",instance="{k}"}}', "values": v}
                         for k, v in series.items()],
        "promql_expr_test": [{"expr": name, "eval_time": "5m", "exp_samples": [
            {"labels": f"{name}{{{','.join(f'{k}={chr(34)}{v}{chr(34)}' for k, v in labels.items())}}}", "value": expected}]}],
    }]}
    path = tmp_path / "counts.test.yml"
    path.write_bytes(serialize.to_yaml(test))
    result = promtool.test_rules([path])
    assert result.ok, result.output
