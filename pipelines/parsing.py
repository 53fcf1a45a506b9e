"""The seed's three log pipelines (6.4 log_processing.logstash_pipelines), run as Elasticsearch
ingest pipelines where each stream is stored (see README, Logs: why ingest pipelines)."""
from obsgen.model.pipeline import LogPipeline
from pipelines.indices import PII

APPLICATION = LogPipeline(
    name="application_pipeline",
    stream="app-logs",
    # grok of the seed, anchored; the region field is stamped by the collector and the pipeline
    # (mutate add_field region from [@metadata][region]).
    grok=("^%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{DATA:service} %{GREEDYDATA:message}$",),
    date_field="timestamp",
    description="application_pipeline: grok TIMESTAMP_ISO8601 LOGLEVEL DATA GREEDYDATA, region",
)

ACCESS = LogPipeline(
    name="access_log_pipeline",
    stream="access-logs",
    # the seed's COMBINEDAPACHELOG, first with the request's duration in seconds that servers
    # append for it (Apache %{ms}T/1000, nginx $request_time): the operational response time heatmap
    grok=("^%{COMBINEDAPACHELOG} %{NUMBER:request_time:float}$", "^%{COMBINEDAPACHELOG}$"),
    date_field="timestamp",
    date_formats=("dd/MMM/yyyy:HH:mm:ss Z",),
    geoip="clientip",                # geoip: source => "clientip"
    anonymize_ip=("clientip",),      # anonymize_ip: gdpr_compliance (after the lookup)
    description="access_log_pipeline: grok COMBINEDAPACHELOG, geoip on clientip, IP anonymization",
)

AUDIT = LogPipeline(
    name="audit_pipeline",
    stream="audit-logs",
    json=True,                       # json: source => "message"
    date_field="timestamp",
    hash_fields=PII,                 # encryption: sensitive_fields (a salted SHA-256, one way)
    description="audit_pipeline: JSON decode, sensitive fields hashed with a salt, secure output",
)
