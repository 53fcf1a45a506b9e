"""The migration proof for every SLO of Sloth's published examples (tests/interop/data/sloth/).

For each: (1) eleven hours at 1-minute resolution with a 1-hour incident at 09:00, obsgen's rules for
the imported SLO and Sloth's own rules in one promtool run: obsgen's first page comes no later
than Sloth's, and both come; (2) thirty days at 1-hour resolution with three incidents,
obsgen's rules for the period alone: its 30-day error ratio is the true one, computed here from the input.
Sloth's rules are its generated files where ../shared/anchors/sloth holds them (read in place),
else tests/interop/sloth_rules.py's port, which is first held to those anchors.

Sloth's AlertWindows examples (windows/*.yaml) run the same proof on getting-started with their
windows (`obsgen import sloth --windows`), the port paging on their windows. The Kubernetes CRD
forms of proven examples (EQUIVALENT) are not run again: their imported SLOs equal the proven
form's field by field, so the proof carries. Sloth's plugin examples and its OpenSLO v1alpha
examples are refused at file:line and field (tests/interop/test_sloth.py).
"""
from __future__ import annotations

from dataclasses import fields, replace
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from obsgen import names, promtool
from obsgen.interop import sloth, source
from obsgen.model import BurnWindow, RawRatio

from tests.interop import migration as m
from tests.interop import sloth_rules
from tests.slo.fixtures import region

DATA = Path(__file__).parent / "data" / "sloth"
ANCHORS = {   # example -> Sloth's generated rules for it, among the anchors
    "getting-started.yml": "availability-99.9-30d.getting-started.rules.yml",
    "kubernetes-apiserver.yml": "apiserver-avail-99.9-and-latency-99.rules.yml",
    "raw-home-wifi.yml": "raw-sli-95.home-wifi.rules.yml",
}
EXAMPLES = ["getting-started.yml", "k8s-getting-started.yml", "kubernetes-apiserver.yml", "multifile.yml",
            "home-wifi.yml", "raw-home-wifi.yml", "custom_rule_group_interval.yml", "managed-prometheus-grpc-server.yml"]
WINDOWS = ["windows/custom-30d.yaml", "windows/7d.yaml"]   # each on getting-started
EQUIVALENT = {"k8s-home-wifi.yml": "home-wifi.yml", "k8s-multifile.yml": "multifile.yml",   # CRD form -> proven form
              "managed-prometheus-getting-started.yml": "k8s-getting-started.yml"}
CASES = ([(name, i, None) for name in EXAMPLES for i in range(len(sloth_rules.specs(DATA / name)))]
         + [("getting-started.yml", 0, w) for w in WINDOWS])
IDS = [f"{n} slo {i}" + (f" with {w}" if w else "") for n, i, w in CASES]
# custom-30d's 30-day ratio is getting-started's: the period's chain does not read burn windows
RATIO_CASES = [c for c in CASES if c[2] != "windows/custom-30d.yaml"]
DAY_INCIDENT = m.Incident(start_minute=9 * 60, minutes=60, errors_per_minute=400)   # 20% of day traffic at 09:00
DAY_MINUTES = 11 * 60   # the page windows' 6h of history before it, and an hour after
MONTH_INCIDENTS = (m.Incident(3 * 1440 + 600, 45, 400), m.Incident(11 * 1440 + 1200, 120, 30),
                   m.Incident(25 * 1440 + 180, 20, 200))


def hourly(slo):
    """The SLO as a region evaluating every hour records its period: the period's chain of counts
    is the same code at any interval, and 30 days at 5 minutes cost promtool 80 s of CPU per SLO
    (measured), at 1 hour a few. Its burn rows, which the period's counts do not read, get windows
    an hourly region can hold."""
    return replace(slo, alerting=(BurnWindow("page", long="6h", short="1h", factor=14.4, severity="critical"),))


def windows_of(path: str | None):
    """(period, burn rows) of a Sloth AlertWindows file, else the defaults (30d, the workbook's)."""
    if path is None:
        return "30d", None
    return sloth.alert_windows(source.load_documents(DATA / path)[0])


def imported(name: str, index: int, windows: str | None = None):
    period, rows = windows_of(windows)
    return [i for doc in source.load_documents(DATA / name) for i in sloth.convert(doc, period, rows)][index].slo


def is_gauge(slo) -> bool:
    return "unifipoller" in (slo.sli.errors if isinstance(slo.sli, RawRatio) else "")


def inputs(slo, steps: int, step_minutes: int, incidents) -> tuple[list[dict], Fraction]:
    """The input series and the true error ratio over all `steps`."""
    if not is_gauge(slo):
        errors, total = m.step_counts(steps, step_minutes, incidents)
        return m.counter_series(slo, errors, total), Fraction(sum(errors), sum(total))
    clients = m.satisfaction(steps, step_minutes, incidents)
    at = range(1, steps + 1)
    if isinstance(slo.sli, RawRatio) and slo.sli.total == "vector(1)":   # raw-home-wifi: the mean of each evaluation's 1 - mean satisfaction
        per_step = [1 - sum(Fraction(repr(c[k])) for c in clients) / len(clients) for k in at]
        truth = sum(per_step) / len(per_step)
    else:   # home-wifi: the share of client samples under the SLO's satisfaction bound
        bound = Fraction(slo.sli.errors.split("<")[1].split(")")[0].strip())
        truth = Fraction(sum(Fraction(repr(c[k])) < bound for c in clients for k in at), len(clients) * steps)
    return m.gauge_series(clients), truth


def sloth_rule_file(tmp_path: Path, name: str, index: int, windows: str | None = None) -> tuple[Path, dict]:
    spec, slo = sloth_rules.specs(DATA / name)[index]
    anchor = None if windows else ANCHORS.get(name)
    if anchor:
        path = m.ANCHORS / anchor
        assert path.is_file(), f"Sloth's rules for {name} are read from {path} (../shared)"
        return path, sloth_rules.ids(spec, slo)
    path = tmp_path / "sloth.rules.yml"
    _, rows = windows_of(windows)
    sloth_rules.write(path, spec, slo, sloth_rules.page_windows(rows) if rows else sloth_rules.PAGE)
    return path, sloth_rules.ids(spec, slo)


def test_the_port_of_sloths_page_rules_is_sloths_own_for_every_anchored_example():
    checked = 0
    for name, anchor in ANCHORS.items():
        doc = yaml.safe_load((m.ANCHORS / anchor).read_text())
        theirs = {}
        for group in doc["groups"]:
            for rule in group["rules"]:
                labels = rule.get("labels", {})
                if rule.get("record", "").startswith("slo:sli_error:ratio_rate"):
                    theirs[(labels["sloth_id"], labels["sloth_window"])] = rule["expr"]
                elif labels.get("sloth_severity") == "page":
                    theirs[(group["name"].removeprefix("sloth-slo-alerts-"), "page")] = rule["expr"]
        for spec, slo in sloth_rules.specs(DATA / name):
            sid = sloth_rules.ids(spec, slo)["sloth_id"]
            for rule in sloth_rules.rules(spec, slo)["groups"][0]["rules"]:
                key = (sid, rule["labels"]["sloth_window"]) if "record" in rule else (sid, "page")
                assert sloth_rules.canonical(rule["expr"]) == sloth_rules.canonical(theirs[key]), key
                checked += 1
    assert checked == 20   # 4 SLOs x (4 page windows + the page alert)


@pytest.mark.tool("promtool")
@pytest.mark.parametrize("name,index,windows", CASES, ids=IDS)
def test_imported_slo_pages_no_later_than_sloths_rules_on_the_same_day(tmp_path, name, index, windows):
    slo = imported(name, index, windows)
    minutes = DAY_MINUTES
    series, _ = inputs(slo, minutes, 1, (DAY_INCIDENT,))
    theirs, ids = sloth_rule_file(tmp_path, name, index, windows)
    ours = m.obsgen_rules(tmp_path, slo, region(evaluation_interval="1m"))
    mine = m.first_firing(f'ALERTS{{alertname="{names.SLO_BURN_ALERT}",alertstate="firing",tier="page",'
                          f'service="{slo.service}",slo="{slo.name}"}}', minutes)
    sloths = m.first_firing(f'ALERTS{{alertstate="firing",sloth_severity="page",sloth_id="{ids["sloth_id"]}"}}', minutes)
    exprs = [(f"{mine} <= bool {sloths}", 1)]
    test = m.test_file(tmp_path, [ours, theirs], minutes, series, exprs, "1m")
    result = promtool.test_rules([test])
    assert result.ok, result.output


@pytest.mark.tool("promtool")
@pytest.mark.parametrize("name,index,windows", RATIO_CASES, ids=[IDS[CASES.index(c)] for c in RATIO_CASES])
def test_imported_slo_period_error_ratio_is_the_truth(tmp_path, name, index, windows):
    """Over the SLO's period: 30 days, or an AlertWindows file's sloPeriod (7 days)."""
    slo = hourly(imported(name, index, windows))
    steps = int(slo.period.removesuffix("d")) * 24
    series, truth = inputs(slo, steps, 60, MONTH_INCIDENTS)
    ours = m.period_rules(tmp_path, slo, replace(region(evaluation_interval="1h"), counter_lookback="3h"))
    check = (m.ratio_of(slo, slo.period), float(truth))
    if isinstance(slo.sli, RawRatio) and slo.sli.total == "vector(1)":
        # A raw error ratio is a mean of 720 floats, each a float division: equal to the truth up
        # to float rounding (measured: 2 units in the last place), not to the last bit.
        check = (f"abs({check[0]} - {float(truth)!r}) < bool 1e-15", 1)
    test = m.test_file(tmp_path, [ours], steps * 60, series, [check], "1h", "1h")
    result = promtool.test_rules([test])
    assert result.ok, result.output


@pytest.mark.parametrize("crd,proven", EQUIVALENT.items(), ids=[f"{a} is {b}" for a, b in EQUIVALENT.items()])
def test_a_crd_example_imports_to_the_proven_examples_slos_field_by_field_so_the_proof_carries(crd, proven):
    """k8s-home-wifi and k8s-multifile are Sloth's CRD forms of home-wifi and multifile, and
    managed-prometheus-getting-started the Managed Prometheus form of k8s-getting-started, which
    the promtool proof above runs: every field of every imported SLO but its source line is equal,
    so obsgen renders the same rules for them and the proof holds for them unchanged."""
    ours = [i.slo for doc in source.load_documents(DATA / crd) for i in sloth.convert(doc)]
    theirs = [i.slo for doc in source.load_documents(DATA / proven) for i in sloth.convert(doc)]
    assert proven in EXAMPLES and len(ours) == len(theirs) == len(sloth_rules.specs(DATA / proven)) >= 1
    for a, b in zip(ours, theirs):
        for f in fields(a):
            if f.name != "site":
                assert getattr(a, f.name) == getattr(b, f.name), (a.name, f.name)
        assert a.site.file.endswith(crd) and b.site.file.endswith(proven)


# Sloth's own factors for windows/7d (its golden test/integration/prometheus/testdata/
# out-base-custom-windows-7d.yaml.tpl at the pinned commit: same windows, written 24h and 72h there).
SLOTH_7D = {("page", "5m", "1h"): 13.44, ("page", "30m", "6h"): 3.5,
            ("ticket", "2h", "1d"): 1.4000000000000001, ("ticket", "6h", "3d"): 0.98}


@pytest.mark.parametrize("path", WINDOWS)
def test_alert_windows_import_to_sloths_windows_and_factors(path):
    raw = yaml.safe_load((DATA / path).read_text())["spec"]
    period, rows = windows_of(path)
    assert period == raw["sloPeriod"] and len(rows) == 4
    hours = lambda text: Fraction(int(text[:-1]) * {"m": 1, "h": 60, "d": 1440}[text[-1]], 60)
    for row, (tier, speed) in zip(rows, [("page", "quick"), ("page", "slow"), ("ticket", "quick"), ("ticket", "slow")]):
        want = raw[tier][speed]
        share = Fraction(str(want["errorBudgetPercent"])) / 100
        assert (row.tier, row.short, row.long, row.period) == (tier, want["shortWindow"], want["longWindow"], period)
        assert abs(Fraction(row.factor) - share * hours(period) / hours(row.long)) < Fraction(1, 10**12)
        assert abs(row.budget_share - float(share)) < 1e-12
        if path.endswith("7d.yaml"):
            assert row.factor == SLOTH_7D[(tier, row.short, row.long)]   # to the last bit, as Sloth writes it
    slo = imported("getting-started.yml", 0, path)
    assert slo.period == period and slo.alerting == rows


def test_the_ports_page_rule_on_7d_windows_carries_sloths_own_factors():
    _, rows = windows_of("windows/7d.yaml")
    spec, slo = sloth_rules.specs(DATA / "getting-started.yml")[0]
    expr = sloth_rules.page_expr(spec, slo, sloth_rules.page_windows(rows))
    # Sloth's golden writes each page pair as `> (13.44 * 0.0009999999999999432)` (99.9's budget)
    pairs = [(w, f) for w, f in (("5m", "13.44"), ("1h", "13.44"), ("30m", "3.5"), ("6h", "3.5"))]
    for window, factor in pairs:
        assert f'ratio_rate{window}{{sloth_id="myservice-requests-availability", ' in expr
        assert expr.count(f"> ({factor} * 0.0009999999999999432)") == 2
    assert expr.count("ratio_rate") == 4
