"""The global ruler's alerting rules and its two endpoint files.

- Global alerts of the definitions (rules/alerts.py GLOBAL_META): Watchdog, and RegionDown once
  per feeding region, judged from outside the region.
- Global SLO burn alerts: the same multiwindow policy as each region's, over the global series
  the ruler records (obsgen/slo/render.py render_global), labelled region="global".
- Where it sends alerts (the global Alertmanager) and where it queries (Thanos Query)."""
from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from obsgen import names, promql
from obsgen.model import Estate, GlobalAlert, applies
from obsgen.render.global_rules import region_matcher
from obsgen.slo import alerts as slo_alerts
from obsgen.slo import recording
from obsgen.slo.render import slos_in

# Thanos' per-group partial response strategy (docs/components/rule.md): "abort" (the default)
# drops an evaluation when a store does not answer, so a global sum is never computed over fewer
# regions than it says; "warn" evaluates on what answered. A group that must notice a region's
# absence runs with "warn", or a dead region would abort the very rule that reports it.
WARN = "warn"


def _labels(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        out.update(part)
    return dict(sorted(out.items()))


def alert_rules(estate: Estate, alert: GlobalAlert) -> list[dict]:
    base = {"alert": alert.name}
    notes = {"summary": alert.summary, **({"runbook_url": alert.runbook} if alert.runbook else {})}
    if alert.per_region:
        targets = [(r.name, f"{names.REGION}={promql.quote(r.name)}") for r in estate.global_regions]
    else:
        targets = [(names.GLOBAL_REGION, region_matcher(estate))]
    out = []
    for region, matcher in targets:
        rule = {**base, "expr": promql.with_matcher(alert.expr, matcher)}
        if alert.for_ != "0s":
            rule["for"] = alert.for_
        rule["labels"] = _labels(alert.labels, {names.SEVERITY: alert.severity, names.REGION: region})
        rule["annotations"] = dict(sorted(notes.items()))
        out.append(rule)
    return out


def global_alerts(estate: Estate) -> dict[str, dict]:
    """{path: rule file}: one group per alert group; all run with the "warn" strategy, since they
    watch the pipeline itself (a region gone, the ruler alive)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for alert in estate.global_alerts:
        groups[alert.group].extend(alert_rules(estate, alert))
    return {
        f"{names.THANOS_RULES_WARN_DIR}/{group}.yml": {"groups": [{
            "name": names.rule_group(f"global-{group}"), "partial_response_strategy": WARN, "rules": rules}]}
        for group, rules in sorted(groups.items())
    }


def global_slo_alerts(estate: Estate) -> dict[str, dict]:
    """Burn alerts over the global series; only for windows the global rules record."""
    feeding = estate.global_regions
    slos = sorted({s.id: s for r in feeding for s in slos_in(estate, r)}.values(), key=lambda s: s.id)
    rules = []
    for slo in slos:
        recorded = {st.window for r in feeding if applies(slo, r) for st in recording.steps(slo, r)[1:]}
        for bw in slo.burn_windows:
            if not {bw.long, bw.short} <= recorded:
                continue
            factor = recording.number(bw.factor)
            g = names.global_series
            rules.append({
                "alert": names.SLO_BURN_ALERT,
                "expr": (f"{recording.own(slo, g(names.burn_rate(bw.long)))} > {factor}"
                         f" and {recording.own(slo, g(names.burn_rate(bw.short)))} > {factor}"),
                "labels": _labels(slo_alerts.burn_labels(bw), {names.REGION: names.GLOBAL_REGION}),
                "annotations": dict(sorted({
                    "summary": (f"{slo.service} {slo.name} over the global view burns its error budget "
                                f"over {factor}x"),
                    **slo_alerts.links(slo)}.items())),
            })
    if not rules:
        return {}
    return {names.thanos_rules_file("slo-alerts"): {"groups": [{"name": names.rule_group("global-slo-alerts"),
                                                                "rules": rules}]}}


def _http_target(url: str) -> dict:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = {"scheme": parts.scheme, "static_configs": [f"{parts.hostname}:{port}"]}
    if parts.path.strip("/"):
        target["path_prefix"] = parts.path
    return target


def alertmanagers_config(alertmanager_url: str) -> dict:
    """`--alertmanagers.config-file` (docs/components/rule.md, Configuration: Alertmanager)."""
    return {"alertmanagers": [{**_http_target(alertmanager_url), "api_version": "v2", "timeout": "10s"}]}


def query_config(query_url: str) -> list[dict]:
    """`--query.config-file` (docs/components/rule.md, Configuration: Query API)."""
    return [_http_target(query_url)]
