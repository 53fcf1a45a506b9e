"""Bench: obsgen's SLO rules next to Sloth's and Pyrra's on the same synthetic history.

One run, one local Prometheus, the same 31 days of 1-minute samples:
- accuracy: the 30-day error ratio and budget remaining at the end of the history, against the
  exact count from the synthetic counters (obsgen.synth.truth). Traffic swings 10x between
  peak (14:00 UTC) and trough; four 45-minute incidents start at 03:00; counters reset.
- cost: prometheus_rule_group_last_duration_seconds of each rule group, evaluated live over the
  backfilled history (median of a few readings), and a group holding only the raw 30-day
  increase for reference.

The anchors' rules (../shared/anchors) read `http_request_duration_seconds_count`; the bench
maps that name onto the synthetic `http_requests_total` (same labels: job, code).

    .venv/bin/python bench/slo_accuracy_cost.py --streams 20 --out bench/RESULTS-slo.md
"""
from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import requests
import yaml

from obsgen import serialize
from obsgen.demo.levels import recording_levels
from obsgen.localprom import LocalPrometheus
from obsgen.model import SLO, EventRatio, Region
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, recording
from obsgen.synth import DAY, HOUR, Diurnal, Incident, OutcomeLabel, Scenario, counts, stream

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = ROOT.parent / "shared" / "anchors"
SLOTH = ANCHORS / "sloth" / "availability-99.9-30d.getting-started.rules.yml"
SLOTH_EXACT = ANCHORS / "sloth" / "derived" / "availability-99.9-30d.getting-started.non-optimized.rules.yml"
PYRRA = ANCHORS / "pyrra" / "derived-30d" / "myservice-availability-99.9-30d.rules.yaml"
ANCHOR_METRIC, METRIC = "http_request_duration_seconds_count", "http_requests_total"
JOB = "myservice"
OBJECTIVE = 99.9
THIRTY_DAYS = 30 * DAY

SLO_DEF = SLO(
    service=JOB, name="requests-availability", objective=OBJECTIVE, description="bench",
    sli=EventRatio(total=f'{METRIC}{{job="{JOB}"}}', errors=f'{METRIC}{{job="{JOB}",code=~"(5..|429)"}}'),
)


def bench_region(interval: str) -> Region:
    return Region(
        name="bench", provider="local", cloud_region="local", prometheus_url="http://127.0.0.1",
        alertmanager_url="http://127.0.0.1", scrape_interval="1m", evaluation_interval=interval, retention="400d",
        isolated=False, residency="OPTIONAL", cross_border="ALLOWED", regulations=(), audit_retention="1y",
        timezone="UTC", business_hours="09:00-17:00", channels=(),
    )


def scenario(end: int, streams: int, days: int) -> Scenario:
    duration = (days + 1) * DAY
    start = end - duration
    first_day = start - start % DAY + DAY
    incidents = tuple(Incident(first_day + d * DAY + 3 * HOUR, 45 * 60, error_ratio=0.2) for d in (3, 10, 17, 24))
    return Scenario(end=end, duration=duration, step=60, streams=tuple(
        stream(METRIC, {"job": JOB, "instance": f"i-{i}"}, rate=20.0, diurnal=Diurnal(peak_to_trough=10.0, peak_hour_utc=14.0),
               error_ratio=0.0005, incidents=incidents, outcome=OutcomeLabel(label="code", ok="200", error="500"),
               resets=(end - (5 + i % 20) * DAY - (i * 7 % 60) * 60,))
        for i in range(streams)))


def anchor_docs() -> dict[str, dict]:
    docs = {}
    for name, path in (("sloth", SLOTH), ("pyrra", PYRRA)):
        docs[name] = yaml.safe_load(path.read_text().replace(ANCHOR_METRIC, METRIC))
    return docs


def obsgen_doc(interval: str) -> dict:
    region = bench_region(interval)
    return group_file(f"slo-{SLO_DEF.id}", recording.rules(SLO_DEF, region) + alerts.rules(SLO_DEF, region), interval)


RAW_30D = {"groups": [{"name": "raw-30d-increase", "rules": [
    {"record": "bench:raw_errors:increase30d", "expr": f'sum(increase({METRIC}{{job="{JOB}",code=~"(5..|429)"}}[30d]))'},
    {"record": "bench:raw_requests:increase30d", "expr": f'sum(increase({METRIC}{{job="{JOB}"}}[30d]))'},
]}]}

# Read at the end of the history: each tool's 30-day error ratio, as its rules define it.
SLOTH_30D = yaml.safe_load(SLOTH.read_text())
READS = {
    "obsgen (recorded, 10 samples of 3d sums)": 'slo:sli_error:ratio_rate30d{slo="requests-availability"}',
    "Sloth default (mean of 5m ratios)": (
        'sum_over_time(slo:sli_error:ratio_rate5m{sloth_id="myservice-requests-availability"}[30d])'
        ' / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m{sloth_id="myservice-requests-availability"}[30d])'),
    "Pyrra (raw increase over 30d)": (
        f'sum(increase({METRIC}{{job="{JOB}",code=~"(5..|429)"}}[30d])) / sum(increase({METRIC}{{job="{JOB}"}}[30d]))'),
}
# Rules too expensive to backfill minute by minute over 31 days; the bench reads their expression
# at the end instead (READS), and Prometheus evaluates them live for the cost figures.
def backfilled(group: str, record: str) -> bool:
    if group.startswith("sloth") and record in ("slo:sli_error:ratio_rate30d", "slo:period_error_budget_remaining:ratio"):
        return False
    return record not in ("http_requests_total:increase30d", "pyrra_availability")


def write(path: Path, doc: dict) -> Path:
    path.write_bytes(serialize.to_yaml(doc))
    return path


def backfill_docs(docs: list[dict]) -> list[dict]:
    out = []
    for level in recording_levels(docs):
        groups = []
        for g in level["groups"]:
            rules = [r for r in g["rules"] if backfilled(g["name"], r["record"])]
            if rules:
                groups.append({**{k: v for k, v in g.items() if k != "interval"}, "rules": rules})   # backfilled at 1m
        if groups:
            out.append({"groups": groups})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--streams", type=int, default=20)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--readings", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="work directory to keep (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="reuse the history imported and backfilled in --keep")
    args = ap.parse_args()
    interval = "1m"
    work = args.keep or Path(tempfile.mkdtemp(prefix="slo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and (work / "end.txt").exists()
    end = int((work / "end.txt").read_text()) if reuse else int(time.time()) // 60 * 60 - 120
    (work / "end.txt").write_text(str(end))
    sc = scenario(end, args.streams, args.days)
    anchors = anchor_docs()
    mine = obsgen_doc(interval)
    files = {"obsgen": write(work / "obsgen.yml", mine), "sloth": write(work / "sloth.yml", anchors["sloth"]),
             "pyrra": write(work / "pyrra.yml", anchors["pyrra"]), "raw": write(work / "raw.yml", RAW_30D)}
    t = time.time()
    prom = LocalPrometheus(work / "prom", evaluation_interval=60, retention="400d")
    if not reuse:
        prom.import_scenario(sc)
        print(f"imported {len(sc.streams)} streams x {args.days + 1} days in {time.time() - t:.0f}s", flush=True)
    levels = backfill_docs([mine, anchors["sloth"], anchors["pyrra"]])
    level_files = [write(work / f"level{i}.yml", doc) for i, doc in enumerate(levels, 1)]
    prom.rule_files = []
    with prom:
        t = time.time()
        if not reuse:
            prom.backfill_rules([[f] for f in level_files], sc.start, sc.end, evaluate_live=False)
            print(f"backfilled {len(level_files)} rule levels in {time.time() - t:.0f}s", flush=True)
        rows = accuracy(prom, sc)
    prom.rule_files = [files[k] for k in ("obsgen", "sloth", "pyrra", "raw")]
    with prom:
        costs = cost(prom, args.readings)
    report = render(rows, costs, args)
    print(report)
    if args.out:
        args.out.write_text(report)


def accuracy(prom: LocalPrometheus, sc: Scenario) -> list[tuple[str, float, float]]:
    at_sample = prom.query('timestamp(slo:sli_error:ratio_rate30d{slo="requests-availability"})', at=sc.end)
    ts = int(at_sample[0].value) if at_sample else sc.end
    grid = ts - (ts - sc.end) % sc.step
    truth = counts(sc, sc.streams, grid - THIRTY_DAYS, grid)
    rows = [("exact count (synthetic counters)", truth.error_ratio, 0.0)]
    for name, expr in READS.items():
        found = prom.query(expr, at=ts)
        value = found[0].value if found else float("nan")
        rows.append((name, value, (value - truth.error_ratio) / truth.error_ratio))
    return rows


def cost(prom: LocalPrometheus, readings: int) -> dict[str, float]:
    """Medians of the gauge read from Prometheus's own /metrics (it does not scrape itself)."""
    seen: dict[str, list[float]] = {}
    time.sleep(160)   # every group evaluates at least once, the 2m30s Pyrra group included
    for _ in range(readings):
        text = requests.get(f"{prom.url}/metrics", timeout=30).text
        for line in text.splitlines():
            m = GAUGE.match(line)
            if m:
                seen.setdefault(m.group(1).rsplit(";", 1)[-1], []).append(float(m.group(2)))
        time.sleep(60)
    return {g: statistics.median(v) for g, v in sorted(seen.items())}


GAUGE = re.compile(r'^prometheus_rule_group_last_duration_seconds\{rule_group="([^"]+)"\} (\S+)$')


def render(rows, costs, args) -> str:
    budget = 1 - OBJECTIVE / 100
    lines = [
        "# SLO engine bench: obsgen vs Sloth and Pyrra on the same synthetic history",
        "",
        f"Reproduce: `.venv/bin/python bench/slo_accuracy_cost.py --streams {args.streams} --days {args.days} --out bench/RESULTS-slo.md`",
        "",
        f"{args.streams} series pairs (200/500), {args.days} + 1 days at 1-minute samples, traffic 10x between peak and trough,",
        "0.05% background errors, four 45-minute incidents at 20% errors starting 03:00 UTC, one counter reset per series.",
        f"Objective {OBJECTIVE}% over 30 days. Anchors: Sloth getting-started (30d, optimized), Pyrra derived 30d.",
        "",
        "## Accuracy of the 30-day error ratio",
        "",
        "| rule | 30d error ratio | error vs exact | budget remaining |",
        "|---|---|---|---|",
    ]
    for name, value, err in rows:
        lines.append(f"| {name} | {value * 100:.5f}% | {err * 100:+.3f}% | {(1 - value / budget) * 100:.2f}% |")
    lines += ["", "## Evaluation cost (prometheus_rule_group_last_duration_seconds, median)", "",
              "| rule group | seconds |", "|---|---|"]
    for group, seconds in costs.items():
        lines.append(f"| {group} | {seconds:.5f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
