"""The global SLO series: ratios of the regional sums, over the regions that feed the global view."""
from __future__ import annotations

from pathlib import Path

import pytest

from obsgen import names, promtool, serialize
from obsgen.load import load_estate
from obsgen.slo.render import render_global

ROOT = Path(__file__).resolve().parents[2]


def test_an_isolated_region_never_enters_a_global_series():
    estate = load_estate(ROOT)
    isolated = [r.name for r in estate.regions if r.isolated]
    assert isolated
    doc = render_global(estate)[names.GLOBAL_SLO_RULES]
    for rule in doc["groups"][0]["rules"]:
        for name in isolated:
            assert name not in rule["expr"], rule


@pytest.mark.tool("promtool")
def test_the_global_error_ratio_is_the_ratio_of_regional_sums_not_their_mean(tmp_path):
    """us-east: 1 error in 1000; eu-west: 50 in 100. Mean of ratios 25.05%; truth 51/1100.
    cn-east's 100% errors stay out."""
    estate = load_estate(ROOT)
    rules = tmp_path / "global.yml"
    rules.write_bytes(serialize.to_yaml(render_global(estate)[names.GLOBAL_SLO_RULES]))
    counts = {"us-east": (1, 1000), "eu-west": (50, 100), "cn-east": (500, 500)}
    series = []
    for region, (errors, total) in counts.items():
        ident = f'region="{region}",service="api",slo="availability"'
        series.append({"series": f"{names.errors_count('30d')}{{{ident}}}", "values": f"{errors}x5"})
        series.append({"series": f"{names.requests_count('30d')}{{{ident}}}", "values": f"{total}x5"})
    test = {
        "rule_files": [str(rules)],
        "evaluation_interval": "1m",
        "tests": [{
            "interval": "1m",
            "input_series": series,
            "promql_expr_test": [{
                "expr": f'{names.global_series(names.error_ratio("30d"))}{{slo="availability"}}',
                "eval_time": "2m",
                "exp_samples": [{"labels": f'{names.global_series(names.error_ratio("30d"))}{{region="global",service="api",slo="availability"}}',
                                 "value": 51 / 1100}],
            }],
        }],
    }
    path = tmp_path / "global.test.yml"
    path.write_bytes(serialize.to_yaml(test))
    result = promtool.test_rules([path])
    assert result.ok, result.output
