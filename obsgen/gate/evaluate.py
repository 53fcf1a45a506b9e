"""One evaluation: choose SLOs and regions, read every endpoint at one instant, decide.

The clients and the clock are passed in; nothing here reads the environment or the time.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from obsgen import duration
from obsgen.gate import collect as collect_mod
from obsgen.gate import groups
from obsgen.gate.decide import global_result, slo_result
from obsgen.gate.http import Client, Endpoint, QueryError
from obsgen.gate.result import (CANNOT_EVALUATE, FAIL, NO_SOURCE, PASS, WARN, EndpointProblem,
                                Evaluation, RequestLog, SLOResult, worst)
from obsgen.model import applies
from obsgen.model.release import ReleasePolicy


class SelectionError(Exception):
    """An unknown region, service or SLO named on the command line (exit 2)."""


@dataclass(frozen=True)
class Selection:
    regions: tuple[str, ...] = ()    # empty: all
    services: tuple[str, ...] = ()
    slos: tuple[str, ...] = ()       # SLO ids ("api-availability") or names

    def choose(self, estate):
        known = {r.name for r in estate.regions}
        for name in self.regions:
            if name not in known:
                raise SelectionError(f"unknown region {name!r} (known: {', '.join(sorted(known))})")
        services = {s.service for s in estate.slos}
        for name in self.services:
            if name not in services:
                raise SelectionError(f"unknown service {name!r} (known: {', '.join(sorted(services)) or 'none'})")
        ids = {s.id for s in estate.slos} | {s.name for s in estate.slos}
        for name in self.slos:
            if name not in ids:
                raise SelectionError(f"unknown SLO {name!r} (known: {', '.join(sorted(s.id for s in estate.slos)) or 'none'})")
        regions = tuple(r for r in estate.regions if not self.regions or r.name in self.regions)
        slos = tuple(s for s in estate.slos
                     if (not self.services or s.service in self.services)
                     and (not self.slos or s.id in self.slos or s.name in self.slos))
        return regions, slos


def policy_of(estate) -> ReleasePolicy:
    return estate.release_policy or ReleasePolicy()


def evaluate(estate, plan: list[tuple[Endpoint, tuple]], at: float, *, selection: Selection = Selection(),
             make_client: Callable[..., Client] = Client, clock: Callable[[], float],
             mode: str = "gate", progress: Callable[[str, str, int], None] | None = None,
             policy: ReleasePolicy | None = None, parallel: bool = True) -> Evaluation:
    """Evaluate the chosen SLOs in the regions of `plan` (from config.plan) at the instant `at`."""
    started = clock()
    policy = policy or policy_of(estate)
    regions, slos = selection.choose(estate)
    region_names = {r.name for r in regions}
    plan = [(ep, tuple(r for r in served if r.name in region_names)) for ep, served in plan]
    plan = [(ep, served) for ep, served in plan if served]
    answers, requests, labelled = _read_endpoints(plan, slos, at, make_client, clock, progress, parallel)
    results: list[SLOResult] = []
    read: dict[tuple[str, str], collect_mod.Facts] = {}   # (SLO id, region) -> what was read
    problems: list[EndpointProblem] = []
    for endpoint, served, facts, error in answers:
        if error is not None:
            problems.append(EndpointProblem(endpoint.name, error.outcome, error.message))
        for region in served:
            for slo in slos:
                if not applies(slo, region):
                    continue
                if error is not None:
                    results.append(_unreadable(slo, region.name, at, endpoint.name, error))
                else:
                    read[(slo.id, region.name)] = facts[(slo.id, region.name)]
                    result = slo_result(policy, slo, region.name, facts[(slo.id, region.name)], at, endpoint=endpoint.name)
                    if slo.group_by:
                        result = groups.judged(policy, slo, region.name, result,
                                               labelled.get((slo.id, region.name), {}), at)
                    results.append(result)
    results.sort(key=lambda r: (r.region, r.service, r.slo))
    results += _global(estate, policy, slos, region_names, results, read, at)
    decision, reason = overall(results, problems)
    return Evaluation(mode=mode, at=at, results=tuple(results), canaries=(), decision=decision, reason=reason,
                      requests=tuple(requests), problems=tuple(problems),
                      regions=tuple(sorted(region_names)), policy=policy.name, wall_seconds=clock() - started)


def _read_endpoints(plan, slos, at, make_client, clock, progress, parallel: bool):
    """Each endpoint read once (in parallel): [(endpoint, regions, facts or None, error or None)],
    every request made, and the label sets of the per-label SLOs ((SLO id, region) -> ...)."""
    progress = progress or (lambda endpoint, state, count: None)
    requests: list[RequestLog] = []
    labelled: dict = {}
    lock = threading.Lock()

    def record(entry: RequestLog) -> None:
        with lock:
            requests.append(entry)

    def count(name: str) -> int:
        with lock:
            return sum(1 for r in requests if r.endpoint == name)

    def one(item):
        endpoint, served = item
        progress(endpoint.name, "querying", 0)
        client = make_client(endpoint, clock=clock, on_request=record)
        try:
            facts = collect_mod.collect(client, slos, served, at)
            found = groups.read(client, slos, served, at)
            for key, sets in found.items():
                if key in facts:
                    facts[key] = groups.summed(facts[key], sets)
            with lock:
                labelled.update(found)
            progress(endpoint.name, "done", count(endpoint.name))
            return endpoint, served, facts, None
        except QueryError as exc:
            progress(endpoint.name, f"{exc.outcome}: {exc.message}", count(endpoint.name))
            return endpoint, served, None, exc
        finally:
            client.close()

    if parallel and len(plan) > 1:
        with ThreadPoolExecutor(max_workers=min(8, len(plan))) as pool:
            answers = list(pool.map(one, plan))
    else:
        answers = [one(item) for item in plan]
    return answers, sorted(requests, key=lambda r: r.endpoint), labelled


def _global(estate, policy, slos, chosen: set[str], results: list[SLOResult], read, at: float) -> list[SLOResult]:
    """The global figure of each SLO over two or more feeding regions, when all were evaluated."""
    out = []
    by_key = {(r.slo_id, r.region): r for r in results}
    for slo in slos:
        feeding = [r.name for r in estate.global_regions if applies(slo, r)]
        if len(feeding) < 2 or not set(feeding) <= chosen:
            continue
        regional = [(by_key[(slo.id, name)], read.get((slo.id, name))) for name in feeding
                    if (slo.id, name) in by_key]
        out.append(global_result(policy, slo, regional, at))
    return out


def _unreadable(slo, region: str, at: float, endpoint: str, error: QueryError) -> SLOResult:
    return SLOResult(
        slo_id=slo.id, slo=slo.name, service=slo.service, region=region, objective=slo.objective_in(region),
        period=slo.period, at=at, sli=None, error_ratio=None, errors=None, requests=None,
        budget_remaining=None, budget_remaining_minutes=None,
        budget_minutes=slo.error_budget_in(region) * duration.seconds(slo.period) / 60,
        period_burn_rate=None, burn_rates=(), firing=(), decision=CANNOT_EVALUATE,
        reason=f"{error.outcome}: {error.message}", source=NO_SOURCE, endpoint=endpoint,
    )


def overall(results, problems=(), canaries=()) -> tuple[str, str]:
    """The worst decision of the parts, and one line saying why."""
    parts = [*results, *canaries]
    if not parts:
        if problems:
            return CANNOT_EVALUATE, f"{problems[0].endpoint}: {problems[0].outcome}: {problems[0].message}"
        return CANNOT_EVALUATE, "nothing to evaluate: no SLO applies to the chosen regions"
    decision = worst(p.decision for p in parts)
    if problems and decision != CANNOT_EVALUATE:
        decision = CANNOT_EVALUATE
    bad = [p for p in parts if p.decision == decision]
    first = bad[0] if bad else None
    count = f"{len(bad)} of {len(parts)}"
    if decision == PASS:
        return PASS, f"all {len(parts)} checks pass"
    where = f"{first.slo_id} in {first.region}: {first.reason}" if first else ""
    label = {FAIL: "fail", WARN: "warn", CANNOT_EVALUATE: "cannot evaluate"}[decision]
    return decision, f"{count} checks {label}; first: {where}"
