"""Canary mode: the canary against its baseline over a stage's window, with the stage's criteria
(seed 5.3), absolute and relative, from the raw counters split by the canary label.

Two queries per endpoint: every SLO's error and request counts by track, and the p95 latency
of every latency SLO by track. Fewer events than the policy's minimum on either side is
cannot-evaluate, never pass.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from obsgen import names, promql
from obsgen.gate import exact, queries
from obsgen.gate.collect import tiling
from obsgen.gate.evaluate import Selection, overall, policy_of
from obsgen.gate.http import Client, QueryError
from obsgen.gate.result import (CANNOT_EVALUATE, FAIL, PASS, WARN, CanaryCheck, CanaryResult,
                                EndpointProblem, Evaluation, RequestLog, worst)
from obsgen.model import LatencyThreshold, applies
from obsgen.model.release import Canary, CanaryStage


class CanaryStageError(Exception):
    """An unknown stage named on the command line (exit 2)."""


def evaluate_canary(estate, plan, at: float, stage_name: str, *, selection: Selection = Selection(),
                    clock: Callable[[], float] = time.monotonic, progress=None, policy=None,
                    make_client=Client) -> Evaluation:
    started = clock()
    policy = policy or policy_of(estate)
    canary = policy.canary
    try:
        stage = canary.stage(stage_name)
    except KeyError:
        known = ", ".join(s.name for s in canary.stages)
        raise CanaryStageError(f"unknown canary stage {stage_name!r} (stages: {known})") from None
    regions, slos = selection.choose(estate)
    chosen = {r.name for r in regions}
    progress = progress or (lambda endpoint, state, count: None)
    logs: list[RequestLog] = []
    lock = threading.Lock()

    def record(entry):
        with lock:
            logs.append(entry)

    results, problems = [], []
    for endpoint, served in plan:
        served = tuple(r for r in served if r.name in chosen)
        wanted = [(s, r) for r in served for s in slos if applies(s, r)]
        if not wanted:
            continue
        progress(endpoint.name, "querying", 0)
        client = make_client(endpoint, clock=clock, on_request=record)
        by_region = endpoint.thanos or endpoint.region_label or endpoint.region is None or len(served) > 1
        try:
            figures = _read(client, canary, stage, [s for s in slos if any(applies(s, r) for r in served)],
                            at, by_region, endpoint.region, served)
            progress(endpoint.name, "done", len(logs))
        except QueryError as exc:
            progress(endpoint.name, f"{exc.outcome}: {exc.message}", len(logs))
            problems.append(EndpointProblem(endpoint.name, exc.outcome, exc.message))
            figures = None
        finally:
            client.close()
        for slo, region in wanted:
            if figures is None:
                results.append(_result(canary, stage, slo, region.name, at, endpoint.name, {}, {},
                                       f"{problems[-1].outcome}: {problems[-1].message}"))
            else:
                counts, p95 = figures
                results.append(_result(canary, stage, slo, region.name, at, endpoint.name,
                                       counts.get((slo.id, region.name), {}), p95.get((slo.id, region.name), {})))
    results.sort(key=lambda c: (c.region, c.slo_id))
    decision, reason = overall((), problems, results)
    return Evaluation(mode="canary", at=at, results=(), canaries=tuple(results), decision=decision, reason=reason,
                      requests=tuple(logs), problems=tuple(problems), regions=tuple(sorted(chosen)),
                      policy=policy.name, wall_seconds=clock() - started)


def _read(client, canary: Canary, stage: CanaryStage, slos, at, by_region: bool, only_region, regions):
    """({(slo, region): {track: (errors, total)}}, {(slo, region): {track: p95 seconds}})."""
    by = (canary.label, names.REGION) if by_region else (canary.label,)
    step, lookback = tiling(regions)
    counts: dict = {}
    # One tile per window first; SLOs where a tile may be miscounted (resets) again in finer ones.
    todo = list(slos)
    for tile in exact.tiles(stage.window, step):
        inexact = set()
        for key in [k for k in counts if k[0] in {s.id for s in todo}]:
            del counts[key]
        for sample in client.query(queries.raw_counts(todo, stage.window, by, at, tile, lookback), at):
            key, track = _where(sample.labels, canary, by_region, only_region)
            part = sample.labels.get(queries.TAG_PART)
            if part == queries.INEXACT:
                inexact.add(sample.labels.get(queries.TAG_SLO))
            elif key and track and part:
                errors, total = counts.setdefault(key, {}).get(track, (None, None))
                if part == queries.ERRORS:
                    errors = sample.value
                else:
                    total = sample.value
                counts[key][track] = (errors, total)
        todo = [s for s in todo if s.id in inexact]
        if not todo:
            break
    latency = [s for s in slos if isinstance(s.sli, LatencyThreshold)]
    p95: dict = {}
    if latency:
        for sample in client.query(p95_query(latency, stage.window, by), at):
            key, track = _where(sample.labels, canary, by_region, only_region)
            if key and track and sample.value == sample.value:   # NaN: no requests
                p95.setdefault(key, {})[track] = sample.value
    return counts, p95


def p95_query(slos, window: str, by: tuple[str, ...]) -> str:
    parts = []
    grouping = ", ".join(("le", *by))
    for slo in sorted(slos, key=lambda s: s.id):
        sli = slo.sli
        selector = promql.selector(f"{sli.histogram}_bucket", [sli.matchers] if sli.matchers else [])
        inner = f"histogram_quantile(0.95, sum by ({grouping}) (rate({selector}[{window}])))"
        parts.append(f'label_replace({inner}, "{queries.TAG_SLO}", {promql.quote(slo.id)}, "", "")')
    return queries.checked(" or ".join(parts))


def _where(labels, canary: Canary, by_region: bool, only_region):
    track = labels.get(canary.label)
    if track not in (canary.canary, canary.baseline):
        return None, None
    region = labels.get(names.REGION) if by_region else only_region
    slo_id = labels.get(queries.TAG_SLO)
    return ((slo_id, region) if slo_id and region else None), track


def _result(canary: Canary, stage: CanaryStage, slo, region: str, at: float, endpoint: str,
            counts: dict, p95: dict, unreadable: str | None = None) -> CanaryResult:
    c_err, c_tot = counts.get(canary.canary, (None, None))
    b_err, b_tot = counts.get(canary.baseline, (None, None))
    c_rate = (c_err or 0.0) / c_tot if c_tot else None
    b_rate = (b_err or 0.0) / b_tot if b_tot else None
    latency = isinstance(slo.sli, LatencyThreshold)
    base = dict(slo_id=slo.id, service=slo.service, region=region, stage=stage.name, window=stage.window, at=at,
                canary_selector=f'{canary.label}="{canary.canary}"',
                baseline_selector=f'{canary.label}="{canary.baseline}"',
                canary_events=c_tot, baseline_events=b_tot, canary_error_rate=c_rate, baseline_error_rate=b_rate,
                canary_p95=p95.get(canary.canary), baseline_p95=p95.get(canary.baseline), endpoint=endpoint)
    if unreadable:
        return CanaryResult(**base, checks=(), decision=CANNOT_EVALUATE, reason=unreadable)
    few = [(side, n) for side, n in ((canary.canary, c_tot), (canary.baseline, b_tot)) if not n or n < canary.min_events]
    if few:
        side, n = few[0]
        return CanaryResult(**base, checks=(), decision=CANNOT_EVALUATE,
                            reason=f"too few events: {n or 0:.0f} {side} requests over {stage.window} "
                                   f"(fewer than {canary.min_events})")
    # Seed 5.3's halt (1.5x the baseline) and rollback (2%) hold the bad-event ratio of every SLO
    # kind (errors, or requests slower than the threshold); the stage's error-rate ceiling holds
    # error SLOs, its p95 ceiling latency SLOs.
    checks = _error_checks(canary, stage, c_rate, b_rate, absolute=not latency)
    if latency:
        checks += _latency_checks(canary, stage, base)
    found = [(d, text) for d, text in (_judge(c) for c in checks) if d != PASS]
    rollback = c_rate > canary.rollback_error_rate
    if not found:
        what = "bad-event ratio and p95" if latency else "error rate"
        return CanaryResult(**base, checks=tuple(checks), decision=PASS,
                            reason=f"{what} within stage {stage.name}'s criteria and the baseline's")
    decision = worst(d for d, _ in found)
    reason = next(t for d, t in found if d == decision)
    return CanaryResult(**base, checks=tuple(checks), decision=decision, reason=reason, rollback=rollback)


def _error_checks(canary: Canary, stage: CanaryStage, c_rate: float, b_rate: float,
                  absolute: bool = True) -> list[CanaryCheck]:
    """The bad-event ratio's criteria: rollback above the absolute threshold, halt above the
    factor x the baseline's, and (error SLOs, `absolute`) the stage's own ceiling. A baseline
    with no bad event holds the canary to none either: any bad event is above 1.5 x 0."""
    what = "error rate" if absolute else "bad-event ratio"
    relative_limit = b_rate * canary.max_error_rate_vs_baseline
    checks = [
        CanaryCheck("rollback", c_rate, canary.rollback_error_rate, c_rate <= canary.rollback_error_rate,
                    f"roll back: canary {what} {c_rate:.3%} > {canary.rollback_error_rate:.3%}"
                    if c_rate > canary.rollback_error_rate else f"{c_rate:.3%} <= {canary.rollback_error_rate:.3%}"),
    ]
    if absolute:
        checks.append(CanaryCheck("error rate", c_rate, stage.max_error_rate, c_rate < stage.max_error_rate,
                                  f"canary error rate {c_rate:.3%} {'<' if c_rate < stage.max_error_rate else '>='} "
                                  f"{stage.max_error_rate:.3%} (stage {stage.name})"))
    ok = c_rate <= relative_limit
    checks.append(CanaryCheck("error rate vs baseline", c_rate, relative_limit, ok,
                              f"{'' if ok else 'halt: '}canary {what} {c_rate:.3%} "
                              f"{'<=' if ok else '>'} {canary.max_error_rate_vs_baseline:g}x baseline {b_rate:.3%}"))
    return checks


def _latency_checks(canary: Canary, stage: CanaryStage, base: dict) -> list[CanaryCheck]:
    c95, b95 = base["canary_p95"], base["baseline_p95"]
    checks = []
    if stage.max_p95_seconds is not None and (canary.p95_slos is None or base["slo_id"] in canary.p95_slos):
        checks.append(CanaryCheck("p95 latency", c95, stage.max_p95_seconds, None if c95 is None else c95 < stage.max_p95_seconds,
                          "no p95 for the canary" if c95 is None else
                          f"canary p95 {c95 * 1000:.0f}ms {'<' if c95 < stage.max_p95_seconds else '>='} "
                          f"{stage.max_p95_seconds * 1000:.0f}ms (stage {stage.name})"))
    if c95 is not None and b95:
        limit = b95 * canary.warn_p95_vs_baseline
        ok = c95 <= limit
        checks.append(CanaryCheck("p95 latency vs baseline", c95, limit, ok,
                                  f"canary p95 {c95 * 1000:.0f}ms {'<=' if ok else '>'} "
                                  f"{canary.warn_p95_vs_baseline:g}x baseline {b95 * 1000:.0f}ms"))
    return checks


def _judge(check: CanaryCheck) -> tuple[str, str]:
    if check.passed is None:
        return CANNOT_EVALUATE, check.text
    if check.passed:
        return PASS, check.text
    # Seed 5.3: a slower canary than 1.3x its baseline alerts the team; every other miss halts.
    return (WARN if check.criterion == "p95 latency vs baseline" else FAIL), check.text

