"""The migration proof for every SLO of Sloth's published examples (tests/interop/data/sloth/).

For each: (1) eleven hours at 1-minute resolution with a 1-hour incident at 09:00, obsgen's rules for
the imported SLO and Sloth's own rules in one promtool run: obsgen's first page comes no later
than Sloth's, and both come; (2) thirty days at 1-hour resolution with three incidents,
obsgen's rules for the period alone: its 30-day error ratio is the true one, computed here from the input.
Sloth's rules are its generated files where ../shared/anchors/sloth holds them (read in place),
else tests/interop/sloth_rules.py's port, which is first held to those anchors.
"""
from __future__ import annotations

from dataclasses import replace
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
            "home-wifi.yml", "raw-home-wifi.yml", "custom_rule_group_interval.yml"]
CASES = [(name, i) for name in EXAMPLES for i in range(len(sloth_rules.specs(DATA / name)))]
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


def imported(name: str, index: int):
    return [i for doc in source.load_documents(DATA / name) for i in sloth.convert(doc)][index].slo


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


def sloth_rule_file(tmp_path: Path, name: str, index: int) -> tuple[Path, dict]:
    spec, slo = sloth_rules.specs(DATA / name)[index]
    anchor = ANCHORS.get(name)
    if anchor:
        path = m.ANCHORS / anchor
        assert path.is_file(), f"Sloth's rules for {name} are read from {path} (../shared)"
        return path, sloth_rules.ids(spec, slo)
    path = tmp_path / "sloth.rules.yml"
    sloth_rules.write(path, spec, slo)
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
@pytest.mark.parametrize("name,index", CASES, ids=[f"{n} slo {i}" for n, i in CASES])
def test_imported_slo_pages_no_later_than_sloths_rules_on_the_same_day(tmp_path, name, index):
    slo = imported(name, index)
    minutes = DAY_MINUTES
    series, _ = inputs(slo, minutes, 1, (DAY_INCIDENT,))
    theirs, ids = sloth_rule_file(tmp_path, name, index)
    ours = m.obsgen_rules(tmp_path, slo, region(evaluation_interval="1m"))
    mine = m.first_firing(f'ALERTS{{alertname="{names.SLO_BURN_ALERT}",alertstate="firing",tier="page",'
                          f'service="{slo.service}",slo="{slo.name}"}}', minutes)
    sloths = m.first_firing(f'ALERTS{{alertstate="firing",sloth_severity="page",sloth_id="{ids["sloth_id"]}"}}', minutes)
    exprs = [(f"{mine} <= bool {sloths}", 1)]
    test = m.test_file(tmp_path, [ours, theirs], minutes, series, exprs, "1m")
    result = promtool.test_rules([test])
    assert result.ok, result.output


@pytest.mark.tool("promtool")
@pytest.mark.parametrize("name,index", CASES, ids=[f"{n} slo {i}" for n, i in CASES])
def test_imported_slo_30_day_error_ratio_is_the_truth(tmp_path, name, index):
    slo = hourly(imported(name, index))
    steps = 30 * 24
    series, truth = inputs(slo, steps, 60, MONTH_INCIDENTS)
    ours = m.period_rules(tmp_path, slo, replace(region(evaluation_interval="1h"), counter_lookback="3h"))
    check = (m.ratio_of(slo, "30d"), float(truth))
    if isinstance(slo.sli, RawRatio) and slo.sli.total == "vector(1)":
        # A raw error ratio is a mean of 720 floats, each a float division: equal to the truth up
        # to float rounding (measured: 2 units in the last place), not to the last bit.
        check = (f"abs({check[0]} - {float(truth)!r}) < bool 1e-15", 1)
    test = m.test_file(tmp_path, [ours], steps * 60, series, [check], "1h", "1h")
    result = promtool.test_rules([test])
    assert result.ok, result.output
