"""The gate never passes on what it did not see: one row per kind of hole, against a real
Prometheus (tests/gate/holes.py). Each row asserts the exit status, and that every figure the
gate prints (JSON) matches the ground truth of the synthetic counters within 0.01 percentage
points, or is absent with a reason. No row exits 0 on a spent budget."""
from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from click.testing import CliRunner

from obsgen import duration
from obsgen.cli import main
from tests.gate import holes, synthetic
from tests.gate.fakeprom import FakePrometheus
from tests.gate.truth import grid_end, window_counts

pytestmark = [pytest.mark.tool("prometheus"), pytest.mark.prometheus_versions("2", "3")]

TOLERANCE = 1e-4     # 0.01 percentage points, as a fraction
END = synthetic.END
MODULE = '''"""The gate's hole estate (tests/gate/holes.py)."""
from dataclasses import replace
from tests.gate.holes import REGIONS, SLO_
from tests.gate import synthetic as _synthetic
from tests.gate.synthetic import VIEW
POLICY = replace(_synthetic.POLICY, period_not_whole=WARM)
'''


@pytest.fixture(scope="module")
def hole_scenarios():
    return holes.scenarios()


@pytest.fixture(scope="module")
def hole_prom(tmp_path_factory, hole_scenarios, prometheus_version):
    server = holes.start(tmp_path_factory.mktemp("gate-holes"), hole_scenarios)
    yield server
    server.stop()


def _root(tmp_path, url: str, warm_up: bool = False):
    (tmp_path / "rules").mkdir(parents=True, exist_ok=True)
    policy = "warm-up" if warm_up else "cannot-evaluate"
    (tmp_path / "rules" / "estate.py").write_text(MODULE.replace("WARM", repr(policy)))
    spec = {"endpoints": {r.name: {"url": url, "region_label": True} for r in holes.REGIONS},
            "retries": 0, "timeout": 30}
    import yaml

    (tmp_path / "gate.yml").write_text(yaml.safe_dump(spec))
    return tmp_path


def gate(root, region: str, at: float):
    result = CliRunner().invoke(main, ["gate", "--root", str(root), "--config", str(root / "gate.yml"),
                                       "--region", region, "--at", f"{at:.0f}", "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


H = 3600
ROWS = {
    # row: (region, at (offset from END, or "future"), warm-up policy, exit, reason, hole (from, to) from END)
    "a recorded gap at the start of the period is read from the raw counters: spent budget, fail":
        ("gapstart", 0, False, 1, "error budget exhausted", None),
    "a recorded gap in the middle of the period (the issue's 743 vs 24,666 errors): fail":
        ("gapmid", 0, False, 1, "error budget exhausted", None),
    "a recorded gap ending 10 minutes before the end: fail":
        ("gapend", 0, False, 1, "error budget exhausted", None),
    "a 30-minute outage of Prometheus, within the look-back: exact from the raw counters, fail":
        ("outage", 0, False, 1, "error budget exhausted", None),
    "a region with no recorded series: read from the raw counters, pass":
        ("norec", 0, False, 0, "of the budget left", None),
    "raw counters missing 3 hours while the rules did not run: cannot evaluate, naming the hole":
        ("rawgap", 0, False, 3, "hole in the data", (-10 * H, -7 * H)),
    "data stopped 10 minutes before --at: stale, cannot evaluate":
        ("steady", 600, False, 3, "stale data: newest raw sample at", None),
    "--at an hour in the future: stale, cannot evaluate":
        ("steady", "future", False, 3, "stale data", None),
    "a period not yet whole (a service 20 hours old): cannot evaluate":
        ("young", 0, False, 3, "period not whole", (-24 * H, -20 * H)),
    "a period not yet whole under the policy's warm-up: warn, stated":
        ("young", 0, True, 0, "warm-up: data begins", None),
}


@pytest.mark.parametrize("region, offset, warm_up, status, reason, hole", ROWS.values(), ids=list(ROWS))
def test_hole(hole_prom, hole_scenarios, tmp_path, region, offset, warm_up, status, reason, hole):
    at = time.time() + 3600 if offset == "future" else END + offset
    root = _root(tmp_path, hole_prom.url, warm_up)
    code, doc = gate(root, region, at)
    (r,) = doc["results"]
    assert code == status, r["reason"]
    assert reason in r["reason"]
    if hole is not None:
        start, end = hole
        assert any(abs(h["start"] - (END + start)) <= 120 and abs(h["end"] - (END + end)) <= 120
                   for h in r["holes"]), r["holes"]
        assert f"{(end - start) / 86400:.1%}" in r["reason"] or "%" in r["reason"]
    checked = _figures_match(hole_prom, hole_scenarios, r, at)
    if status == 0 or "budget" in reason:
        assert checked >= 6, "every window read and checked"
    _never_pass_blind(hole_scenarios, r, code, at)


def _figures_match(prom, scenarios, r, at) -> int:
    """Every figure printed equals the truth over the window it covers, or is null with a reason."""
    slo = holes.SLO_
    checked = 0
    recorded_end = _recorded_end(prom, r["region"], at)
    budget = 1 - slo.objective / 100
    period = {"window": r["period"], "error_ratio": r["error_ratio"], "source": r["period_source"]}
    for b in [*r["burn_rates"], period]:
        if b["error_ratio"] is None:
            assert r["decision"] == "cannot-evaluate" or b.get("note"), f"{b['window']} absent without a reason"
            continue
        end = recorded_end if b["source"] == "recorded" else int(at)
        errors, requests = window_counts(scenarios, slo, r["region"], end, b["window"])
        assert abs(b["error_ratio"] - errors / requests) < TOLERANCE, (b, errors, requests)
        checked += 1
    if r["sli"] is not None:
        assert abs(r["budget_remaining"] - (1 - r["error_ratio"] / budget)) < TOLERANCE
    return checked


def _never_pass_blind(scenarios, r, code, at) -> None:
    errors, requests = window_counts(scenarios, holes.SLO_, r["region"], int(min(at, END)), r["period"])
    spent = requests and errors / requests >= 1 - holes.SLO_.objective / 100
    if spent:
        assert code != 0, f"exit 0 on a spent budget: {r['reason']}"


def _recorded_end(prom, region: str, at: float) -> int:
    found = prom.query(f'timestamp(slo:sli_requests:increase1m{{region="{region}"}})', at=min(at, END))
    return grid_end(found[0].value) if found else END


def test_a_partial_answer_cannot_be_evaluated(hole_prom, tmp_path):
    """The proxy drops one window's error series from the answer: never read as 0 errors."""
    with FakePrometheus("drop", upstream=hole_prom.url) as fake:
        fake.drop = "slo:sli_errors:increase1h"
        root = _root(tmp_path, fake.url)
        code, doc = gate(root, "steady", END)
    (r,) = doc["results"]
    assert code == 3
    assert "partial answer: it lacks slo:sli_errors:increase1h" in r["reason"]
    assert r["sli"] is None and all(b["error_ratio"] is None for b in r["burn_rates"])


def test_the_raw_path_locates_nothing_when_the_data_is_whole(hole_prom, tmp_path):
    """No recorded series: one query for the recorded series, one for the raw counters."""
    code, doc = gate(_root(tmp_path, hole_prom.url), "norec", END)
    assert code == 0
    assert doc["requests"]["count"] == 2
