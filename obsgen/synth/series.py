"""Prometheus series of a stream and their sample values."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Sequence

from obsgen.synth.cumulative import ERR, FIRST_BUCKET, OK, Timeline, build_timeline, cumulative_counts, n_buckets, sum_component
from obsgen.synth.model import ErrorCounter, Labels, Scenario, Stream

Kind = Literal["counter", "histogram"]


@dataclass(frozen=True)
class Series:
    """One output series; its value is the sum of some stream components.

    ``unit`` divides the integer value (``_sum`` is kept in integer milliseconds).
    """

    name: str
    labels: Labels
    family: str
    kind: Kind
    components: tuple[int, ...]
    unit: int = 1

    def selector(self) -> str:
        """Matches this series under Prometheus 2 and 3: 3 stores a classic histogram's whole
        bucket bound `le="1"` as "1.0"."""
        inner = ",".join(_matcher(k, v) for k, v in self.labels)
        return f"{self.name}{{{inner}}}"


def _matcher(key: str, value: str) -> str:
    if key == "le" and _whole(value):
        whole = str(int(float(value)))
        return f'le=~"{whole}|{whole}\\\\.0"'
    return f'{key}="{escape_label_value(value)}"'


def _whole(value: str) -> bool:
    try:
        return float(value).is_integer()
    except ValueError:
        return False


def escape_label_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_le(bound: float) -> str:
    """``le`` label text as Go's shortest float formatting (client_golang style)."""
    if bound == float("inf"):
        return "+Inf"
    text = repr(float(bound))
    return text[:-2] if text.endswith(".0") else text


def counter_series(stream: Stream) -> tuple[Series, ...]:
    family = stream.name.removesuffix("_total")
    out = stream.outcome
    if isinstance(out, ErrorCounter):
        return (
            Series(stream.name, stream.labels, family, "counter", (OK, ERR)),
            Series(out.errors_name, stream.labels, out.errors_name.removesuffix("_total"), "counter", (ERR,)),
        )
    return (
        Series(stream.name, stream.labels + ((out.label, out.ok),), family, "counter", (OK,)),
        Series(stream.name, stream.labels + ((out.label, out.error),), family, "counter", (ERR,)),
    )


def request_and_error_series(stream: Stream) -> tuple[tuple[Series, ...], tuple[Series, ...]]:
    """Series whose increases add up to all requests, and to failed ones."""
    series = counter_series(stream)
    if isinstance(stream.outcome, ErrorCounter):
        return (series[0],), (series[1],)
    return series, (series[1],)


def histogram_series(stream: Stream) -> tuple[Series, ...]:
    lat = stream.latency
    if lat is None:
        return ()
    h = lat.histogram
    buckets = range(FIRST_BUCKET, FIRST_BUCKET + n_buckets(lat))
    series = [
        Series(f"{h}_bucket", stream.labels + (("le", format_le(b)),), h, "histogram", tuple(buckets[: i + 1]))
        for i, b in enumerate(lat.bounds)
    ]
    series.append(Series(f"{h}_bucket", stream.labels + (("le", "+Inf"),), h, "histogram", tuple(buckets)))
    series.append(Series(f"{h}_count", stream.labels, h, "histogram", tuple(buckets)))
    series.append(Series(f"{h}_sum", stream.labels, h, "histogram", (sum_component(stream),), unit=1000))
    return tuple(series)


def bucket_series(stream: Stream, le: float) -> Series:
    wanted = format_le(le)
    for s in histogram_series(stream):
        if s.name.endswith("_bucket") and dict(s.labels)["le"] == wanted:
            return s
    raise ValueError(f"stream {stream.name}{dict(stream.labels)} has no bucket le={wanted}")


def histogram_count_series(stream: Stream) -> Series:
    for s in histogram_series(stream):
        if s.name.endswith("_count"):
            return s
    raise ValueError(f"stream {stream.name}{dict(stream.labels)} has no latency histogram")


@lru_cache(maxsize=None)
def all_series(stream: Stream) -> tuple[Series, ...]:
    return counter_series(stream) + histogram_series(stream)


@lru_cache(maxsize=4096)
def timeline(stream: Stream, origin: int) -> Timeline:
    return build_timeline(stream, origin)


@dataclass(frozen=True)
class StreamSamples:
    """Visible samples of a stream's series at grid timestamps ``ts``.

    ``origins[i]`` is when the counters shown at ``ts[i]`` last started from 0.
    """

    ts: tuple[int, ...]
    origins: tuple[int, ...]
    values: dict[Series, list[int]]


def first_origin(scenario: Scenario, stream: Stream) -> int:
    return scenario.start if stream.starts_at is None else max(scenario.start, stream.starts_at)


def origin_at(scenario: Scenario, stream: Stream, t: int) -> int:
    """Restarts happen right after the scrape preceding the reset time."""
    origin = first_origin(scenario, stream)
    for r in stream.resets:
        if r > t:
            break
        origin = max(origin, r - scenario.step)
    return origin


def visible(scenario: Scenario, stream: Stream, t: int) -> bool:
    return first_origin(scenario, stream) <= t and (stream.ends_at is None or t < stream.ends_at) \
        and not any(g.covers(t) for g in stream.gaps)


def alive_between(scenario: Scenario, stream: Stream, t0: int, t1: int) -> bool:
    """Whether the stream can have a sample in [t0, t1] (a cheap test before any work)."""
    return first_origin(scenario, stream) <= t1 and (stream.ends_at is None or t0 < stream.ends_at)


def _visible_with_origins(scenario: Scenario, stream: Stream, ts: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    start = first_origin(scenario, stream)
    shown = tuple(ts)
    if shown and (shown[0] < start or stream.gaps or (stream.ends_at is not None and shown[-1] >= stream.ends_at)):
        shown = tuple(t for t in shown if visible(scenario, stream, t))
    if not shown or not stream.resets or stream.resets[0] > shown[-1]:
        return shown, (start,) * len(shown)
    return shown, tuple(origin_at(scenario, stream, t) for t in shown)


def stream_samples(scenario: Scenario, stream: Stream, ts: Sequence[int], series: Sequence[Series] | None = None) -> StreamSamples:
    """Values of ``series`` (default: all) at the visible timestamps among sorted grid ``ts``."""
    shown, origins = _visible_with_origins(scenario, stream, ts)
    tl = timeline(stream, scenario.start)
    cols = cumulative_counts(tl, shown)
    distinct = sorted(set(origins))
    if distinct == [tl.origin]:
        rel = cols  # every count is 0 at the timeline origin
    elif len(distinct) == 1:
        base = [col[0] for col in cumulative_counts(tl, distinct)]
        rel = [[v - b for v in col] for col, b in zip(cols, base)]
    else:
        at_origin = dict(zip(distinct, zip(*cumulative_counts(tl, distinct))))
        rel = [[v - at_origin[o][c] for v, o in zip(col, origins)] for c, col in enumerate(cols)]
    if stream.lifetime is not None:
        rel = _with_lifetime(stream, rel, origins, first_origin(scenario, stream))
    sums: dict[tuple[int, ...], list[int]] = {(c,): col for c, col in enumerate(rel)}
    values = {s: _component_sum(sums, s.components) for s in (series or all_series(stream))}
    return StreamSamples(ts=shown, origins=origins, values=values)


def _with_lifetime(stream: Stream, rel: list[list[int]], origins: Sequence[int], first: int) -> list[list[int]]:
    """Add what the counters held before the process started, until its first reset."""
    requests, errors = stream.lifetime
    held = {OK: requests - errors, ERR: errors}
    return [[v + held[c] if o == first else v for v, o in zip(col, origins)] if c in held else col
            for c, col in enumerate(rel)]


def _component_sum(cache: dict[tuple[int, ...], list[int]], comps: tuple[int, ...]) -> list[int]:
    # Cumulative le buckets share prefixes; memoising prefixes keeps this linear.
    if comps not in cache:
        head = _component_sum(cache, comps[:-1])
        cache[comps] = [a + b for a, b in zip(head, cache[(comps[-1],)])]
    return cache[comps]
