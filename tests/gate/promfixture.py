"""A real Prometheus per test region, with the synthetic history and the SLO engine's recording
rules backfilled over it (level by level: a rule reads only what earlier levels recorded)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from obsgen import promql
from obsgen.localprom import LocalPrometheus, backfill, recording_levels
from obsgen.model import applies
from obsgen.slo import recording
from obsgen.synth import write_openmetrics


def narrowed(slo, region_name: str):
    """The SLO with every raw selector also matching region="<name>"."""
    from dataclasses import replace

    from obsgen.model import EventRatio, LatencyThreshold

    matcher = f'region="{region_name}"'
    sli = slo.sli
    if isinstance(sli, EventRatio):
        sli = replace(sli, **{f: promql.with_matcher(getattr(sli, f), matcher)
                             for f in ("total", "errors", "good") if getattr(sli, f)})
    elif isinstance(sli, LatencyThreshold):
        sli = replace(sli, matchers=",".join(m for m in (sli.matchers, matcher) if m))
    return replace(slo, sli=sli)


def recording_rules(estate, regions, shared: bool) -> list[dict]:
    """The SLO engine's recording rules for each region. When several regions share one
    Prometheus, every selector of a region's rules also matches region="<name>": what the
    region's own Prometheus would see alone."""
    rules = []
    for region in regions:
        for slo in sorted(estate.slos, key=lambda s: s.id):
            if not applies(slo, region):
                continue
            for rule in recording.rules(narrowed(slo, region.name) if shared else slo, region):
                # Raw-counter rules are narrowed through the SLI already (and may hold regex
                # escapes); the rules over recorded series get the matcher here.
                if shared and "slo:" in rule["expr"]:
                    rule = {**rule, "expr": promql.with_matcher(rule["expr"], f'region="{region.name}"')}
                rules.append(rule)
    return rules


def backfill_rules(prom: LocalPrometheus, rules: list[dict], start: int, end: int, workdir: Path,
                   group: str = "gate-test", after_level: Callable[[int], None] | None = None) -> None:
    """The rules, as one group deployed at `start`, recorded level by level every minute on the
    grid ending at `end`, as a live server evaluating that group would have recorded them: from
    the first instant after `start` (a group evaluates once its rules are loaded)."""
    documents = [{"groups": [{"name": group, "interval": "1m", "rules": rules}]}]
    backfill(prom, recording_levels(documents), start + 1, end, 60, workdir, coarse=False, after_level=after_level)


def start_prometheus(workdir: Path, estate, regions, scenarios, rules_since: int | None = None) -> LocalPrometheus:
    """A running Prometheus holding the scenarios' history (every raw series carries its region
    label) and the regions' recording rules backfilled from `rules_since` (default: the start
    of the history) to the end."""
    workdir.mkdir(parents=True, exist_ok=True)
    prom = LocalPrometheus(workdir / "prom", evaluation_interval=60)
    files = []
    for name, scenario in scenarios.items():
        files += write_openmetrics(scenario, workdir / f"om-{name}")
    prom.import_openmetrics(files)
    prom.start()
    any_scenario = next(iter(scenarios.values()))
    start = any_scenario.start if rules_since is None else rules_since
    backfill_rules(prom, recording_rules(estate, regions, shared=len(regions) > 1), start, any_scenario.end,
                   workdir / "levels")
    return prom
