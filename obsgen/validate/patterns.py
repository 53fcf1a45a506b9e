"""The patterns the checks share, each defined once."""
from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")              # names that become file names: regions, SLOs, dashboards, streams
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
ALERT_NAME = LABEL_NAME                                   # alertname is a label value Prometheus spells like a label name
METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
RECORD_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")           # a log record's key
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
BUSINESS_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
