"""The log indices of seed 6.4 (central_storage.elasticsearch_cluster.indices), with the
retention each region's regulations demand (seed 1.3 audit_retention, 6.4 regional_considerations)."""
from obsgen.model.pipeline import LogIndex
from rules.regions import REGIONS

# Personal data in log records (6.4 regional_considerations.eu_west.log_anonymization.pii_fields).
PII = ("user_email", "ip_address", "user_agent")

# Fields every stream carries; grok of 6.4's application_pipeline: timestamp, level, service, message.
COMMON = {"@timestamp": "date", "level": "keyword", "service": "keyword", "message": "text",
          "region": "keyword", **{f: "keyword" for f in PII}}

APPLICATION_LOGS = LogIndex(
    name="application_logs",
    stream="app-logs",
    pattern="app-logs-{region}-{date}",
    retention="30d",
    shards=3,
    replicas=1,
    pii_fields=PII,
    label_keys=("level", "service"),
    mappings=COMMON,
)

ACCESS_LOGS = LogIndex(
    name="access_logs",
    stream="access-logs",
    pattern="access-logs-{region}-{date}",
    retention="90d",
    shards=1,
    replicas=0,
    pii_fields=PII,
    label_keys=("service",),
    # 6.4 access_log_pipeline: grok %{COMBINEDAPACHELOG}, and the request's duration where the
    # server appends it; clientip is a keyword, not an ip: COMBINEDAPACHELOG also takes host names.
    mappings={**COMMON, "verb": "keyword", "request": "keyword", "response": "short", "bytes": "long",
              "referrer": "keyword", "clientip": "keyword", "request_time": "float"},
)

AUDIT_LOGS = LogIndex(
    name="audit_logs",
    stream="audit-logs",
    pattern="audit-logs-{region}-{date}",
    retention="2y",
    shards=2,
    replicas=2,
    audit=True,
    # The seed's 2_years is shorter than every region's audit_retention (1.3: 7y, 6y, 7y, 3y; 6.4
    # repeats eu_west's 6_years): each region keeps audit logs as long as its regulations say.
    retention_overrides={r.name: r.audit_retention for r in REGIONS},
    pii_fields=PII,
    label_keys=("service",),
    # assumed: a captured payment is audited with its amount and currency (the business dashboard's revenue)
    mappings={**COMMON, "action": "keyword", "consent": "boolean", "actor": "keyword", "resource": "keyword",
              "amount": "double", "currency": "keyword"},
)
