"""Alertmanager policy as data: what the target version accepts, timings, secrets, bridges."""
from __future__ import annotations

from obsgen import names

# The Alertmanager the configs are written for: Debian's 0.25 (`amtool --version`).
# `location` on time_intervals arrived in 0.25.0 (prometheus/alertmanager#2782; the operator
# strips it below 0.25, prometheus-operator#5263), so business hours are written in the
# region's own IANA zone and follow its daylight-saving changes.
VERSION = "0.25"

# Secret fields Alertmanager 0.25 reads from a file, per receiver kind. Checked with
# `amtool check-config` 0.25 (tests/alertmanager/test_secret_fields.py proves each row):
# routing_key_file (pagerduty), api_url_file (slack), auth_password_file (email) load;
# webhook `url_file` and wechat `api_secret_file` do not exist in 0.25 (unknown field).
SECRET_FILE_FIELD = {
    "pagerduty": ("pagerduty_configs", "routing_key_file"),
    "slack": ("slack_configs", "api_url_file"),
    "email": ("email_configs", "auth_password_file"),
}
UNSUPPORTED_IN_VERSION = {
    "webhook_configs": "url_file",
    "wechat_configs": "api_secret_file",
}

# Where the deploy puts each secret: one file per environment variable, mode 0400, written
# from the variable by the deploy step (see the generated alertmanager/secrets.yml).
SECRETS_DIR = "/etc/alertmanager/secrets"

# Chat services Alertmanager 0.25 cannot reach with a file-held secret go through a bridge on
# the Alertmanager host, which holds the secret in its own environment:
# - DingTalk has no native receiver: prometheus-webhook-dingtalk listens on :8060 and serves
#   /dingtalk/<profile>/send (its documented default).
# - WeChat Work has a native `wechat_configs`, but its api_secret is inline-only in 0.25, so it
#   too goes through a webhook bridge (port assumed). Move to wechat_configs with
#   api_secret_file once the fleet runs an Alertmanager that has that field.
# A channel's options["url"] overrides the default bridge address.
BRIDGE_URL = {
    "dingtalk": "http://127.0.0.1:8060/dingtalk/{target}/send",
    "wechat_work": "http://127.0.0.1:8061/wechat_work/{target}/send",  # assumed
}
WEBHOOK_KINDS = ("webhook", *BRIDGE_URL)
KINDS = (*SECRET_FILE_FIELD, *WEBHOOK_KINDS)

# Grouping: one notification per alert name, region and service (seed 6.2 routes by region).
GROUP_BY = (names.ALERTNAME, names.REGION, names.SERVICE)
SLO_GROUP_BY = (*GROUP_BY, names.SLO)
# Alertmanager's own defaults, written out so a reader sees them.
GROUP_WAIT = "30s"
GROUP_INTERVAL = "5m"
REPEAT_INTERVAL = "4h"
RESOLVE_TIMEOUT = "5m"

# SLO burn-rate alerts carry `slo` and a severity per tier (obsgen/model/slo.py BurnWindow):
# page -> critical, ticket -> warning.
TIER_SEVERITY = {"page": "critical", "ticket": "warning"}

# A critical alert silences the warning of the same thing (same name, region, service and SLO:
# a label missing on both sides is equal, so alerts without an SLO compare as before, while one
# SLO's page never silences another SLO's ticket of the same service); an SLO's page silences
# its own ticket.
INHIBIT_EQUAL = (*GROUP_BY, names.SLO)
SLO_INHIBIT_EQUAL = (names.REGION, names.SERVICE, names.SLO)

# The Watchdog reaches its dead-man's switch at once and every 5 minutes after (assumed: the
# switch pages when 10 minutes pass without a ping).
WATCHDOG_TIMINGS = (("group_wait", "0s"), ("group_interval", "1m"), ("repeat_interval", "5m"))
# Seed 6.2 escalation_policy P15MIN: the lead is reminded every 15 minutes while it lasts.
ESCALATION_REPEAT = "15m"

# Business hours are weekdays (seed 6.2 gives hours only; days assumed).
BUSINESS_DAYS = ("monday:friday",)

# The labels a notification of a region without user data may show (seed 1.3, 6.2
# gdpr_compliance: alert_data_anonymization). Everything else (instance, user ids, summaries
# that interpolate labels) stays inside the region's Alertmanager.
NO_USER_DATA_LABELS = (names.ALERTNAME, names.REGION, names.SEVERITY, names.SERVICE, names.SLO)
NO_USER_DATA_ANNOTATIONS = ("runbook_url",)
