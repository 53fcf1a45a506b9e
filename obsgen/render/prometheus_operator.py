"""A region's rule groups as Prometheus Operator `PrometheusRule` objects (monitoring.coreos.com/v1),
for a region whose `rule_format` is "both": one object per rule file, holding that file's groups
unchanged, so what promtool proves in prometheus/rules/ is what the Operator loads.

metadata: name `obsgen-<file stem>` (the file's group name), namespace names.PROMETHEUS_RULE_NAMESPACE,
labels names.PROMETHEUS_RULE_LABELS plus the region (names.PROMETHEUS_RULE_REGION_LABEL), for a
Prometheus's `ruleSelector` to match.
"""
from __future__ import annotations

from obsgen import names
from obsgen.model import Estate, Region, RuleFormat
from obsgen.render import prometheus_rules
from obsgen.slo import render as slo_render

API_VERSION = "monitoring.coreos.com/v1"
KIND = "PrometheusRule"

# The renderers whose files are Prometheus rule files (names.rules_file / names.slo_rules_file).
RULE_RENDERERS = (prometheus_rules.render, slo_render.render)


def prometheus_rule(stem: str, rule_file: dict, region: Region) -> dict:
    labels = {**names.PROMETHEUS_RULE_LABELS, names.PROMETHEUS_RULE_REGION_LABEL: region.name}
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {
            "name": names.prometheus_rule_name(stem),
            "namespace": names.PROMETHEUS_RULE_NAMESPACE,
            "labels": dict(sorted(labels.items())),
            "annotations": {"obsgen.dev/generated": names.HEADER},
        },
        "spec": {"groups": rule_file["groups"]},
    }


def render(estate: Estate, region: Region) -> dict[str, dict]:
    if region.rule_format != RuleFormat.BOTH:
        return {}
    prefix = names.rules_file("")[: -len(".yml")]
    files = {}
    for renderer in RULE_RENDERERS:
        for path, doc in renderer(estate, region).items():
            stem = path[len(prefix):-len(".yml")]
            files[names.prometheus_rule_file(stem)] = prometheus_rule(stem, doc, region)
    return files
