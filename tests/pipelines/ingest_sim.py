"""An ingest pipeline interpreter for the recording stand-in's `_simulate` (Elasticsearch cannot
run here): the processors obsgen renders, with grok run by pygrok on the standard patterns,
failures handled as Elasticsearch documents them (processor on_failure, else the pipeline's, with
_ingest.on_failure_message / _processor_type / _pipeline). Not Elasticsearch: the corpus proof
against a real cluster is `obsgen apply elasticsearch` with its URL."""
from __future__ import annotations

import base64
import copy
import hashlib
import ipaddress
import json
import re
from datetime import datetime, timezone

from obsgen.logs import grok


class ProcessorError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def simulate(pipeline: dict, docs: list[dict], pipeline_id: str = "_simulate_pipeline") -> dict:
    out = []
    for doc in docs:
        source = copy.deepcopy(doc.get("_source", {}))
        meta = {"_index": doc.get("_index", "_index"), "_id": doc.get("_id", "_id")}
        _run_pipeline(pipeline, source, meta, pipeline_id)
        out.append({"doc": {**meta, "_version": "-3", "_source": source}})
    return {"docs": out}


def _run_pipeline(pipeline, source, meta, pipeline_id):
    try:
        _run(pipeline.get("processors", []), source, meta)
    except ProcessorError as exc:
        handlers = pipeline.get("on_failure")
        if not handlers:
            raise
        ctx = {"on_failure_message": str(exc), "on_failure_processor_type": exc.kind, "on_failure_pipeline": pipeline_id}
        _run(handlers, source, meta, ctx)


def _run(processors, source, meta, ctx=None):
    for container in processors:
        (kind, conf), = container.items()
        try:
            PROCESSORS[kind](conf, source, meta, ctx or {})
        except ProcessorError as exc:
            if conf.get("ignore_failure"):
                continue
            if conf.get("on_failure"):
                _run(conf["on_failure"], source, meta,
                     {"on_failure_message": str(exc), "on_failure_processor_type": kind, "on_failure_pipeline": ""})
                continue
            raise


def _get(source, field):
    node = source
    for part in field.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, False
        node = node[part]
    return node, True


def _set(source, meta, field, value):
    if field in meta:
        meta[field] = value
        return
    node = source
    *parents, leaf = field.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _del(source, field):
    node = source
    *parents, leaf = field.split(".")
    for part in parents:
        node = node[part]
    del node[leaf]


def _need(kind, conf, source):
    value, found = _get(source, conf["field"])
    if not found or value is None:
        if conf.get("ignore_missing"):
            return None, False
        raise ProcessorError(kind, f"field [{conf['field']}] not present as part of path [{conf['field']}]")
    return value, True


def _mustache(value, ctx):
    return re.sub(r"\{\{\s*_ingest\.(\w+)\s*\}\}", lambda m: str(ctx.get(m.group(1), "")), value) if isinstance(value, str) else value


def p_set(conf, source, meta, ctx):
    _set(source, meta, conf["field"], _mustache(conf["value"], ctx))


def p_rename(conf, source, meta, ctx):
    value, found = _need("rename", conf, source)
    if found:
        _del(source, conf["field"])
        _set(source, meta, conf["target_field"], value)


def p_remove(conf, source, meta, ctx):
    for field in [conf["field"]] if isinstance(conf["field"], str) else conf["field"]:
        if _get(source, field)[1]:
            _del(source, field)
        elif not conf.get("ignore_missing"):
            raise ProcessorError("remove", f"field [{field}] not present as part of path [{field}]")


def p_json(conf, source, meta, ctx):
    value, found = _need("json", conf, source)
    if not found:
        return
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ProcessorError("json", f"com.fasterxml.jackson.core.JsonParseException: {exc}") from None
    if conf.get("add_to_root"):
        if not isinstance(parsed, dict):
            raise ProcessorError("json", "cannot add non-map fields to root of document")
        source.update(parsed)
    else:
        _set(source, meta, conf.get("target_field", conf["field"]), parsed)


def p_grok(conf, source, meta, ctx):
    value, found = _need("grok", conf, source)
    if not found:
        return
    for expr in conf["patterns"]:
        match = grok.compile(expr).match(str(value))
        if match is not None:
            for key, captured in match.items():
                if captured is not None:
                    _set(source, meta, key, captured)
            return
    raise ProcessorError("grok", "Provided Grok expressions do not match field value: [" + str(value) + "]")


_JAVA_FORMATS = {"dd/MMM/yyyy:HH:mm:ss Z": "%d/%b/%Y:%H:%M:%S %z"}


def p_date(conf, source, meta, ctx):
    value, found = _need("date", conf, source)
    for fmt in conf["formats"]:
        try:
            parsed = datetime.fromisoformat(value) if fmt == "ISO8601" else datetime.strptime(value, _JAVA_FORMATS[fmt])
        except (ValueError, KeyError):
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        parsed = parsed.astimezone(timezone.utc)
        _set(source, meta, conf.get("target_field", "@timestamp"), parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z")
        return
    raise ProcessorError("date", f"unable to parse date [{value}]")


def p_geoip(conf, source, meta, ctx):
    value, found = _need("geoip", conf, source)
    if not found:
        return
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ProcessorError("geoip", f"'{value}' is not an IP string literal.") from None
    # Documentation and private ranges are in no GeoLite2 database: nothing is added.


def p_gsub(conf, source, meta, ctx):
    value, found = _need("gsub", conf, source)
    if not found:
        return
    if not isinstance(value, str):
        raise ProcessorError("gsub", f"field [{conf['field']}] of type [{type(value).__name__}] cannot be cast to [java.lang.String]")
    _set(source, meta, conf.get("target_field", conf["field"]), re.sub(conf["pattern"], re.sub(r"\$(\d)", r"\\\1", conf["replacement"]), value))


def p_fingerprint(conf, source, meta, ctx):
    values = [(f, _get(source, f)) for f in conf["fields"]]
    present = [(f, v) for f, (v, found) in values if found]
    if not present:
        if conf.get("ignore_missing"):
            return
        raise ProcessorError("fingerprint", "no fields present")
    digest = hashlib.sha256()
    digest.update(conf.get("salt", "").encode())
    for f, v in present:
        digest.update(f"{f}|{json.dumps(v)}|".encode())
    _set(source, meta, conf.get("target_field", "fingerprint"), base64.b64encode(digest.digest()).decode())


PROCESSORS = {"set": p_set, "rename": p_rename, "remove": p_remove, "json": p_json, "grok": p_grok, "date": p_date,
              "geoip": p_geoip, "gsub": p_gsub, "fingerprint": p_fingerprint}
