"""The gate against true staleness markers: a real Prometheus on 127.0.0.1 scraping a small
exporter every second, with the SLO engine's rules for a 20-second SLO evaluated live every
second (loaded after scraping began, so that the period is read from the raw counters and the
short windows from the recorded series). The exporter restarts (target down 2.5 s: staleness
markers, then counters from 0), a pod is replaced (markers for its series while the target
stays up, a new series), and finally stops. Every figure the gate prints is checked against the
increase of the values the exporter served (stored as Prometheus's raw samples, checked equal to
what was served), computed here sample by sample; an SLO allowed to fall silent is judged on what
there is. About 35 s per Prometheus version."""
from __future__ import annotations

import json
import time

import pytest
import requests
import yaml
from click.testing import CliRunner

from obsgen import duration
from obsgen.cli import main
from obsgen.localprom import LocalPrometheus
from obsgen.slo import recording
from tests.gate import live_estate
from tests.gate.exporter import Exporter

pytestmark = [pytest.mark.tool("prometheus"), pytest.mark.prometheus_versions("2", "3")]

MODULE = '''"""The live staleness estate (tests/gate/live_estate.py)."""
from tests.gate.live_estate import POLICY, REGION, SLO_, VIEW
'''
A_OK, A_ERR = (("code", "200"), ("pod", "a")), (("code", "500"), ("pod", "a"))
B_OK, B_ERR = (("code", "200"), ("pod", "b")), (("code", "500"), ("pod", "b"))
LOOKBACK_MS = 5000


class ScrapingPrometheus(LocalPrometheus):
    """The kit's LocalPrometheus, also scraping one target every second."""

    def __init__(self, *args, target: str, **kw):
        super().__init__(*args, **kw)
        self.target = target

    def _write_config(self) -> None:
        super()._write_config()
        path = self.data_dir / "prometheus.yml"
        config = yaml.safe_load(path.read_text())
        config["scrape_configs"] = [{"job_name": "live", "scrape_interval": "1s", "scrape_timeout": "900ms",
                                     "static_configs": [{"targets": [self.target]}]}]
        path.write_text(yaml.safe_dump(config, sort_keys=False))


def _until(t: float) -> None:
    time.sleep(max(0.0, t - time.time()))


@pytest.fixture(scope="module")
def story(tmp_path_factory, prometheus_version):
    """Run the story once; yield what the tests read: the server, the instants, the exporter."""
    tmp = tmp_path_factory.mktemp("live-staleness")
    exporter = Exporter("live_requests_total", {A_OK: 50, A_ERR: 2})
    exporter.start()
    rules = tmp / "rules.yml"
    rules.write_text(yaml.safe_dump({"groups": []}))
    prom = ScrapingPrometheus(tmp / "prom", rule_files=[rules], evaluation_interval=1,
                              extra_args=("--web.enable-lifecycle",), target=exporter.target)
    prom.start()
    try:
        t0 = time.time()
        _until(t0 + 10)         # the rules start 10 s after the raw counters: the period is read raw
        group = {"name": "live", "interval": "1s",
                 "rules": recording.rules(live_estate.SLO_, live_estate.REGION)}
        rules.write_text(yaml.safe_dump({"groups": [group]}, sort_keys=False))
        assert requests.post(f"{prom.url}/-/reload", timeout=10).status_code == 200
        _until(t0 + 12)         # the process restarts: 2.5 s down, then every counter from 0
        exporter.stop()
        time.sleep(2.5)
        exporter.start(reset=True)
        _until(t0 + 17)         # pod a replaced by pod b
        exporter.steps = {B_OK: 50, B_ERR: 1}
        replaced = time.time()
        _until(t0 + 26)
        at = exporter.served[-1][0] - 0.5        # between two scrapes
        exporter.stop()
        stopped = exporter.served[-1][0]
        _until(stopped + 6)
        yield dict(prom=prom, exporter=exporter, at=at, stale_at=stopped + 5.5, replaced=replaced)
    finally:
        exporter.stop()
        prom.stop()


def _gate(root, url: str, at: float, silent: bool = False):
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "rules" / "estate.py").write_text(MODULE.replace("import POLICY,", "import SILENT as POLICY,") if silent
                                              else MODULE)
    (root / "gate.yml").write_text(yaml.safe_dump({"endpoints": {"live": {"url": url}}, "retries": 0,
                                                   "timeout": 10}))
    result = CliRunner().invoke(main, ["gate", "--root", str(root), "--config", str(root / "gate.yml"),
                                       "--region", "live", "--at", f"{at:.3f}", "--json"])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (r,) = json.loads(result.stdout)["results"]
    return result.exit_code, r


def _samples(prom, at: float) -> dict[tuple, list[tuple[int, float]]]:
    """Every raw sample of the exporter's counters (ms, value), by (code, pod)."""
    out = {}
    for s in prom.query_matrix("live_requests_total[2m]", at=at):
        out[(("code", s.labels["code"]), ("pod", s.labels["pod"]))] = [(round(t * 1000), v) for t, v in s.points]
    return out


def _increase(points, start_ms: int, end_ms: int) -> float:
    """The counter's increase over (start, end]: from its last sample at or before the start
    (up to the look-back), pair by pair; a value below the one before is a reset and counts whole."""
    before = [v for t, v in points if start_ms - LOOKBACK_MS < t <= start_ms]
    inside = [v for t, v in points if start_ms < t <= end_ms]
    chain = before[-1:] + inside
    return sum(b - a if b >= a else b for a, b in zip(chain, chain[1:]))


def _truth(samples, end: float, window: str) -> tuple[float, float]:
    end_ms = round(end * 1000)
    start_ms = end_ms - round(duration.seconds(window) * 1000)
    inc = {k: _increase(p, start_ms, end_ms) for k, p in samples.items()}
    return sum(v for k, v in inc.items() if k[0] == ("code", "500")), sum(inc.values())


def test_prometheus_holds_what_the_exporter_served_and_marks_the_series_stale(story):
    prom, exporter = story["prom"], story["exporter"]
    samples = _samples(prom, story["stale_at"])
    for key, points in samples.items():
        served = [shown[key] for _, shown in exporter.served if key in shown]
        assert [v for _, v in points] == served, key
    assert any(b < a for (_, a), (_, b) in zip(samples[A_OK], samples[A_OK][1:]))   # the restart's reset
    # Without staleness markers an instant query would still return each series for 5 minutes.
    assert prom.query("live_requests_total{pod=\"a\"}", at=story["replaced"] + 2.5) == []
    assert len(prom.query("live_requests_total{pod=\"b\"}", at=story["replaced"] + 2.5)) == 2
    assert prom.query("live_requests_total", at=story["stale_at"]) == []
    assert [s.value for s in prom.query('up{job="live"}', at=story["stale_at"])] == [0.0]


def test_across_a_restart_a_reset_and_a_replaced_pod_every_figure_is_the_served_truth(story, tmp_path):
    prom, at = story["prom"], story["at"]
    code, r = _gate(tmp_path, prom.url, at)
    samples = _samples(prom, story["stale_at"])
    (stamp,) = prom.query('timestamp(slo:sli_requests:increase1s{region="live"})', at=at)
    period = {"window": r["period"], "error_ratio": r["error_ratio"], "source": r["period_source"]}
    sources = set()
    for b in [*r["burn_rates"], period]:
        end = stamp.value if b["source"] == "recorded" else at
        errors, total = _truth(samples, end, b["window"])
        assert b["error_ratio"] == pytest.approx(errors / total, abs=1e-12), (b, errors, total)
        sources.add(b["source"])
    assert sources == {"recorded", "raw"}, sources
    assert r["period_source"] == "raw"
    errors, total = _truth(samples, at, live_estate.PERIOD)
    assert errors / total > 0.01 and code == 1, r["reason"]     # 2-4% errors against a 1% budget
    assert "budget" in r["reason"]


def test_with_the_exporter_stopped_before_at_the_gate_cannot_evaluate(story, tmp_path):
    code, r = _gate(tmp_path, story["prom"].url, story["stale_at"])
    assert code == 3
    assert r["reason"].startswith("stale data"), r["reason"]
    assert r["decision"] == "cannot-evaluate"


def test_an_slo_allowed_to_fall_silent_is_judged_on_what_there_is(story, tmp_path):
    code, r = _gate(tmp_path, story["prom"].url, story["stale_at"], silent=True)
    assert "stale" not in r["reason"] and r["decision"] != "cannot-evaluate", r["reason"]
    prom, at = story["prom"], story["stale_at"]
    (stamp,) = prom.query('timestamp(slo:sli_requests:increase1s{region="live"})', at=at)
    errors, total = _truth(_samples(prom, at), stamp.value if r["period_source"] == "recorded" else at,
                           live_estate.PERIOD)
    assert r["error_ratio"] == pytest.approx(errors / total, abs=1e-12)
    assert code == 1 and "budget" in r["reason"]
