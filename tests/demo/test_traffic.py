"""Which series the demo synthesizes for each kind of SLI, read from its selectors."""
from __future__ import annotations

import pytest

from obsgen.demo.traffic import Counter, Histogram, Underivable, part_of
from obsgen.model import SLO, EventRatio, LatencyThreshold, RawRatio
from obsgen.synth.model import ErrorCounter, OutcomeLabel


def slo(sli) -> SLO:
    return SLO(service="svc", name="x", objective=99.0, sli=sli, description="d")


CASES = {
    "errors as a label of one counter: the good series gets a status the selector excludes": (
        EventRatio(total='http_requests_total{service="api"}', errors='http_requests_total{service="api",status=~"5.."}'),
        Counter("http_requests_total", (("service", "api"),), OutcomeLabel("status", ok="200", error="500"))),
    "good as a label of one counter": (
        EventRatio(total='jobs_total{job="a"}', good='jobs_total{job="a",result="success"}'),
        Counter("jobs_total", (("job", "a"),), OutcomeLabel("result", ok="success", error="200"))),
    "a separate error counter": (
        EventRatio(total="jobs_total", errors="jobs_failed_total"),
        Counter("jobs_total", (), ErrorCounter("jobs_failed_total"))),
    "a separate success counter: the synth's error component counts the good events": (
        EventRatio(total="cover_generation_attempts_total", good="cover_generation_success_total"),
        Counter("cover_generation_attempts_total", (), ErrorCounter("cover_generation_success_total"), inverted=True)),
    "a latency threshold with matchers": (
        LatencyThreshold(histogram="http_request_duration_seconds", threshold=0.5, matchers='service="api"'),
        Histogram("http_request_duration_seconds", (("service", "api"),), 0.5)),
}


@pytest.mark.parametrize("sli,expected", CASES.values(), ids=CASES.keys())
def test_series_derived_from_the_sli(sli, expected):
    assert part_of(slo(sli)) == expected


UNDERIVABLE = {
    "a raw PromQL SLI names no series": RawRatio(errors="sum(increase(a_total[$window]))",
                                                 total="sum(increase(b_total[$window]))"),
    "error and total counters with different labels": EventRatio(total='a_total{x="1"}', errors='b_total{x="2"}'),
}


@pytest.mark.parametrize("sli", UNDERIVABLE.values(), ids=UNDERIVABLE.keys())
def test_an_sli_whose_series_cannot_be_synthesized_is_named(sli):
    with pytest.raises(Underivable, match="svc-x"):
        part_of(slo(sli))
