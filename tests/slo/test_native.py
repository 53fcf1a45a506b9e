"""Latency SLIs over native histograms: the generated proofs, written in promtool 3's histogram
notation, pass under promtool 3 (faults included), fail when the rules count another threshold,
and are refused by promtool 2.42, which cannot read that notation."""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from obsgen import names, promtool, serialize
from obsgen.model import NativeLatencyThreshold
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, native, proofs, recording

from tests.slo.fixtures import region, slo, write

NATIVE = NativeLatencyThreshold(histogram="http_request_duration_seconds", threshold=0.3, matchers='service="api"')


def native_slo(**over):
    return slo(NATIVE, name="latency", **over)


@pytest.mark.tool("promtool")
def test_the_generated_proofs_of_a_native_histogram_slo_pass_under_promtool_3(tmp_path):
    test = write(tmp_path, native_slo(), region())
    text = test.read_text()
    assert "{{schema:0" in text and "stale" in text   # histogram input, with the fault scenarios
    result = promtool.test_rules([test])
    assert result.ok, result.output


@pytest.mark.tool("promtool")
def test_the_proofs_fail_when_the_rules_count_under_another_threshold(tmp_path):
    """Rules at 0.6 s read the slow bucket (0.5, 1] half as good: every count and alert moves."""
    s, r = native_slo(), region()
    test = write(tmp_path, s, r, tests=proofs.tests(s, r)[:1])   # the outage alone
    assert promtool.test_rules([test]).ok
    wrong = replace(s, sli=replace(NATIVE, threshold=0.6))
    rules = tmp_path / r.name / names.slo_rules_file(s.id)
    rules.write_bytes(serialize.to_yaml(group_file(f"slo-{s.id}", recording.rules(wrong, r) + alerts.rules(wrong, r),
                                                   r.evaluation_interval)))
    assert not promtool.test_rules([test]).ok


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2")
def test_promtool_2_cannot_read_native_histogram_input(tmp_path):
    test = write(tmp_path, native_slo(), region())
    result = promtool.test_rules([test])
    assert not result.ok and "unexpected character in series sequence" in result.output, result.output


@pytest.mark.parametrize("threshold,bucket", [(0.3, -1), (0.25, -2), (1, 0), (1.5, 1), (3, 2), (0.001, -9)])
def test_the_threshold_lies_in_the_bucket_between_the_good_and_the_slow_ones(threshold, bucket):
    assert native.threshold_bucket(threshold) == bucket
    assert 2.0 ** (bucket - 1) < threshold <= 2.0 ** bucket


def test_a_histogram_series_folds_equal_increments_and_keeps_faults():
    text = native.values([0, 7, 14, "stale", 28, 3], [0, 10, 20, "stale", 40, 5], 0.3)
    assert text == ("{{schema:0 count:0 buckets:[0 0 0] offset:-2}}+{{schema:0 count:10 buckets:[7 0 3] offset:-2}}x2 "
                    "stale {{schema:0 count:40 buckets:[28 0 12] offset:-2}} {{schema:0 count:5 buckets:[3 0 2] offset:-2}}")


def test_steady_burns_of_a_native_slo_count_whole_requests():
    """A histogram counts whole observations: the 0.9x burn's traffic is scaled to whole numbers."""
    s, r = native_slo(), region()
    test = proofs.steady_burn(s, r, Fraction(9, 10), "x", 0)
    assert "." not in " ".join(series["values"] for series in test["input_series"])
