"""`obsgen import openslo` / `obsgen export openslo`: the spec's examples, edge cases, bad input, round trip."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from obsgen.cli import main
from obsgen.interop import emit, openslo, openslo_export, source
from obsgen.interop.source import ImportProblem
from obsgen.load import load_estate
from obsgen.model import BurnWindow, EventRatio, LatencyThreshold, RawRatio

DATA = Path(__file__).parent / "data" / "openslo"
ROOT = Path(__file__).resolve().parents[2]

DS = """\
apiVersion: openslo/v1
kind: DataSource
metadata: {name: prom}
spec: {type: Prometheus, connectionDetails: {url: "http://prometheus:9090"}}
"""


def slo(indicator: str = "", objectives: str = "  - target: 0.995\n", extra: str = "", window: str = "30d") -> str:
    indicator = indicator or """\
  indicator:
    metadata: {name: errors}
    spec:
      ratioMetric:
        counter: true
        bad: {metricSource: {type: Prometheus, spec: {query: 'http_requests_total{code=~"5.."}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(http_requests_total)'}}}
"""
    return ("apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: avail}\nspec:\n  service: web\n"
            f"  budgetingMethod: Occurrences\n  timeWindow: [{{duration: {window}, isRolling: true}}]\n"
            f"{indicator}  objectives:\n{objectives}{extra}")


def convert(text: str):
    path = Path("/tmp") / f"openslo-{abs(hash(text))}.yaml"
    path.write_text(text)
    return openslo.convert_all(source.load_documents(path))


RATIO = lambda counted, q: f"""\
  indicator:
    metadata: {{name: s}}
    spec:
      ratioMetric:
        counter: true
        {counted}: {{metricSource: {{metricSourceRef: prom, spec: {{query: '{q}'}}}}}}
        total: {{metricSource: {{metricSourceRef: prom, spec: {{query: 'http_request_duration_seconds_count{{job="a"}}'}}}}}}
"""

CASES = [
    ("bad over total counters is an event ratio with the outer sum dropped", slo(),
     lambda s: s.sli == EventRatio(total="http_requests_total", errors='http_requests_total{code=~"5.."}') and s.objective == 99.5),
    ("good over total through a Prometheus DataSource is an event ratio of good events", DS + "---\n" + slo(RATIO("good", 'http_request_duration_seconds_count{job="a",code="200"}')),
     lambda s: s.sli.good == 'http_request_duration_seconds_count{job="a",code="200"}'),
    ("a good bucket over its histogram's count is a latency threshold", DS + "---\n" + slo(RATIO("good", 'http_request_duration_seconds_bucket{job="a",le="0.5"}')),
     lambda s: s.sli == LatencyThreshold("http_request_duration_seconds", 0.5, 'job="a"')),
    ("a raw failure ratio is averaged over evaluations", slo("""\
  indicator:
    metadata: {name: raw}
    spec:
      ratioMetric:
        rawType: failure
        raw: {metricSource: {type: Prometheus, spec: {query: 'job:errors:ratio'}}}
"""), lambda s: s.sli == RawRatio(errors="(job:errors:ratio)", total="vector(1)")),
    ("a raw success ratio becomes one minus it", slo("""\
  indicator:
    metadata: {name: raw}
    spec:
      ratioMetric:
        rawType: success
        raw: {metricSource: {type: Prometheus, spec: {query: 'job:ok:ratio'}}}
"""), lambda s: s.sli.errors == "1 - (job:ok:ratio)"),
    ("gauges of counts (counter false) are summed over evaluations", slo("""\
  indicator:
    metadata: {name: g}
    spec:
      ratioMetric:
        counter: false
        good: {metricSource: {type: Prometheus, spec: {query: 'ok_last_minute'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'all_last_minute'}}}
"""), lambda s: s.sli == RawRatio(errors="(all_last_minute) - (ok_last_minute)", total="all_last_minute")),
    ("a quantile under a value is a latency threshold on its histogram", slo("""\
  indicator:
    metadata: {name: p99}
    spec:
      thresholdMetric:
        metricSource: {type: Prometheus, spec: {query: 'histogram_quantile(0.99, sum by (le) (rate(rpc_seconds_bucket{svc="x"}[5m])))'}}
""", "  - {op: lt, value: 0.3, target: 0.99}\n"), lambda s: s.sli == LatencyThreshold("rpc_seconds", 0.3, 'svc="x"')),
    ("a rolling window in weeks is the period in days", slo(window="4w"), lambda s: s.period == "28d"),
    ("targetPercent is the objective as it is", slo(objectives="  - targetPercent: 99.9\n"), lambda s: s.objective == 99.9),
    ("a referenced SLI and a referenced burn-rate condition become the SLI and a burn window row",
     textwrap.dedent("""\
        apiVersion: openslo/v1
        kind: SLI
        metadata: {name: shared}
        spec:
          ratioMetric:
            counter: true
            bad: {metricSource: {type: Prometheus, spec: {query: 'e_total'}}}
            total: {metricSource: {type: Prometheus, spec: {query: 't_total'}}}
        ---
        apiVersion: openslo/v1
        kind: AlertCondition
        metadata: {name: fast}
        spec: {severity: page, condition: {kind: burnrate, op: gte, threshold: 14.4, lookbackWindow: 1h}}
        ---
        apiVersion: openslo/v1
        kind: AlertPolicy
        metadata: {name: pol}
        spec: {alertWhenBreaching: true, alertWhenNoData: true, conditions: [{conditionRef: fast}]}
        ---
        """) + slo("  indicatorRef: shared\n", extra="  alertPolicies: [{alertPolicyRef: pol}]\n"),
     lambda s: s.sli == EventRatio(total="t_total", errors="e_total") and s.absent_alert
     and s.alerting == (BurnWindow("page", long="1h", short="5m", factor=14.4, severity="critical"),)),
]


@pytest.mark.parametrize("text,check", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_openslo_documents_map_to_the_obsgen_slo_their_shape_means(text, check):
    (item,) = convert(text)
    assert check(item.slo), item.slo


def test_multiple_objectives_are_one_slo_each_named_by_display_name_or_target():
    items = convert(slo(objectives="  - {displayName: Internal objective, target: 0.999}\n  - {target: 0.99}\n"))
    assert [(i.slo.name, i.slo.objective) for i in items] == [("avail-internal-objective", 99.9), ("avail-99", 99.0)]


REFUSED = [
    ("a calendar-aligned window is refused at its calendar", slo(window="1w").replace(
        "isRolling: true}", "isRolling: false, calendar: {startTime: '2022-01-01 12:00:00', timeZone: UTC}}"), "timeWindow[0].calendar"),
    ("a month has no fixed length", slo(window="1M"), "timeWindow[0].duration"),
    ("timeslices budgeting is refused", slo().replace("Occurrences", "Timeslices"), "budgetingMethod"),
    ("a non-Prometheus source is refused", slo().replace("type: Prometheus", "type: Datadog", 1), "type"),
    ("a burn-rate condition that fires below its threshold is refused", slo(extra=textwrap.indent(textwrap.dedent("""\
        alertPolicies:
        - kind: AlertPolicy
          metadata: {name: p}
          spec:
            conditions:
            - kind: AlertCondition
              metadata: {name: c}
              spec: {severity: page, condition: {kind: burnrate, op: lte, threshold: 2, lookbackWindow: 1h}}
        """), "  ")), "condition.op"),
    ("a reference to an SLI the input does not define is refused", slo("  indicatorRef: nowhere\n"), "indicatorRef"),
    ("an unknown field is refused, never dropped", slo(extra="  sloPlugins: {}\n"), "sloPlugins"),
    ("a composite weight is refused", slo(objectives="  - {target: 0.99, compositeWeight: 2}\n"), "compositeWeight"),
]


@pytest.mark.parametrize("text,field", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_what_obsgen_cannot_map_is_exit_2_at_the_field(text, field, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(text)
    out = tmp_path / "out.py"
    result = CliRunner().invoke(main, ["import", "openslo", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith(f"error: {path}:") and field in line and "SLO avail" in line, line
    assert "Traceback" not in result.output and not out.exists()


SPEC_EXAMPLES = [
    ("occurrences example: its source is not Prometheus", "budgeting-method_occurences-slo.yaml", "type"),
    ("ratio-timeslices example: RatioTimeslices budgeting", "budgeting-method_ratio-timeslices.yaml", "budgetingMethod"),
    ("timeslices example: Timeslices budgeting", "budgeting-method_timeslices-slo.yaml", "budgetingMethod"),
    ("low-traffic example: Timeslices budgeting", "treat-low-traffic-as-equally-important_timeslices-slo.yaml", "budgetingMethod"),
]


@pytest.mark.parametrize("name,field", [c[1:] for c in SPEC_EXAMPLES], ids=[c[0] for c in SPEC_EXAMPLES])
def test_the_specs_own_examples_are_refused_at_the_field_obsgen_cannot_honour(name, field):
    with pytest.raises(ImportProblem) as exc:
        openslo.convert_all(source.load_documents(DATA / name))
    assert exc.value.field.split(".")[-1] == field and exc.value.site.line > 0, exc.value.one_line()


def test_export_then_import_gives_the_estates_slos_and_a_loadable_module(tmp_path):
    estate = load_estate(ROOT)
    out = tmp_path / "estate.openslo.yaml"
    result = CliRunner().invoke(main, ["export", "openslo", "--root", str(ROOT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    items = openslo.convert_all(source.load_documents(out))
    assert [i.slo for i in items] == list(estate.slos)
    assert emit.load_back(emit.module(items, "x"), "x.py") == list(estate.slos)
    assert all(d["apiVersion"] == "openslo/v1" for d in yaml.safe_load_all(out.read_text()))


def test_custom_burn_rows_survive_the_round_trip():
    from dataclasses import replace
    s = replace(load_estate(ROOT).slos[0], alerting=(BurnWindow("page", long="2h", short="15m", factor=10, severity="critical"),),
                absent_alert=True)
    path = Path("/tmp/openslo-rows.yaml")
    path.write_text(yaml.safe_dump_all(openslo_export.documents([s]), sort_keys=False))
    assert [i.slo for i in openslo.convert_all(source.load_documents(path))] == [s]


def test_a_per_label_slo_survives_the_round_trip_and_a_native_histogram_one_is_refused(tmp_path):
    from dataclasses import replace

    from obsgen.model import NativeLatencyThreshold

    s = replace(load_estate(ROOT).slos[0], group_by=("route", "tenant"), max_series=40)
    path = tmp_path / "grouped.openslo.yaml"
    path.write_text(yaml.safe_dump_all(openslo_export.documents([s]), sort_keys=False))
    items = openslo.convert_all(source.load_documents(path))
    assert [i.slo for i in items] == [s]
    assert emit.load_back(emit.module(items, "x"), "x.py") == [s]
    native = replace(s, sli=NativeLatencyThreshold("http_request_duration_seconds", 0.25))
    with pytest.raises(source.ImportProblem, match="native histogram has no _bucket series"):
        openslo_export.documents([native])
