"""The demo's synthetic history of one region, derived from the SLOs that apply there (pure).

Each SLO's SLI names its series (traffic.py); SLOs reading the same labels share one stream
(the API's requests carry both the availability counter and the latency histogram). Every
stream runs twice: the stable track and a small, worse canary track.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from obsgen.demo import story
from obsgen.demo.traffic import Counter, Histogram, Underivable, part_of
from obsgen.model import Estate, Region, applies
from obsgen.synth.model import Diurnal, Incident, Latency, Scenario, Stream


@dataclass
class _Spec:
    """One stream being assembled: a counter and optionally a histogram on the same labels."""

    labels: tuple[tuple[str, str], ...]
    counter: Counter | None = None
    counter_budget: float = 0.0
    histogram: Histogram | None = None
    histogram_budget: float = 0.0
    slos: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RegionHistory:
    region: str
    role: story.Role
    scenario: Scenario
    slos: tuple[str, ...]            # SLO ids whose series are synthesized
    skipped: tuple[str, ...] = ()    # one line each: SLOs whose series could not be derived


def histories(estate: Estate, end: int, duration: int = story.HISTORY, step: int = story.STEP) -> tuple[RegionHistory, ...]:
    return tuple(region_history(estate, region, story.role_of(i), end, duration, step)
                 for i, region in enumerate(estate.regions))


def region_history(estate: Estate, region: Region, role: story.Role, end: int,
                   duration: int = story.HISTORY, step: int = story.STEP) -> RegionHistory:
    specs: list[_Spec] = []
    skipped = []
    for slo in sorted((s for s in estate.slos if applies(s, region)), key=lambda s: s.id):
        try:
            part = part_of(slo)
            _place(specs, part, slo.error_budget_in(region.name), slo.id)
        except Underivable as exc:
            skipped.append(str(exc))
    diurnal = Diurnal(story.PEAK_TO_TROUGH, _peak_hour_utc(region.timezone, end))
    streams = []
    for spec in specs:
        for track in (story.BASELINE, story.CANARY):
            streams.append(_stream(spec, track, role, diurnal, end))
    scenario = Scenario(end=end, duration=duration, streams=tuple(streams), step=step)
    return RegionHistory(region.name, role, scenario,
                         tuple(sorted(i for s in specs for i in s.slos)), tuple(skipped))


def _place(specs: list[_Spec], part, budget: float, slo_id: str) -> None:
    for spec in specs:
        if spec.labels != part.labels:
            continue
        if isinstance(part, Counter) and spec.counter is None:
            spec.counter, spec.counter_budget = part, budget
            spec.slos.append(slo_id)
            return
        if isinstance(part, Histogram) and spec.histogram is None:
            spec.histogram, spec.histogram_budget = part, budget
            spec.slos.append(slo_id)
            return
        if isinstance(part, Histogram) and spec.histogram.family == part.family:
            raise Underivable(f"{slo_id}: a second latency threshold on {part.family} with the same labels")
    spec = _Spec(part.labels, slos=[slo_id])
    if isinstance(part, Counter):
        spec.counter, spec.counter_budget = part, budget
    else:
        spec.histogram, spec.histogram_budget = part, budget
    specs.append(spec)


def _stream(spec: _Spec, track: str, role: story.Role, diurnal: Diurnal, end: int) -> Stream:
    worse = story.CANARY_WORSE if track == story.CANARY else 1.0
    rate = story.RATE * (story.CANARY_SHARE if track == story.CANARY else 1.0)
    labels = (*spec.labels, (story.TRACK_LABEL, track))
    counter, histogram = spec.counter, spec.histogram
    kwargs = {}
    if counter is not None:
        kwargs["outcome"] = counter.outcome
        kwargs["error_ratio"] = _synth_ratio(counter, story.BASELINE_BURN * spec.counter_budget * worse)
    if histogram is not None:
        kwargs["latency"] = _latency(histogram, story.BASELINE_BURN * spec.histogram_budget * worse)
    if role.burn is not None:
        burn = role.burn
        kwargs["incidents"] = (Incident(
            start=end - burn.ago, duration=burn.duration,
            error_ratio=None if counter is None else _synth_ratio(counter, burn.burn_rate * spec.counter_budget * worse),
            latency_shares=None if histogram is None else
            _latency(histogram, burn.burn_rate * spec.histogram_budget * worse).shares),)
    name = counter.name if counter is not None else f"{histogram.family}_events_total"
    return Stream(name=name, labels=labels, rate=rate, diurnal=diurnal, **kwargs)


def _synth_ratio(counter: Counter, bad: float) -> float:
    """The synth stream's error ratio: the bad share, or the good one when the separate counter
    counts successes."""
    bad = min(bad, 1.0)
    return round(1.0 - bad, 12) if counter.inverted else bad


def _latency(histogram: Histogram, bad: float) -> Latency:
    """P(latency > b) = bad x (threshold / b)^TAIL, capped at 1: exactly `bad` above the SLO's
    threshold, and a tail whose 95th percentile moves with it (the canary's p95 is slower)."""
    t = histogram.threshold
    bounds = tuple(t * f for f in story.BOUNDS)
    shares = tuple(round(1.0 - min(1.0, bad * (t / b) ** story.TAIL), 12) for b in bounds)
    return Latency(histogram.family, bounds, shares)


def _peak_hour_utc(tz: str, at: int) -> float:
    offset = datetime.fromtimestamp(at, timezone.utc).astimezone(ZoneInfo(tz)).utcoffset()
    return (story.PEAK_HOUR_LOCAL - offset.total_seconds() / 3600) % 24


def with_duration(history: RegionHistory, duration: int) -> RegionHistory:
    return replace(history, scenario=replace(history.scenario, duration=duration))
