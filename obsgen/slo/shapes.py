"""SLOs whose rules are one shape: proven once, the others by equivalence.

At 200 services most SLOs are the same rules with other names: `service="a"` where another has
`service="b"`. Each SLO's shape is its rule group and its definition with the SLO's own names
(its tokens: service, name, label values, the values its SLI selects with `=`) replaced by
placeholders, wherever they stand as a whole string literal or label value. Two SLOs of one shape
differ only by a renaming of those values, so Prometheus evaluates the second on renamed input
as the first on the original, and the second's proof would be the first's, renamed. So only the
first of each shape (by id) gets a proof file; the others are listed in an index beside it.

Why the renaming cannot change what a rule does: every literal equal to a token is a
placeholder (also where it is not a matcher: a label_replace argument), so a literal kept as it
is equals no token of either SLO; and every other literal, read as a regular expression, must
match the same tokens in both (`bits`), so no regex tells a token from its renamed value.
Annotations are plain text, not evaluated: they must equal what the proof would expect.
A rule that differs in anything else (one service's rule broken) is a shape of its own and gets
its own proof.
"""
from __future__ import annotations

import dataclasses
import json
import re

from obsgen.model import SLO, Region
from obsgen.slo import alerts

_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_DOUBLE = re.compile(r'"[^"]*"')
_EQUALS = re.compile(r'(?<![!=~])=\s*("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')')
# Fields of an SLO that are its names or plain text: not part of its shape (annotations, which
# carry the description and runbook, are compared whole instead).
_NAMES = {"service", "name", "labels", "description", "runbook", "site", "regions", "objective_overrides"}


def tokens(slo: SLO) -> tuple[str, ...]:
    """The SLO's own names, in a fixed order: service, name, label values by key, then the values
    its SLI's selectors match with `=`. Only plain words (no regex metacharacters)."""
    found = [slo.service, slo.name, *(slo.labels[k] for k in sorted(slo.labels))]
    for f in dataclasses.fields(slo.sli):
        value = getattr(slo.sli, f.name)
        if isinstance(value, str):
            found += [m[1:-1] for m in _EQUALS.findall(value)]
    return tuple(t for t in dict.fromkeys(found) if _TOKEN.fullmatch(t))


class _Abstraction:
    def __init__(self, names: tuple[str, ...]):
        self.index = {t: i for i, t in enumerate(names)}
        self.kept: set[str] = set()      # literals left as they are

    def literal(self, match: re.Match) -> str:
        text = match.group(0)
        i = self.index.get(text[1:-1])
        if i is None:
            self.kept.add(text)
            return text
        return f"{text[0]}\x00{i}{text[0]}"

    def text(self, value: str) -> str:
        if "\\" in value or "'" in value or "`" in value:
            return LITERAL.sub(self.literal, value)
        # Only double-quoted literals without escapes: each `"word"` is a whole literal (the text
        # parses), so plain replacing does what the literal-by-literal pass above does, faster.
        for t, i in self.index.items():
            value = value.replace(f'"{t}"', f'"\x00{i}"')
        self.kept.update(m for m in _DOUBLE.findall(value) if not m.startswith('"\x00'))
        return value

    def value(self, value: str) -> str:
        i = self.index.get(value)
        return value if i is None else f"\x00{i}"

    def bits(self) -> list:
        """For each kept literal, read as an anchored regex, which tokens it matches."""
        out = []
        for text in sorted(self.kept):
            try:
                pattern = re.compile(unquote(text))
            except (ValueError, re.error):   # not read here: the shape keeps its own names
                return [["names", sorted(self.index)]]
            out.append([text, [pattern.fullmatch(t) is not None for t in self.index]])
        return out


def unquote(text: str) -> str:
    """A PromQL string literal's value: raw in backticks, else its escapes read as JSON reads them
    (those Go has and JSON lacks raise ValueError)."""
    body = text[1:-1]
    if text[0] == "`" or "\\" not in body:
        return body
    if text[0] == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    return json.loads(f'"{body}"')


def _definition(slo: SLO, region: Region, ab: _Abstraction) -> list:
    def of(value):
        if dataclasses.is_dataclass(value):
            return [type(value).__name__, *[[f.name, of(getattr(value, f.name))] for f in dataclasses.fields(value)]]
        if isinstance(value, str):
            return ab.text(value) if LITERAL.search(value) else ab.value(value)
        if isinstance(value, (tuple, list)):
            return [of(v) for v in value]
        return repr(value)

    fields = [[f.name, of(getattr(slo, f.name))] for f in dataclasses.fields(slo) if f.name not in _NAMES]
    return [fields, sorted(slo.labels), repr(slo.objective_in(region.name))]


def _expected_annotations(slo: SLO, region: Region) -> list[dict]:
    found = [alerts.burn_annotations(slo, bw, region) for bw in slo.burn_windows]
    if slo.absent_alert:
        found.append(alerts.absent_rule(slo, region)["annotations"])
    return found


def key(slo: SLO, region: Region, rules: list[dict], interval: str | None) -> str:
    """The SLO's shape in the region, from its rendered rules (a group's `rules`) and definition."""
    ab = _Abstraction(tokens(slo))
    expected = _expected_annotations(slo, region)
    # Every expression in one text (a literal never holds the separator): abstracted in one pass.
    exprs = ab.text("\x01".join(str(rule.get("expr", "")) for rule in rules))
    shaped = []
    for rule in rules:
        out = {}
        for k, v in rule.items():
            if k == "expr":
                out[k] = "\x00in exprs"
            elif k == "labels":
                out[k] = {name: ab.value(x) for name, x in v.items()}
            elif k == "annotations":
                out[k] = f"\x00expected {expected.index(v)}" if v in expected else v
            else:
                out[k] = v
        shaped.append(out)
    return json.dumps([len(ab.index), interval, _definition(slo, region, ab), exprs, shaped, ab.bits()],
                      sort_keys=True, ensure_ascii=False)


def renaming(proven: SLO, other: SLO) -> dict[str, str]:
    """The proven SLO's names that the other SLO spells differently, and how."""
    return {a: b for a, b in zip(tokens(proven), tokens(other)) if a != b}
