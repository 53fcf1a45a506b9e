"""PromQL checks and rewrites on the parsed tree, never on template strings."""
from __future__ import annotations

import promql_parser as pp


def parse(expr: str):
    """The parsed expression; ValueError with the parser's message when it does not parse."""
    if not isinstance(expr, str) or not expr.strip():
        raise ValueError("empty expression")
    return pp.parse(expr)


def check(expr: str) -> str:
    """The expression in canonical form, or ValueError."""
    return str(parse(expr))


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


def with_matcher(expr: str, matcher: str) -> str:
    """Add `matcher` (e.g. 'region=~"a|b"') to every series selector in `expr`."""

    def visit(node):
        if isinstance(node, pp.VectorSelector):
            text = selector(node.name or "", [str(m) for m in node.matchers.matchers] + [matcher])
            if node.offset is not None:
                text += " offset " + pp.display_duration(node.offset)
            return pp.parse(text)
        return None

    return str(pp.transform(parse(expr), pre_visit=visit))


def quote(value: str) -> str:
    """A label value as a PromQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def regex_alternatives(values) -> str:
    """An anchored-by-Prometheus regex matching exactly these literal values."""
    import re

    return "|".join(re.escape(v).replace("\\-", "-") for v in sorted(values))
