"""Every LogQL expression obsgen renders parses with Grafana's own LogQL grammar
(@grafana/lezer-logql), and the grammar check rejects broken queries."""
from __future__ import annotations

import pytest
import yaml

from obsgen import names
from obsgen.validate.pipeline import logql_shape
from tests.pipelines.node import check

# (sentence id, a query that is not LogQL)
BROKEN = [
    ("an unclosed stream selector", '{stream="app-logs"'),
    ("a matcher without a value", '{stream=} |= "x"'),
    ("a range vector without its duration", 'count_over_time({stream="app-logs"}[])'),
    ("a line filter without a string", '{stream="app-logs"} |= '),
    ("an unknown range aggregation", 'frobnicate_over_time({stream="app-logs"}[5m])'),
    ("a comparison with nothing on its right", 'sum(count_over_time({stream="app-logs"}[5m])) >'),
    ("a label filter with a dangling operator", '{stream="audit-logs"} | json | consent='),
]


def _rendered_exprs(tree) -> list[tuple[str, str]]:
    """Alert expressions of the ruler's rule files and stream selectors of the retention limits."""
    out = []
    for path, raw in sorted(tree.items()):
        if "/loki/rules/" in path:
            for group in yaml.safe_load(raw)["groups"]:
                out += [(f"{path}:{rule['alert']}", rule["expr"]) for rule in group["rules"]]
        elif path.endswith(f"/{names.LOKI_OVERRIDES_FILE}"):
            for tenant, limits in yaml.safe_load(raw)["overrides"].items():
                out += [(f"{path}:{tenant}", s["selector"]) for s in limits["retention_stream"]]
    return out


@pytest.mark.tool("node")
def test_every_rendered_logql_expression_parses_with_grafanas_grammar(tree):
    exprs = _rendered_exprs(tree)
    assert len(exprs) >= 3, "no LogQL rendered: this test would prove nothing"
    assert any("runtime-overrides" in where for where, _ in exprs), "no retention selector checked"
    results = check("logql", [e for _, e in exprs])
    bad = [(where, r["errors"]) for (where, _), r in zip(exprs, results) if not r["ok"]]
    assert bad == []


@pytest.fixture(scope="module")
def broken_results():
    return dict(zip([q for _, q in BROKEN], check("logql", [q for _, q in BROKEN])))


@pytest.mark.parametrize("query", [pytest.param(q, id=i) for i, q in BROKEN])
@pytest.mark.tool("node")
def test_the_grammar_rejects(query, broken_results):
    assert not broken_results[query]["ok"]


@pytest.mark.parametrize("query,problem", [
    pytest.param('sum(count_over_time({stream="x"}[5m])', "missing ')'", id="the load-time check sees an unclosed parenthesis"),
    pytest.param('count_over_time(stream="x"[5m])', "no stream selector", id="the load-time check sees a missing stream selector"),
    pytest.param('{stream="x} |= "y"', "unterminated string", id="the load-time check sees an unterminated string"),
    pytest.param('{stream="x"} |~ "[)]"', None, id="the load-time check ignores brackets inside strings"),
])
def test_load_time_shape_check(query, problem):
    assert logql_shape(query) == problem


@pytest.mark.parametrize("query,ok", [
    pytest.param('sum(count_over_time({stream="app-logs", level="ERROR"} |~ "{not=\\"a selector\\"}" [5m])) > 1', True,
                 id="braces inside a line filter string are not a stream selector"),
    pytest.param('sum(count_over_time({stream="app-logs", pod="x"}[5m])) > 1', False,
                 id="a label the collector never sets is refused"),
    pytest.param('sum(count_over_time({stream="audit-logs"} | json | consent="false" [1m])) > 0', True,
                 id="labels extracted after the selector are not checked against stream labels"),
])
def test_load_time_label_check(estate, query, ok):
    from obsgen.validate.pipeline import _unknown_labels
    assert (_unknown_labels(estate, query) is None) == ok
