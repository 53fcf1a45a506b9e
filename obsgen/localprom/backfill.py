"""Recording-rule backfill: rules evaluated by the real Prometheus over its history, level by level.

What `promtool tsdb create-blocks-from rules` does (a range query per rule, the samples written
as blocks), with two differences that make 30 days of a region take seconds, not many minutes:
one OpenMetrics import per level instead of one block per rule and block range, and evaluation
instants on a grid aligned to the end of the history (promtool's follow each group's hash-derived
phase instead, so they depend on the rule file's path):

- level 0 (rules reading raw counters, e.g. the 1-minute deltas) every evaluation interval,
  so consecutive deltas tile time exactly, as on the live server;
- with `coarse` (the default), each higher level's series on the coarsest grid that divides every
  offset at which a rule reads it (at most 5 minutes), so an offset sum still lands on its
  source's samples and tiles its window exactly; without it, every interval, as a live server
  records them (for readers at any instant, not only on the coarse grid).

Every level shares one grid ending at the end of the history, as the groups of one live server
share their phase, so a rule reads what the levels below recorded at the same instant, and the
gate reads samples recorded at the very instant it evaluates.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Mapping, Sequence

from obsgen import duration
from obsgen.localprom import blocks, query
from obsgen.synth.series import escape_label_value

MAX_POINTS = 11_000          # Prometheus refuses longer range queries per series
MAX_COARSE = 300             # stays within the 5-minute lookback of an instant query
_CONSTANT = re.compile(r"vector\(\s*[-+0-9.eE]+\s*\)")
_OFFSET = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?(?:\[[^\]]*\])?\s+offset\s+(-?[0-9a-z]+)")

Spans = Sequence[tuple[int, int]]


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


def backfill(prom, levels: list[dict], start: int, end: int, interval: int, workdir: Path, *,
             coarse: bool = True, down: Mapping[str, Spans] | None = None,
             after_level: Callable[[int], None] | None = None) -> int:
    """Backfill every level (documents from `recording_levels`) into `prom`, a running
    LocalPrometheus, over [start, end], `end` on the grid; returns the samples written.

    `down` names groups that were not evaluated in the spans [a, b) given (the server was down).
    `after_level(n)` runs once level n is in the TSDB, before level n + 1 reads it."""
    steps = grid_steps(levels, interval) if coarse else {}
    down = down or {}
    written = 0
    for n, level in enumerate(levels):
        lines = {}
        for group in level["groups"]:
            spans = down.get(group["name"], ())
            for rule in group["rules"]:
                step = steps.get(rule["record"], interval)
                lines[id(rule)] = _recorded(prom, rule, end - (end - start) // step * step, end, step, spans)
        path = workdir / f"level-{n:02d}.om"
        written += _write_level(path, level, lines)
        prom.import_openmetrics([path], jobs=1, delete_files=True,
                                block_seconds=blocks.covering_block_seconds(end - start))
        if after_level:
            after_level(n)
    return written


def _constant(rule: dict) -> bool:
    """`vector(0.995)`: reads no series, so nothing tiles it; the coarse grid will do."""
    return _CONSTANT.fullmatch(rule["expr"].strip()) is not None


def _recorded(prom, rule: dict, first: int, end: int, step: int, down: Spans) -> list[str]:
    """One text chunk per series the rule records: its samples in time order, NaN left out."""
    out = []
    for series in query.range_chunks(prom.client(), rule["expr"], first, end, step, MAX_POINTS):
        labels = {**{k: v for k, v in series.labels.items() if k != "__name__"}, **rule.get("labels", {})}
        prefix = rule["record"] + "{" + ",".join(
            f'{k}="{escape_label_value(str(v))}"' for k, v in sorted(labels.items())) + "} "
        points = [(t, v) for t, v in series.points if not any(a <= t < b for a, b in down)] if down else series.points
        out.append("".join([f"{prefix}{_number(v)} {int(t)}\n" for t, v in points if v == v]))   # NaN != NaN
    return out


def _write_level(path: Path, level: dict, lines: dict[int, list[str]]) -> int:
    families: dict[str, list[str]] = defaultdict(list)
    for group in level["groups"]:
        for rule in group["rules"]:
            families[rule["record"]] += lines[id(rule)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for family in sorted(families):
            fh.write(f"# TYPE {family} gauge\n")
            # each series' samples together and in time order: promtool drops anything else
            fh.writelines(families[family])
        fh.write("# EOF\n")
    return sum(chunk.count("\n") for chunks in families.values() for chunk in chunks)


def _number(value: float) -> str:
    """The shortest text that reads back as the same float (as Prometheus's own JSON has it)."""
    return repr(value) if math.isfinite(value) else ("+Inf" if value > 0 else "-Inf")
