"""What a stream's records hold once stored: the Elasticsearch type of every field its index
template maps, and the field an aggregation reads (a text field's keyword twin). The index
templates and the Kibana charts both ask here, so a chart cannot read a field no template maps."""
from __future__ import annotations

from obsgen import names
from obsgen.model.pipeline import LogIndex, LogPipeline

# The geoip processor's output properties that are not strings (GeoLite2-City).
GEOIP_PROPERTY_TYPES = {"location": "geo_point", "accuracy_radius": "integer", "ip": "ip",
                        "country_in_european_union": "boolean", "registered_country_in_european_union": "boolean"}
# Elasticsearch's own dynamic mapping gives strings a keyword twin of up to 256 characters; log
# messages run longer, and the top-messages chart groups by them.
TEXT_KEYWORD_IGNORE_ABOVE = 1024
NUMERIC = frozenset({"long", "integer", "short", "byte", "double", "float", "half_float", "unsigned_long"})
NOT_AGGREGATABLE = frozenset({"geo_point", "geo_shape", "object", "nested", "binary"})


def field_types(index: LogIndex, parse: LogPipeline | None) -> dict[str, str]:
    """{field: Elasticsearch type} of a stream's parsed records, sorted."""
    types = dict(index.mappings)
    if parse is not None and parse.geoip:
        for prop in parse.geoip_properties:
            types[f"{names.GEOIP_TARGET}.{prop}"] = GEOIP_PROPERTY_TYPES.get(prop, "keyword")
    return dict(sorted(types.items()))


def mapping(kind: str) -> dict:
    if kind == "text":
        return {"type": "text", "fields": {names.TEXT_KEYWORD_SUBFIELD: {"type": "keyword",
                                                                         "ignore_above": TEXT_KEYWORD_IGNORE_ABOVE}}}
    return {"type": kind}


def properties(index: LogIndex, parse: LogPipeline | None) -> dict[str, dict]:
    return {key: mapping(kind) for key, kind in field_types(index, parse).items()}


def aggregated(types: dict[str, str], key: str) -> str | None:
    """The field a terms or metric aggregation on `key` reads, or None when there is none."""
    kind = types.get(key)
    if kind is None or kind in NOT_AGGREGATABLE:
        return None
    return f"{key}.{names.TEXT_KEYWORD_SUBFIELD}" if kind == "text" else key
