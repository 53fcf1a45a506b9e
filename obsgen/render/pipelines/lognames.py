"""Names the log layer emits beyond obsgen/names.py (kept here while names.py is edited by the
other layers; same role: every emitted log name in one place)."""
from __future__ import annotations

FAILED_PREFIX = "failed-"           # failure (dead-letter) index of a stream: failed-app-logs-eu-west
RAW_LINE = "event_original"          # where a JSON line waits while it is decoded
GEOIP_TARGET = "geoip"
GEOIP_DATABASE = "GeoLite2-City.mmdb"
SALT_PLACEHOLDER = "${{{env}}}"      # in generated files; `obsgen apply` puts the secret's value in


def es_pipeline_name(index_prefix: str) -> str:
    return f"{index_prefix}-parse"


def es_pipeline_file(name: str) -> str:
    return f"elasticsearch/ingest_pipeline/{name}.json"


def failed_index(index_prefix: str) -> str:
    return f"{FAILED_PREFIX}{index_prefix}"


def salt_placeholder(env: str) -> str:
    return SALT_PLACEHOLDER.format(env=env)


def elastalert_rule_file(alert_name: str) -> str:
    return f"elastalert/rules/{alert_name}.yaml"


ELASTALERT_CONFIG_FILE = "elastalert/config.yaml"
LOKI_CONFIG_FILE = "loki/loki.yaml"
