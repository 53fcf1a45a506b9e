"""OpenMetrics text for promtool's backfill, one file per 2-hour block window.

promtool 2.42 re-parses the whole input once per 2h block it creates, so a
file spanning many windows costs quadratic time; files aligned to the TSDB's
2h block grid give exactly one block each. Its parser requires ``# EOF`` and
silently drops out-of-order samples, so every series is written in time order
and families are never interleaved.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterator

from obsgen.synth.model import HOUR, Scenario
from obsgen.synth.series import Series, alive_between, escape_label_value, stream_samples

BLOCK_SECONDS = 2 * HOUR


def check_window(seconds: int) -> None:
    size = BLOCK_SECONDS
    while size < seconds:
        size *= 3
    if size != seconds:
        raise ValueError("window must be a TSDB block range: 2h * 3^k (2h, 6h, 18h, 54h, ...)")


def window_starts(scenario: Scenario, window: int = BLOCK_SECONDS) -> range:
    """Starts of the epoch-aligned windows (TSDB block grid) that hold the history."""
    check_window(window)
    first = scenario.start - scenario.start % window
    return range(first, scenario.end + 1, window)


def _series_prefix(s: Series) -> str:
    if not s.labels:
        return s.name + " "
    inner = ",".join(f'{k}="{escape_label_value(v)}"' for k, v in s.labels)
    return f"{s.name}{{{inner}}} "


def _format_lines(prefix: str, values: list[int], suffixes: list[str], unit: int) -> str:
    if unit == 1:
        return "".join([f"{prefix}{v}{s}" for v, s in zip(values, suffixes)])
    if unit != 1000:
        raise ValueError(f"unsupported unit {unit}")
    return "".join([f"{prefix}{v // 1000}.{v % 1000:03d}{s}" for v, s in zip(values, suffixes)])


def render_window(scenario: Scenario, window_start: int, window: int = BLOCK_SECONDS) -> Iterator[str]:
    """Text chunks for the samples in ``[window_start, window_start + window)``; nothing if empty."""
    ts = scenario.timestamps(window_start, window_start + window - 1)
    families: dict[str, list[tuple[Series, str]]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for stream in scenario.streams:
        if not ts or not alive_between(scenario, stream, ts[0], ts[-1]):
            continue
        samples = stream_samples(scenario, stream, ts)
        if not samples.ts:
            continue
        suffixes = [f" {t}\n" for t in samples.ts]
        for s, vals in samples.values.items():
            families[s.family].append((s, _format_lines(_series_prefix(s), vals, suffixes, s.unit)))
            if kinds.setdefault(s.family, s.kind) != s.kind:
                raise ValueError(f"metric family {s.family} used both as counter and histogram")
    if not families:
        return
    for family in sorted(families):
        yield f"# TYPE {family} {kinds[family]}\n"
        for _, text in sorted(families[family], key=lambda st: (st[0].name, st[0].labels)):
            yield text
    yield "# EOF\n"


def iter_write_openmetrics(scenario: Scenario, out_dir: Path, window: int = BLOCK_SECONDS) -> Iterator[Path]:
    """Write one file per non-empty window, yielding each path once it is complete.

    Lazy on purpose: an importer can consume files while later ones are written.
    Windows larger than 2h need promtool's (hidden) ``--max-block-duration``
    of at least the window, or promtool re-parses the file per 2h block.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for w in window_starts(scenario, window):
        chunks = render_window(scenario, w, window)
        first = next(chunks, None)
        if first is None:
            continue
        path = out_dir / f"synth-{w}.om"
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
            f.write(first)
            f.writelines(chunks)
        yield path


def write_openmetrics(scenario: Scenario, out_dir: Path, window: int = BLOCK_SECONDS) -> list[Path]:
    """Write all window files of ``scenario`` into ``out_dir``."""
    return list(iter_write_openmetrics(scenario, out_dir, window))
