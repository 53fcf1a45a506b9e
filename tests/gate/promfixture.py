"""A real Prometheus per test region, with the synthetic history and the SLO engine's recording
rules backfilled over it (level by level: a rule reads only what earlier levels recorded)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from obsgen import promql
from obsgen.localprom import LocalPrometheus
from obsgen.model import applies
from obsgen.slo import recording
from obsgen.synth import write_openmetrics


def rule_levels(rules: list[dict]) -> list[list[dict]]:
    """Rules split so that each reads only series recorded by earlier levels."""
    level: dict[str, int] = {}
    out: list[list[dict]] = []
    for rule in rules:
        refs = [n for n in level if re.search(rf"(?<![\w:]){re.escape(n)}(?![\w:])", rule["expr"])]
        lvl = 1 + max((level[n] for n in refs), default=-1)
        level.setdefault(rule["record"], lvl)
        level[rule["record"]] = max(level[rule["record"]], lvl)
        while len(out) <= lvl:
            out.append([])
        out[lvl].append(rule)
    return out


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


def start_prometheus(workdir: Path, estate, regions, scenarios, rules_since: int | None = None) -> LocalPrometheus:
    """A running Prometheus holding the scenarios' history (every raw series carries its region
    label) and the regions' recording rules backfilled from `rules_since` (default: the start
    of the history) to the end. Every level is evaluated from the same file and group name,
    so every level shares one evaluation phase, as one group on a live server does."""
    workdir.mkdir(parents=True, exist_ok=True)
    prom = LocalPrometheus(workdir / "prom", evaluation_interval=60)
    files = []
    for name, scenario in scenarios.items():
        files += write_openmetrics(scenario, workdir / f"om-{name}")
    prom.import_openmetrics(files)
    prom.start()
    any_scenario = next(iter(scenarios.values()))
    start = any_scenario.start if rules_since is None else rules_since
    path = workdir / "rules.yml"
    for rules in rule_levels(recording_rules(estate, regions, shared=len(regions) > 1)):
        path.write_text(yaml.safe_dump({"groups": [{"name": "gate-test", "interval": "1m", "rules": rules}]}))
        prom.backfill_rules([[path]], start, any_scenario.end, evaluate_live=False)
    return prom
