"""Checks of log definitions: indices, collectors, log alerts, ingest pipelines. The residency rules
ask the region table (isolated, cross_border, audit_retention), never a region's name."""
from __future__ import annotations

import re

from obsgen import duration, names
from obsgen.logs import grok as grok_patterns
from obsgen.logs import logql, plan, sizes
from obsgen.model import SEVERITIES
from obsgen.model.pipeline import DATE_SLOT, REGION_SLOT, LogAlert, LogCollector, LogIndex, LogPipeline
from obsgen.validate.patterns import ALERT_NAME, ENV_NAME, RECORD_KEY, SLUG

_FIELD = re.compile(r"^@?[a-z_][a-z0-9_]*$")   # Elasticsearch fields: also @timestamp
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_MATCHER = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)')


def _region(estate, c, obj, what, name, field):
    if name not in c.region_names:
        c.fail(obj, what, f"{field}: unknown region {name!r} (known: {', '.join(sorted(c.region_names))})")
    return estate.region(name)


def _count(c, obj, what, field, value, least):
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        c.fail(obj, what, f"{field} must be a whole number >= {least}, got {value!r}")


def _keys(c, obj, what, field, keys):
    if isinstance(keys, str):
        c.fail(obj, what, f"{field} must be a tuple of record keys, got the string {keys!r}")
    for key in keys:
        if not isinstance(key, str) or not RECORD_KEY.match(key):
            c.fail(obj, what, f"{field}: invalid record key {key!r}")


def check_index(estate, index: LogIndex, c) -> None:
    what = f"log index {index.name}"
    if not isinstance(index.name, str) or not RECORD_KEY.match(index.name):
        c.fail(index, f"log index {index.name!r}", "name must be lower-case letters, digits and underscores")
    if not isinstance(index.stream, str) or not SLUG.match(index.stream):
        c.fail(index, what, f"stream must be lower-case letters, digits and dashes, got {index.stream!r}")
    want = f"{index.stream}-{REGION_SLOT}-{DATE_SLOT}"
    if index.pattern != want:
        c.fail(index, what, f"pattern must be {want!r} (stream, region, date), got {index.pattern!r}")
    c.duration(index, what, "retention", index.retention)
    for name, value in index.retention_overrides.items():
        _region(estate, c, index, what, name, "retention_overrides")
        c.duration(index, what, f"retention_overrides[{name!r}]", value)
    _count(c, index, what, "shards", index.shards, 1)
    _count(c, index, what, "replicas", index.replicas, 0)
    _keys(c, index, what, "pii_fields", index.pii_fields)
    _keys(c, index, what, "label_keys", index.label_keys)
    for key, kind in index.mappings.items():
        if not isinstance(key, str) or not _FIELD.match(key):
            c.fail(index, what, f"mappings: invalid field name {key!r}")
        c.text(index, what, f"mappings[{key!r}]", kind)
    leaked = sorted(set(index.label_keys) & set(index.pii_fields))
    if leaked:
        c.fail(index, what, f"label_keys would make personal data a Loki label: {', '.join(leaked)}")
    if index.audit:
        for region in estate.regions:
            kept = index.retention_for(region.name)
            if duration.is_duration(region.audit_retention) and duration.seconds(kept) < duration.seconds(region.audit_retention):
                c.fail(index, what, f"retention {kept} in region {region.name} is shorter than its audit retention "
                                    f"{region.audit_retention} (set retention_overrides[{region.name!r}])")
    twins = [i for i in estate.log_indices if i.stream == index.stream]
    if len(twins) > 1 and twins[-1] is index:
        c.fail(index, what, f"stream {index.stream!r} defined twice (also at {c.site(twins[0])})")


def check_collector(estate, col: LogCollector, c) -> None:
    what = f"log collector {col.region}"
    region = _region(estate, c, col, what, col.region, "region")
    _count(c, col, what, "replicas", col.replicas, 1)
    if not sizes.is_size(col.buffer_size):
        c.fail(col, what, f"buffer_size must look like 500MB or 1GB, got {col.buffer_size!r}")
    c.duration(col, what, "flush_interval", col.flush_interval)
    if not isinstance(col.local_storage, bool):
        c.fail(col, what, f"local_storage must be True or False, got {col.local_storage!r}")
    if not isinstance(col.salt_env, str) or not ENV_NAME.match(col.salt_env):
        c.fail(col, what, f"salt_env must name an environment variable, got {col.salt_env!r}")
    _keys(c, col, what, "anonymize", col.anonymize)
    if not region.loki_url:
        c.fail(col, what, f"region {region.name} has no loki_url for its logs")
    storage = _region(estate, c, col, what, col.storage_region, "elasticsearch_region")
    if not storage.elasticsearch_url:
        c.fail(col, what, f"region {storage.name} hosts no Elasticsearch (its elasticsearch_url is None)")
    if storage.name != region.name and plan.must_stay_in_region(region, col):
        why = "is isolated" if region.isolated else "keeps local_storage"
        c.fail(col, what, f"region {region.name} {why}, but its logs are routed to Elasticsearch in {storage.name}")
    if storage.name != region.name and storage.isolated:
        # Seed 7.2: global_to_china prohibited, as well as china_to_global.
        c.fail(col, what, f"region {storage.name} is isolated: it stores no other region's logs")
    if plan.must_anonymize(region, col):
        abroad = f" and its logs are stored in {storage.name}" if storage.name != region.name else ""
        for pii in plan.pii_fields(estate):
            if pii not in col.anonymize:
                c.fail(col, what, f"PII field {pii!r} is not anonymized, and region {region.name}'s "
                                  f"cross_border is {region.cross_border}{abroad}")
    twins = [o for o in estate.log_collectors if o.region == col.region]
    if len(twins) > 1 and twins[-1] is col:
        c.fail(col, what, f"defined twice (also at {c.site(twins[0])})")
    for other in estate.log_collectors:
        if other is not col and other.storage_region == col.storage_region and col.region.startswith(f"{other.region}-"):
            # Elasticsearch refuses two templates of one priority whose patterns overlap:
            # app-logs-us-* would also match app-logs-us-east-2026.11.26.
            c.fail(col, what, f"its index patterns would overlap region {other.region}'s in the Elasticsearch of "
                              f"{col.storage_region} ({other.region}-* matches {col.region}-*)")


def check_alert(estate, alert: LogAlert, c) -> None:
    what = f"log alert {alert.name}"
    if not isinstance(alert.name, str) or not ALERT_NAME.match(alert.name):
        c.fail(alert, f"log alert {alert.name!r}", "name must be letters, digits and underscores")
    c.text(alert, what, "title", alert.title)
    c.text(alert, what, "summary", alert.summary)
    c.text(alert, what, "group", alert.group)
    if not alert.expr and alert.stream is None:
        c.fail(alert, what, "give stream (and where, contains, count, window), or a LogQL expr")
    if alert.stream is not None:
        streams = {i.stream: i for i in estate.log_indices}
        if alert.stream not in streams:
            c.fail(alert, what, f"stream {alert.stream!r} is no LogIndex's stream (known: {', '.join(sorted(streams))})")
        _count(c, alert, what, "count", alert.count, 1)
        c.duration(alert, what, "window", alert.window)
        for key, value in alert.where.items():
            if not isinstance(key, str) or not _FIELD.match(key) or not isinstance(value, (str, bool, int)):
                c.fail(alert, what, f"where: {key!r}: {value!r} must be a field name and a string, number or boolean")
            if key in streams[alert.stream].pii_fields:
                c.fail(alert, what, f"where: {key!r} is personal data, hashed before it is stored: it matches nothing")
        _keys(c, alert, what, "group_by", alert.group_by)
    expr = plan.alert_logql(estate, alert)
    c.text(alert, what, "expr", expr)
    problem = logql_shape(expr) or logql_problem(expr)
    if problem:
        c.fail(alert, what, f"expr is not a LogQL metric query ({problem}): {expr!r}")
    if problem is None:
        problem = _unknown_labels(estate, expr)
        if problem:
            c.fail(alert, what, f"expr {problem}, so the alert could never fire: {expr!r}")
    if alert.for_ != "0s":
        c.duration(alert, what, "for_", alert.for_)
    if alert.severity not in SEVERITIES:
        c.fail(alert, what, f"unknown severity {alert.severity!r} (one of {', '.join(SEVERITIES)})")
    c.regions(alert, what, alert.regions)
    c.labels(alert, what, alert.labels)
    twins = [a for a in estate.log_alerts if a.name == alert.name]
    if len(twins) > 1 and twins[-1] is alert:
        c.fail(alert, what, f"defined twice (also at {c.site(twins[0])})")


def _unknown_labels(estate, expr: str) -> str | None:
    """Stream selectors may name only labels the collector sets: stream, region and the selected
    stream's label_keys; and `stream` must be a defined index's stream."""
    streams = {i.stream: i for i in estate.log_indices}
    for body in _selectors(expr):
        matchers = {}
        rest = body
        while rest.strip():
            m = _MATCHER.match(rest)
            if not m:
                return f"has a stream selector obsgen cannot read: {{{body}}}"
            matchers.setdefault(m.group(1), []).append((m.group(2), m.group(3)))
            rest = rest[m.end():]
        wanted = [v for op, v in matchers.get(names.LOG_STREAM, []) if op == "="]
        if not wanted:
            return f'selects no stream with {names.LOG_STREAM}="..." in {{{body}}}'
        if wanted[0] not in streams:
            return f"selects stream {wanted[0]!r}, which no LogIndex defines (known: {', '.join(sorted(streams))})"
        known = {names.LOG_STREAM, names.LOG_RECORD_REGION, *streams[wanted[0]].label_keys}
        unknown = sorted(set(matchers) - known)
        if unknown:
            return (f"matches label {unknown[0]!r}, which stream {wanted[0]!r} does not carry "
                    f"(its labels: {', '.join(sorted(known))})")
    return None


def _outside_strings(expr: str):
    """(index, character) of every character outside a "..." or `...` string, then
    (len(expr), None) if a string is left open."""
    quote, escaped = None, False
    for at, ch in enumerate(expr):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = None
        elif ch in "\"`":
            quote = ch
        else:
            yield at, ch
    if quote:
        yield len(expr), None


def _selectors(expr: str) -> list[str]:
    """The insides of the `{...}` stream selectors, braces inside strings left alone."""
    found, start = [], None
    for at, ch in _outside_strings(expr):
        if ch == "{":
            start = at + 1
        elif ch == "}" and start is not None:
            found.append(expr[start:at])
            start = None
    return found


def logql_problem(expr: str) -> str | None:
    """Why Loki would refuse `expr` as an alerting rule's query: obsgen's LogQL parser, held
    against Grafana's grammar by tests/pipelines/test_logql_parser.py."""
    try:
        kind = logql.parse(expr)
    except logql.LogQLError as exc:
        return str(exc)
    return "a log query returns lines, an alert needs a metric query" if kind == "log" else None


def logql_shape(expr: str) -> str | None:
    """A stream selector and balanced brackets outside strings: the short message for the commonest
    mistakes, before the full parse (logql_problem)."""
    if "{" not in expr:
        return "no stream selector"
    stack = []
    for _, ch in _outside_strings(expr):
        if ch is None:
            return "unterminated string"
        if ch in _PAIRS:
            stack.append(_PAIRS[ch])
        elif ch in _PAIRS.values():
            if not stack or stack.pop() != ch:
                return f"unbalanced {ch!r}"
    if stack:
        return f"missing {stack[-1]!r}"
    return None


# What Elasticsearch's geoip processor can add from GeoLite2-City (its `properties`).
GEOIP_CITY_PROPERTIES = frozenset({
    "ip", "country_iso_code", "country_name", "country_in_european_union", "registered_country_iso_code",
    "registered_country_name", "registered_country_in_european_union", "continent_code", "continent_name",
    "region_iso_code", "region_name", "city_name", "timezone", "location", "postal_code", "accuracy_radius",
})
_SECRET_LIKE = re.compile(r"[a-z]|[^A-Z0-9_]")


def check_pipeline(estate, pipe: LogPipeline, c) -> None:
    what = f"log pipeline {pipe.name}"
    if not isinstance(pipe.name, str) or not RECORD_KEY.match(pipe.name):
        c.fail(pipe, f"log pipeline {pipe.name!r}", "name must be lower-case letters, digits and underscores")
    streams = {i.stream for i in estate.log_indices}
    if pipe.stream not in streams:
        c.fail(pipe, what, f"stream {pipe.stream!r} is no LogIndex's stream (known: {', '.join(sorted(streams))})")
    if isinstance(pipe.grok, str):
        c.fail(pipe, what, f"grok must be a tuple of expressions, got the string {pipe.grok!r}")
    if not pipe.grok and not pipe.json:
        c.fail(pipe, what, "parses nothing: give grok expressions or json=True")
    produced = {pipe.line_field}
    for expr in pipe.grok:
        try:
            produced |= grok_patterns.fields(expr)
        except grok_patterns.GrokError as exc:
            c.fail(pipe, what, f"grok {expr!r} does not compile: {exc}")
    if pipe.json:
        produced = None   # a JSON record may carry any field
    for label, key in (("date_field", pipe.date_field), ("geoip", pipe.geoip)):
        if key is not None and produced is not None and key not in produced:
            c.fail(pipe, what, f"{label} {key!r} is no field its grok captures (captured: {', '.join(sorted(produced))})")
    for key in pipe.anonymize_ip:
        if produced is not None and key not in produced:
            c.fail(pipe, what, f"anonymize_ip {key!r} is no field its grok captures (captured: {', '.join(sorted(produced))})")
    unknown = sorted(set(pipe.geoip_properties) - GEOIP_CITY_PROPERTIES)
    if unknown:
        c.fail(pipe, what, f"unknown geoip property {unknown[0]!r} (GeoLite2-City gives: {', '.join(sorted(GEOIP_CITY_PROPERTIES))})")
    if pipe.date_field is not None and (isinstance(pipe.date_formats, str) or not pipe.date_formats):
        c.fail(pipe, what, "date_formats must be a non-empty tuple of Elasticsearch date formats")
    _keys(c, pipe, what, "hash_fields", pipe.hash_fields)
    _keys(c, pipe, what, "anonymize_ip", pipe.anonymize_ip)
    if pipe.hash_fields and (not isinstance(pipe.salt_secret, str) or not ENV_NAME.match(pipe.salt_secret)):
        c.fail(pipe, what, f"salt_secret must name the environment variable that holds the salt, not the salt itself; "
                           f"got {_redact(pipe.salt_secret)}")
    twins = [p for p in estate.log_pipelines if p.stream == pipe.stream]
    if len(twins) > 1 and twins[-1] is pipe:
        c.fail(pipe, what, f"stream {pipe.stream!r} has two pipelines (also at {c.site(twins[0])})")


def _redact(value) -> str:
    """A literal salt is a secret: say what it looks like, never what it is."""
    return f"a {type(value).__name__} of {len(value)} characters" if isinstance(value, str) else repr(type(value).__name__)
