"""The PromQL the gate sends: pure builders, each checked by parsing.

Recorded series: one query per endpoint returns every SLO's counts over every window at once.
The raw-counter fallback tags each SLO's counts with two labels of its own so that one query
per window and endpoint still answers for every SLO that needs it.
"""
from __future__ import annotations

from dataclasses import replace

from obsgen import duration, names, promql, sli_selectors
from obsgen.model import EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio
from obsgen.gate import exact

TAG_SLO = "obsgen_gate_slo"     # the SLO id a raw-counter result belongs to
TAG_PART = "obsgen_gate_part"   # "errors" | "total" | "tiles" | "newest"
TAG_WINDOW = "obsgen_gate_window"
ALERTS = "ALERTS"               # Prometheus's own series of pending and firing alerts
ERRORS, TOTAL, TILES, NEWEST, START, INEXACT = "errors", "total", "tiles", "newest", "start", "inexact"


def union(parts) -> str:
    """`a or b or ...` as a balanced tree: Prometheus evaluates a chain of n `or`s in time
    quadratic in n (each level matches the whole left side again), a balanced tree in n log n.
    The parts carry labels of their own, so the union is the same either way."""
    parts = list(parts)
    if not parts:
        return ""
    while len(parts) > 1:
        parts = [f"({parts[i]} or {parts[i + 1]})" if i + 1 < len(parts) else parts[i]
                 for i in range(0, len(parts), 2)]
    return parts[0]


def checked(expr: str) -> str:
    """The expression as written, once it parses. (The parser's canonical form is not sent:
    it prints regex escapes such as le=~"0\\.5" back unescaped.)"""
    promql.parse(expr)
    return expr


def region_matcher(regions) -> str:
    regions = sorted(regions)
    if len(regions) == 1:
        return f"{names.REGION}={promql.quote(regions[0])}"
    return f"{names.REGION}=~{promql.quote(promql.regex_alternatives(regions))}"


def recorded(windows, regions) -> str:
    """One query for everything recorded: every SLO's error and request counts over each window
    (alert windows and periods), and the SLO alerts firing (Prometheus's ALERTS series;
    recorded series have no alertstate label, which =~"|firing" lets through)."""
    wanted = [name(w) for w in windows for name in (names.errors_count, names.requests_count, names.evaluations_count)]
    pattern = promql.regex_alternatives([*wanted, ALERTS])
    return checked(promql.selector("", [f"__name__=~{promql.quote(pattern)}", 'alertstate=~"|firing"',
                                        f'{names.SLO}!=""', region_matcher(regions)]))


def coverage(windows, bases: dict[str, str]) -> str:
    """Which SLOs' recorded series cover each window at the instant: the SLO engine sums every
    window from tiles of its base window (the region's evaluation interval), zero-filling tiles
    older than the rules, so a window is covered only when the base series already existed one
    window ago. `bases` maps each region to its base window. One query for every window."""
    parts = []
    for window in sorted(set(windows), key=duration.seconds):
        for region, base in sorted(bases.items()):
            w, e = _seconds(window), _seconds(base)
            if w <= e:
                continue
            inner = promql.selector(names.requests_count(base), [region_matcher([region])])
            offset = "" if w == e else f" offset {_duration(w - e)}"
            probe = f"present_over_time({inner}[{base}]{offset})"
            parts.append(f'label_replace({probe}, "{TAG_WINDOW}", {promql.quote(window)}, "", "")')
    return checked(union(parts)) if parts else ""


def raw_counts(slos, window: str, by: tuple[str, ...], at: float, tile: str, lookback: str) -> str:
    """Errors and totals over `window` straight from each SLO's raw counters, all in one query:
    exact counts in tiles of `tile` (obsgen/gate/exact.py), and where a tile may be miscounted."""
    parts = []
    for slo in sorted(slos, key=lambda s: s.id):
        parts += _exact_parts(slo, window, by, at, tile, lookback)
    return checked(union(parts))


def _exact_parts(slo, window: str, by, at: float, tile: str, lookback: str, tagged_window: bool = False) -> list[str]:
    c = exact.counts(slo.sli, window, by, at, tile, lookback)
    w = window if tagged_window else None
    parts = [_tag(c.errors, slo.id, ERRORS, w), _tag(c.total, slo.id, TOTAL, w)]
    if c.inexact:
        parts.append(_tag(c.inexact, slo.id, INEXACT, w))
    return parts


def narrowed(sli, regions):
    """The SLI with every raw selector also matching the regions' label: on a backend shared by
    several regions (Mimir, Thanos, one Prometheus), an endpoint reads its own regions only.
    A raw expression (RawRatio) is the user's own and is left as written."""
    matcher = region_matcher(regions)
    if isinstance(sli, EventRatio):
        return replace(sli, **{f: promql.with_matcher(getattr(sli, f), matcher)
                               for f in ("total", "errors", "good") if getattr(sli, f)})
    if isinstance(sli, (LatencyThreshold, NativeLatencyThreshold)):
        return replace(sli, matchers=",".join(m for m in (sli.matchers, matcher) if m))
    return sli


def source(sli, window: str) -> str:
    """The SLI's request series as a vector: a selector over `window` for present_over_time,
    or the raw expression over `window`."""
    if isinstance(sli, EventRatio):
        return f"present_over_time({sli.total}[{window}])"
    if isinstance(sli, LatencyThreshold):
        sel = promql.selector(f"{sli.histogram}_count", [sli.matchers] if sli.matchers else [])
        return f"present_over_time({sel}[{window}])"
    if isinstance(sli, NativeLatencyThreshold):
        return f"present_over_time({sli_selectors.native_selector(sli)}[{window}])"
    assert isinstance(sli, RawRatio)
    return sli.total.replace("$window", window)


def request_selector(sli) -> str | None:
    """The selector of the SLI's request counter, None for a raw expression."""
    if isinstance(sli, EventRatio):
        return sli.total
    if isinstance(sli, LatencyThreshold):
        return promql.selector(f"{sli.histogram}_count", [sli.matchers] if sli.matchers else [])
    if isinstance(sli, NativeLatencyThreshold):
        return sli_selectors.native_selector(sli)
    return None


def _by(by: tuple[str, ...]) -> str:
    return f" by ({', '.join(by)})" if by else ""


def newest(slos, by: tuple[str, ...], lookback: str, step: str) -> str:
    """Per SLO (and region), the timestamp of the request counter's newest real sample within
    `lookback` before the instant (staleness markers are not samples). '' when no SLO has a
    selector to ask (raw expressions only)."""
    parts = []
    for slo in sorted(slos, key=lambda s: s.id):
        sel = request_selector(slo.sli)
        if sel is None:
            continue
        expr = f"max{_by(by)} (max_over_time(timestamp({sel})[{lookback}:{step}]))"
        parts.append(_tag(expr, slo.id, NEWEST))
    return union(parts)


def reaches_back(slos, by: tuple[str, ...], lookback: str) -> str:
    """Per (SLO, its longest window): present when the request counter has a sample in the
    window's first `lookback`, i.e. the raw history reaches back to the window's start.
    '' when no SLO has a request selector (raw expressions are not asked)."""
    parts = []
    for slo, window in sorted(slos, key=lambda item: item[0].id):
        sel = request_selector(slo.sli)
        if sel is None:
            continue
        back = duration.seconds(window) - duration.seconds(lookback)
        offset = f" offset {_ms(back)}" if back > 0 else ""
        parts.append(_tag(f"count{_by(by)} (present_over_time({sel}[{lookback}]{offset}))", slo.id, START, window))
    return union(parts)


def tiles_range(at: float, window: str, lookback: str) -> tuple[str, int]:
    """(subquery range, how many tiles it holds). Tiles are `lookback` long, end on multiples of
    it, and lie wholly inside the window; the range starts 1 ms before the first tile's end so
    that ranges closed (Prometheus 2) or open (3) on the left hold the same steps."""
    w, l = duration.seconds(window), duration.seconds(lookback)
    first = -(-(at - w + l) // l) * l        # the first tile end with its whole tile in the window
    if first > at:
        return "", 0
    count = int((at - first) // l) + 1
    return _ms(at - first + 0.001), count


def raw(wanted, by: tuple[str, ...], at: float, lookback: str, holes: bool = True) -> tuple[str, dict[tuple[str, str], int]]:
    """One query for the raw counters: for each (SLO, {window: tile}) in `wanted`, errors and
    totals over each window, counted exactly in tiles of the size given (obsgen/gate/exact.py),
    and where a tile may be miscounted; with `holes`, also over the longest window how many
    `lookback`-long tiles hold a sample of the request counter (a stretch with none is a hole:
    the counts cannot bridge it). Returns the expression and the tiles expected per (SLO id, window)."""
    parts, expected = [], {}
    for slo, windows in sorted(wanted, key=lambda item: item[0].id):
        for window in sorted(windows, key=duration.seconds):
            parts += _exact_parts(slo, window, by, at, windows[window], lookback, tagged_window=True)
        longest = max(windows, key=duration.seconds)
        span, count = tiles_range(at, longest, lookback) if holes else ("", 0)
        if count:
            step = _ms(duration.seconds(lookback))
            expr = f"count_over_time((count{_by(by)} ({source(slo.sli, lookback)}))[{span}:{step}])"
            parts.append(_tag(expr, slo.id, TILES, longest))
            expected[(slo.id, longest)] = count
    return checked(union(parts)), expected


def presence(slos, by: tuple[str, ...], lookback: str) -> str:
    """Per SLO (and region), 1 where the request counter has a sample within the last
    `lookback`: asked over a range (query_range, step `lookback`) it locates holes."""
    parts = [_tag(f"count{_by(by)} ({source(slo.sli, lookback)})", slo.id, TILES)
             for slo in sorted(slos, key=lambda s: s.id)]
    return checked(union(parts))


def just_under(seconds: float) -> str:
    """A range 1 ms shorter than `seconds`: (t - s, t] alike where ranges are closed on the left
    (Prometheus 2) and where they are open (3)."""
    return _ms(seconds - 0.001)


def _ms(seconds: float) -> str:
    return duration.format_ms(round(seconds * 1000))


def _tag(expr: str, slo_id: str, part: str, window: str | None = None) -> str:
    inner = f'label_replace({expr}, "{TAG_SLO}", {promql.quote(slo_id)}, "", "")'
    out = f'label_replace({inner}, "{TAG_PART}", "{part}", "", "")'
    if window is not None:
        out = f'label_replace({out}, "{TAG_WINDOW}", {promql.quote(window)}, "", "")'
    return out


def _seconds(window: str) -> int:
    return int(duration.seconds(window))


def _duration(seconds: int) -> str:
    return duration.format_seconds(seconds)
