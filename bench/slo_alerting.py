"""Bench: when each alert tier fires and resets, obsgen next to Sloth and Pyrra, per incident,
and which alerts the faults of issues 8 and 15 raise.

Each incident runs on its own service (job="inc-N") in one synthetic history: flat traffic, no
background errors, 5 days of clean history (longer than every tool's longest window), the
incident, then 2 days of recovery. Each fault scenario (bench/slo_faults.py) is a job of its own
in the same history, 2 targets at half the error budget, its faults starting where the incidents
do. The three tools' rules for a 99.9%/30d SLO are rendered or mapped per job, the recording
rules backfilled level by level (where Prometheus was down, no evaluation of that job's groups),
and each alert expression read with a range query at 1-minute steps; an alert fires once its
expression has held for its `for`.

    .venv/bin/python bench/slo_alerting.py --out bench/RESULTS-slo-alerting.md
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from obsgen import duration
from obsgen.localprom import LocalPrometheus, backfill, query, recording_levels
from obsgen.synth import DAY, HOUR, Incident, OutcomeLabel, Scenario, stream

import slo_accuracy_cost as acc
import slo_faults as sf

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


FAULT_TARGETS = 2


def scenario(end: int) -> tuple[Scenario, int, list[sf.Fault]]:
    longest = max(d for _, d, _ in INCIDENTS)
    total = HISTORY + longest + RECOVERY
    start = end - total
    begin = start + HISTORY
    streams = tuple(
        stream(acc.METRIC, {"job": job(i), "instance": "i-0"}, rate=20.0, error_ratio=0.0,
               incidents=(Incident(begin, d, error_ratio=r),), outcome=OutcomeLabel(label="code", ok="200", error="500"))
        for i, (_, d, r) in enumerate(INCIDENTS))
    faults = sf.scenarios(start, end, FAULT_TARGETS, sf.Base(rate=20.0, error_ratio=0.0005), at=begin)
    streams += tuple(s for f in faults for s in f.streams)
    return Scenario(end=end, duration=total, step=60, streams=streams), begin, faults


def tools_docs(jobs: list[str]) -> dict[str, list[dict]]:
    """Per tool, one rule document per job, in the order of `jobs`."""
    return {"obsgen": [acc.obsgen_doc(j) for j in jobs], "Sloth": [acc.anchor_doc(acc.SLOTH, j) for j in jobs],
            "Pyrra": [acc.anchor_doc(acc.PYRRA, j) for j in jobs]}


def backfilled(group: str, record: str) -> bool:
    """Rules no alert reads, too expensive to backfill minute by minute: Sloth's 30-day mean,
    Pyrra's 30-day increase and availability."""
    if group.startswith("sloth") and record in ("slo:sli_error:ratio_rate30d", "slo:period_error_budget_remaining:ratio"):
        return False
    return record not in ("http_request_duration_seconds:increase30d", "pyrra_availability")


def backfill_docs(docs: list[dict]) -> list[dict]:
    """Recording levels of the backfilled rules, all at the bench's 1-minute interval."""
    out = []
    for level in recording_levels(docs):
        groups = []
        for g in level["groups"]:
            rules = [r for r in g["rules"] if backfilled(g["name"], r["record"])]
            if rules:
                groups.append({**{k: v for k, v in g.items() if k != "interval"}, "rules": rules})
        if groups:
            out.append({"groups": groups})
    return out


def tier_of(tool: str, rule: dict) -> str | None:
    labels = rule.get("labels", {})
    if tool == "obsgen":
        return labels.get("tier")
    if tool == "Sloth":
        return labels.get("sloth_severity")
    return {"critical": "page", "page": "page", "warning": "ticket", "ticket": "ticket"}.get(labels.get("severity"))


def range_query(prom: LocalPrometheus, expr: str, start: int, end: int) -> list[int]:
    """Timestamps (1-minute steps) where the expression returns anything."""
    times = {int(t) for series in query.range_chunks(prom.client(), expr, start, end, MIN, 7 * DAY // MIN)
             for t, _ in series.points}
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
    began = time.time()
    end = int(time.time()) // 60 * 60 - 120
    sc, begin, faults = scenario(end)
    work = args.keep or Path(tempfile.mkdtemp(prefix="slo-alerting-"))
    work.mkdir(parents=True, exist_ok=True)
    jobs = [job(i) for i in range(len(INCIDENTS))] + [f.key for f in faults]
    docs = tools_docs(jobs)
    all_docs = [d for ds in docs.values() for d in ds]
    skip = {}
    for k, f in enumerate(faults, len(INCIDENTS)):
        if f.down:
            skip.update({g["name"]: f.down for tool in docs for g in docs[tool][k]["groups"]})
    prom = LocalPrometheus(work / "prom", evaluation_interval=60, retention="400d")
    prom.import_scenario(sc)
    levels = backfill_docs(all_docs)
    results: dict[tuple[str, int, str], tuple[float | None, float | None]] = {}
    fault_rows: dict[tuple[str, str], dict] = {}
    with prom:
        # Every level on one grid, as the groups of one live server share their phase, so a rule
        # sees what the rules before it recorded at the same instant.
        backfill(prom, levels, sc.start, sc.end, MIN, work / "levels", coarse=False, down=skip)
        for tool, tool_docs in docs.items():
            for i, doc in enumerate(tool_docs):
                fault = faults[i - len(INCIDENTS)] if i >= len(INCIDENTS) else None
                tiers = fired_by_tier(prom, tool, doc, begin - HOUR, sc.end, fault.down if fault else ())
                if fault is None:
                    length = INCIDENTS[i][1]
                    for tier, fired in tiers.items():
                        fired = [t for t in fired if t > begin]
                        detect = (fired[0] - begin) if fired else None
                        after = [t for t in fired if t >= begin + length]
                        reset = (after[-1] + MIN - (begin + length)) if fired else None
                        if fired and not after:
                            reset = 0
                        results[(tool, i, tier)] = (detect, reset)
                else:
                    fault_rows[(fault.key, tool)] = fault_alerts(fault, tiers)
    report = render(results, faults, fault_rows, time.time() - began, acc.prom_version(prom))
    print(report)
    if args.out:
        args.out.write_text(report)


def fired_by_tier(prom, tool: str, doc: dict, start: int, end: int, down) -> dict[str, list[int]]:
    """Per tier, the minutes when any of its alerts fires (none while Prometheus was down)."""
    out: dict[str, set[int]] = {}
    for group in doc["groups"]:
        for rule in group["rules"]:
            tier = rule.get("alert") and tier_of(tool, rule)
            if not tier or "absent" in rule["expr"]:
                continue
            hold = int(duration.seconds(rule["for"])) if rule.get("for") else 0
            true_at = [t for t in range_query(prom, rule["expr"], start, end) if not any(a <= t < b for a, b in down)]
            out.setdefault(tier, set()).update(firing(true_at, hold))
    return {tier: sorted(ts) for tier, ts in out.items()}


def episodes(times: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive firing minutes: (first, last)."""
    runs: list[tuple[int, int]] = []
    for t in times:
        if runs and t - runs[-1][1] <= MIN:
            runs[-1] = (runs[-1][0], t)
        else:
            runs.append((t, t))
    return runs


def fault_alerts(fault: sf.Fault, tiers: dict[str, list[int]]) -> dict:
    """False alerts (episodes that begin before a genuine outage, or with none due) and the
    outage's detection delay per tier."""
    out = {}
    for tier in ("page", "ticket"):
        runs = episodes(tiers.get(tier, []))
        due = fault.outage
        false = [r for r in runs if due is None or r[0] < due[0]]
        real = [r for r in runs if due is not None and r[0] >= due[0]]
        out[tier] = (len(false), sum((b - a) // MIN + 1 for a, b in false),
                     (real[0][0] - due[0]) if real else None)
    return out


def _min(a, b):
    return b if a is None else a if b is None else min(a, b)


def _max(a, b):
    return b if a is None else a if b is None else max(a, b)


def _fmt(seconds) -> str:
    if seconds is None:
        return "—"
    return duration.format_seconds(seconds) if seconds > 0 else "0m"


def render(results, faults, fault_rows, seconds: float, version: str) -> str:
    lines = [
        "# SLO alerting bench: detection and reset per tier, and alerts under faults (99.9%, 30d)",
        "",
        "Regenerated by `.venv/bin/python bench/slo_alerting.py --out bench/RESULTS-slo-alerting.md` "
        f"(Prometheus {version}; this run took {seconds / 60:.0f} minutes on 2 shared cores).",
        "",
        "## Incidents",
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
    lines += [
        "",
        "## Faults",
        "",
        f"The scenarios of `bench/slo_faults.py`, {FAULT_TARGETS} targets each at 20 requests/s and 0.05% errors (half",
        "the budget: no alert is due), flat traffic, faults starting 5 days into the history; alerts read from",
        "an hour before the first fault to the end (6 days later). False: alert episodes with none due (in",
        "`lifetime-outage`, any that begins before the outage), as count (minutes firing). Detection: from the",
        "genuine outage's start to the first firing evaluation; the workbook arithmetic pages a total outage",
        "once 1h x 14.4 x 0.1% = 0.86 minutes of it are in the 1h window (and the 5m one), i.e. at the first",
        "evaluation a minute into it.",
        "",
        "| scenario | tool | false pages | false tickets | outage paged after | outage ticketed after |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for f in faults:
        for tool in ("obsgen", "Sloth", "Pyrra"):
            r = fault_rows.get((f.key, tool))
            if r is None:
                continue
            cells = [f"{n} ({_fmt(m * MIN) if m else '0m'})" for n, m, _ in (r["page"], r["ticket"])]
            det = [_fmt(r[t][2]) if f.outage else "n/a" for t in ("page", "ticket")]
            lines.append(f"| `{f.key}` | {tool} | {cells[0]} | {cells[1]} | {det[0]} | {det[1]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
