"""PromQL checks and rewrites on the parsed tree, never on template strings."""
from __future__ import annotations

import re
from functools import lru_cache

import promql_parser as pp


def parse(expr: str):
    """The parsed expression; ValueError with the parser's message when it does not parse."""
    if not isinstance(expr, str) or not expr.strip():
        raise ValueError("empty expression")
    return pp.parse(expr)


def assert_parses(expr: str) -> None:
    """ValueError unless `expr` parses, as `parse` would say. Whether it parses does not depend
    on which plain word a string literal holds (`service="a"` or `service="b"`), only on whether
    the word is a valid label name; so a rendered expression alike but for such words is parsed
    once (200 services' SLO rules: once per shape)."""
    plain = "\x00" not in expr and "\\" not in expr     # no escapes: every `"word"` is a whole literal
    shape = None if not plain else _WORD.sub('"\x00word"', _NAME.sub('"\x00name"', expr))
    if shape is not None and shape in _PARSES:
        return
    parse(expr)
    if shape is not None:
        if len(_PARSES) > 100_000:
            _PARSES.clear()
        _PARSES.add(shape)


_PARSES: set[str] = set()
_NAME = re.compile(r'"[A-Za-z_][A-Za-z0-9_]*"')
_WORD = re.compile(r'"[A-Za-z0-9_-]+"')


def check(expr: str) -> str:
    """The expression in canonical form, or ValueError."""
    return unparse(parse(expr))


def unparse(tree) -> str:
    """PromQL text of a parsed tree. The parser's own printer writes string values without
    their escapes (a regex matching a literal dot comes back with a lone backslash, which
    Prometheus rejects), so every string is swapped for a placeholder before printing and
    written back properly quoted after."""
    literals: dict[str, str] = {}

    def token(value: str) -> str:
        key = f"obsgen_literal_{len(literals)}"
        literals[key] = quote(value)
        return key

    def visit(node):
        if isinstance(node, pp.StringLiteral):
            return pp.parse(f'"{token(node.val)}"')
        if isinstance(node, pp.VectorSelector):
            matchers = [f"{m.name}{_OPS[str(m.op)]}\"{token(m.value)}\"" for m in node.matchers.matchers]
            text = selector(node.name or "", matchers)
            if node.offset is not None:
                text += " offset " + pp.display_duration(node.offset)
            return pp.parse(text)
        return None

    # The printer spells a bare selector `x{}`; strings are placeholders here, so this is safe.
    text = re.sub(r"([a-zA-Z0-9_:])\{\}", r"\1", str(pp.transform(tree, pre_visit=visit)))
    for key, literal in literals.items():
        text = text.replace(f'"{key}"', literal)
    return text


def is_selector(expr: str) -> bool:
    try:
        return isinstance(parse(expr), pp.VectorSelector)
    except ValueError:
        return False


def selector_parts(selector: str) -> tuple[str, list[str]]:
    """('metric', ['a="b"', ...]) of a plain vector selector."""
    node = parse(selector)
    if not isinstance(node, pp.VectorSelector):
        raise ValueError(f"not a plain series selector: {selector}")
    return node.name or "", [str(m) for m in node.matchers.matchers]


def selector(name: str, matchers: list[str] | tuple[str, ...] = ()) -> str:
    inner = ",".join(m for m in matchers if m)
    return f"{name}{{{inner}}}" if inner else name


@lru_cache(maxsize=65_536)   # the same panel query in every region
def with_matcher(expr: str, matcher: str) -> str:
    """Add `matcher` (e.g. 'region=~"a|b"') to every series selector in `expr`. Expressions alike
    but for the plain words their string literals hold (200 services' panel queries) are
    rewritten once: each word stands in the tree as a literal of its own, which the rewrite
    carries through unchanged, so the words are held out and put back."""
    held = _hold_words(expr)
    if held is not None:
        try:
            template = _with_matcher_held(held[0], matcher)
        except ValueError:     # said again below, in the user's own words
            template = None
        if template is not None:
            words = held[1]
            return _HELD.sub(lambda m: words[int(m.group(1))], template)
    return _with_matcher(expr, matcher)


_HELD = re.compile(r'"obsgen_held_(\d+)"')
_HELD_NAME = "obsgen_held_"


def _hold_words(expr: str) -> tuple[str, list[str]] | None:
    """(expr with its i-th plain-word literal replaced by "obsgen_held_<i>", the literals), or None
    where a literal could hold a quote or escape, or a comment a quote (then literals cannot be
    told apart by plain search)."""
    if any(c in expr for c in "\\'`#") or _HELD_NAME in expr:
        return None
    words: list[str] = []

    def hold(m: re.Match) -> str:
        words.append(m.group(0))
        return f'"{_HELD_NAME}{len(words) - 1}"'

    held = _NAME.sub(hold, expr)
    return (held, words) if words else None


@lru_cache(maxsize=4_096)
def _with_matcher_held(held: str, matcher: str) -> str | None:
    """The rewrite of a held expression, or None unless every held word comes back once, quoted,
    and nowhere else."""
    out = _with_matcher(held, matcher)
    found = sorted(int(n) for n in _HELD.findall(out))
    if found != list(range(held.count(_HELD_NAME))) or _HELD_NAME in _HELD.sub("", out) or _HELD_NAME in matcher:
        return None
    return out


def _with_matcher(expr: str, matcher: str) -> str:
    def visit(node):
        if isinstance(node, pp.VectorSelector):
            extra = pp.parse(f"x{{{matcher}}}").matchers.matchers[0]
            return _with_extra(node, extra)
        return None

    return unparse(pp.transform(parse(expr), pre_visit=visit))


def _with_extra(node, extra):
    """The selector `node` with one more matcher, keeping its offset."""
    matchers = [f"{m.name}{_OPS[str(m.op)]}{quote(m.value)}" for m in [*node.matchers.matchers, extra]]
    text = selector(node.name or "", matchers)
    if node.offset is not None:
        text += " offset " + pp.display_duration(node.offset)
    return pp.parse(text)


_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}


def quote(value: str) -> str:
    """A label value as a PromQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def regex_alternatives(values) -> str:
    """An anchored-by-Prometheus regex matching exactly these literal values."""
    return "|".join(re.escape(v).replace("\\-", "-") for v in sorted(values))
