"""obsgen's own LogQL parser (obsgen/logs/logql.py, what `obsgen build` runs) agrees with Grafana's
LogQL grammar (@grafana/lezer-logql, run by Node) on every query of a corpus: every LogQL expression
obsgen renders for the example estate, the examples of Loki's documentation (logql_corpus/valid.txt)
and queries Loki refuses (logql_corpus/invalid.txt). Where the grammar is more permissive than Loki
(checks Loki makes after parsing), the query is in LOKI_ONLY and obsgen follows Loki."""
from __future__ import annotations

from pathlib import Path

import pytest

from obsgen.logs.logql import KEYWORDS, LOKI_KEYWORDS, problem
from tests.pipelines.node import check
from tests.pipelines.test_logql import _rendered_exprs

CORPUS = Path(__file__).with_name("logql_corpus")

# (sentence id, a query lezer-logql parses and Loki refuses after parsing)
LOKI_ONLY = [
    ("a selector whose only matcher matches the empty string", '{stream=~".*"}'),
    ("a selector of only negative matchers", '{stream!="x"}'),
    ("sum_over_time without unwrap", 'sum_over_time({stream="x"}[5m])'),
    ("count_over_time of unwrapped values", 'count_over_time({stream="x"} | logfmt | unwrap n [5m])'),
    ("a parameter to sum", 'sum(2, count_over_time({stream="x"}[5m]))'),
    ("grouping on count_over_time", 'count_over_time({stream="x"}[5m]) by (level)'),
    ("bool on an arithmetic operator", 'sum(rate({stream="x"}[1m])) + bool 1'),
    ("a binary operator between log queries", '{stream="x"} or {stream="y"}'),
    ("an unknown logfmt flag", '{stream="x"} | logfmt --strictly'),
    ("topk without its k", 'topk(count_over_time({stream="x"}[5m]))'),
    ("quantile_over_time without its quantile", 'quantile_over_time({stream="x"} | unwrap x [5m])'),
    ("an escape Go strings do not have", '{stream="x"} |~ "\\d+"'),
    ("a regexp parser with no named capture", '{stream="x"} | regexp `(\\w+)`'),
    ("a regexp parser with a PCRE named group RE2 refuses", '{stream="x"} | regexp `(?<x>\\w+)`'),
    ("a line filter regex with a lookahead", '{stream="x"} |~ `a(?=b)`'),
    ("a label filter on a label named ip (Loki's lexer makes ip a token)", '{stream="x"} | json | ip=~"10[.].*"'),
    ("a range with a fraction (Prometheus durations are whole)", 'count_over_time({stream="x"}[1.5m])'),
    ("a range in microseconds", 'count_over_time({stream="x"}[250us])'),
    ("a range with a space in its brackets", 'count_over_time({stream="x"}[ 5m])'),
    ("a line filter regex that does not compile", '{stream="x"} |~ `a(`'),
    ("a line filter regex repeated over 1000 times", '{stream="x"} |~ `a{1001}`'),
    ("a pattern without a capture", '{stream="x"} | pattern `<_> foo`'),
    ("a pattern with two captures side by side", '{stream="x"} | pattern `<a><b>`'),
]

# (sentence id, a query Loki's grammar (pkg/logql/syntax/syntax.y) takes and lezer-logql 0.4.2 refuses):
# obsgen follows Loki, which runs the rule.
GRAMMAR_STRICTER = [
    ("two label filters side by side (syntax.y: labelFilter labelFilter)",
     '{job="mysql"} | logfmt | duration >= 20ms method="GET"'),
    ("an offset after an unwrapped range of a parsed pipeline (selector pipelineExpr unwrapExpr RANGE offsetExpr)",
     'max_over_time({job="mysql"} | json | unwrap latency [1m] offset 1m)'),
    ("an unwrapped pipeline in parentheses before its range (( selector pipelineExpr unwrapExpr ) RANGE)",
     'max_over_time(({job="mysql"} | logfmt | unwrap latency)[1m])'),
]


def _lines(name: str) -> list[str]:
    out = []
    for line in (CORPUS / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("  #! ")[0])
    return out


def _joined(lines: list[str]) -> list[str]:
    """A line ending in `# a comment` continues on the next one (a query with a comment in it)."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].rstrip().endswith("# a comment"):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


VALID = _joined(_lines("valid.txt"))
INVALID = _lines("invalid.txt")

# Every keyword and function name in every place a label name goes: the grammar reserves some words
# (json, on, bool, offset...) and not others (by, and, rate...), in some places only.
WORDS = sorted({"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
                "unless", "json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format",
                "decolorize", "drop", "keep", "unwrap", "ip", "vector", "label_replace", "duration", "bytes",
                "rate", "count_over_time", "quantile_over_time", "sum", "topk", "sort_desc", "level"})
PLACES = ['{{{w}="b"}}', 'count_over_time({{a="b"}} | {w} > 1 [1m])', 'sum by ({w}) (rate({{a="b"}}[1m]))',
          '{{a="b"}} | json {w}="x"', '{{a="b"}} | logfmt {w}', '{{a="b"}} | label_format {w}=x',
          '{{a="b"}} | label_format x={w}', '{{a="b"}} | drop {w}', '{{a="b"}} | keep {w}="x"',
          'max_over_time({{a="b"}} | unwrap {w} [1m])',
          'sum(rate({{a="b"}}[1m])) / on ({w}) group_left ({w}) sum(rate({{a="b"}}[1m]))']
KEYWORD_QUERIES = [(w, place.format(w=w)) for w in WORDS for place in PLACES]


@pytest.fixture(scope="module")
def lezer(tree):
    rendered = [e for _, e in _rendered_exprs(tree)]
    queries = VALID + INVALID + [q for _, q in LOKI_ONLY] + [q for _, q in KEYWORD_QUERIES]
    queries += [q for _, q in GRAMMAR_STRICTER] + rendered
    return rendered, dict(zip(queries, [r["ok"] for r in check("logql", queries)]))


@pytest.mark.tool("node")
def test_both_parsers_accept_every_valid_query_and_every_rendered_one(lezer):
    rendered, verdict = lezer
    assert len(VALID) >= 90 and len(rendered) >= 3, "the corpus is too small to prove anything"
    disagree = [(q, verdict[q], problem(q)) for q in VALID + rendered if not verdict[q] or problem(q) is not None]
    assert disagree == []


@pytest.mark.tool("node")
def test_both_parsers_refuse_every_invalid_query(lezer):
    _, verdict = lezer
    assert len(INVALID) >= 40
    disagree = [(q, verdict[q], problem(q)) for q in INVALID if verdict[q] or problem(q) is None]
    assert disagree == []


@pytest.mark.tool("node")
def test_both_parsers_agree_where_a_keyword_stands_for_a_label_name(lezer):
    """Loki's lexer makes by, without, and, or, unless and ip tokens wherever they stand, and its
    on/ignoring/group_* lists take identifiers only: the grammar takes those as label names, obsgen
    follows Loki."""
    _, verdict = lezer
    disagree = []
    for w, q in KEYWORD_QUERIES:
        mine = problem(q) is None
        loki_stricter = w in LOKI_KEYWORDS or (" on (" in q and w in KEYWORDS)
        if verdict[q] != mine and not (verdict[q] and not mine and loki_stricter):
            disagree.append((q, verdict[q], problem(q)))
    assert disagree == []
    assert 0 < sum(verdict[q] for _, q in KEYWORD_QUERIES) < len(KEYWORD_QUERIES), "nothing told apart"


@pytest.mark.parametrize("query", [pytest.param(q, id=i) for i, q in LOKI_ONLY])
@pytest.mark.tool("node")
def test_obsgen_follows_loki_where_the_grammar_is_more_permissive(query, lezer):
    _, verdict = lezer
    assert verdict[query], "the grammar refuses it too: move it to invalid.txt"
    assert problem(query) is not None


def test_the_build_time_parser_alone_on_the_corpus():
    """The same verdicts without Node, so the build's own check is tested wherever Python is."""
    wrong = [q for q in VALID if problem(q) is not None]
    wrong += [q for q in INVALID + [q for _, q in LOKI_ONLY] if problem(q) is None]
    assert wrong == []


@pytest.mark.parametrize("query", [pytest.param(q, id=i) for i, q in GRAMMAR_STRICTER])
@pytest.mark.tool("node")
def test_obsgen_follows_loki_where_the_grammar_is_stricter(query, lezer):
    _, verdict = lezer
    assert not verdict[query], "the grammar takes it too: move it to valid.txt"
    assert problem(query) is None
