"""promql.assert_parses parses one expression per shape of its plain-word literals, and still
refuses what does not parse, whatever was seen before."""
from __future__ import annotations

import pytest

from obsgen import promql

REFUSED = [
    ("an unclosed brace after a good twin", 'sum(x{service="a"})', 'sum(x{service="b"})'[:-2]),
    ("a bad escape in a twin", 'x{a="b"}', 'x{a="b\\q"}'),
    ("an empty matcher set", '{a="b"}', '{a=""}'),
]


@pytest.mark.parametrize("good,bad", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_what_does_not_parse_is_refused_after_its_parsing_twin(good, bad):
    promql.assert_parses(good)
    with pytest.raises(ValueError):
        promql.parse(bad)
    with pytest.raises(ValueError):
        promql.assert_parses(bad)


def test_an_expression_alike_but_for_a_plain_word_is_not_parsed_again(monkeypatch):
    promql.assert_parses('sum(x{service="svc000",slo="a"}) / 0.005')
    monkeypatch.setattr(promql, "parse", lambda expr: pytest.fail(f"parsed again: {expr}"))
    promql.assert_parses('sum(x{service="svc199",slo="b"}) / 0.005')


# with_matcher rewrites an expression once per shape of its plain-word literals; each row is an
# expression whose held rewrite must equal the direct one, or be refused and done directly.
NARROWED = [
    ("plain words in matchers", 'sum(rate(x{service="svc001",status=~"5.."}[5m])) / sum(rate(x{service="svc001"}[5m]))'),
    ("one word twice, another once", 'x{a="p",b="p"} / y{a="q"}'),
    ("words as function arguments", 'label_replace(up{job="api"}, "dst", "$1", "src", "(.*)")'),
    ("a quoted metric name", '{"svc000"}'),
    ("a quoted label name", 'x{"lbl"="v"}'),
    ("an offset kept", 'x{a="b"} offset 5m'),
    ("a comment holding a quote", 'x{a="b"} # "c'),
    ("a literal that is the placeholder itself", 'up{a="obsgen_held_0"}'),
    ("a word that is no label name", 'x{service="svc-1"}'),
    ("an escape", 'x{a="b\\"c"}'),
]


@pytest.mark.parametrize("expr", [n[1] for n in NARROWED], ids=[n[0] for n in NARROWED])
@pytest.mark.parametrize("matcher", ['region=~"$region"', 'region="eu"'])
def test_with_matcher_by_shape_is_the_direct_rewrite(expr, matcher):
    promql.with_matcher.cache_clear()
    assert promql.with_matcher(expr, matcher) == promql._with_matcher(expr, matcher)


def test_a_twin_query_is_not_rewritten_again(monkeypatch):
    promql.with_matcher.cache_clear()
    first = promql.with_matcher('1 - slo_ratio{slo="availability",service="svc000"}', 'region=~"$region"')
    assert first == '1 - slo_ratio{slo="availability",service="svc000",region=~"$region"}'
    monkeypatch.setattr(promql, "_with_matcher", lambda *a: pytest.fail(f"rewritten again: {a}"))
    assert promql.with_matcher('1 - slo_ratio{slo="latency",service="svc199"}', 'region=~"$region"') \
        == '1 - slo_ratio{slo="latency",service="svc199",region=~"$region"}'


def test_with_matcher_names_the_users_expression_when_it_does_not_parse():
    promql.with_matcher.cache_clear()
    promql.with_matcher('sum(x{service="a"})', 'region="eu"')
    with pytest.raises(ValueError) as direct:
        promql._with_matcher('sum(x{service="b"}', 'region="eu"')
    with pytest.raises(ValueError) as shaped:
        promql.with_matcher('sum(x{service="b"}', 'region="eu"')
    assert str(shaped.value) == str(direct.value)
