"""A recursive-descent parser of LogQL as Loki takes it (its lexer and grammar, pkg/logql/syntax/lex.go
and syntax.y, and the checks it runs after parsing), so that `obsgen build` refuses a broken query with Python alone.
`problem(query)` is None for a query Loki accepts, else why not. tests/pipelines/test_logql_parser.py
holds it against Grafana's own grammar (@grafana/lezer-logql) on a corpus of valid and invalid queries."""
from __future__ import annotations

import re
from dataclasses import dataclass

from obsgen.validate.safety import re2_problem


class LogQLError(ValueError):
    pass


@dataclass(frozen=True)
class _Tok:
    kind: str   # STR NUM DUR BYTES RANGE ID OP FLAG EOF
    text: str
    at: int
    value: str = ""


_OPS = ("|=", "|~", "|>", "!=", "!~", "!>", "=~", "==", ">=", "<=",
        "|", "=", ">", "<", "+", "-", "*", "/", "%", "^", "{", "}", "(", ")", "]", ",")
_SPACE = re.compile(r"(?:\s+|#[^\n]*)+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FLAG = re.compile(r"--[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Loki's lexer (pkg/logql/syntax/lex.go): after a number it takes the longest run of duration
# characters, then of size characters, and keeps it when it parses; else the number stands alone.
_DURATION_RUN = re.compile(r"[0-9.nuµmshdwy]+")
_BYTES_RUN = re.compile(r"[0-9.BikKMGTP]+")
_PROM_DURATION = re.compile(r"(?=.)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?")
_GO_DURATION = re.compile(r"(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|ms|s|m|h))+")
_BYTES = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:b|kb|kib|mb|mib|gb|gib|tb|tib|pb|pib)?", re.I)
# Go string escapes (strconv.Unquote): Loki unquotes every "..." string.
_GO_STRING = re.compile(r'"(?:[^"\\\n]|\\(?:[abfnrtv\\"]|x[0-9A-Fa-f]{2}|[0-7]{3}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*"')
_GO_ESCAPE = re.compile(r'\\(?:([abfnrtv\\"])|x([0-9A-Fa-f]{2})|([0-7]{3})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_ESC = dict(zip("abfnrtv\\\"", "\a\b\f\n\r\t\v\\\""))


def _unquote(body: str) -> str:
    def one(m):
        if m.group(1):
            return _ESC[m.group(1)]
        for base, group in ((16, 2), (8, 3), (16, 4), (16, 5)):
            if m.group(group):
                return chr(int(m.group(group), base))
        raise AssertionError(m.group(0))
    return _GO_ESCAPE.sub(one, body)


def _duration(text: str) -> bool:
    return bool(_PROM_DURATION.fullmatch(text) or _GO_DURATION.fullmatch(text))


def _lex(src: str) -> list[_Tok]:
    out, at = [], 0
    while True:
        m = _SPACE.match(src, at)
        at = m.end() if m else at
        if at >= len(src):
            out.append(_Tok("EOF", "", at))
            return out
        kind, end, value = _token(src, at)
        text = src[at:end]
        if kind == "ID" and text.lower() in _ANY_CASE:
            text = text.lower()
        out.append(_Tok(kind, text, at, value))
        at = end


def _token(src: str, at: int) -> tuple[str, int, str]:
    """(kind, end, unquoted value of a string) of the token at `at`."""
    ch = src[at]
    if ch == '"':
        m = _GO_STRING.match(src, at)
        if not m:
            raise LogQLError(f"unterminated string or invalid escape at {at + 1}")
        return "STR", m.end(), _unquote(m.group(0)[1:-1])
    if ch == "`":
        end = src.find("`", at + 1)
        if end < 0:
            raise LogQLError(f"unterminated string at {at + 1}")
        return "STR", end + 1, src[at + 1:end]
    if ch.isdigit() or (ch == "." and src[at + 1:at + 2].isdigit()):
        number = _NUMBER.match(src, at)
        for run, parses, kind in ((_DURATION_RUN, _duration, "DUR"), (_BYTES_RUN, _BYTES.fullmatch, "BYTES")):
            more = run.match(src, number.end())
            if more and parses(number.group(0) + more.group(0)):
                return kind, more.end(), ""
        return "NUM", number.end(), ""
    if ch == "[":
        end = src.find("]", at)
        if end < 0:
            raise LogQLError(f"missing closing ']' in duration at {at + 1}")
        if not _PROM_DURATION.fullmatch(src[at + 1:end]):
            raise LogQLError(f"{src[at + 1:end]!r} at {at + 2} is not a range duration such as 5m")
        return "RANGE", end + 1, ""
    flag = _FLAG.match(src, at)
    if flag:
        return "FLAG", flag.end(), ""
    ident = _IDENT.match(src, at)
    if ident:
        return "ID", ident.end(), ""
    op = next((o for o in _OPS if src.startswith(o, at)), None)
    if op is None:
        raise LogQLError(f"unexpected character {ch!r} at {at + 1}")
    return "OP", at + len(op), ""


RANGE_OPS = frozenset({"count_over_time", "rate", "rate_counter", "bytes_over_time", "bytes_rate", "absent_over_time",
                       "avg_over_time", "sum_over_time", "min_over_time", "max_over_time", "stdvar_over_time",
                       "stddev_over_time", "quantile_over_time", "first_over_time", "last_over_time"})
# Loki's RangeAggregationExpr.validate: which need `| unwrap`, which refuse it, which take `by`.
_WITHOUT_UNWRAP = frozenset({"count_over_time", "rate", "bytes_over_time", "bytes_rate", "absent_over_time"})
_WITH_UNWRAP = RANGE_OPS - {"count_over_time", "bytes_over_time", "bytes_rate"}
_GROUPABLE = frozenset({"avg_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time",
                        "max_over_time", "min_over_time", "first_over_time", "last_over_time"})
VECTOR_OPS = frozenset({"sum", "avg", "count", "max", "min", "stddev", "stdvar", "topk", "bottomk", "sort",
                        "sort_desc", "approx_topk"})
# Words Grafana's grammar reserves: never a label name (by, without, and, or, function names are not).
KEYWORDS = frozenset({"bool", "decolorize", "drop", "group_left", "group_right", "ignoring", "json", "keep",
                      "label_format", "label_replace", "line_format", "logfmt", "offset", "on", "pattern", "regexp",
                      "unpack", "unwrap", "vector"})
# Words Loki's lexer always makes tokens (lex.go `tokens`), so never an IDENTIFIER; the grammar lets them be labels.
LOKI_KEYWORDS = frozenset({"by", "without", "and", "or", "unless", "ip", "variants", "of"})
# Words both Loki and Grafana's grammar take in any case (SUM, By, JSON); range aggregations, unwrap
# conversions and ip the grammar takes in lower case only.
_ANY_CASE = VECTOR_OPS | KEYWORDS | (LOKI_KEYWORDS - {"ip"}) | {"label_replace", "vector", "unwrap"}
_WITH_PARAM = frozenset({"topk", "bottomk", "approx_topk"})
_BINARY = {"or": 1, "and": 2, "unless": 2, "==": 3, "!=": 3, ">": 3, ">=": 3, "<": 3, "<=": 3,
           "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "^": 6}
_COMPARISONS = frozenset({"==", "!=", ">", ">=", "<", "<="})
_LINE_FILTERS = frozenset({"|=", "!=", "|~", "!~", "|>", "!>"})
_STR_MATCH = frozenset({"=", "!=", "=~", "!~"})
_NUM_COMPARE = frozenset({"=", "==", "!=", ">", ">=", "<", "<="})
_CAPTURE = re.compile(r"<(_|[A-Za-z_][A-Za-z0-9_]*)>")
_RE2_CLASS = re.compile(r"\\[pP](?:\{[A-Za-z_]+\}|[A-Za-z])|\[\[:\^?[a-z]+:\]\]|\\[Qz]")
# RE2 syntax Python's re spells differently or not at all, replaced before Python compiles the rest:
# flag groups anywhere ((?i) (?U) (?s:...)), Unicode classes, POSIX classes, \Q \z.
_RE2_FLAGS = re.compile(r"\(\?[imsU]*(?:-[imsU]+)?(?=[:)])")


def _regex(text: str) -> re.Pattern:
    # re2_problem reads `}+` as a possessive quantifier; after \p{Greek} it is a plain repeat.
    problem = re2_problem(re.sub(r"\\[pP]\{[A-Za-z_]+\}", r"\\pL", text))
    if problem:
        raise LogQLError(f"regex {text!r} is not RE2: {problem}")
    try:
        return re.compile(_RE2_FLAGS.sub("(?", _RE2_CLASS.sub("x", text)).replace("(?)", ""))
    except re.error as exc:
        raise LogQLError(f"regex {text!r} does not compile: {exc}") from None


class _Parser:
    def __init__(self, src: str):
        self.toks, self.i = _lex(src), 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def peek(self, n: int = 1) -> _Tok:
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def fail(self, what: str):
        t = self.tok
        found = "the end of the query" if t.kind == "EOF" else repr(t.text)
        raise LogQLError(f"{what}, found {found} at {t.at + 1}")

    def take(self, kind: str, text: str | None = None) -> _Tok | None:
        t = self.tok
        if t.kind == kind and (text is None or t.text == text):
            self.i += 1
            return t
        return None

    def need(self, kind: str, text: str | None = None, what: str | None = None) -> _Tok:
        t = self.take(kind, text)
        if t is None:
            self.fail(f"expected {what or text or kind.lower()}")
        return t

    def label_name(self, what: str) -> _Tok:
        if self.tok.kind == "ID" and self.tok.text in KEYWORDS | LOKI_KEYWORDS:
            self.fail(f"expected {what} ({self.tok.text} is a LogQL keyword)")
        return self.need("ID", what=what)

    def is_word(self, *words: str) -> bool:
        return self.tok.kind == "ID" and self.tok.text in words

    # --- expressions: returns "log" or "metric" ("number" for a literal) -------------------------

    def query(self) -> str:
        kind = self.expr(1)
        if self.tok.kind != "EOF":
            self.fail("expected an operator or the end of the query")
        return kind

    def expr(self, floor: int) -> str:
        left = self.unary()
        while True:
            t = self.tok
            op = t.text if (t.kind == "OP" or t.kind == "ID") and t.text in _BINARY else None
            if op is None or _BINARY[op] < floor:
                return left
            self.i += 1
            returns_bool = self.take("ID", "bool") is not None
            if returns_bool and op not in _COMPARISONS:
                raise LogQLError(f"bool is only for comparison operators, not {op!r}")
            if self.tok.kind == "ID" and self.tok.text in ("on", "ignoring"):
                self.i += 1
                self.labels()
                if self.tok.kind == "ID" and self.tok.text in ("group_left", "group_right"):
                    self.i += 1
                    if self.tok.kind == "OP" and self.tok.text == "(":
                        self.labels()
            right = self.expr(_BINARY[op] + (0 if op == "^" else 1))
            if "log" in (left, right):
                raise LogQLError(f"{op!r} joins a log query: binary operators take metric queries and numbers")
            left = "number" if left == right == "number" else "metric"

    def unary(self) -> str:
        t = self.tok
        if t.kind == "NUM":
            self.i += 1
            return "number"
        if t.kind == "OP" and t.text in "+-" and self.peek().kind == "NUM":
            self.i += 2
            return "number"
        if t.kind == "OP" and t.text == "(":
            self.i += 1
            kind = self.expr(1)
            self.need("OP", ")")
            return kind
        if t.kind == "OP" and t.text == "{":
            unwrap = self.log_expr()
            if unwrap:
                raise LogQLError("unwrap is only allowed inside a range aggregation")
            return "log"
        if t.kind == "ID":
            if t.text in RANGE_OPS:
                return self.range_aggregation()
            if t.text in VECTOR_OPS:
                return self.vector_aggregation()
            if t.text == "label_replace":
                return self.label_replace()
            if t.text == "vector":
                self.i += 1
                self.need("OP", "(")
                self.need("NUM", what="a number")
                self.need("OP", ")")
                return "metric"
            self.fail("expected a stream selector, an aggregation or a number (unknown function or keyword)")
        self.fail("expected a stream selector, an aggregation or a number")

    def range_aggregation(self) -> str:
        op = self.need("ID").text
        self.need("OP", "(")
        has_param = False
        if self.tok.kind == "NUM":
            self.i += 1
            self.need("OP", ",")
            has_param = True
        unwrap = self.log_range()
        self.need("OP", ")")
        grouped = self.is_word("by", "without")
        if grouped:
            self.i += 1
            self.labels()
        if has_param != (op == "quantile_over_time"):
            raise LogQLError(f"{op} {'takes no' if has_param else 'needs a'} parameter")
        if unwrap and op not in _WITH_UNWRAP:
            raise LogQLError(f"invalid aggregation {op} with unwrap")
        if not unwrap and op not in _WITHOUT_UNWRAP:
            raise LogQLError(f"invalid aggregation {op} without unwrap")
        if grouped and op not in _GROUPABLE:
            raise LogQLError(f"grouping not allowed for {op} aggregation")
        return "metric"

    def log_range(self) -> bool:
        """Loki's logRangeExpr: selector [pipeline] [unwrap] range [offset], selector range [offset]
        [pipeline] [unwrap], `(` selector [pipeline] [unwrap] `)` range [offset], or one of them in
        parentheses."""
        if self.tok.kind == "OP" and self.tok.text == "(":
            self.i += 1
            if self.tok.kind == "OP" and self.tok.text == "(":
                unwrap = self.log_range()
                self.need("OP", ")")
                return unwrap
            self.selector()
            unwrap = self.pipeline()
            if self.tok.kind == "RANGE":
                unwrap = self.range_then_pipeline(unwrap)
                self.need("OP", ")")
                return unwrap
            self.need("OP", ")")
            self.range()
            return unwrap
        self.selector()
        return self.range_then_pipeline(self.pipeline())

    def range_then_pipeline(self, unwrap: bool) -> bool:
        piped = self.toks[self.i - 1].text != "}"
        self.range()
        return unwrap if piped else self.pipeline()

    def range(self) -> None:
        self.need("RANGE", what="a range such as [5m]")
        if self.is_word("offset"):
            self.i += 1
            self.take("OP", "-")
            self.need("DUR", what="a duration after offset")

    def vector_aggregation(self) -> str:
        op = self.need("ID").text
        grouped = self.is_word("by", "without")
        if grouped:
            self.i += 1
            self.labels()
        self.need("OP", "(")
        has_param = False
        if self.tok.kind == "NUM" and self.peek().kind == "OP" and self.peek().text == ",":
            self.i += 2
            has_param = True
        if self.expr(1) == "log":
            raise LogQLError(f"{op} aggregates a log query: it takes a metric query")
        self.need("OP", ")")
        if not grouped and self.is_word("by", "without"):
            self.i += 1
            self.labels()
        if has_param != (op in _WITH_PARAM):
            raise LogQLError(f"{op} {'takes no' if has_param else 'needs a'} parameter")
        return "metric"

    def label_replace(self) -> str:
        self.i += 1
        self.need("OP", "(")
        if self.expr(1) == "log":
            raise LogQLError("label_replace takes a metric query")
        args = []
        for _ in range(4):
            self.need("OP", ",")
            args.append(self.need("STR", what="a string").value)
        self.need("OP", ")")
        if not _IDENT.fullmatch(args[0]):
            raise LogQLError(f"label_replace: {args[0]!r} is not a label name")
        _regex(args[3])
        return "metric"

    def labels(self) -> None:
        self.need("OP", "(")
        if self.take("OP", ")"):
            return
        self.label_name("a label name")
        while self.take("OP", ","):
            self.label_name("a label name")
        self.need("OP", ")")

    # --- log queries -------------------------------------------------------------------------

    def log_expr(self) -> bool:
        self.selector()
        return self.pipeline()

    def selector(self) -> None:
        self.need("OP", "{", "a stream selector {...}")
        selective = False
        while True:
            name = self.label_name("a label name").text
            op = self.tok
            if not (op.kind == "OP" and op.text in _STR_MATCH):
                self.fail(f"expected = != =~ or !~ after {name}")
            self.i += 1
            value = self.need("STR", what="a quoted value").value
            if op.text in ("=~", "!~"):
                matches_empty = _regex(value).fullmatch("") is not None
            else:
                matches_empty = value == ""
            if op.text.startswith("!"):
                matches_empty = not matches_empty
            selective |= not matches_empty
            if not self.take("OP", ","):
                break
        self.need("OP", "}")
        if not selective:
            raise LogQLError("queries require at least one regexp or equality matcher that does not have an "
                             "empty-compatible value")

    def pipeline(self) -> bool:
        unwrap = False
        while self.tok.kind == "OP" and (self.tok.text == "|" or self.tok.text in _LINE_FILTERS):
            if self.tok.text != "|":
                if unwrap:
                    self.fail("expected only label filters after unwrap")
                self.line_filter()
                continue
            self.i += 1
            filter_next = (self.tok.kind == "ID" and self.tok.text not in _STAGES and self.tok.text != "unwrap"
                           or self.tok.kind == "OP" and self.tok.text == "(")
            if unwrap and not filter_next:
                self.fail("expected only label filters after unwrap")
            if self.is_word("unwrap"):
                self.i += 1
                self.unwrap()
                unwrap = True
            elif self.tok.kind == "ID" and self.tok.text in _STAGES:
                _STAGES[self.tok.text](self)
            else:
                self.label_filter_or()
        return unwrap

    def line_filter(self) -> None:
        op = self.need("OP").text
        while True:
            if self.is_word("ip") and op in ("|=", "!="):
                self.i += 1
                self.need("OP", "(")
                self.need("STR", what="an address")
                self.need("OP", ")")
            else:
                value = self.need("STR", what=f"a string after {op}").value
                if op in ("|~", "!~"):
                    _regex(value)
            if not self.take("ID", "or"):
                return

    def unwrap(self) -> None:
        if self.is_word("duration", "duration_seconds", "bytes") and self.peek().text == "(":
            self.i += 2
            self.label_name("a label name")
            self.need("OP", ")")
        else:
            self.label_name("a label name to unwrap")

    def extraction_list(self) -> None:
        if self.tok.kind != "ID":
            return
        while True:
            self.label_name("a label name")
            if self.take("OP", "="):
                self.need("STR", what="a quoted expression")
            if not self.take("OP", ","):
                return

    def stage_json(self) -> None:
        self.i += 1
        self.extraction_list()

    def stage_logfmt(self) -> None:
        self.i += 1
        while self.tok.kind == "FLAG":
            if self.tok.text not in ("--strict", "--keep-empty"):
                self.fail("expected --strict or --keep-empty")
            self.i += 1
        self.extraction_list()

    def stage_regexp(self) -> None:
        self.i += 1
        value = self.need("STR", what="a quoted regular expression").value
        if not _regex(value).groupindex:
            raise LogQLError(f"regexp {value!r}: at least one named capture must be supplied")

    def stage_pattern(self) -> None:
        self.i += 1
        value = self.need("STR", what="a quoted pattern").value
        captures = list(_CAPTURE.finditer(value))
        if not any(c.group(1) != "_" for c in captures):
            raise LogQLError(f"pattern {value!r}: at least one capture is required")
        if any(a.end() == b.start() for a, b in zip(captures, captures[1:])):
            raise LogQLError(f"pattern {value!r}: consecutive captures must be separated by literals")

    def stage_word(self) -> None:
        self.i += 1

    def stage_line_format(self) -> None:
        self.i += 1
        self.need("STR", what="a quoted template")

    def stage_label_format(self) -> None:
        self.i += 1
        while True:
            self.label_name("a label name")
            self.need("OP", "=")
            if not self.take("STR"):
                self.label_name("a label name or a quoted template")
            if not self.take("OP", ","):
                return

    def stage_drop_keep(self) -> None:
        self.i += 1
        while True:
            self.label_name("a label name")
            if self.tok.kind == "OP" and self.tok.text in _STR_MATCH:
                op = self.need("OP").text
                value = self.need("STR", what="a quoted value").value
                if op in ("=~", "!~"):
                    _regex(value)
            if not self.take("OP", ","):
                return

    def label_filter_or(self) -> None:
        self.label_filter_and()
        while self.take("ID", "or"):
            self.label_filter_and()

    def label_filter_and(self) -> None:
        self.label_filter_atom()
        while True:
            # Loki's grammar joins two label filters side by side with `and` too (`labelFilter labelFilter`).
            joined = self.take("ID", "and") or self.take("OP", ",")
            if not (joined or self.tok.kind == "ID" and self.tok.text not in ("or", "offset")
                    or self.tok.kind == "OP" and self.tok.text == "("):
                return
            self.label_filter_atom()

    def label_filter_atom(self) -> None:
        if self.take("OP", "("):
            self.label_filter_or()
            self.need("OP", ")")
            return
        name = self.label_name("a label filter, a parser or a pipeline stage").text
        op = self.tok
        if op.kind != "OP" or op.text not in _STR_MATCH | _NUM_COMPARE:
            self.fail(f"expected a comparison after {name}")
        self.i += 1
        if op.text in ("=", "!=") and self.is_word("ip"):
            self.i += 1
            self.need("OP", "(")
            self.need("STR", what="an address")
            self.need("OP", ")")
            return
        value = self.tok
        if value.kind == "STR" and op.text in _STR_MATCH:
            self.i += 1
            if op.text in ("=~", "!~"):
                _regex(value.value)
            return
        if op.text in _NUM_COMPARE:
            self.take("OP", "-")
            if self.tok.kind in ("NUM", "DUR", "BYTES"):
                self.i += 1
                return
        self.fail(f"expected a {'quoted value' if op.text in ('=~', '!~') else 'value'} after {name} {op.text}")


_STAGES = {
    "json": _Parser.stage_json, "logfmt": _Parser.stage_logfmt, "regexp": _Parser.stage_regexp,
    "pattern": _Parser.stage_pattern, "unpack": _Parser.stage_word, "decolorize": _Parser.stage_word,
    "line_format": _Parser.stage_line_format, "label_format": _Parser.stage_label_format,
    "drop": _Parser.stage_drop_keep, "keep": _Parser.stage_drop_keep,
}


def parse(query: str) -> str:
    """"log" or "metric" ("number" for a literal); LogQLError when Loki would refuse the query."""
    if not isinstance(query, str) or not query.strip():
        raise LogQLError("empty query")
    return _Parser(query).query()


def problem(query: str) -> str | None:
    try:
        parse(query)
    except LogQLError as exc:
        return str(exc)
    return None
