"""Bench: obsgen's SLO rules next to Sloth's and Pyrra's under the faults of issues 8 and 15.

One local Prometheus (3.x unless OBSGEN_PROMETHEUS_VERSION=2), one synthetic history of 30 + 1
days at 1-minute samples, one job per fault scenario (bench/slo_faults.py), each with its own
rules from every tool for a 99.9%/30d availability SLO:
- accuracy: per scenario, the 30-day error ratio against what the processes truly served, the
  requests each tool books against the true count, and the 1h/6h/1d windows read every minute
  over the scenario's focus (the faults and a day after them, or the last 2 days), each against
  the true ratio of its own window: the worst relative error and the minutes above 1% and 10%.
  obsgen's windows are its recorded series (backfilled level by level, evaluations skipped where
  Prometheus was down); Sloth's and Pyrra's are their recording expressions read by range queries
  at the same steps, which is what their rules record.
- cost: every expression of each tool's rule groups for one job evaluated as an instant query at
  the end of the history with `stats=all`: samples read (`totalQueryableSamples`) and time.

The anchors' rules (../shared/anchors, read from there) name `http_request_duration_seconds_count`
and job "myservice"; the bench maps them onto `http_requests_total` and each scenario's job.

    .venv/bin/python bench/slo_accuracy_cost.py --streams 20 --out bench/RESULTS-slo.md
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests
import yaml

import slo_faults as sf
from obsgen.localprom import LocalPrometheus, backfill, query, recording_levels
from obsgen.model import SLO, EventRatio, Region
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, recording
from obsgen import names
from obsgen.synth import DAY, HOUR, Diurnal, Incident, Scenario, served

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = ROOT.parent / "shared" / "anchors"
SLOTH = ANCHORS / "sloth" / "availability-99.9-30d.getting-started.rules.yml"
PYRRA = ANCHORS / "pyrra" / "derived-30d" / "myservice-availability-99.9-30d.rules.yaml"
ANCHOR_METRIC, METRIC = "http_request_duration_seconds_count", sf.METRIC
JOB = "myservice"
OBJECTIVE = 99.9
THIRTY_DAYS = 30 * DAY
WINDOWS = (("1h", HOUR, "1h4m", HOUR + 4 * 60), ("6h", 6 * HOUR, "6h26m", 6 * HOUR + 26 * 60),
           ("1d", DAY, "1d1h43m", DAY + HOUR + 43 * 60))   # obsgen and Sloth's window, Pyrra's nearest
TOOLS = ("obsgen", "Sloth", "Pyrra")

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


def slo_for(job: str) -> SLO:
    return replace(SLO_DEF, service=job, sli=EventRatio(
        total=f'{METRIC}{{job="{job}"}}', errors=f'{METRIC}{{job="{job}",code=~"(5..|429)"}}'))


def obsgen_doc(job: str, interval: str = "1m") -> dict:
    slo, region = slo_for(job), bench_region(interval)
    return group_file(f"slo-{slo.id}", recording.rules(slo, region) + alerts.rules(slo, region), interval)


def anchor_doc(path: Path, job: str) -> dict:
    return yaml.safe_load(path.read_text().replace(ANCHOR_METRIC, METRIC).replace(JOB, job))


def raw_doc(job: str) -> dict:
    return {"groups": [{"name": f"raw-30d-increase-{job}", "rules": [
        {"record": "bench:raw_errors:increase30d", "expr": f'sum(increase({METRIC}{{job="{job}",code=~"(5..|429)"}}[30d]))'},
        {"record": "bench:raw_requests:increase30d", "expr": f'sum(increase({METRIC}{{job="{job}"}}[30d]))'},
    ]}]}


def expr_of(doc: dict, record: str) -> str:
    return next(r["expr"] for g in doc["groups"] for r in g["rules"] if r.get("record") == record)


def only(doc: dict, records: set[str]) -> dict:
    groups = [{**g, "rules": [r for r in g["rules"] if r.get("record") in records]} for g in doc["groups"]]
    return {"groups": [g for g in groups if g["rules"]]}


def without_interval(doc: dict) -> dict:
    return {"groups": [{k: v for k, v in g.items() if k != "interval"} for g in doc["groups"]]}


def history(end: int, days: int, n: int) -> tuple[Scenario, list[sf.Fault]]:
    duration = (days + 1) * DAY
    start = end - duration
    first_day = start - start % DAY + DAY
    incidents = tuple(Incident(first_day + d * DAY + 3 * HOUR, 45 * 60, error_ratio=0.2)
                      for d in (3, 10, 17, 24) if first_day + d * DAY + 4 * HOUR < end)
    base = sf.Base(rate=20.0, diurnal=Diurnal(peak_to_trough=10.0, peak_hour_utc=14.0), error_ratio=0.0005,
                   incidents=incidents)
    faults = sf.scenarios(start, end, n, base, at=end - 3 * DAY + 9 * HOUR - (end % HOUR), resets=True)
    streams = tuple(s for f in faults for s in f.streams)
    return Scenario(end=end, duration=duration, step=60, streams=streams), faults


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--streams", type=int, default=20)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="work directory to keep (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="reuse the history imported and backfilled in --keep")
    args = ap.parse_args()
    began = time.time()
    work = args.keep or Path(tempfile.mkdtemp(prefix="slo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and (work / "end.txt").exists()
    end = int((work / "end.txt").read_text()) if reuse else int(time.time()) // 60 * 60 - 120
    (work / "end.txt").write_text(str(end))
    sc, faults = history(end, args.days, args.streams)
    mine = {f.key: obsgen_doc(f.key) for f in faults}
    sloth = {f.key: anchor_doc(SLOTH, f.key) for f in faults}
    pyrra = {f.key: anchor_doc(PYRRA, f.key) for f in faults}
    prom = LocalPrometheus(work / "prom", evaluation_interval=60, retention="400d")
    version = prom_version(prom)
    timings = {}
    if not reuse:
        t = time.time()
        prom.import_scenario(sc)
        timings["import"] = time.time() - t
        print(f"imported {len(sc.streams)} streams x {args.days + 1} days in {timings['import']:.0f}s", flush=True)
    five = "slo:sli_error:ratio_rate5m"
    docs = [*mine.values(), *(without_interval(only(d, {five})) for d in sloth.values())]
    skip = {}
    for f in faults:
        if f.down:
            skip[f"slo-{slo_for(f.key).id}"] = f.down
            skip[sloth[f.key]["groups"][0]["name"]] = f.down
    cost_job = faults[0].key
    rest = [without_interval(d) for d in (sloth[cost_job], pyrra[cost_job])]
    rest = [{"groups": [{**g, "rules": [r for r in g["rules"] if r.get("record") != five]} for g in d["groups"]]}
            for d in rest]
    with prom:
        if not reuse:
            t = time.time()
            backfill(prom, recording_levels(docs), sc.start, sc.end, 60, work / "levels", coarse=False, down=skip)
            backfill(prom, recording_levels(rest), sc.end - 600, sc.end, 60, work / "levels", coarse=False)
            timings["backfill"] = time.time() - t
            print(f"backfilled in {timings['backfill']:.0f}s", flush=True)
        t = time.time()
        rows = [accuracy(prom, sc, f, mine[f.key], sloth[f.key], pyrra[f.key]) for f in faults]
        timings["read"] = time.time() - t
        costs = cost(prom, sc.end, {"obsgen": [mine[cost_job]], "Sloth": [sloth[cost_job]],
                                    "Pyrra": [pyrra[cost_job]], "raw 30-day increase()": [raw_doc(cost_job)]})
    timings["total"] = time.time() - began
    report = render(faults, rows, costs, args, version, timings, sc)
    print(report)
    if args.out:
        args.out.write_text(report)


def prom_version(prom: LocalPrometheus) -> str:
    import subprocess
    from obsgen import tools

    out = subprocess.run([prom.prometheus_bin, "--version"], capture_output=True, text=True).stdout.split()
    if len(out) > 2 and out[2][:1].isdigit():
        return out[2]
    # A build without version ldflags prints none: the pinned release obsgen/tools.py locates.
    return tools.PROMETHEUS3.release if tools.prometheus_version() == "3" else "2"


# -- accuracy --------------------------------------------------------------------------------

def query_range(prom: LocalPrometheus, expr: str, start: int, end: int) -> dict[int, float]:
    """One series' values at 1-minute steps, keyed by step time."""
    out: dict[int, float] = {}
    first = None
    for series in query.range_chunks(prom.client(), expr, start, end, 60, 10_000):
        first = series.labels if first is None else first
        if series.labels == first:
            out.update((int(t), v) for t, v in series.points)
    return out


def phase_of(prom: LocalPrometheus, series: str, at: int) -> int:
    """Seconds after the sample grid at which the recorded series were evaluated: 0 after the
    kit's backfill (its grid ends at the end of the history), a live group's hash phase else."""
    found = prom.query(f"timestamp({series})", at=at)
    if not found:
        return 0
    seconds = found[0].value % 60
    return 0 if seconds < 0.0005 else int(seconds) + 1   # read just after the evaluation, not before


def accuracy(prom, sc: Scenario, fault: sf.Fault, mine: dict, sloth: dict, pyrra: dict) -> dict:
    slo = slo_for(fault.key)
    own = lambda name: recording.own(slo, name)   # noqa: E731
    phase = phase_of(prom, own(names.requests_count("1m")), sc.end)
    grid_end = sc.end - 60 if phase else sc.end   # the last evaluation's samples
    out = {"30d": {}, "booked": {}, "windows": {}}
    # 30-day figures at the last evaluation.
    (truth30,) = served(sc, fault.streams, [(grid_end - THIRTY_DAYS, grid_end)])
    out["truth30"] = truth30
    at = grid_end + phase
    val = lambda e: (prom.query(e, at=at) or [None])[0]   # noqa: E731
    ob_e, ob_r = val(own(names.errors_count("30d"))), val(own(names.requests_count("30d")))
    out["30d"]["obsgen"] = ob_e.value / ob_r.value
    out["booked"]["obsgen"] = ob_r.value
    s5 = f'slo:sli_error:ratio_rate5m{{sloth_id="{fault.key}-requests-availability"}}'
    out["30d"]["Sloth"] = val(f"sum_over_time({s5}[30d]) / count_over_time({s5}[30d])").value
    p_e = val(f'sum(increase({METRIC}{{job="{fault.key}",code=~"(5..|429)"}}[30d]))').value
    p_r = val(f'sum(increase({METRIC}{{job="{fault.key}"}}[30d]))').value
    out["30d"]["Pyrra"], out["booked"]["Pyrra"] = p_e / p_r, p_r
    # Windows, every minute over the focus.
    lo, hi = fault.focus[0], min(fault.focus[1], sc.end)
    longest = max(w for *_, w in WINDOWS)
    minutes = list(range(lo - longest - 60, hi + 1, 60))
    per_min = served(sc, fault.streams, [(t - 60, t) for t in minutes])
    cum_r, cum_e = [0], [0]
    for c in per_min:
        cum_r.append(cum_r[-1] + c.requests)
        cum_e.append(cum_e[-1] + c.errors)
    index = {t: i + 1 for i, t in enumerate(minutes)}

    def true_ratio(t: int, w: int) -> float | None:
        a, b = index[t - w], index[t]
        r = cum_r[b] - cum_r[a]
        return (cum_e[b] - cum_e[a]) / r if r else None

    down = lambda t: any(a <= t < b + 60 for a, b in fault.down)   # noqa: E731
    for name, w, pname, pw in WINDOWS:
        reads = {
            "obsgen": ({t - phase: v for t, v in query_range(prom, own(names.error_ratio(name)), lo + phase, hi + phase).items()}, w),
            "Sloth": (query_range(prom, expr_of(sloth, f"slo:sli_error:ratio_rate{name}"), lo, hi), w),
            "Pyrra": (query_range(prom, expr_of(pyrra, f"http_request_duration_seconds:burnrate{pname}"), lo, hi), pw),
        }
        for tool, (got, width) in reads.items():
            errs = []
            for t in range(lo, hi + 1, 60):
                if down(t):
                    continue
                truth = true_ratio(t, width)
                if not truth:
                    continue
                v = got.get(t)
                errs.append(1.0 if v is None or v != v else abs(v - truth) / truth)
            out["windows"][(tool, name)] = (max(errs, default=0.0), sum(e > 0.01 for e in errs), sum(e > 0.10 for e in errs))
    return out


# -- cost --------------------------------------------------------------------------------

def query_stats(prom: LocalPrometheus, expr: str, at: int) -> tuple[int, float]:
    body = requests.get(f"{prom.url}/api/v1/query", timeout=600,
                        params={"query": expr, "time": at, "stats": "all"}).json()
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    st = body["data"]["stats"]
    return int(st["samples"]["totalQueryableSamples"]), float(st["timings"]["evalTotalTime"])


def cost(prom: LocalPrometheus, at: int, tools: dict[str, list[dict]], repeat: int = 3) -> dict:
    out = {}
    for tool, docs in tools.items():
        groups = {}
        for doc in docs:
            for g in doc["groups"]:
                samples, seconds = 0, 0.0
                for r in g["rules"]:
                    runs = [query_stats(prom, r["expr"], at) for _ in range(repeat)]
                    samples += runs[0][0]
                    seconds += sorted(s for _, s in runs)[len(runs) // 2]
                groups[g["name"]] = (len(g["rules"]), samples, seconds)
        out[tool] = groups
    return out


# -- report --------------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{x * 100:+.4f}%"


def _mins(n: int) -> str:
    if not n:
        return "0"
    h, m = divmod(n, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m"


def render(faults, rows, costs, args, version, timings, sc) -> str:
    budget = 1 - OBJECTIVE / 100
    L = [
        "# SLO engine bench: obsgen vs Sloth and Pyrra under faults",
        "",
        "Regenerated by `.venv/bin/python bench/slo_accuracy_cost.py "
        f"--streams {args.streams} --days {args.days} --out bench/RESULTS-slo.md` "
        f"(Prometheus {version}; this run took {timings['total'] / 60:.0f} minutes on 2 shared cores).",
        "",
        f"One job per scenario, {args.streams} targets each (pods: {args.streams} at a time; fewer than the 95 of",
        "issue 15, to keep a run affordable on 2 shared cores), "
        f"{args.days} + 1 days at 1-minute samples, 20 requests/s per target",
        "swinging 10x between 14:00 and 02:00 UTC, 0.05% background errors (half the budget), four 45-minute",
        "incidents at 20% errors starting 03:00 UTC, and one counter reset per long-lived target. Objective",
        "99.9% over 30 days. Anchors (read from `../shared/anchors`): Sloth getting-started (30d, optimized),",
        "Pyrra derived 30d. A failed scrape is a missing sample (every rule compared reads raw counters through",
        "range selectors, which skip staleness markers); Prometheus down is no sample and no rule evaluation.",
        "The reference is what the processes truly served, including what a pod served after its last scrape",
        "or before its first (lost by every tool), never the lifetime value counters held before the history.",
        "",
        "| scenario | what happens |",
        "|---|---|",
    ]
    for f in faults:
        L.append(f"| `{f.key}` | {f.title}{'; ' + f.note if f.note else ''} |")
    L += ["", "## 30 days: error ratio and requests booked, against the truth", "",
          "| scenario | true ratio | obsgen | Sloth (mean of 5m ratios) | Pyrra (raw `increase()` 30d) | requests booked / true: obsgen | Pyrra |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    for f, r in zip(faults, rows):
        true = r["truth30"].error_ratio
        cells = [_pct(r["30d"][t] / true - 1) for t in TOOLS]
        booked = [f"{r['booked'][t] / r['truth30'].requests:.5f}" for t in ("obsgen", "Pyrra")]
        L.append(f"| `{f.key}` | {true * 100:.5f}% | " + " | ".join(cells) + " | " + " | ".join(booked) + " |")
    L += ["", "Budget remaining per the truth and per each tool, for the scale of those errors: "
          + "; ".join(f"`{f.key}` {(1 - r['truth30'].error_ratio / budget) * 100:.2f}% (obsgen "
                      f"{(1 - r['30d']['obsgen'] / budget) * 100:.2f}%, Sloth {(1 - r['30d']['Sloth'] / budget) * 100:.2f}%, "
                      f"Pyrra {(1 - r['30d']['Pyrra'] / budget) * 100:.2f}%)" for f, r in zip(faults, rows)) + ".",
          "", "## Alert windows: worst error of the window's error ratio, and how long it stays above 1% / 10%", "",
          "Every minute over the scenario's focus (its faults to a day and a half after them; the last 2 days for",
          "`none`, `failed-churn`, `hourly-pods`), each tool's window ratio against the true ratio of the same",
          "window (Pyrra's windows are 1h4m, 6h26m, 1d1h43m). Minutes when Prometheus was down are not read.",
          "A missing value counts as a 100% error.", "",
          "| scenario | tool | 1h worst | 1h >1% / >10% | 6h worst | 6h >1% / >10% | 1d worst | 1d >1% / >10% |",
          "|---|---|---:|---:|---:|---:|---:|---:|"]
    for f, r in zip(faults, rows):
        for tool in TOOLS:
            cells = []
            for name, *_ in WINDOWS:
                worst, above1, above10 = r["windows"][(tool, name)]
                cells += [f"{worst * 100:.2f}%", f"{_mins(above1)} / {_mins(above10)}"]
            L.append(f"| `{f.key}` | {tool} | " + " | ".join(cells) + " |")
    L += ["", f"## Cost: samples read per evaluation (job `{faults[0].key}`, {args.streams} targets)", "",
          "Each rule group's expressions evaluated as instant queries at the end of the history with `stats=all`",
          "(`samples.totalQueryableSamples`, and `timings.evalTotalTime`, median of 3), recorded and alerting",
          "rules alike; what one evaluation of the group reads.", "",
          "| tool | group | rules | samples read | query time |", "|---|---|---:|---:|---:|"]
    totals = {}
    for tool, groups in costs.items():
        for g, (n, samples, seconds) in groups.items():
            L.append(f"| {tool} | {g} | {n} | {samples:,} | {seconds * 1000:.1f} ms |")
        totals[tool] = (sum(s for _, s, _ in groups.values()), sum(t for *_, t in groups.values()))
    raw = totals["raw 30-day increase()"][0]
    L += ["", "| tool | samples read per evaluation | vs obsgen | raw 30-day `increase()` / tool | query time |",
          "|---|---:|---:|---:|---:|"]
    for tool, (samples, seconds) in totals.items():
        L.append(f"| {tool} | {samples:,} | {samples / totals['obsgen'][0]:.1f}x | {raw / samples:.1f}x | {seconds * 1000:.1f} ms |")
    L += ["", "Sloth's and Pyrra's groups run at their own intervals (Pyrra's 30d increase every 2m30s, its",
          "burn rates every 30s; Sloth's at the global interval, here 1m); the figures are per evaluation.",
          f"Timings of this run: import {timings.get('import', 0):.0f}s, backfill {timings.get('backfill', 0):.0f}s, "
          f"reads {timings.get('read', 0):.0f}s."]
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
