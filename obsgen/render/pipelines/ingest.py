"""A stream's LogPipeline as an Elasticsearch ingest pipeline (body of PUT _ingest/pipeline/<id>),
one per stream and source region, named by the index template's `index.default_pipeline`.

Order: decode JSON, grok, date, region, geoip, anonymize IPs, hash sensitive fields, remove. Any
failure sends the record, with the error, to the stream's failure index in the same cluster
(never dropped). The salt is not in the body: a placeholder `${ENV}` that `obsgen apply` replaces
with the secret's value when it sends the pipeline."""
from __future__ import annotations

from obsgen import names
from obsgen.model.pipeline import LogIndex, LogPipeline

# IPv4 to its /24, IPv6 to its /48 (the first three groups of a full or compressed address).
IPV4_TRUNCATE = (r"^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$", "$1.0")
IPV6_TRUNCATE = (r"^([0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}):[0-9A-Fa-f:.]*$", "$1::")
IPV6_COMPRESSED = (r"^([0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,2})::[0-9A-Fa-f:.]*$", "$1::")
TRUNCATIONS = (IPV4_TRUNCATE, IPV6_TRUNCATE, IPV6_COMPRESSED)


def pipeline(pipe: LogPipeline, index: LogIndex, source_region: str) -> dict:
    # The raw line waits aside until every step has worked: a record that fails anywhere reaches
    # the failure index with the line it arrived with.
    steps: list[dict] = [{"rename": {"field": pipe.line_field, "target_field": names.RAW_LINE}}]
    if pipe.json:
        steps.append({"json": {"field": names.RAW_LINE, "add_to_root": True}})
    if pipe.grok:
        steps.append({"grok": {"field": names.RAW_LINE, "patterns": list(pipe.grok), "ecs_compatibility": "disabled"}})
    if pipe.date_field:
        steps += [
            {"date": {"field": pipe.date_field, "formats": list(pipe.date_formats), "target_field": "@timestamp"}},
            {"remove": {"field": pipe.date_field}},
        ]
    steps.append({"set": {"field": names.LOG_RECORD_REGION, "value": source_region}})
    if pipe.geoip:
        steps.append({"geoip": {"field": pipe.geoip, "target_field": names.GEOIP_TARGET,
                                "database_file": names.GEOIP_DATABASE,
                                "properties": list(pipe.geoip_properties), "ignore_missing": True,
                                # a host name in clientip (COMBINEDAPACHELOG's IPORHOST): keep the
                                # record, note why it has no location
                                "on_failure": [{"set": {"field": "error.geoip", "value": "{{ _ingest.on_failure_message }}"}}]}})
    for key in pipe.anonymize_ip:
        for pattern, replacement in TRUNCATIONS:
            steps.append({"gsub": {"field": key, "pattern": pattern, "replacement": replacement, "ignore_missing": True}})
    for key in pipe.hash_fields:
        steps.append({"fingerprint": {"fields": [key], "target_field": key, "method": "SHA-256",
                                      "salt": names.salt_placeholder(pipe.salt_secret), "ignore_missing": True}})
    steps.append({"remove": {"field": [names.RAW_LINE, *pipe.remove], "ignore_missing": True}})
    return {
        "description": pipe.description or pipe.name,
        "_meta": {"generated": names.HEADER, "managed_by": "obsgen", "pipeline": pipe.name,
                  "stream": index.stream, "region": source_region},
        "processors": steps,
        "on_failure": on_failure(index.prefix(source_region)),
    }


def on_failure(prefix: str) -> list[dict]:
    """The dead-letter path: keep the record, say why, and index it in the failure index."""
    return [
        # a data stream takes no document without @timestamp: the time it failed, if it has none
        {"set": {"field": "@timestamp", "value": "{{{ _ingest.timestamp }}}", "override": False}},
        {"set": {"field": "error.message", "value": "{{ _ingest.on_failure_message }}"}},
        {"set": {"field": "error.processor", "value": "{{ _ingest.on_failure_processor_type }}"}},
        {"set": {"field": "error.pipeline", "value": "{{ _ingest.on_failure_pipeline }}"}},
        {"set": {"field": "_index", "value": names.failed_index(prefix)}},
    ]
