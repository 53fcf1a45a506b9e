"""Checks that keep a build safe and its output usable:
names that become paths, regimes and endpoints of the region table, retention against what the
rules read, SLO arithmetic that cannot mean anything, expressions Prometheus would refuse at
evaluation (range vectors, strings, regexes RE2 does not take), literal secrets in channels."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

import promql_parser as pp

from obsgen import duration, promql
from obsgen.model import CrossBorder, Estate, LatencyThreshold, Region, Residency, applies

MAX_NAME = 100        # a name that becomes a file name (group, SLO id, dashboard): well under NAME_MAX
_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

# --- names that become path components --------------------------------------------------------


def group(c, obj, what: str, value) -> None:
    """A rule group's name is part of a file name under generated/."""
    if not isinstance(value, str) or not _GROUP.match(value) or ".." in value:
        c.fail(obj, what, f"group must be letters, digits, '-', '_' or '.' (it names a file), got {value!r}")
    if len(value) > MAX_NAME:
        c.fail(obj, what, f"group is {len(value)} characters long; at most {MAX_NAME} (it names a file)")


def name_length(c, obj, what: str, field: str, value) -> None:
    if isinstance(value, str) and len(value) > MAX_NAME:
        c.fail(obj, what, f"{field} is {len(value)} characters long; at most {MAX_NAME} (it names a file)")


# --- the region table ------------------------------------------------------------------------

_HOURS = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")
_ENDPOINTS = ("prometheus_url", "alertmanager_url", "grafana_url", "loki_url", "elasticsearch_url", "thanos_sidecars")


def region(c, r: Region) -> None:
    what = f"region {r.name}"
    name_length(c, r, what, "name", r.name)
    for field, enum in (("residency", Residency), ("cross_border", CrossBorder)):
        if getattr(r, field) not in set(enum):
            c.fail(r, what, f"{field} must be one of {', '.join(enum)} (obsgen.model.{enum.__name__}), "
                            f"got {getattr(r, field)!r}")
    hours = _HOURS.match(r.business_hours)
    if hours:
        start, end = int(hours[1]) * 60 + int(hours[2]), int(hours[3]) * 60 + int(hours[4])
        if start >= end:
            c.fail(r, what, f"business_hours {r.business_hours} end before they start: Alertmanager's time "
                            "intervals cannot cross midnight; give hours within one day, like 09:00-17:00")


def host(value) -> str | None:
    """The host an endpoint names: of a URL, or of host:port."""
    if not isinstance(value, str) or not value:
        return None
    text = value if "://" in value else f"//{value}"
    try:
        return (urlsplit(text).hostname or "").lower() or None
    except ValueError:
        return None


def endpoints(obj, field: str) -> list[str]:
    """The endpoints a field holds: one URL, or each host:port of a tuple (a region's sidecars)."""
    value = getattr(obj, field, None)
    return [v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, str) and v]


def residency(c, estate: Estate) -> None:
    """Every endpoint of an isolated region lies in that region: none is the host of another
    region's endpoint or of the global view's."""
    for r in estate.regions:
        if not r.isolated:
            continue
        elsewhere: dict[str, str] = {}
        for other in estate.regions:
            if other.name != r.name:
                for field in _ENDPOINTS:
                    for value in endpoints(other, field):
                        h = host(value)
                        if h:
                            elsewhere.setdefault(h, f"region {other.name}'s {field}")
        for gv in estate.global_views:
            for field in ("query_url", "alertmanager_url", "store_gateways", "rulers"):
                for value in endpoints(gv, field):
                    h = host(value)
                    if h:
                        elsewhere.setdefault(h, f"the global view's {field}")
        for field in _ENDPOINTS:
            for value in endpoints(r, field):
                h = host(value)
                if h and h in elsewhere:
                    c.fail(r, f"region {r.name}", f"is isolated, but its {field} {value} points at {h}, which is "
                                                  f"{elsewhere[h]}: an isolated region's data stays on its own endpoints")


def retention(c, estate: Estate) -> None:
    """The SLO's period must fit in the region's retention: the period's rules sum recorded
    windows at offsets reaching back the whole period, and Prometheus keeps those recorded
    series no longer than the raw samples."""
    for s in estate.slos:
        for r in estate.regions:
            if not applies(s, r):
                continue
            if duration.seconds(s.period) > duration.seconds(r.retention):
                c.fail(s, f"slo {s.service}/{s.name}",
                       f"period {s.period} is longer than region {r.name}'s retention {r.retention}: its rules would "
                       f"read {s.period} back and find only {r.retention}; give {r.name} its own SLO with a period "
                       f"that fits (regions=...), or leave {r.name} out")


# --- SLO arithmetic --------------------------------------------------------------------------


def slo(c, s) -> None:
    what = f"slo {s.service}/{s.name}"
    name_length(c, s, what, "service and name", f"{s.service}-{s.name}")
    if isinstance(s.sli, LatencyThreshold) and isinstance(s.sli.threshold, float) and not math.isfinite(s.sli.threshold):
        c.fail(s, what, f"sli.threshold must be a finite number of seconds, got {s.sli.threshold!r}")
    period = duration.seconds(s.period)
    for row in s.burn_windows:
        if duration.seconds(row.long) > period:
            c.fail(s, what, f"the {row.tier} alert's long window {row.long} is longer than the period {s.period}: "
                            "it would read errors from before the period began")
        if row.severity == "critical" and row.factor < 1:
            c.fail(s, what, f"the {row.tier} alert {row.long}/{row.short} would page at a burn rate of {row.factor:g}, "
                            f"below 1 (the budget would outlast the period): the period {s.period} is too short for "
                            "this policy; use a period of days (28d, 30d) or set alerting=")


def objective_message(objective, region: str | None) -> str:
    where = f"objective_overrides[{region!r}]" if region else "objective"
    if isinstance(objective, (int, float)) and not isinstance(objective, bool) and 0 < objective < 1:
        return (f"{where} is {objective!r}: objectives are percentages, did you mean {objective * 100:g}?")
    return f"{where} must be a percentage between 0 and 100 exclusive, got {objective!r}"


# --- expressions -----------------------------------------------------------------------------


def result_type(c, obj, what: str, field: str, expr: str, tree=None) -> None:
    """A rule's expression must give an instant vector or a scalar; Prometheus fails a rule that
    gives a range vector or a string at every evaluation."""
    node = tree if tree is not None else promql.parse(expr)
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    kind = {pp.MatrixSelector: "a range vector", pp.SubqueryExpr: "a range vector",
            pp.StringLiteral: "a string"}.get(type(node))
    if kind:
        c.fail(obj, what, f"{field} gives {kind}; a rule needs an instant vector or a scalar: {expr!r}")


def regexes(c, obj, what: str, field: str, expr: str, tree=None) -> None:
    if "~" not in expr and "label_replace" not in expr:
        return
    for regex in _regexes(tree if tree is not None else promql.parse(expr)):
        problem = re2_problem(regex)
        if problem:
            c.fail(obj, what, f"{field}: regex {regex!r} is not RE2, which Prometheus uses: {problem}")


def _regexes(tree) -> list[str]:
    found: list[str] = []

    def visit(node):
        if isinstance(node, pp.VectorSelector):
            found.extend(m.value for m in node.matchers.matchers if str(m.op) in ("MatchOp.Re", "MatchOp.NotRe"))
        elif isinstance(node, pp.Call) and node.func.name == "label_replace" and len(node.args) == 5:
            arg = node.args[4]
            if isinstance(arg, pp.StringLiteral):
                found.append(arg.val)
        return None

    pp.transform(tree, pre_visit=visit)
    return found


_RE2_REFUSES = (
    (re.compile(r"\(\?<?[=!]"), "lookaround (?= (?! (?<= (?<! is not supported"),
    (re.compile(r"\(\?<[A-Za-z_]"), "named groups are written (?P<name>...) in Prometheus's RE2"),
    (re.compile(r"\(\?>"), "atomic groups (?>...) are not supported"),
    (re.compile(r"(?<!\\)\\[1-9]"), "backreferences \\1... are not supported"),
    (re.compile(r"(?<!\\)\\[kgGZR]"), "\\k \\g \\G \\Z \\R escapes are not supported"),
    (re.compile(r"[*+?}][+]"), "possessive quantifiers (*+ ++ ?+) are not supported"),
)
_REPEAT = re.compile(r"(?<!\\)\{(\d+)(?:,(\d*))?\}")


def re2_problem(regex: str) -> str | None:
    """Why Go's regexp/syntax (RE2) refuses `regex`, for the constructs other engines (PCRE, Rust's
    regex crate, which the PromQL parser uses) take; None when none of them is there."""
    for pattern, problem in _RE2_REFUSES:
        if pattern.search(regex):
            return problem
    for m in _REPEAT.finditer(regex):
        if any(n and int(n) > 1000 for n in m.groups()):
            return "a repeat count is over 1000 (RE2's limit)"
    return None


# --- secrets in channels ---------------------------------------------------------------------

_SECRET_PARAMS = {"token", "access_token", "key", "api_key", "apikey", "secret", "password", "sig", "signature", "code"}
_SECRET_HOST_PATHS = (
    ("hooks.slack.com", "/services/"), ("oapi.dingtalk.com", "/robot/send"),
    ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send"), ("events.pagerduty.com", "/integration/"),
    ("outlook.office.com", "/webhook/"), ("discord.com", "/api/webhooks/"),
)
_SECRET_WORDS = re.compile(r"(pass(word)?|secret|token|api[_-]?key|routing[_-]?key|service[_-]?key)", re.I)
_LONG_KEY = re.compile(r"^[A-Za-z0-9+/_=-]{32,}$")


def secret_problem(key: str, value) -> str | None:
    """Why `value` (option `key` of a channel) looks like a credential, or None."""
    if not isinstance(value, str):
        return None
    if _SECRET_WORDS.search(key):
        return f"option {key!r} holds a credential"
    try:
        parts = urlsplit(value if "://" in value else f"//{value}")
        password = parts.password
    except ValueError:
        return None
    if password:
        return f"option {key!r} carries a password in its URL"
    hostname = (parts.hostname or "").lower()
    for known, path in _SECRET_HOST_PATHS:
        if hostname == known and parts.path.startswith(path):
            return f"option {key!r} is a {known} URL, whose path or query is the secret"
    if any(p.lower() in _SECRET_PARAMS for p in parse_qs(parts.query)):
        return f"option {key!r} carries a token in its query string"
    if _LONG_KEY.match(value) and not value.isalpha():
        return f"option {key!r} looks like a key"
    return None


def channels(c, r: Region) -> None:
    for ch in r.channels:
        what = f"region {r.name} channel {ch.kind} {ch.target}"
        values = {"target": ch.target, **(dict(ch.options) if isinstance(ch.options, Mapping) else {})}
        for key, value in values.items():
            problem = secret_problem(key, value)
            if problem:
                c.fail(ch, what, f"{problem}: secrets come only from secret_env or secret_file, never the definitions")
