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
