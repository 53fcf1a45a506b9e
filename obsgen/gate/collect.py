"""Read what one endpoint knows about the SLOs of the regions it serves: few queries, no maths.

1. One query reads, for every SLO and window, the recorded error and request counts and how many
   base evaluations they hold (the SLO engine's `slo:sli_evaluations:count<w>`), every firing SLO
   alert, and the timestamp of each SLO's newest raw sample (freshness).
2. Every (SLO, region, window) whose recorded series are not whole (fewer evaluations than the
   window holds, no recorded series, no evaluations count) is read from the raw counters: one
   query for all of them, which also counts how many look-back-long tiles of the longest such
   window hold a raw sample.
3. Only when a tile is empty: one range query locates the holes (from, to) the raw counters
   cannot bridge.

An answer that lacks a series it must hold (an error count beside its request count, one
window's count beside the others) is a partial answer: the SLO cannot be evaluated.
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from obsgen import duration, names
from obsgen.gate import exact, queries
from obsgen.gate.http import Client
from obsgen.gate.result import NO_SOURCE, RAW, RECORDED, FiringAlert, Hole
from obsgen.gate.windows import seconds
from obsgen.model import applies

Key = tuple[str, str]   # (SLO id, region)
DEFAULT_LOOKBACK = "1h"
RAW_PAIRS = 100         # SLO x region pairs per raw-counter query (counted as one tile per window)
RAW_PARALLEL = 2        # raw-counter queries in flight at once, per endpoint


@dataclass
class Facts:
    """What was read for one SLO in one region: error and request counts per window (every
    alert window and the period), where each came from, the SLO alerts firing, and what was
    not whole (recorded shortfalls, holes, missing series) and how fresh the raw data is."""

    period: str = "30d"
    counts: dict[str, tuple[float | None, float | None, str]] = field(default_factory=dict)   # window -> (errors, requests, source)
    firing: list[FiringAlert] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)   # windows the recorded series do not hold whole
    shortfall: dict[str, str] = field(default_factory=dict)   # window -> why the recorded counts were not used
    holes: list[Hole] = field(default_factory=list)      # stretches neither source covers
    partial: list[str] = field(default_factory=list)     # series the answer lacked
    newest: float | None = None                          # newest raw sample (Unix seconds)
    freshness_known: bool = False                        # the SLI has a request selector to ask
    reaches_back: bool = False                           # raw samples in the first look-back of the longest window

    @property
    def errors(self) -> float | None:
        return self.counts.get(self.period, (None, None, NO_SOURCE))[0]

    @property
    def requests(self) -> float | None:
        return self.counts.get(self.period, (None, None, NO_SOURCE))[1]

    @property
    def period_source(self) -> str:
        return self.counts.get(self.period, (None, None, NO_SOURCE))[2]

    @property
    def ratios(self) -> dict[str, tuple[float | None, str]]:
        """window -> (error ratio, source); None where no request was counted."""
        return {w: ((e or 0.0) / r if r else None, src) for w, (e, r, src) in self.counts.items()}

    def has(self, window: str) -> bool:
        return self.counts.get(window, (None, None, NO_SOURCE))[2] != NO_SOURCE

    def holes_in(self, window: str) -> list[Hole]:
        return [h for h in self.holes if h.window == window]


def collect(client: Client, slos, regions, at: float) -> dict[Key, Facts]:
    """`regions`: the Region objects this endpoint answers for. Raises QueryError."""
    wanted = {(s.id, r.name): s for s in slos for r in regions if applies(s, r)}
    facts: dict[Key, Facts] = {key: Facts(period=slo.period) for key, slo in wanted.items()}
    if not facts:
        return facts
    ep = client.endpoint
    by_region = ep.thanos or ep.region_label or ep.region is None or len(regions) > 1
    by = (names.REGION,) if by_region else ()
    region_names = sorted(r.name for r in regions)
    only_region = None if by_region else region_names[0]
    evaluation = {r.name: seconds(r.evaluation_interval) for r in regions}
    step, lookback = tiling(regions)
    in_scope = sorted({s.id: s for s in wanted.values()}.values(), key=lambda s: s.id)
    asked = [_narrow(s, region_names, by_region) for s in in_scope]

    read = _read_recorded(client, wanted, facts, in_scope, asked, region_names, by, only_region, lookback, step, at)
    for key, f in facts.items():
        _judge_recorded(f, wanted[key], evaluation[key[1]], read.get(key, {}))
    _read_raw(client, wanted, facts, asked, by, only_region, lookback, step, at)
    return facts


def tiling(regions) -> tuple[str, str]:
    """(step, look-back) of the raw counts over the regions an endpoint serves: the shortest
    evaluation interval (the SLO engine's base window) and the longest counter look-back."""
    lookback = max((getattr(r, "counter_lookback", DEFAULT_LOOKBACK) or DEFAULT_LOOKBACK for r in regions),
                   key=seconds)
    return duration.format_seconds(min(seconds(r.evaluation_interval) for r in regions)), lookback


def windows_of(slo) -> tuple[str, ...]:
    """Every window the gate reads for an SLO: its alert windows and its period."""
    return tuple(sorted({*slo.alert_windows, slo.period}, key=seconds))


# --- 1. the recorded series, the alerts and freshness: one query ------------------------------
_Read = dict   # window -> [errors, requests, evaluations]


def _read_recorded(client, wanted, facts, in_scope, asked, region_names, by, only_region, lookback, step,
                   at) -> dict[Key, _Read]:
    windows = sorted({w for s in in_scope for w in windows_of(s)}, key=seconds)
    parts = {}
    for w in windows:
        parts[names.errors_count(w)] = (w, 0)
        parts[names.requests_count(w)] = (w, 1)
        parts[names.evaluations_count(w)] = (w, 2)
    expr = queries.recorded(windows, region_names)
    fresh = queries.newest(asked, by, lookback, step)
    back = queries.reaches_back([(s, windows_of(s)[-1]) for s in asked], by, lookback)
    expr = queries.checked(queries.union([expr, *(extra for extra in (fresh, back) if extra)]))
    index = _Index(wanted.values())
    ids = {s.id for s in in_scope}
    read: dict[Key, _Read] = {}
    for sample in client.query(expr, at):
        labels = sample.labels
        part = labels.get(queries.TAG_PART)
        if part in (queries.NEWEST, queries.START):
            key = (labels.get(queries.TAG_SLO), labels.get(names.REGION) if by else only_region)
            if key in facts and labels.get(queries.TAG_SLO) in ids:
                if part == queries.NEWEST:
                    facts[key].newest = _finite(sample.value)
                else:
                    facts[key].reaches_back = True
            continue
        key = index.key(labels)
        if key not in facts:
            continue
        name = labels.get("__name__")
        if name == queries.ALERTS:
            facts[key].firing.append(_firing(wanted[key], labels))
        elif name in parts:
            window, i = parts[name]
            read.setdefault(key, {}).setdefault(window, [None, None, None])[i] = _finite(sample.value)
    for key, f in facts.items():
        f.firing.sort(key=lambda a: (a.alertname, a.severity, a.window or ""))
        f.freshness_known = queries.request_selector(wanted[key].sli) is not None
        if not f.freshness_known:
            f.reaches_back = True   # a raw expression is not asked; its tiles still are
    return read


def _judge_recorded(f: Facts, slo, base_seconds: float, read: _Read) -> None:
    """Keep the recorded counts of each window that holds every base evaluation; the others go
    to the raw counters. A series missing beside its siblings is a partial answer."""
    mine = windows_of(slo)
    if not read:
        for w in mine:
            f.shortfall[w] = "no recorded series"
        return
    has_evaluations = any(v[2] is not None for v in read.values())
    for w in mine:
        errors, requests, evaluations = read.get(w, [None, None, None])
        missing = [name(w) for name, v in ((names.errors_count, errors), (names.requests_count, requests))
                   if v is None]
        if has_evaluations and evaluations is None:
            missing.append(names.evaluations_count(w))
        if missing:
            f.partial.extend(missing)
            continue
        if not has_evaluations:
            f.shortfall[w] = "the recorded series carry no evaluations count (rules older than the gate)"
            continue
        whole = seconds(w) / base_seconds
        if abs(evaluations - whole) > 1e-6:
            f.shortfall[w] = (f"recorded series hold {evaluations:.0f} of the {whole:.0f} evaluations of {w}"
                              f" ({1 - evaluations / whole:.1%} missing)")
            continue
        f.counts[w] = (errors, requests, RECORDED)
    f.uncovered = sorted(f.shortfall, key=seconds)


# --- 2. the raw counters for what the recorded series did not hold: one query (two or three
# when a count must be made in finer tiles) ----------------------------------------------------
def _read_raw(client, wanted, facts, asked, by, only_region, lookback, step, at) -> None:
    by_id = {s.id: s for s in asked}
    need: dict[str, set[str]] = {}
    for key, f in facts.items():
        if f.shortfall and not f.partial:
            need.setdefault(key[0], set()).update(f.shortfall)
    # Whole recorded windows, but the raw history does not reach back to the longest window's
    # start (a new service, a short retention): locate where the data begins.
    young = [key for key, f in facts.items() if not f.partial and not f.shortfall and f.counts and not f.reaches_back]
    if not need:
        if young:
            _locate(client, wanted, facts, young, by_id, by, only_region, lookback, at)
        return
    got: dict[Key, dict[tuple[str, str], float | None]] = {}
    expected: dict[tuple[str, str], int] = {}
    # Each window is counted as one tile first; a window where a tile may be miscounted (resets)
    # is counted again in finer tiles (obsgen/gate/exact.py): one more query, only then.
    level = {(slo_id, w): 0 for slo_id, ws in need.items() for w in ws}
    todo, first = dict(level), True
    while todo:
        ids = sorted({slo_id for slo_id, _ in todo})
        for (slo_id, w) in todo:
            for key in got:
                if key[0] == slo_id:
                    for part in (queries.ERRORS, queries.TOTAL, queries.INEXACT):
                        got[key].pop((part, w), None)
        inexact: set[tuple[str, str]] = set()
        # A query's time grows with the SLO x region pairs it counts: a bounded share per query
        # keeps each well inside the default timeout (finer tiles cost more), two at a time.
        size = max(1, RAW_PAIRS // (len(regions_of(facts, ids)) * (1 if first else 4)))
        chunks = [ids[i:i + size] for i in range(0, len(ids), size)]

        def one(chunk, holes=first, todo=todo):
            wanted_tiles = [(by_id[j], {w: exact.tiles(w, step)[lvl] for (k, w), lvl in todo.items() if k == j})
                            for j in chunk]
            expr, tiles = queries.raw(wanted_tiles, by, at, lookback, holes=holes)
            return tiles, client.query(expr, at)

        with ThreadPoolExecutor(max_workers=RAW_PARALLEL) as pool:
            answers = list(pool.map(one, chunks))
        for tiles, samples in answers:
            expected.update(tiles)
            for sample in samples:
                labels = sample.labels
                key = (labels.get(queries.TAG_SLO), labels.get(names.REGION) if by else only_region)
                part, window = labels.get(queries.TAG_PART), labels.get(queries.TAG_WINDOW)
                if key in facts and part and window:
                    got.setdefault(key, {})[(part, window)] = _finite(sample.value)
                    if part == queries.INEXACT:
                        inexact.add((key[0], window))
        todo, first = {}, False
        for slo_id, w in sorted(inexact):
            if level[(slo_id, w)] + 1 < len(exact.tiles(w, step)):
                level[(slo_id, w)] += 1
                todo[(slo_id, w)] = level[(slo_id, w)]
    holey = []
    for key, f in facts.items():
        if key[0] not in need or not f.shortfall or f.partial:
            continue
        mine = got.get(key, {})
        for w in sorted(f.shortfall, key=seconds):
            errors, total = mine.get((queries.ERRORS, w)), mine.get((queries.TOTAL, w))
            if total is None and errors is not None:
                f.partial.append(f"raw request count over {w}")
            elif total is not None and errors is None:
                f.partial.append(f"raw error count over {w}")
            elif total is not None:
                f.counts[w] = (errors, total, RAW)
        longest = max(need[key[0]], key=seconds)
        tiles = mine.get((queries.TILES, longest)) or 0
        if any(mine.get((queries.TOTAL, w)) is not None for w in f.shortfall) and tiles < expected.get((key[0], longest), 0):
            holey.append(key)
    holey += [key for key in young if key not in holey]
    for key, f in facts.items():
        if f.counts and not f.partial and not f.reaches_back and key not in holey:
            holey.append(key)
    if holey:
        _locate(client, wanted, facts, holey, by_id, by, only_region, lookback, at)


# --- 3. where the raw counters have holes: one range query, only when a tile is empty ---------
MAX_POINTS = 10_000   # Prometheus refuses range queries of more than 11,000 points per series


def _locate(client, wanted, facts, holey, by_id, by, only_region, lookback, at) -> None:
    """Per step s (the evaluation interval, coarser for long windows), whether the request
    counter has a sample in (t - s, t]; runs of steps without one, as long as the look-back or
    longer, are holes (shorter ones the counters bridge)."""
    l = seconds(lookback)
    longest = max((seconds(windows_of(wanted[k])[-1]) for k in holey))
    s = max(60.0, -(-longest / MAX_POINTS // 60) * 60)
    first = -(-(at - longest + s) // s) * s
    slos = sorted({k[0]: by_id[k[0]] for k in holey}.values(), key=lambda x: x.id)
    present: dict[Key, set[int]] = {}
    for series in client.query_range(queries.presence(slos, by, queries.just_under(s)), first, at, s):
        labels = series.labels
        key = (labels.get(queries.TAG_SLO), labels.get(names.REGION) if by else only_region)
        present.setdefault(key, set()).update(round(t) for t, v in series.points if v == v and v > 0)
    steps = []
    t = first
    while t <= at + 1e-6:
        steps.append(t)
        t += s
    for key in holey:
        f = facts[key]
        have = present.get(key, set())
        if not have:
            # Not one raw sample over the window: no data (recorded zeros say nothing).
            f.counts.clear()
            continue
        stretches: list[list[float]] = []
        for t in steps:
            if round(t) in have:
                continue
            if stretches and abs(stretches[-1][1] + s - t) < 1e-6:
                stretches[-1][1] = t
            else:
                stretches.append([t - s, t])
        for w in windows_of(wanted[key]):
            if not f.has(w):
                continue
            start_w = at - seconds(w)
            for lo, hi in stretches:
                at_start = lo <= first - s + 1e-6   # from where the look began: no older data
                lo2, hi2 = (start_w if at_start else max(lo, start_w)), min(hi, at)
                if hi2 <= lo2 or (hi - lo < l and not at_start):
                    continue
                f.holes.append(Hole(window=w, start=lo2, end=hi2, share=(hi2 - lo2) / seconds(w), at_start=at_start))


def regions_of(facts, ids) -> set[str]:
    wanted = set(ids)
    return {region for slo_id, region in facts if slo_id in wanted} or {""}


def _narrow(slo, region_names, by_region: bool):
    """On a backend holding several regions, the raw selectors read the endpoint's own only."""
    if not by_region:
        return slo
    from dataclasses import replace

    return replace(slo, sli=queries.narrowed(slo.sli, region_names))


class _Index:
    """Find the SLO a series belongs to from its {slo, service, region} labels."""

    def __init__(self, slos):
        self._by = {}
        for slo in slos:
            self._by[(slo.service, slo.name)] = slo.id
            self._by[(slo.service, slo.id)] = slo.id

    def key(self, labels) -> Key | None:
        slo_id = self._by.get((labels.get(names.SERVICE, ""), labels.get(names.SLO, "")))
        region = labels.get(names.REGION)
        return (slo_id, region) if slo_id and region else None


def _firing(slo, labels) -> FiringAlert:
    severity = labels.get(names.SEVERITY, "")
    window = labels.get(names.WINDOW)
    tiers = {bw.tier for bw in slo.burn_windows if bw.severity == severity and (window is None or bw.long == window)}
    tier = labels.get(names.TIER) or (tiers.pop() if len(tiers) == 1 else None)
    return FiringAlert(alertname=labels.get("alertname", ""), severity=severity, tier=tier, window=window)


def _finite(value) -> float | None:
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return float(value)
