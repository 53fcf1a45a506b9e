"""ElastAlert 2 on each region's Elasticsearch: its config and one rule per log alert and per
region whose logs that cluster stores (the maintained fork, PyPI `elastalert2`). Each rule reads
only its source region's indices and sends to that region's Alertmanager (API v2) with the same
labels as the Loki rule (alertname, severity, region, team), so it meets the same routes and
receivers as the metric alerts. Credentials come from the environment (ES_USERNAME/ES_PASSWORD,
read by ElastAlert itself)."""
from __future__ import annotations

from urllib.parse import urlsplit

from obsgen import duration, names
from obsgen.logs import logalert, plan
from obsgen.model import Estate, Region
from obsgen.model.pipeline import LogAlert

RULES_FOLDER = "/opt/elastalert/rules"   # assumed: where the rules/ folder is mounted
WRITEBACK_INDEX = "elastalert_status"


def render(estate: Estate, region: Region) -> dict[str, dict]:
    if not region.elasticsearch_url:
        return {}
    files: dict[str, dict] = {}
    for col in plan.stored_in(estate, region):
        source = estate.region(col.region)
        for alert in plan.log_alerts(estate, source):
            if alert.stream is None:
                continue   # a raw-LogQL alert: Loki only
            index = next(i for i in plan.indices(estate) if i.stream == alert.stream)
            files[names.elastalert_rule_file(f"{source.name}-{alert.name}")] = rule(alert, source, index.prefix(source.name))
    if files:
        files[names.ELASTALERT_CONFIG_FILE] = config(region)
    return files


def config(region: Region) -> dict:
    url = urlsplit(region.elasticsearch_url)
    tls = url.scheme == "https"
    return {
        "rules_folder": RULES_FOLDER,
        "run_every": {"minutes": 1},
        "buffer_time": {"minutes": 15},
        "es_host": url.hostname,
        "es_port": url.port or (443 if tls else 9200),
        "use_ssl": tls,
        "verify_certs": tls,
        "writeback_index": WRITEBACK_INDEX,
        "alert_time_limit": {"days": 2},
    }


def rule(alert: LogAlert, source: Region, index_prefix: str) -> dict:
    labels = dict(sorted({**alert.labels, names.SEVERITY: alert.severity, names.REGION: source.name}.items()))
    body = {
        "name": f"{alert.title} ({source.name})",   # unique within one ElastAlert
        "description": f"{names.HEADER}: {alert.summary}",
        "type": alert.elastalert_type,
        "index": index_prefix,                    # the data stream: its backing indices
        "timestamp_field": "@timestamp",
        "filter": logalert.es_filter(alert),
    }
    if alert.elastalert_type == "frequency":
        body["num_events"] = alert.count
        body["timeframe"] = _time(alert.window)
    if alert.group_by:
        body["query_key"] = list(alert.group_by) if len(alert.group_by) > 1 else alert.group_by[0]
    body.update({
        "realert": {"minutes": 5},
        "alert": ["alertmanager"],
        "alertmanager_hosts": [source.alertmanager_url],
        "alertmanager_api_version": "v2",
        "alertmanager_alertname": alert.name,
        "alertmanager_labels": labels,
        "alertmanager_annotations": dict(sorted({"summary": alert.summary, "title": alert.title, **alert.annotations}.items())),
    })
    return body


def _time(text: str) -> dict:
    seconds = int(duration.seconds(text))
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return {unit: seconds // size}
    return {"seconds": seconds}
