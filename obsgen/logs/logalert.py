"""One LogAlert, two query languages: the LogQL of the Loki ruler rule and the filter of the
ElastAlert 2 rule, both derived from stream, where, contains, count and window."""
from __future__ import annotations

import json

from obsgen import names
from obsgen.model.pipeline import LogAlert


def _literal(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def logql(alert: LogAlert, label_keys: tuple[str, ...]) -> str:
    """The alert's LogQL metric query: `where` keys the stream carries as labels go in the stream
    selector, the others become json label filters; `contains` a case-insensitive regex."""
    if alert.expr:
        return alert.expr
    selector = [f'{names.LOG_STREAM}="{alert.stream}"']
    filters = []
    for key, value in alert.where.items():
        text = json.dumps(_literal(value))
        (selector if key in label_keys else filters).append(f"{key}={text}")
    pipeline = ""
    if filters or alert.contains:
        pipeline = " | json"
        pipeline += "".join(f" | {f}" for f in filters)
        if alert.contains:
            pipeline += f' | message=~{json.dumps("(?i).*" + _regex(alert.contains) + ".*")}'
    by = f" by ({', '.join(alert.group_by)}) " if alert.group_by else ""
    window = alert.window if alert.count > 1 else "1m"
    compare = f">= {alert.count}" if alert.count > 1 else "> 0"
    gap = " " if pipeline else ""
    return f"sum{by}(count_over_time({{{', '.join(selector)}}}{pipeline}{gap}[{window}])) {compare}"


def _regex(text: str) -> str:
    return "".join(f"\\{c}" if c in r".^$*+?()[]{}|\\" else c for c in text)


def es_filter(alert: LogAlert) -> list[dict]:
    """ElastAlert's `filter`: Elasticsearch query DSL clauses, all of which must match."""
    out: list[dict] = [{"term": {key: value}} for key, value in alert.where.items()]
    if alert.contains:
        out.append({"match_phrase": {"message": alert.contains}})
    return out
