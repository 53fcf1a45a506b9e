"""The Elasticsearch cluster a region hosts: per stream and per region whose logs it stores, a
data stream's composable index template (body of PUT _index_template/<name>; the seed's shards
and replicas, its ingest pipeline), an ILM policy (body of PUT _ilm/policy/<name>: rollover by
size and age, warm, delete when the source region's retention ends), and the stream's failure
data stream for what its pipeline could not parse."""
from __future__ import annotations

from obsgen import duration, names
from obsgen.logs import fields, plan
from obsgen.model import Estate, Region
from obsgen.model.pipeline import LogIndex, LogPipeline
from obsgen.render.pipelines import ingest

TEMPLATE_PRIORITY = 200   # above Elasticsearch's built-in templates (priority 100 for logs-*-*)


def render(estate: Estate, region: Region) -> dict[str, dict]:
    if not region.elasticsearch_url:
        return {}
    files: dict[str, dict] = {}
    for col in plan.stored_in(estate, region):
        for index in plan.indices(estate):
            prefix = index.prefix(col.region)
            policy = names.es_policy_name(prefix)
            files[names.es_policy_file(policy)] = ilm_policy(index, col.region)
            parse = plan.pipeline_of(estate, index)
            default = None
            if parse is not None:
                default = names.es_pipeline_name(prefix)
                files[names.es_pipeline_file(default)] = ingest.pipeline(parse, index, col.region)
            template = index_template(index, col.region, policy, default, parse)
            files[names.es_template_file(names.es_template_name(prefix))] = template
            failed = names.failed_index(prefix)
            files[names.es_template_file(names.es_template_name(failed))] = failure_template(index, col.region, policy)
    return files


# Rollover (seed: daily and size-bound indices): a new backing index each day, or sooner when a
# primary shard reaches the size Elastic recommends for logs (10-50 GB per shard).
ROLLOVER = {"max_age": "1d", "max_primary_shard_size": "50gb"}
WARM_AFTER_DAYS = 7       # assumed: a week of hot search, then read-mostly (merged, lower priority)


def ilm_policy(index: LogIndex, source_region: str) -> dict:
    """Hot (rollover), warm (force-merged, lower recovery priority), delete `retention` after
    rollover. The defaults Elasticsearch adds (hot min_age 0ms, delete_searchable_snapshot) are
    written out so that what `obsgen apply` reads back compares equal."""
    keep = plan.es_days(index.retention_for(source_region))
    warm = min(WARM_AFTER_DAYS, int(duration.seconds(index.retention_for(source_region)) // 86400 // 2))
    phases = {"hot": {"min_age": "0ms", "actions": {"rollover": dict(ROLLOVER), "set_priority": {"priority": 100}}}}
    if warm >= 1:
        phases["warm"] = {"min_age": f"{warm}d", "actions": {"forcemerge": {"max_num_segments": 1},
                                                              "set_priority": {"priority": 50}}}
    phases["delete"] = {"min_age": keep, "actions": {"delete": {"delete_searchable_snapshot": True}}}
    return {"policy": {"_meta": _meta(index, source_region), "phases": phases}}


def index_template(index: LogIndex, source_region: str, policy: str, default_pipeline: str | None = None,
                   parse: LogPipeline | None = None) -> dict:
    """Mappings: the stream's fields and what its pipeline adds (geoip: keywords, and the location
    as a point on the map, not two loose numbers); text with a keyword twin to group by."""
    settings = {
        "number_of_shards": index.shards,
        "number_of_replicas": index.replicas,
        "lifecycle": {"name": policy},
    }
    if default_pipeline:
        settings["default_pipeline"] = default_pipeline   # any writer (Fluent Bit, Filebeat) gets it
    return {
        "index_patterns": [index.prefix(source_region)],
        "data_stream": {},
        "priority": TEMPLATE_PRIORITY,
        "_meta": _meta(index, source_region),
        "template": {
            "settings": {"index": settings},
            "mappings": {
                "dynamic": "true",
                "properties": fields.properties(index, parse),
            },
        },
    }


def _meta(index: LogIndex, source_region: str) -> dict:
    """JSON has no comments: the do-not-edit header travels in the body's own metadata."""
    return {"generated": names.HEADER, "managed_by": "obsgen", "stream": index.stream, "region": source_region}


def failure_template(index: LogIndex, source_region: str, policy: str) -> dict:
    """The stream's failure (dead-letter) index: what its pipeline could not parse, kept as long
    as the stream itself, in the same cluster, unparsed (no default pipeline: no loop)."""
    body = index_template(index, source_region, policy)
    body["index_patterns"] = [names.failed_index(index.prefix(source_region))]
    body["_meta"] = {**body["_meta"], "failures_of": index.prefix(source_region)}
    body["template"]["mappings"]["properties"].update(
        {f"error.{key}": {"type": "keyword"} for key in ("message", "processor", "pipeline")})
    return body
