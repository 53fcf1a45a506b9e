"""The PromQL the gate sends: few queries, each parsing, each answering for every SLO at once."""
from __future__ import annotations

from obsgen import promql
from obsgen.gate import queries
from tests.gate import synthetic


def test_one_query_reads_every_recorded_count_and_the_firing_alerts():
    q = queries.recorded(["5m", "1h", "1d"], ["north", "south"])
    promql.parse(q)
    for name in ("slo:sli_errors:increase5m", "slo:sli_requests:increase1d", "ALERTS"):
        assert name in q
    assert 'alertstate=~"|firing"' in q and 'region=~"north|south"' in q


def test_coverage_probes_the_base_series_one_window_back_for_every_window_at_once():
    q = queries.coverage(["5m", "1d"], {"north": "1m"})
    promql.parse(q)
    assert "present_over_time(slo:sli_requests:increase1m{region=\"north\"}[1m] offset 4m)" in q
    assert "offset 23h59m" in q
    assert queries.coverage(["1m"], {"north": "1m"}) == ""     # the base window covers itself


def test_raw_counts_tag_each_slo_and_keep_regex_escapes_intact():
    q = queries.raw_counts(synthetic.SLOS[:2], "1h", ("region",), synthetic.END, "1h", "1h")
    promql.parse(q)
    assert q.count(queries.TAG_SLO) == 6 and '"api-latency"' in q
    assert 'le=~"0\\\\.5"' in q                      # the parser's canonical form would drop the escape


def test_a_single_region_is_matched_exactly():
    assert queries.region_matcher(["north"]) == 'region="north"'


def test_raw_counts_of_every_sli_kind_parse_at_every_tile_size():
    from obsgen.gate import exact
    from obsgen.model import NativeLatencyThreshold, RawRatio

    slis = [s.sli for s in synthetic.SLOS] + [
        NativeLatencyThreshold("http_request_duration_seconds", 0.5, 'service="api"'),
        RawRatio(errors='sum(rate(x_total{code="500"}[$window]))', total="sum(rate(x_total[$window]))")]
    for sli in slis:
        for tile in exact.tiles("1d", "1m"):
            c = exact.counts(sli, "1d", ("region",), synthetic.END + 7.5, tile, "1h")
            for expr in (c.errors, c.total, c.inexact):
                if expr:
                    promql.parse(expr)
