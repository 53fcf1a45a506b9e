"""Benchmark: obsgen's gate against slo-generator on the same Prometheus servers, same instant.

4 regions (the estate's region table) x 100 SLOs, one local Prometheus per region holding
synthetic traffic and the SLO engine's recorded series (backfilled level by level). Each SLO is
evaluated over the same windows by both tools: its burn-rate alert windows and its period.
obsgen reads the recorded series, one query per window and endpoint for every SLO at once;
slo-generator (in its own virtualenv, through its Python compute()) asks two queries per SLO and
window from the raw counters. Prints requests issued and wall time (medians), the ratios, and
the largest SLI disagreement; writes bench/RESULTS-gate.md.

    .venv/bin/python bench/gate_vs_slo_generator.py [--repeat 5] [--slos 100]

slo-generator's virtualenv is created on first use (bench/.venv-slo-generator):
    python3 -m venv bench/.venv-slo-generator
    bench/.venv-slo-generator/bin/pip install 'slo-generator[prometheus]' 'setuptools<81'
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obsgen import duration  # noqa: E402
from obsgen.gate import config as gate_config  # noqa: E402
from obsgen.load import load_estate  # noqa: E402
from obsgen.localprom import LocalPrometheus, backfill, recording_levels  # noqa: E402
from obsgen.model import SLO, BurnWindow, Estate, EventRatio  # noqa: E402
from obsgen.slo import render as slo_render  # noqa: E402
from obsgen.synth import DAY, HOUR, Diurnal, OutcomeLabel, Scenario, stream  # noqa: E402

from gate_run import regional_error_ratios, timed_status  # noqa: E402

VENV = ROOT / "bench" / ".venv-slo-generator"
DRIVER = ROOT / "bench" / "gate_slo_generator_driver.py"
RESULTS = ROOT / "bench" / "RESULTS-gate.md"
STEP = 60
PERIOD = "1d"       # a one-day period keeps the backfill of 400 SLOs short; the windows are the point
# One page-tier row of the SRE workbook policy: 14.4x over 1h and 5m.
ALERTING = (BurnWindow("page", long="1h", short="5m", factor=14.4, severity="critical"),)
WINDOWS = ("5m", "1h", PERIOD)
AGREE = 1e-4        # 0.01 percentage points of SLI


def bench_estate(regions, n: int) -> Estate:
    slos = []
    for i in range(n):
        service = f"svc{i:03d}"
        slos.append(SLO(
            service=service, name="availability", objective=(99.5, 99.9, 99.0)[i % 3], period=PERIOD,
            sli=EventRatio(total=f'bench_requests_total{{service="{service}"}}',
                           errors=f'bench_requests_total{{service="{service}",code=~"5.."}}'),
            description="bench", alerting=ALERTING))
    return Estate(regions=tuple(regions), slos=tuple(slos))


def scenario(estate: Estate, region_index: int, end: int) -> Scenario:
    streams = []
    for i, slo in enumerate(estate.slos):
        budget = 1 - slo.objective / 100
        burn = 0.2 + ((i * 37 + region_index * 11) % 20) / 10      # 0.2x .. 2.1x, varied
        streams.append(stream("bench_requests_total", {"service": slo.service}, rate=5 + i % 7,
                              diurnal=Diurnal(10.0, (14 + 6 * region_index) % 24),
                              error_ratio=burn * budget, outcome=OutcomeLabel("code", "200", "500")))
    return Scenario(end=end, duration=DAY + 2 * HOUR, streams=tuple(streams), step=STEP)


def prepare(estate: Estate, end: int, workdir: Path) -> dict[str, LocalPrometheus]:
    def one(item):
        index, region = item
        prom = LocalPrometheus(workdir / region.name, evaluation_interval=STEP)
        history = scenario(estate, index, end)
        prom.import_scenario(history, jobs=1)
        prom.start()
        levels = recording_levels(list(slo_render.render(estate, region).values()))
        # Evaluate from one period before the end: the rules need no more history than that.
        start = end - int(duration.seconds(PERIOD)) - HOUR
        backfill(prom, levels, start, end, STEP, workdir / region.name / "levels")
        return region.name, prom

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, enumerate(estate.regions)))


def run_obsgen(estate: Estate, proms: dict[str, LocalPrometheus], at: int):
    config = gate_config.load(None, env={}, urls={name: p.url for name, p in proms.items()})
    evaluation, wall = timed_status(estate, config, at)
    slis = {(r.region, r.slo_id, r.period): r.sli for r in evaluation.results if not r.is_global}
    slis.update({(region, slo, window): 1 - ratio
                 for (slo, region, window), ratio in regional_error_ratios(evaluation).items()})
    sources = {r.source for r in evaluation.results}
    return len(evaluation.requests), wall, slis, sources, evaluation


def slo_generator_job(estate: Estate, proms: dict[str, LocalPrometheus], at: int) -> dict:
    steps = [{"name": w, "window": int(duration.seconds(w)), "burn_rate_threshold": 1,
              "alert": False, "message_alert": "burning", "message_ok": "ok"} for w in WINDOWS]
    regions = []
    for name, prom in proms.items():
        configs = []
        for slo in estate.slos:
            configs.append({
                "apiVersion": "sre.google.com/v2", "kind": "ServiceLevelObjective",
                "metadata": {"name": slo.id, "labels": {"service_name": slo.service, "feature_name": "bench",
                                                        "slo_name": slo.name}},
                "spec": {"description": slo.description, "backend": "prometheus", "method": "good_bad_ratio",
                         "exporters": [],
                         "service_level_indicator": {
                             "filter_good": f'bench_requests_total{{service="{slo.service}",code!~"5.."}}',
                             "filter_valid": f'bench_requests_total{{service="{slo.service}"}}'},
                         "goal": slo.objective / 100}})
        regions.append({"name": name, "url": prom.url, "slos": configs})
    return {"at": at, "steps": steps, "regions": regions}


def run_slo_generator(job: dict):
    done = subprocess.run([str(VENV / "bin" / "python"), str(DRIVER)], input=json.dumps(job),
                          capture_output=True, text=True, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    slis = {(r["region"], r["slo"], r["step"]): r["sli"] for r in out["results"] if r["valid"]}
    invalid = [r for r in out["results"] if not r["valid"]]
    return out["requests"], out["wall_seconds"], slis, invalid


def ensure_venv() -> None:
    if (VENV / "bin" / "python").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "slo-generator[prometheus]", "setuptools<81"],
                   check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--slos", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="Print only; leave bench/RESULTS-gate.md alone.")
    args = ap.parse_args()
    ensure_venv()
    regions = load_estate(ROOT).regions
    estate = bench_estate(regions, args.slos)
    end = int(time.time()) // STEP * STEP
    workdir = Path(tempfile.mkdtemp(prefix="obsgen-gate-bench-"))
    t0 = time.perf_counter()
    proms = {}
    try:
        proms = prepare(estate, end, workdir)
        setup = time.perf_counter() - t0
        print(f"setup: {len(regions)} regions x {args.slos} SLOs, history and recorded series in {setup:.0f}s",
              file=sys.stderr)
        job = slo_generator_job(estate, proms, end)
        ours, theirs = [], []
        for i in range(args.repeat):
            ours.append(run_obsgen(estate, proms, end))
            theirs.append(run_slo_generator(job))
            print(f"run {i + 1}: obsgen {ours[-1][0]} requests {ours[-1][1]:.3f}s; "
                  f"slo-generator {theirs[-1][0]} requests {theirs[-1][1]:.3f}s", file=sys.stderr)
    finally:
        for p in proms.values():
            p.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(args, estate, ours, theirs)


def report(args, estate, ours, theirs) -> None:
    o_req, o_wall = ours[0][0], statistics.median(x[1] for x in ours)
    s_req, s_wall = theirs[0][0], statistics.median(x[1] for x in theirs)
    o_slis, s_slis = ours[0][2], theirs[0][2]
    compared, worst, missing = 0, (0.0, None), []
    for key, value in sorted(s_slis.items()):
        mine = o_slis.get(key)
        if mine is None:
            missing.append(key)
            continue
        compared += 1
        diff = abs(mine - value)
        if diff > worst[0]:
            worst = (diff, key)
    agree = not missing and worst[0] <= AGREE and not theirs[0][3]
    expected = len(estate.regions) * len(estate.slos) * len(WINDOWS)
    lines = [
        "# obsgen gate vs slo-generator",
        "",
        f"{len(estate.regions)} regions x {len(estate.slos)} SLOs, windows {', '.join(WINDOWS)} "
        f"(the SLOs' burn-rate alert windows and their {PERIOD} period), one local Prometheus 2.42 per region, "
        f"both tools reading the same instant; medians of {args.repeat} runs on "
        f"{platform.machine()} with {_cores()} cores (load average {os.getloadavg()[0]:.1f} when done: "
        f"the machine was shared). slo-generator "
        f"{_slo_generator_version()} through its Python `compute()`.",
        "",
        "| | requests | wall time |",
        "|---|---:|---:|",
        f"| obsgen gate (figures from: {', '.join(sorted(ours[0][3]))}) | {o_req} | {o_wall:.3f} s |",
        f"| slo-generator (raw counters) | {s_req} | {s_wall:.3f} s |",
        f"| ratio | **{s_req / o_req:.0f}x fewer** | **{s_wall / o_wall:.0f}x less time** |",
        "",
        f"Agreement: {compared} of {expected} SLIs compared; largest difference "
        f"{worst[0] * 100:.6f} percentage points"
        + (f" ({worst[1][0]} {worst[1][1]} {worst[1][2]})" if worst[1] else "")
        + f"; tolerance {AGREE * 100:g} pp: {'all agree' if agree else 'DISAGREE'}.",
        "" if not missing else f"Missing from obsgen: {missing[:5]}",
        "Targets: >= 20x fewer requests, >= 10x less time: "
        + ("met." if s_req / o_req >= 20 and s_wall / o_wall >= 10 else "NOT met."),
        "",
        "slo-generator's Prometheus backend ignores the timestamp it is given; the bench passes it a client "
        "that sends `time=` with each of its queries (one request each, counted), so both read the same "
        "instant. slo-generator's `increase()` extrapolates to the window's edges; obsgen's recorded "
        "deltas do not; the ratio of good to valid events is what is compared.",
        "",
        "Reproduce:",
        "",
        "```sh",
        f".venv/bin/python bench/gate_vs_slo_generator.py --slos {args.slos} --repeat {args.repeat}",
        "```",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


def _cores() -> int:
    return os.cpu_count() or 0


def _slo_generator_version() -> str:
    done = subprocess.run([str(VENV / "bin" / "pip"), "show", "slo-generator"], capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "?"


if __name__ == "__main__":
    main()
