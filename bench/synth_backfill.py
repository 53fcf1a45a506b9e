"""Benchmark: synthetic history generation and backfill into a local Prometheus.

Measures, for DAYS days at 1-minute resolution and a few hundred series:
  * OpenMetrics generation (2h windows, and larger windows for comparison),
  * promtool openmetrics import with 1 and 2 parallel jobs,
  * generation and import pipelined (import starts while files are written),
  * Prometheus startup on the backfilled TSDB,
  * recording-rules backfill, two levels of a few rules, then the demo's own rules for one region
    (twelve levels): the kit's (obsgen/localprom/backfill.py, every level every minute, and on its
    coarse grid) against promtool's `create-blocks-from rules` (the baseline, with the largest
    rule block one range query can fill), as ratios to the baseline.

Prints medians over --repeat runs: wall seconds, and CPU seconds (this process
+ children), which is the stabler figure on a shared machine.

    .venv/bin/python bench/synth_backfill.py --days 30 --streams 24 --repeat 3
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from obsgen import names
from obsgen.demo import story
from obsgen.demo.history import region_history
from obsgen.demo.run import rule_documents
from obsgen.load import load_estate
from obsgen.localprom import LocalPrometheus, backfill, recording_levels
from obsgen.localprom.backfill import MAX_POINTS
from obsgen.localprom.blocks import TWO_HOURS
from obsgen.synth import DAY, HOUR, Diurnal, Incident, Latency, Scenario, all_series
from obsgen.synth import iter_write_openmetrics, stream, write_openmetrics

ROOT = Path(__file__).resolve().parents[1]
END = 1_700_006_400
BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
SHARES = (0.1, 0.2, 0.4, 0.6, 0.8, 0.95, 0.99, 0.999)
SLOW_SHARES = (0.0, 0.0, 0.0, 0.1, 0.2, 0.5, 0.7, 0.9)

RULES = (  # (group, record, expression): two levels, 3 + 2 rules
    ("bench-base", "svc_code:http_requests:increase5m", "sum by (svc, code) (increase(http_requests_total[5m]))"),
    ("bench-base", "svc:http_requests:error_ratio5m",
     'sum by (svc) (rate(http_requests_total{code="500"}[5m])) / sum by (svc) (rate(http_requests_total[5m]))'),
    ("bench-base", "svc_le:http_request_duration_seconds_bucket:increase5m",
     "sum by (svc, le) (increase(http_request_duration_seconds_bucket[5m]))"),
    ("bench-hourly", "svc_code:http_requests:increase1h", "sum_over_time(svc_code:http_requests:increase5m[1h])"),
    ("bench-hourly", "svc:http_requests:error_ratio1h", "avg_over_time(svc:http_requests:error_ratio5m[1h])"),
)


def rule_document(group: str | None = None) -> dict:
    groups: dict[str, list] = {}
    for name, record, expr in RULES:
        if group in (None, name):
            groups.setdefault(name, []).append({"record": record, "expr": expr})
    return {"groups": [{"name": name, "rules": rules} for name, rules in groups.items()]}


def bench_scenario(days: int, n_streams: int) -> Scenario:
    streams = [
        stream(
            "http_requests_total",
            {"svc": f"svc-{i:03d}", "region": "eu-west-1"},
            rate=20.0 + i,
            diurnal=Diurnal(peak_to_trough=10, peak_hour_utc=15),
            error_ratio=0.001,
            latency=Latency("http_request_duration_seconds", BOUNDS, SHARES),
            incidents=(Incident(END - min(3, days) * DAY + i * HOUR, HOUR, error_ratio=0.2, latency_shares=SLOW_SHARES),),
            resets=(END - min(7, days - 1) * DAY + i * 600,),
        )
        for i in range(n_streams)
    ]
    return Scenario(end=END, duration=days * DAY, streams=tuple(streams), step=60)


@dataclass(frozen=True)
class Cost:
    wall: float
    cpu: float


def measure(fn: Callable[[], object]) -> tuple[Cost, object]:
    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    w0, c0 = time.perf_counter(), cpu()
    result = fn()
    return Cost(time.perf_counter() - w0, cpu() - c0), result


def report(label: str, costs: list[Cost], extra: str = "") -> None:
    wall = statistics.median(c.wall for c in costs)
    cpu = statistics.median(c.cpu for c in costs)
    print(f"{label:<52} wall {wall:7.2f}s  cpu {cpu:7.2f}s  {extra}", flush=True)


def fresh(root: Path, name: str) -> Path:
    path = root / name
    shutil.rmtree(path, ignore_errors=True)
    return path


def run(args: argparse.Namespace, root: Path) -> None:
    sc = bench_scenario(args.days, args.streams)
    n_series = sum(len(all_series(s)) for s in sc.streams)
    n_samples = n_series * (sc.duration // sc.step + 1)
    print(f"{args.days} days x {n_series} series at 1m = {n_samples / 1e6:.1f}M samples; repeat={args.repeat}")

    for hours in args.window_hours:
        window = hours * HOUR
        costs, files = [], []
        for _ in range(args.repeat):
            out = fresh(root, f"om-{hours}h")
            cost, files = measure(lambda: write_openmetrics(sc, out, window))
            costs.append(cost)
        size = sum(f.stat().st_size for f in files) / 1e6
        report(f"generate OpenMetrics, {hours}h windows", costs, f"{len(files)} files, {size:.0f} MB")

        for jobs in args.jobs:
            costs = []
            for _ in range(args.repeat):
                prom = LocalPrometheus(fresh(root, "prom-import"))
                cost, blocks = measure(lambda: prom.import_openmetrics(files, jobs=jobs, block_seconds=window))
                costs.append(cost)
            report(f"promtool import, {hours}h files, jobs={jobs}", costs, f"{blocks} blocks")

        costs = []
        for _ in range(args.repeat):
            prom = LocalPrometheus(fresh(root, "prom-pipe"))
            out = fresh(root, "om-pipe")
            lazy = iter_write_openmetrics(sc, out, window)
            cost, _ = measure(lambda: prom.import_openmetrics(lazy, jobs=max(args.jobs), block_seconds=window, delete_files=True))
            costs.append(cost)
        report(f"generate+import pipelined, {hours}h, jobs={max(args.jobs)}", costs)

    bench_rules(args, sc, root)
    bench_demo_rules(args, root)


def promtool_rules_backfill(prom: LocalPrometheus, files: list[Path], start: int, end: int) -> None:
    """The baseline: `promtool tsdb create-blocks-from rules`, one level (file) at a time, each
    with the largest TSDB block range one range query can fill (2h x 3^k, at most MAX_POINTS
    steps), its blocks moved in and the server restarted before the next level reads them."""
    size = TWO_HOURS
    while size * 3 // 60 <= MAX_POINTS and size < end - start:
        size *= 3
    for path in files:
        staging = prom.staging_dir("rules")
        prom.promtool("tsdb", "create-blocks-from", "rules", "-q", f"--url={prom.url}", f"--start={start}",
                      f"--end={end}", "--eval-interval=60s", f"--max-block-duration={size}s",
                      f"--output-dir={staging}", str(path))
        prom.install_blocks(staging)


def bench_rules(args: argparse.Namespace, sc: Scenario, root: Path) -> None:
    files = []
    for group in ("bench-base", "bench-hourly"):
        files.append(root / f"{group}.yml")
        files[-1].write_text(yaml.safe_dump(rule_document(group)))
    levels = recording_levels([rule_document()])
    raw = root / "prom-pipe" / "tsdb"  # left by the last pipelined run above

    starts = []
    for _ in range(args.repeat):
        prom = LocalPrometheus(fresh(root, "prom-start"), ready_timeout=600)
        shutil.copytree(raw, prom.tsdb_dir, dirs_exist_ok=True)
        cost, _ = measure(prom.start)
        prom.stop()
        starts.append(cost)
    report(f"prometheus start on {len(list(raw.glob('*/meta.json')))} raw blocks", starts)

    compare_backfills(args.repeat, root, raw, files, levels, sc.start, sc.end,
                      "sum(count_over_time(svc_code:http_requests:increase1h[400d]))")


def compare_backfills(repeat: int, root: Path, raw: Path, files: list[Path], levels: list[dict], start: int,
                      end: int, check: str) -> None:
    """Each way to backfill the same levels into a copy of the `raw` TSDB, `repeat` times in
    turn: medians, the ratio to promtool's, and the `check` figure at the end."""
    ways = {
        "promtool create-blocks-from rules (baseline)": lambda prom: promtool_rules_backfill(prom, files, start, end),
        "kit backfill, every level every minute": lambda prom: backfill(
            prom, levels, start, end, 60, prom.data_dir / "levels", coarse=False),
        "kit backfill, coarse grid above level 0": lambda prom: backfill(
            prom, levels, start, end, 60, prom.data_dir / "levels"),
    }
    costs: dict[str, list[Cost]] = {label: [] for label in ways}
    checked: dict[str, float] = {}
    for _ in range(repeat):
        for label, way in ways.items():
            prom = LocalPrometheus(fresh(root, "prom-rules"), ready_timeout=600)
            shutil.copytree(raw, prom.tsdb_dir, dirs_exist_ok=True)
            with prom:
                cost, _ = measure(lambda: way(prom))
                found = prom.query(check, at=end)
                checked[label] = found[0].value if found else 0.0
            costs[label].append(cost)
    baseline = statistics.median(c.wall for c in next(iter(costs.values())))
    for label, runs in costs.items():
        wall = statistics.median(c.wall for c in runs)
        report(f"rules backfill: {label}", runs, f"x{wall / baseline:.2f} wall; {check} = {checked[label]:.0f}")


def bench_demo_rules(args: argparse.Namespace, root: Path) -> None:
    """The demo's own recording rules for eu-west (many levels, many rules) over its history."""
    estate = load_estate(ROOT)
    index = 1
    region = estate.regions[index]
    history = region_history(estate, region, story.role_of(index), END, args.days * DAY).scenario
    levels = recording_levels(rule_documents(ROOT / names.GENERATED, region.name))
    files = []
    for n, level in enumerate(levels):
        files.append(root / f"demo-level-{n:02d}.yml")
        files[-1].write_text(yaml.safe_dump(level))
    raw = LocalPrometheus(fresh(root, "prom-demo"))
    raw.import_scenario(history, window=54 * HOUR)
    print(f"the demo's rules for {region.name}: {len(levels)} levels, "
          f"{sum(len(g['rules']) for level in levels for g in level['groups'])} rules, {args.days} days", flush=True)
    compare_backfills(args.repeat, root, raw.tsdb_dir, files, levels, history.start, END,
                      f"sum({names.requests_count('1d')})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--streams", type=int, default=24, help="13 series each (counters + 8-bucket histogram)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--window-hours", type=int, nargs="+", default=[2, 18])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workdir", type=Path, default=None, help="default: a fresh temporary directory")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="synth-bench-") as tmp:
            run(args, Path(tmp))


if __name__ == "__main__":
    main()
