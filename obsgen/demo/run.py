"""The demo's IO edge: synthesize, start one local Prometheus per region, backfill, gate, stop.

One Prometheus per region, because the generated rules of a region read that region's raw
counters, which carry no region label (the rules add it), exactly as in production; the gate
then gets one endpoint per region, as from the region table.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from obsgen import duration, names
from obsgen.demo.history import RegionHistory, histories
from obsgen.gate.canary import evaluate_canary
from obsgen.localprom import LocalPrometheus, backfill, recording_levels

CANARY_STAGE = 0
# Synthetic history is imported in 54-hour files (a TSDB block range, 2h x 27): far fewer
# promtool runs and blocks than 2-hour files, each parsed once.
HISTORY_FILE_SECONDS = 54 * 3600   # the first canary stage of the release policy (seed 5.3: internal, 30 minutes)


class DemoError(Exception):
    """Something the demo needs is missing (no generated rules, no prometheus): exit 2."""


@dataclass
class Region:
    history: RegionHistory
    prom: LocalPrometheus
    rule_levels: list[dict]


def rule_documents(generated: Path, region: str) -> list[dict]:
    directory = generated / names.region_dir(region) / "prometheus" / "rules"
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise DemoError(f"no rule files under {directory}: run `obsgen build` first")
    return [yaml.safe_load(f.read_text(encoding="utf-8")) or {} for f in files]


def _import_history(history: RegionHistory, data_dir: str) -> int:
    """In a worker process: OpenMetrics files -> TSDB blocks (writing the text is CPU-bound)."""
    return LocalPrometheus(Path(data_dir)).import_scenario(history.scenario, window=HISTORY_FILE_SECONDS, jobs=1)


def prepare(estate, generated: Path, workdir: Path, end: int, duration_seconds: int,
            say: Callable[[str], None], jobs: int = 2) -> list[Region]:
    """Synthesize and import every region's history, start its Prometheus, backfill its rules."""
    regions = []
    for history in histories(estate, end, duration_seconds):
        region = estate.region(history.region)
        levels = recording_levels(rule_documents(generated, history.region))
        prom = LocalPrometheus(workdir / history.region / "prometheus",
                               evaluation_interval=int(duration.seconds(region.evaluation_interval)))
        regions.append(Region(history, prom, levels))
        for line in history.skipped:
            say(f"{history.region}: not synthesized: {line}")
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        blocks = list(pool.map(_import_history, [r.history for r in regions],
                               [str(r.prom.data_dir) for r in regions]))
    series = sum(len(r.history.scenario.streams) for r in regions)
    say(f"synthesized {duration_seconds // 86400}d of history for {len(regions)} regions "
        f"({series} streams, {sum(blocks)} blocks) in {time.monotonic() - t0:.1f}s")
    t0 = time.monotonic()

    def start_and_backfill(r: Region) -> None:
        r.prom.start()
        s = r.history.scenario
        backfill(r.prom, r.rule_levels, s.start, s.end, r.prom.evaluation_interval,
                 r.prom.data_dir.parent / "rule-levels")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(start_and_backfill, regions))
    say(f"backfilled {len(regions[0].rule_levels) if regions else 0} levels of recording rules "
        f"per region in {time.monotonic() - t0:.1f}s")
    return regions


def stop(regions: list[Region]) -> None:
    for r in regions:
        r.prom.stop()


def gate(estate, regions: list[Region], at: float, say_err: Callable[[str], None]):
    """The gate's own API against the local servers: the evaluation with its burn-down curves,
    and the canary evaluation of the policy's first stage (None if the core has none)."""
    from obsgen.gate import config as gate_config
    from obsgen.gate.burndown import with_burndowns
    from obsgen.gate.evaluate import evaluate, policy_of
    from obsgen.gate.report import terminal

    config = gate_config.load(None, env={}, urls={r.history.region: r.prom.url for r in regions})
    plan = gate_config.plan(estate, estate.regions, config)
    index = {ep.name: i + 1 for i, (ep, _) in enumerate(plan)}

    def progress(endpoint: str, state: str, count: int) -> None:
        if state == "querying":
            say_err(terminal.progress_start(endpoint, index.get(endpoint, 0), len(plan)))

    evaluation = evaluate(estate, plan, at, clock=time.monotonic, progress=progress)
    evaluation = with_burndowns(evaluation, plan, clock=time.monotonic)
    stage = policy_of(estate).canary.stages[CANARY_STAGE].name
    canary = evaluate_canary(estate, plan, at, stage, clock=time.monotonic)
    return evaluation, canary


def say_to(stream) -> Callable[[str], None]:
    """One whole line per call, safe from several threads (the gate queries regions in parallel)."""
    lock = threading.Lock()

    def say(line: str) -> None:
        with lock:
            stream.write(line + "\n")
            stream.flush()
    return say

