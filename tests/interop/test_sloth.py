"""`obsgen import sloth`: Sloth's published examples in, obsgen definitions out (the migration proof:
test_sloth_migration.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from obsgen.interop import emit, sloth, source
from obsgen.model import EventRatio, LatencyThreshold, RawRatio
from obsgen.policy.burn_rates import WORKBOOK

DATA = Path(__file__).parent / "data" / "sloth"


def imported(name: str):
    return [i for doc in source.load_documents(DATA / name) for i in sloth.convert(doc)]


EXAMPLES = [
    ("getting-started maps to an event ratio of its error and total selectors", "getting-started.yml",
     [EventRatio(total='http_request_duration_seconds_count{job="myservice"}',
                 errors='http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}')]),
    ("the Kubernetes CRD form gives the same SLO as the file form", "k8s-getting-started.yml",
     [EventRatio(total='http_request_duration_seconds_count{job="myservice"}',
                 errors='http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}')]),
    ("count minus a bucket becomes a latency threshold on that histogram", "kubernetes-apiserver.yml",
     [EventRatio(total="apiserver_request_total", errors='apiserver_request_total{code=~"(5..|429)"}'),
      LatencyThreshold(histogram="apiserver_request_duration_seconds", threshold=0.4, matchers='verb!="WATCH"')]),
    ("a subquery-shaped query stays the user's expression over $window", "home-wifi.yml",
     [RawRatio(errors="sum_over_time((count(unifipoller_client_satisfaction_ratio < 0.75))[$window:]) OR on() vector(0)",
               total="sum_over_time((count(unifipoller_client_satisfaction_ratio))[$window:])"),
      RawRatio(errors="sum_over_time((count(unifipoller_client_satisfaction_ratio < 0.5))[$window:]) OR on() vector(0)",
               total="sum_over_time((count(unifipoller_client_satisfaction_ratio))[$window:])")]),
    ("a raw error ratio is averaged over evaluations against vector(1)", "raw-home-wifi.yml", [RawRatio]),
    ("every document of a multi-document file is imported", "multifile.yml", [EventRatio, EventRatio]),
    ("a negative matcher on the error series maps to an event ratio (Managed Prometheus form)",
     "managed-prometheus-grpc-server.yml",
     [EventRatio(total='grpc_server_handled_total{job="myservice"}',
                 errors='grpc_server_handled_total{grpc_code!="OK",job="myservice"}')]),
    ("rule group intervals are a note, the SLO maps", "custom_rule_group_interval.yml",
     [EventRatio(total="node_cpu_seconds_total", errors='node_cpu_seconds_total{mode="softirq"}')]),
]


@pytest.mark.parametrize("name,expected", [c[1:] for c in EXAMPLES], ids=[c[0] for c in EXAMPLES])
def test_sloth_examples_import_to_the_sli_their_query_shape_means(name, expected):
    got = [i.slo.sli for i in imported(name)]
    assert len(got) == len(expected)
    for sli, want in zip(got, expected):
        assert (isinstance(sli, want) if isinstance(want, type) else sli == want), sli


def test_the_module_written_loads_back_to_the_same_slos_and_the_same_bytes_twice():
    items = imported("kubernetes-apiserver.yml")
    text = emit.module(items, "obsgen import sloth x")
    assert emit.load_back(text, "x.py") == [i.slo for i in items]
    assert emit.module(imported("kubernetes-apiserver.yml"), "obsgen import sloth x") == text


def test_what_obsgen_does_not_carry_is_a_note_and_a_comment_never_a_silent_drop():
    item = imported("getting-started.yml")[0]
    fields = {n.field for n in item.notes}
    assert {"slos[0].alerting.name", "slos[0].alerting.page_alert.labels.routing_key",
            "slos[0].alerting.ticket_alert.labels.slack_channel", "slos[0].alerting.annotations.summary",
            "labels.tier"} <= fields
    assert item.slo.labels["sloth_tier"] == "2" and item.slo.labels["category"] == "availability"
    text = emit.module([item], "x")
    assert "routing_key" in text and "MyServiceHighErrorRate" in text


BAD = [
    ("both alert tiers disabled cannot be mapped", DATA / "no-alerts.yml", "no-alerts.yml:28:", "ticket_alert"),
    ("Sloth's published SLI plugin example cannot be mapped", DATA / "plugin-getting-started.yml",
     "plugin-getting-started.yml:13:", "slos[0].sli.plugin"),
    ("Sloth's published SLO plugin chain example cannot be mapped", DATA / "slo-plugin-getting-started.yml",
     "slo-plugin-getting-started.yml:7:", "slo_plugins"),
    ("Sloth's published VictoriaMetrics example (a plugin chain, MetricsQL) cannot be mapped",
     DATA / "victoria-metrics.yml", "victoria-metrics.yml:9:", "slo_plugins"),
    ("Sloth's published contrib denominator-corrected example (an SLO plugin chain) cannot be mapped",
     DATA / "contrib-denominator-corrected.yaml", "contrib-denominator-corrected.yaml:10:", "spec.sloPlugins"),
    ("Sloth's published contrib SLO plugins example cannot be mapped", DATA / "contrib-slo-plugins.yml",
     "contrib-slo-plugins.yml:12:", "slos[0].plugins"),
    ("Sloth's published CRD SLI plugin example cannot be mapped", DATA / "plugin-k8s-getting-started.yml",
     "plugin-k8s-getting-started.yml:27:", "spec.slos[0].sli.plugin"),
    ("Sloth's published CRD SLO plugin chain example cannot be mapped", DATA / "slo-plugin-k8s-getting-started.yml",
     "slo-plugin-k8s-getting-started.yml:17:", "spec.sloPlugins"),
    ("Sloth's AlertWindows given as a spec is pointed to --windows", DATA / "windows" / "7d.yaml",
     "7d.yaml:2:", "--windows"),
    ("an SLI plugin cannot be mapped", "version: prometheus/v1\nservice: s\nslos:\n- name: a\n  objective: 99\n  sli:\n    plugin:\n      id: x\n",
     ":7:", "sli.plugin"),
    ("a query without the window template", "version: prometheus/v1\nservice: s\nslos:\n- name: a\n  objective: 99\n  sli:\n    events:\n"
     "      error_query: sum(rate(x{c=\"5\"}[5m]))\n      total_query: sum(rate(x[{{.window}}]))\n", ":8:", "error_query"),
    ("a query that is not PromQL", "version: prometheus/v1\nservice: s\nslos:\n- name: a\n  objective: 99\n  sli:\n    events:\n"
     "      error_query: sum(rate(x{[{{.window}}]))\n      total_query: sum(rate(x[{{.window}}]))\n", ":8:", "not valid PromQL"),
    ("an unknown field", "version: prometheus/v1\nservice: s\nslos:\n- name: a\n  objective: 99\n  colour: red\n", ":6:", "colour"),
    ("an objective of 100", "version: prometheus/v1\nservice: s\nslos:\n- name: a\n  objective: 100\n", ":5:", "objective"),
    ("a service name obsgen cannot use as a file name", "version: prometheus/v1\nservice: My_Service\nslos: []\n", ":2:", "service"),
    ("not YAML at all", "version: [\n", ":", "not valid YAML"),
    ("another tool's version", "version: prometheus/v2\nservice: s\n", ":1:", "version"),
]


@pytest.mark.parametrize("src,where,words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_sloth_input_is_one_line_naming_file_line_and_field_exit_2_and_nothing_written(tmp_path, src, where, words):
    if isinstance(src, str):
        path = tmp_path / "spec.yml"
        path.write_text(src)
        src = path
    out = tmp_path / "out.py"
    result = CliRunner().invoke(main, ["import", "sloth", str(src), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and where in lines[0] and words in lines[0], result.stderr
    assert "Traceback" not in result.output and not out.exists()
    assert list(tmp_path.iterdir()) == ([src] if src.parent == tmp_path else [])


def test_the_cli_writes_the_module_and_refuses_to_overwrite_it(tmp_path):
    out = tmp_path / "sloth_slos.py"
    args = ["import", "sloth", str(DATA / "getting-started.yml"), "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert "MYSERVICE_REQUESTS_AVAILABILITY = SLO(" in out.read_text()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "exists" in again.stderr


WINDOWS_SPEC = ("apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\nspec:\n  sloPeriod: 30d\n  page:\n"
                "    quick: {errorBudgetPercent: 2, shortWindow: 5m, longWindow: 1h}\n"
                "    slow: {errorBudgetPercent: 5, shortWindow: 30m, longWindow: 6h}\n  ticket:\n"
                "    quick: {errorBudgetPercent: 10, shortWindow: 2h, longWindow: 1d}\n"
                "    slow: {errorBudgetPercent: 10, shortWindow: 6h, longWindow: 3d}\n")
BAD_WINDOWS = [
    ("a short window no shorter than its long one", WINDOWS_SPEC.replace("shortWindow: 6h", "shortWindow: 3d"), ":10:", "shortWindow"),
    ("a window that is not a duration", WINDOWS_SPEC.replace("longWindow: 1h", "longWindow: soon"), ":6:", "longWindow"),
    ("a missing row", WINDOWS_SPEC.split("  ticket:")[0], ":3:", "ticket"),
    ("a budget share over 100%", WINDOWS_SPEC.replace("errorBudgetPercent: 2,", "errorBudgetPercent: 120,"), ":6:",
     "errorBudgetPercent"),
    ("another kind", WINDOWS_SPEC.replace("AlertWindows", "PrometheusServiceLevel"), ":2:", "kind"),
    ("two documents", WINDOWS_SPEC + "---\n" + WINDOWS_SPEC, ":12:", "one AlertWindows document"),
]


def _import_with_windows(tmp_path, text: str):
    """`obsgen import sloth getting-started.yml --windows w.yaml`: (result, the --out file, w.yaml)."""
    windows = tmp_path / "w.yaml"
    windows.write_text(text)
    out = tmp_path / "out.py"
    result = CliRunner().invoke(main, ["import", "sloth", str(DATA / "getting-started.yml"), "--windows", str(windows),
                                       "--out", str(out)])
    return result, out, windows


@pytest.mark.parametrize("text,where,words", [c[1:] for c in BAD_WINDOWS], ids=[c[0] for c in BAD_WINDOWS])
def test_bad_alert_windows_are_one_line_naming_file_line_and_field_exit_2_and_nothing_written(tmp_path, text, where, words):
    result, out, _ = _import_with_windows(tmp_path, text)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and f"w.yaml{where}" in lines[0] and words in lines[0], result.stderr
    assert not out.exists()


def test_the_workbooks_own_windows_given_as_alert_windows_import_as_the_default_policy(tmp_path):
    result, out, windows = _import_with_windows(tmp_path, WINDOWS_SPEC)
    assert result.exit_code == 0, result.output
    [slo] = emit.load_back(out.read_text(), str(out))
    assert slo.alerting is None   # the default policy: the rows equal the workbook's, factor for factor
    assert sloth.alert_windows(source.load_documents(windows)[0]) == ("30d", WORKBOOK)


@pytest.mark.parametrize("name,where", [("openslo-getting-started.yml", ":6:"), ("openslo-kubernetes-apiserver.yml", ":8:")])
def test_sloths_openslo_v1alpha_examples_are_refused_by_import_openslo_at_their_api_version(tmp_path, name, where):
    """Sloth's OpenSLO examples are `openslo/v1alpha` with Sloth's {{.window}} in the queries;
    obsgen reads OpenSLO v1 only."""
    out = tmp_path / "out.py"
    result = CliRunner().invoke(main, ["import", "openslo", str(DATA / name), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and f"{name}{where}" in lines[0] and "apiVersion" in lines[0], result.stderr
    assert not out.exists()


def test_the_managed_prometheus_form_imports_as_the_crd_with_its_rule_target_a_note():
    item = imported("managed-prometheus-getting-started.yml")[0]
    note = item.notes[0]
    assert (note.field, note.site.line) == ("kind", 7) and "Managed Prometheus" in note.text
    assert item.source == "Sloth ManagedPrometheusServiceLevel"
