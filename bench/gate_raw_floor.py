"""Benchmark: the gate's raw-counter path against a batched floor, same server, same run.

One local Prometheus holds 4 regions x N SLOs of raw counters (every series labelled with its
region, as on a shared Prometheus, Mimir or Thanos) and no recording rules, so the gate must
read every SLO, region and window from the raw counters. Each region is configured as its own
endpoint (same URL, `region_label: true`), as the issue's shared setup.

- floor: one query per region for every SLO and window at once (errors and totals, selectors
  narrowed to the region), the least any raw reader must ask; run 4 at a time like the gate.
- gate: `evaluate()` as the CLI runs it (freshness, recorded check, raw counts, look-back tiles).

Prints and writes (bench/RESULTS-gate-raw.md) requests and wall time (medians), the ratios, and
the largest disagreement between the two on any error ratio.

    .venv/bin/python bench/gate_raw_floor.py [--slos 100] [--repeat 3]
    .venv/bin/python bench/gate_raw_floor.py --slos 400 --repeat 3 --append
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obsgen import names, tools  # noqa: E402
from obsgen.gate import config as gate_config  # noqa: E402
from obsgen.gate import queries  # noqa: E402
from obsgen.gate import collect  # noqa: E402
from obsgen.gate.collect import windows_of  # noqa: E402
from obsgen.gate.http import Client, Endpoint  # noqa: E402
from obsgen.localprom import LocalPrometheus  # noqa: E402
from obsgen.model import SLO, Estate, EventRatio  # noqa: E402
from obsgen.synth import DAY, HOUR, Diurnal, OutcomeLabel, Scenario, stream, write_openmetrics  # noqa: E402
from tests.gate.synthetic import ALERTING, region  # noqa: E402

from gate_run import regional_error_ratios, timed_status  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS-gate-raw.md"
STEP = 60
PERIOD = "1d"
REGIONS = tuple(region(f"r{i}") for i in range(4))


def bench_estate(n: int) -> Estate:
    slos = tuple(SLO(service=f"svc{i:03d}", name="availability", objective=(99.5, 99.9, 99.0)[i % 3], period=PERIOD,
                     sli=EventRatio(total=f'bench_requests_total{{service="svc{i:03d}"}}',
                                    errors=f'bench_requests_total{{service="svc{i:03d}",code=~"5.."}}'),
                     description="bench", alerting=ALERTING) for i in range(n))
    return Estate(regions=REGIONS, slos=slos)


def scenario(estate: Estate, index: int, end: int) -> Scenario:
    streams = []
    for i, slo in enumerate(estate.slos):
        burn = 0.2 + ((i * 37 + index * 11) % 20) / 10
        streams.append(stream("bench_requests_total", {"service": slo.service, "region": REGIONS[index].name},
                              rate=5 + i % 7, diurnal=Diurnal(10.0, (14 + 6 * index) % 24),
                              error_ratio=burn * (1 - slo.objective / 100), outcome=OutcomeLabel("code", "200", "500")))
    return Scenario(end=end, duration=DAY + 2 * HOUR, streams=tuple(streams), step=STEP)


def floor(estate: Estate, url: str, at: float):
    """One query per region: every SLO's errors and totals over every window, narrowed to it."""
    by = (names.REGION,)
    logs, figures = [], {}

    def one(r):
        client = Client(Endpoint(name=r.name, url=url, region=r.name, region_label=True, timeout=900, retries=0),
                        on_request=logs.append)
        parts = []
        for slo in estate.slos:
            sli = queries.narrowed(slo.sli, [r.name])
            for w in windows_of(slo):
                # the gate's exact counts, each window as one tile (where it starts too)
                parts += queries._exact_parts(replace(slo, sli=sli), w, by, at, w, r.counter_lookback, tagged_window=True)
        got = {}
        for s in client.query(queries.union(parts), at):
            got[(s.labels[queries.TAG_SLO], r.name, s.labels[queries.TAG_WINDOW], s.labels[queries.TAG_PART])] = s.value
        client.close()
        return got

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        for got in pool.map(one, estate.regions):
            figures.update(got)
    wall = time.perf_counter() - started
    ratios = {}
    for (slo, r, w, part), v in figures.items():
        if part == queries.TOTAL and v:
            ratios[(slo, r, w)] = figures.get((slo, r, w, queries.ERRORS), 0.0) / v
    return len(logs), wall, ratios, max(q.duration_seconds for q in logs)


def gate(estate: Estate, url: str, at: float):
    config = gate_config.GateConfig(endpoints={r.name: {"url": url, "region_label": True} for r in estate.regions})
    evaluation, wall = timed_status(estate, config, at)
    decisions = {r.decision for r in evaluation.results}
    return (len(evaluation.requests), wall, regional_error_ratios(evaluation), decisions, evaluation,
            max(q.duration_seconds for q in evaluation.requests))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slos", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--append", action="store_true", help="add to --out (another size) instead of replacing it")
    args = parser.parse_args()
    estate = bench_estate(args.slos)
    end = (int(time.time()) // (2 * HOUR)) * 2 * HOUR - 2 * HOUR
    with tempfile.TemporaryDirectory() as tmp:
        prepared = time.perf_counter()
        prom = LocalPrometheus(Path(tmp) / "prom", evaluation_interval=STEP)
        files = []
        for i in range(len(REGIONS)):
            files += write_openmetrics(scenario(estate, i, end), Path(tmp) / f"om{i}")
        prom.import_openmetrics(files)
        prom.start()
        setup = time.perf_counter() - prepared
        try:
            rows = []
            for _ in range(args.repeat):     # interleaved, so both see the same server state
                rows.append((floor(estate, prom.url, end), gate(estate, prom.url, end)))
        finally:
            prom.stop()
    f_req = statistics.median(f[0] for f, _ in rows)
    f_wall = statistics.median(f[1] for f, _ in rows)
    g_req = statistics.median(g[0] for _, g in rows)
    g_wall = statistics.median(g[1] for _, g in rows)
    (f_ratios, g_ratios, decisions, evaluation) = (rows[-1][0][2], rows[-1][1][2], rows[-1][1][3], rows[-1][1][4])
    slowest = max(g[5] for _, g in rows)
    f_slowest = max(f[3] for f, _ in rows)
    failed = sum(q.outcome != "ok" for _, g in rows for q in g[4].requests)
    common = set(f_ratios) & set(g_ratios)
    worst = max((abs(f_ratios[k] - g_ratios[k]) for k in common), default=float("nan"))
    sources = sorted({r.source for r in evaluation.results})
    text = f"""# The gate's raw-counter path against a batched floor

`.venv/bin/python bench/gate_raw_floor.py --slos {args.slos} --repeat {args.repeat}` on {platform.machine()},
{os.cpu_count()} cores, Prometheus {tools.prometheus_version()} (`obsgen.tools`). One Prometheus holds {len(REGIONS)} regions x
{args.slos} SLOs of raw counters (region-labelled; no recording rules, so every figure comes from the
raw counters); each region is its own endpoint in the gate config (same URL, `region_label: true`).
Windows per SLO: {', '.join(windows_of(estate.slos[0]))}. Setup (history import) took {setup:.0f} s and is in
neither figure. Medians of {args.repeat} interleaved runs.

| | requests | wall time |
|---|---:|---:|
| floor: one query per region, every SLO and window, 4 at a time | {f_req:.0f} | {f_wall:.3f} s |
| obsgen gate (freshness, recorded check, raw counts, look-back tiles) | {g_req:.0f} | {g_wall:.3f} s |
| ratio | {g_req / f_req:.2f}x | {g_wall / f_wall:.2f}x |

Both count exactly, with the same expressions (obsgen/gate/exact.py: each window first as one tile,
the newest sample minus the one before the window; nothing resets here, so no window is counted
again in finer tiles). The endpoints share one backend, so the gate reads them together: one
recorded query, and raw queries of {collect.RAW_PAIRS} SLO x region pairs each ({collect.RAW_PAIRS // len(REGIONS)} SLOs, narrowed to
the four regions), {collect.RAW_PARALLEL} at a time, so that each stays inside the default timeout
({Endpoint('x', 'http://x').timeout:g} s): its slowest took {slowest:.1f} s, and {failed} of its requests failed. The floor
narrows each query to one region; its slowest took {f_slowest:.1f} s (run with a 900 s timeout: with
the default it could not answer).
{len(common)} error ratios compared; largest difference {worst:.2e} (as a fraction).
Sources of the gate's figures: {', '.join(sources)}; decisions: {', '.join(sorted(decisions))}.
"""
    print(text)
    if args.append and args.out.exists():
        text = args.out.read_text() + "\n" + text.replace("# The gate's raw-counter path against a batched floor\n",
                                                           f"## {args.slos} SLOs\n")
    args.out.write_text(text)


if __name__ == "__main__":
    main()
