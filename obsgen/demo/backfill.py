"""Recording-rule backfill: the generated rules evaluated by the real Prometheus, level by level.

What `promtool tsdb create-blocks-from rules` does (a range query per rule, the samples
written as blocks), with two differences that make 30 days of a region take seconds, not many
minutes: one OpenMetrics import per level instead of one block per rule and block range, and
evaluation instants on a grid aligned to the end of the history:

- level 0 (rules reading raw counters, e.g. the 1-minute deltas) every evaluation interval,
  so consecutive deltas tile time exactly, as on the live server;
- each higher level's series on the coarsest grid that divides every offset at which a rule
  reads it (at most 5 minutes), so an offset sum still lands on its source's samples and tiles
  its window exactly.

The end of the history is on every level's grid, so the gate reads samples recorded at the
very instant it evaluates.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path

import requests

from obsgen import duration
from obsgen.localprom import TWO_HOURS, LocalPrometheus

MAX_POINTS = 11_000          # Prometheus refuses longer range queries per series
MAX_COARSE = 300             # stays within the 5-minute lookback of an instant query
_CONSTANT = re.compile(r"vector\(\s*[-+0-9.eE]+\s*\)")
_OFFSET = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?(?:\[[^\]]*\])?\s+offset\s+(-?[0-9a-z]+)")


def grid_steps(levels: list[dict], interval: int) -> dict[str, int]:
    """Each recorded series' step: level 0 (reading raw counters) every evaluation interval;
    above it, the greatest divisor of every offset at which a rule reads the series, at most
    MAX_COARSE, a multiple of the interval (else the interval itself)."""
    steps = {}
    for n, level in enumerate(levels):
        for group in level["groups"]:
            for rule in group["rules"]:
                steps[rule["record"]] = interval if n == 0 and not _constant(rule) else MAX_COARSE
    for level in levels:
        for group in level["groups"]:
            for rule in group["rules"]:
                for name, text in _OFFSET.findall(rule["expr"]):
                    if name in steps and steps[name] != interval:
                        step = math.gcd(steps[name], int(duration.seconds(text.lstrip("-"))))
                        steps[name] = step if step % interval == 0 else interval
    return steps


def range_query(url: str, expr: str, start: int, end: int, step: int) -> list[tuple[dict, list]]:
    out, lo = [], start
    while lo <= end:
        hi = min(end, lo + (MAX_POINTS - 1) * step)
        body = requests.post(f"{url}/api/v1/query_range",
                             data={"query": expr, "start": lo, "end": hi, "step": step}, timeout=300).json()
        if body.get("status") != "success":
            raise RuntimeError(f"backfill query failed: {expr}: {body.get('error')}")
        out += [(r["metric"], r["values"]) for r in body["data"]["result"]]
        lo = hi + step
    return out


def backfill(prom: LocalPrometheus, levels: list[dict], start: int, end: int, interval: int,
             workdir: Path) -> int:
    """Backfill every level over [start, end] (`end` on the grid); returns samples written."""
    steps = grid_steps(levels, interval)
    written = 0
    for n, level in enumerate(levels):
        written += _level(prom, level, start, end, lambda rule: steps[rule["record"]], workdir / f"level-{n:02d}.om")
    return written


def _constant(rule: dict) -> bool:
    """`vector(0.995)`: reads no series, so nothing tiles it; the coarse grid will do."""
    return _CONSTANT.fullmatch(rule["expr"].strip()) is not None


def _level(prom: LocalPrometheus, level: dict, start: int, end: int, step_of, path: Path) -> int:
    families: dict[str, list[str]] = defaultdict(list)
    samples = 0
    for group in level["groups"]:
        for rule in group["rules"]:
            step = step_of(rule)
            first = end - (end - start) // step * step     # `end` is on every rule's grid
            for metric, values in range_query(prom.url, rule["expr"], first, end, step):
                labels = {**{k: v for k, v in metric.items() if k != "__name__"}, **rule.get("labels", {})}
                prefix = rule["record"] + "{" + ",".join(
                    f'{k}="{_escape(str(v))}"' for k, v in sorted(labels.items())) + "} "
                lines = [f"{prefix}{v} {int(float(t))}\n" for t, v in values if v != "NaN"]
                families[rule["record"]].append("".join(lines))
                samples += len(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for family in sorted(families):
            fh.write(f"# TYPE {family} gauge\n")
            # each series' samples together and in time order: promtool drops anything else
            fh.writelines(families[family])
        fh.write("# EOF\n")
    prom.import_openmetrics([path], jobs=1, delete_files=True, block_seconds=block_seconds(end - start))
    return samples


def block_seconds(span: int) -> int:
    """Few, large blocks: promtool parses its whole input once per block it writes. Block
    ranges are 2h x 3^k like the TSDB's own; at most 486h (20 days)."""
    size = TWO_HOURS
    while size < span + TWO_HOURS and size < 243 * TWO_HOURS:
        size *= 3
    return size


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
