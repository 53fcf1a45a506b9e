"""Recording rules for the Thanos ruler over the regions that feed the global view."""
from __future__ import annotations

from collections import defaultdict

from obsgen import names, promql
from obsgen.model import Estate
from obsgen.render.prometheus_rules import group_file


def region_matcher(estate: Estate) -> str:
    return f"{names.REGION}=~{promql.quote(promql.regex_alternatives(r.name for r in estate.global_regions))}"


def render(estate: Estate) -> dict[str, dict]:
    """{path under generated/global: rule file}. Every selector is narrowed to the
    non-isolated regions, so an isolated region's series never enter a global sum even when
    they reach the same store by mistake."""
    matcher = region_matcher(estate)
    groups: dict[str, list[dict]] = defaultdict(list)
    for rec in estate.global_recordings:
        rule = {"record": rec.name, "expr": promql.with_matcher(rec.expr, matcher)}
        if rec.labels:
            rule["labels"] = dict(sorted(rec.labels.items()))
        groups[rec.group].append(rule)
    return {
        f"thanos/rules/{group}.yml": group_file(f"global-{group}", rules)
        for group, rules in sorted(groups.items())
    }
