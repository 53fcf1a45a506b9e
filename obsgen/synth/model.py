"""Typed description of synthetic traffic.

All timestamps are integer Unix seconds. A scenario's samples sit on the grid
``end - k * step`` (k = 0 .. duration/step), so an instant query at ``end`` sees
the last sample of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

Labels = tuple[tuple[str, str], ...]

DAY = 86_400
HOUR = 3_600


def normalize_labels(labels: Mapping[str, str] | Labels) -> Labels:
    pairs = labels.items() if isinstance(labels, Mapping) else labels
    return tuple(sorted((str(k), str(v)) for k, v in pairs))


@dataclass(frozen=True)
class Diurnal:
    """Daily sinusoidal swing of the request rate.

    ``peak_to_trough`` is peak rate / trough rate (1.0 = flat traffic).
    The stream's ``rate`` stays the daily mean, so the swing never changes
    how many requests a whole day holds.
    """

    peak_to_trough: float = 1.0
    peak_hour_utc: float = 14.0

    def __post_init__(self) -> None:
        if self.peak_to_trough < 1.0:
            raise ValueError("peak_to_trough must be >= 1")
        if not 0.0 <= self.peak_hour_utc < 24.0:
            raise ValueError("peak_hour_utc must be in [0, 24)")

    @property
    def amplitude(self) -> float:
        r = self.peak_to_trough
        return (r - 1.0) / (r + 1.0)


@dataclass(frozen=True)
class Latency:
    """Latency distribution of a stream, rendered as a classic histogram.

    ``shares[i]`` is the fraction of requests with latency <= ``bounds[i]``.
    The rest (1 - shares[-1]) lands only in the ``+Inf`` bucket.
    """

    histogram: str
    bounds: tuple[float, ...]
    shares: tuple[float, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds", tuple(float(b) for b in self.bounds))
        object.__setattr__(self, "shares", tuple(float(s) for s in self.shares))
        if not self.bounds or len(self.bounds) != len(self.shares):
            raise ValueError("latency needs one share per bucket bound")
        if any(b <= 0 for b in self.bounds) or list(self.bounds) != sorted(set(self.bounds)):
            raise ValueError("bucket bounds must be positive and strictly increasing")
        check_shares(self.shares)
        if self.histogram.endswith(("_bucket", "_count", "_sum", "_total")):
            raise ValueError("histogram is the family name, without a _bucket/_count/_sum suffix")


def check_shares(shares: tuple[float, ...]) -> None:
    if any(s < 0 or s > 1 for s in shares) or list(shares) != sorted(shares):
        raise ValueError("latency shares must be non-decreasing fractions in [0, 1]")


@dataclass(frozen=True)
class Incident:
    """A period with a different error ratio and/or latency distribution.

    ``None`` keeps the stream's baseline for that aspect.
    """

    start: int
    duration: int
    error_ratio: float | None = None
    latency_shares: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.duration <= 0:
            raise ValueError("incident duration must be positive")
        if self.error_ratio is not None and not 0.0 <= self.error_ratio <= 1.0:
            raise ValueError("incident error_ratio must be in [0, 1]")
        if self.latency_shares is not None:
            object.__setattr__(self, "latency_shares", tuple(float(s) for s in self.latency_shares))
            check_shares(self.latency_shares)

    @property
    def end(self) -> int:
        return self.start + self.duration

    @classmethod
    def burning(cls, start: int, duration: int, burn_rate: float, objective: float) -> "Incident":
        """An incident consuming error budget ``burn_rate`` times faster than sustainable."""
        ratio = burn_rate * (1.0 - objective)
        if ratio > 1.0:
            raise ValueError(f"burn rate {burn_rate} exceeds what objective {objective} allows")
        return cls(start=start, duration=duration, error_ratio=ratio)


@dataclass(frozen=True)
class Gap:
    """No samples for ``[start, start + duration)``; the counters keep counting."""

    start: int
    duration: int

    def __post_init__(self) -> None:
        if self.duration <= 0:
            raise ValueError("gap duration must be positive")

    def covers(self, t: int) -> bool:
        return self.start <= t < self.start + self.duration


@dataclass(frozen=True)
class OutcomeLabel:
    """Errors and successes as one counter split by a label, e.g. ``code="500"``."""

    label: str = "code"
    ok: str = "200"
    error: str = "500"


@dataclass(frozen=True)
class ErrorCounter:
    """A counter of all requests plus a separate counter of failed ones."""

    errors_name: str

    def __post_init__(self) -> None:
        if not self.errors_name.endswith("_total"):
            raise ValueError("counter names must end in _total")


@dataclass(frozen=True)
class Stream:
    """One request stream: counters (and optionally a latency histogram).

    ``rate`` is the daily mean of requests per second. ``resets`` are restart
    times: the new process started right after the previous scrape, so the
    sample at a reset time holds the events of that one step and nothing is
    lost. ``starts_at`` makes a series that appears later: its process starts
    counting from 0 then (on the grid: the first sample is 0; between two
    scrapes: the first sample holds what it counted before it). ``ends_at``:
    the process stops then, with no sample from that time on (what it counted
    after its last scrape is never seen). ``lifetime``: (requests, errors) the
    counters already hold when the process starts, a long history before the
    scenario; a reset drops it. Counters only, no latency histogram.
    """

    name: str
    labels: Labels
    rate: float
    diurnal: Diurnal = Diurnal()
    error_ratio: float = 0.0
    incidents: tuple[Incident, ...] = ()
    outcome: OutcomeLabel | ErrorCounter = OutcomeLabel()
    latency: Latency | None = None
    resets: tuple[int, ...] = ()
    gaps: tuple[Gap, ...] = ()
    starts_at: int | None = None
    ends_at: int | None = None
    lifetime: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", normalize_labels(self.labels))
        if self.lifetime is not None:
            requests, errors = self.lifetime
            if not 0 <= errors <= requests or self.latency is not None:
                raise ValueError("lifetime is (requests, errors) with 0 <= errors <= requests, counters only")
        if self.starts_at is not None and self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        object.__setattr__(self, "incidents", tuple(sorted(self.incidents, key=lambda i: i.start)))
        object.__setattr__(self, "resets", tuple(sorted(self.resets)))
        object.__setattr__(self, "gaps", tuple(self.gaps))
        if not self.name.endswith("_total"):
            raise ValueError("counter names must end in _total (OpenMetrics)")
        if self.rate < 0:
            raise ValueError("rate must be >= 0")
        if not 0.0 <= self.error_ratio <= 1.0:
            raise ValueError("error_ratio must be in [0, 1]")
        for before, after in zip(self.incidents, self.incidents[1:]):
            if after.start < before.end:
                raise ValueError("incidents of one stream must not overlap")
        reserved = {"le"} | ({self.outcome.label} if isinstance(self.outcome, OutcomeLabel) else set())
        if reserved & {k for k, _ in self.labels}:
            raise ValueError(f"stream labels must not use {sorted(reserved)}")
        for inc in self.incidents:
            if inc.latency_shares is not None and (
                self.latency is None or len(inc.latency_shares) != len(self.latency.bounds)
            ):
                raise ValueError("incident latency_shares need a stream latency with the same bounds")

    @property
    def label_dict(self) -> dict[str, str]:
        return dict(self.labels)


@dataclass(frozen=True)
class Scenario:
    """A history of ``duration`` seconds ending at ``end`` ("now"), sampled every ``step``."""

    end: int
    duration: int
    streams: tuple[Stream, ...]
    step: int = 60

    def __post_init__(self) -> None:
        object.__setattr__(self, "streams", tuple(self.streams))
        if self.step <= 0 or self.duration <= 0 or self.duration % self.step:
            raise ValueError("duration must be a positive multiple of step")
        for s in self.streams:
            times = [*s.resets, *(g.start for g in s.gaps), *(g.start + g.duration for g in s.gaps)]
            if any(not self.on_grid(t) for t in times):
                raise ValueError(f"stream {s.name}{dict(s.labels)}: resets and gaps must be on the grid")
            if s.starts_at is not None and s.starts_at < self.start:
                raise ValueError(f"stream {s.name}{dict(s.labels)}: starts_at before the history")
            if any(not self.start < r <= self.end for r in s.resets):
                raise ValueError("resets must lie in (start, end]")

    @property
    def start(self) -> int:
        return self.end - self.duration

    def on_grid(self, t: int) -> bool:
        return (t - self.end) % self.step == 0

    def timestamps(self, t0: int | None = None, t1: int | None = None) -> range:
        """Grid timestamps in ``[t0, t1]`` (clipped to the history)."""
        lo = self.start if t0 is None else max(t0, self.start)
        hi = self.end if t1 is None else min(t1, self.end)
        first = lo + (-(lo - self.end)) % self.step
        return range(first, hi + 1, self.step)


def stream(
    name: str,
    labels: Mapping[str, str] | None = None,
    **kwargs,
) -> Stream:
    """Convenience constructor taking labels as a dict."""
    return Stream(name=name, labels=normalize_labels(labels or {}), **kwargs)


__all__ = [
    "DAY",
    "HOUR",
    "Diurnal",
    "ErrorCounter",
    "Gap",
    "Incident",
    "Labels",
    "Latency",
    "OutcomeLabel",
    "Scenario",
    "Stream",
    "normalize_labels",
    "stream",
]
