"""Bench: when each alert tier fires and resets, obsgen next to Sloth and Pyrra, per incident.

Each incident runs on its own service (job="inc-N") in one synthetic history: flat traffic, no
background errors, 5 days of clean history (longer than every tool's longest window), the
incident, then 2 days of recovery. The three tools' rules for a 99.9%/30d SLO are rendered or
mapped per job, the recording rules backfilled level by level, and each alert expression read
with a range query at 1-minute steps; an alert fires once its expression has held for its `for`.

    .venv/bin/python bench/slo_alerting.py --out bench/RESULTS-slo-alerting.md
"""
from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests
import yaml

from obsgen import duration, serialize
from obsgen.demo.levels import recording_levels
from obsgen.localprom import LocalPrometheus
from obsgen.model import EventRatio
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, recording
from obsgen.synth import DAY, HOUR, Incident, OutcomeLabel, Scenario, stream

import slo_accuracy_cost as acc

MIN = 60
BUDGET = 0.001
INCIDENTS = [   # (name, duration seconds, error ratio)
    ("total outage (1h)", HOUR, 1.0),
    ("15% errors for 10m", 10 * MIN, 0.15),
    ("20x for 2h", 2 * HOUR, 20 * BUDGET),
    ("8x for 8h", 8 * HOUR, 8 * BUDGET),
    ("4x for 30h", 30 * HOUR, 4 * BUDGET),
    ("1.5x for 4d", 4 * DAY, 1.5 * BUDGET),
    ("0.9x for 4d", 4 * DAY, 0.9 * BUDGET),
]
HISTORY, RECOVERY = 5 * DAY, 2 * DAY


def job(i: int) -> str:
    return f"inc-{i}"


def scenario(end: int) -> tuple[Scenario, int]:
    longest = max(d for _, d, _ in INCIDENTS)
    total = HISTORY + longest + RECOVERY
    start = end - total
    begin = start + HISTORY
    streams = tuple(
        stream(acc.METRIC, {"job": job(i), "instance": "i-0"}, rate=20.0, error_ratio=0.0,
               incidents=(Incident(begin, d, error_ratio=r),), outcome=OutcomeLabel(label="code", ok="200", error="500"))
        for i, (_, d, r) in enumerate(INCIDENTS))
    return Scenario(end=end, duration=total, step=60, streams=streams), begin


def tools_docs() -> dict[str, list[dict]]:
    sloth = acc.SLOTH.read_text().replace(acc.ANCHOR_METRIC, acc.METRIC)
    pyrra = acc.PYRRA.read_text().replace(acc.ANCHOR_METRIC, acc.METRIC)
    region = acc.bench_region("1m")
    docs = {"obsgen": [], "Sloth": [], "Pyrra": []}
    for i in range(len(INCIDENTS)):
        slo = replace(acc.SLO_DEF, service=job(i), sli=EventRatio(
            total=f'{acc.METRIC}{{job="{job(i)}"}}', errors=f'{acc.METRIC}{{job="{job(i)}",code=~"(5..|429)"}}'))
        docs["obsgen"].append(group_file(f"slo-{slo.id}", recording.rules(slo, region) + alerts.rules(slo, region), "1m"))
        docs["Sloth"].append(yaml.safe_load(sloth.replace("myservice", job(i))))
        docs["Pyrra"].append(yaml.safe_load(pyrra.replace("myservice", job(i))))
    return docs


def tier_of(tool: str, rule: dict) -> str | None:
    labels = rule.get("labels", {})
    if tool == "obsgen":
        return labels.get("tier")
    if tool == "Sloth":
        return labels.get("sloth_severity")
    return {"critical": "page", "page": "page", "warning": "ticket", "ticket": "ticket"}.get(labels.get("severity"))


def range_query(prom: LocalPrometheus, expr: str, start: int, end: int) -> list[int]:
    """Timestamps (1-minute steps) where the expression returns anything."""
    times: set[int] = set()
    chunk = 7 * DAY
    for lo in range(start, end, chunk):
        hi = min(end, lo + chunk - MIN)
        body = requests.get(f"{prom.url}/api/v1/query_range", timeout=300,
                            params={"query": expr, "start": lo, "end": hi, "step": MIN}).json()
        if body.get("status") != "success":
            raise RuntimeError(f"{expr}: {body}")
        for series in body["data"]["result"]:
            times.update(int(float(t)) for t, _ in series["values"])
    return sorted(times)


def firing(true_at: list[int], hold: int) -> list[int]:
    """Minutes when an alert with `for: hold` fires, given when its expression is true."""
    out, run = [], 0
    last = None
    for t in true_at:
        run = run + MIN if last is not None and t - last == MIN else 0
        if run >= hold:
            out.append(t)
        last = t
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    end = int(time.time()) // 60 * 60 - 120
    sc, begin = scenario(end)
    work = args.keep or Path(tempfile.mkdtemp(prefix="slo-alerting-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = tools_docs()
    all_docs = [d for ds in docs.values() for d in ds]
    prom = LocalPrometheus(work / "prom", evaluation_interval=60, retention="400d")
    prom.import_scenario(sc)
    levels = acc.backfill_docs(all_docs)
    results: dict[tuple[str, int, str], tuple[float | None, float | None]] = {}
    with prom:
        # Every level from the same file and group names: promtool then evaluates each group at
        # the same phase in the minute, as one live group does, so a rule sees what the rules
        # before it recorded at the same instant (levels in separate files lag a step each).
        for doc in levels:
            prom.backfill_rules([[acc.write(work / "level.yml", doc)]], sc.start, sc.end, evaluate_live=False)
        for tool, tool_docs in docs.items():
            for i, doc in enumerate(tool_docs):
                length = INCIDENTS[i][1]
                for group in doc["groups"]:
                    for rule in group["rules"]:
                        tier = rule.get("alert") and tier_of(tool, rule)
                        if not tier or "absent" in rule["expr"]:
                            continue
                        hold = int(duration.seconds(rule["for"])) if rule.get("for") else 0
                        fired = firing(range_query(prom, rule["expr"], begin - HOUR, sc.end), hold)
                        fired = [t for t in fired if t > begin]
                        detect = (fired[0] - begin) if fired else None
                        after = [t for t in fired if t >= begin + length]
                        reset = (after[-1] + MIN - (begin + length)) if fired else None
                        if fired and not after:
                            reset = 0
                        key = (tool, i, tier)
                        old = results.get(key, (None, None))
                        results[key] = (_min(old[0], detect), _max(old[1], reset))
    report = render(results)
    print(report)
    if args.out:
        args.out.write_text(report)


def _min(a, b):
    return b if a is None else a if b is None else min(a, b)


def _max(a, b):
    return b if a is None else a if b is None else max(a, b)


def _fmt(seconds) -> str:
    if seconds is None:
        return "—"
    return duration.format_seconds(seconds) if seconds > 0 else "0m"


def render(results) -> str:
    lines = [
        "# SLO alerting bench: detection and reset per tier (99.9%, 30d)",
        "",
        "Reproduce: `.venv/bin/python bench/slo_alerting.py --out bench/RESULTS-slo-alerting.md`",
        "",
        "Detection: from the incident's start to the first firing evaluation (a tier fires when any of its",
        "alerts does). Reset: from the incident's end until the tier's last alert stops. — : never fired.",
        "Flat traffic, no background errors, one series pair per incident, 1-minute samples and steps.",
        "",
        "| incident | tool | page detect | page reset | ticket detect | ticket reset |",
        "|---|---|---|---|---|---|",
    ]
    for i, (name, _, _) in enumerate(INCIDENTS):
        for tool in ("obsgen", "Sloth", "Pyrra"):
            p = results.get((tool, i, "page"), (None, None))
            t = results.get((tool, i, "ticket"), (None, None))
            lines.append(f"| {name} | {tool} | {_fmt(p[0])} | {_fmt(p[1])} | {_fmt(t[0])} | {_fmt(t[1])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
