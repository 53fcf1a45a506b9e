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
from obsgen.synth.series import Series, escape_label_value, stream_samples

BLOCK_SECONDS = 2 * HOUR


def window_starts(scenario: Scenario) -> range:
    """Starts of the epoch-aligned 2h windows that hold the history."""
    first = scenario.start - scenario.start % BLOCK_SECONDS
    return range(first, scenario.end + 1, BLOCK_SECONDS)


def _series_prefix(s: Series) -> str:
    if not s.labels:
        return s.name + " "
    inner = ",".join(f'{k}="{escape_label_value(v)}"' for k, v in s.labels)
    return f"{s.name}{{{inner}}} "


def _format_values(values: list[int], unit: int) -> list[str]:
    if unit == 1:
        return [str(v) for v in values]
    if unit != 1000:
        raise ValueError(f"unsupported unit {unit}")
    return [f"{v // 1000}.{v % 1000:03d}" for v in values]


def render_window(scenario: Scenario, window_start: int) -> Iterator[str]:
    """Text chunks for the samples in ``[window_start, window_start + 2h)``; nothing if empty."""
    ts = scenario.timestamps(window_start, window_start + BLOCK_SECONDS - 1)
    families: dict[str, list[tuple[Series, list[str]]]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for stream in scenario.streams:
        samples = stream_samples(scenario, stream, ts)
        if not samples.ts:
            continue
        suffixes = [f" {t}\n" for t in samples.ts]
        for s, vals in samples.values.items():
            prefix = _series_prefix(s)
            lines = [prefix + v + suffix for v, suffix in zip(_format_values(vals, s.unit), suffixes)]
            families[s.family].append((s, lines))
            if kinds.setdefault(s.family, s.kind) != s.kind:
                raise ValueError(f"metric family {s.family} used both as counter and histogram")
    if not families:
        return
    for family in sorted(families):
        yield f"# TYPE {family} {kinds[family]}\n"
        for _, lines in sorted(families[family], key=lambda sl: (sl[0].name, sl[0].labels)):
            yield "".join(lines)
    yield "# EOF\n"


def iter_write_openmetrics(scenario: Scenario, out_dir: Path) -> Iterator[Path]:
    """Write one file per non-empty 2h window, yielding each path once it is complete.

    Lazy on purpose: an importer can consume files while later ones are written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for w in window_starts(scenario):
        chunks = render_window(scenario, w)
        first = next(chunks, None)
        if first is None:
            continue
        path = out_dir / f"synth-{w}.om"
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
            f.write(first)
            f.writelines(chunks)
        yield path


def write_openmetrics(scenario: Scenario, out_dir: Path) -> list[Path]:
    """Write all window files of ``scenario`` into ``out_dir``."""
    return list(iter_write_openmetrics(scenario, out_dir))
