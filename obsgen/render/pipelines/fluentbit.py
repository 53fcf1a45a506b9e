"""One region's Fluent Bit collector, in Fluent Bit's YAML configuration format.

Records arrive on one forward input, tagged <stream>.<service> by the node agents. Processors on
that input run before routing, so what they do holds for every output: they stamp the region and,
where the region must anonymize, replace each PII field by SHA-256(salt + value) — a Lua step
prefixes the salt read from the environment (or drops the field when no salt is set: fail closed),
then content_modifier's `hash` action hashes it. Each stream then goes to the region's Loki and
to the Elasticsearch cluster that stores the region's logs. Secrets stay in the environment:
Fluent Bit expands ${VAR} at start-up.
"""
from __future__ import annotations

from importlib import resources
from urllib.parse import urlsplit

from obsgen import duration, names
from obsgen.logs import plan, sizes
from obsgen.model import Estate, Region
from obsgen.model.pipeline import LogCollector, LogIndex

LOKI_USER, LOKI_PASSWORD = "LOKI_USERNAME", "LOKI_PASSWORD"
ES_USER, ES_PASSWORD = "ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD"


def render(estate: Estate, region: Region) -> dict[str, dict]:
    col = plan.collector(estate, region)
    if col is None:
        return {}
    storage = estate.region(col.storage_region)
    streams = plan.indices(estate)
    outputs = [out for index in streams for out in (_loki(region, index), _es(storage, region, index))]
    share = sizes.fluent_bit(sizes.parse(col.buffer_size) // max(1, len(outputs)))
    for out in outputs:
        out["storage.total_limit_size"] = share
    return {names.FLUENT_BIT_FILE: {
        "service": _service(col),
        "pipeline": {"inputs": [_input(col, region)], "outputs": outputs},
    }}


def _service(col: LogCollector) -> dict:
    return {
        "flush": int(duration.seconds(col.flush_interval)),
        "log_level": "info",
        "http_server": "on",           # /api/v1/health and metrics for the collector's probes
        "storage.path": names.FLUENT_BIT_STORAGE,
        "storage.sync": "full",        # buffered chunks survive a crash of the node
        "storage.checksum": "on",
    }


def _input(col: LogCollector, region: Region) -> dict:
    processors = [_content("upsert", names.LOG_RECORD_REGION, region.name)]
    if col.anonymize or plan.must_anonymize(region, col):
        processors.append(_mask(col))   # free text first: the named fields are hashed next
    if col.anonymize:
        processors += [_salt(col)] + [_content("hash", key) for key in col.anonymize]
    return {
        "name": "forward",
        "listen": "0.0.0.0",
        "port": names.LOG_FORWARD_PORT,
        "storage.type": "filesystem",
        "processors": {"logs": processors},
    }


def _content(action: str, key: str, value: str | None = None) -> dict:
    step = {"name": "content_modifier", "context": "body", "action": action, "key": key}
    if value is not None:
        step["value"] = value
    return step


def _mask(col: LogCollector) -> dict:
    """E-mails, IPv4/IPv6 addresses and URL user info inside every other field masked in LuaJIT
    (lua/mask_pii.lua) before the record can reach any output."""
    skip = ", ".join(f'["{k}"] = true' for k in col.anonymize)
    code = f"OBSGEN_SKIP = {{{skip}}}\n" + resources.files(__package__).joinpath("lua/mask_pii.lua").read_text()
    return {"name": "lua", "call": "obsgen_mask_pii", "code": code}


def _salt(col: LogCollector) -> dict:
    keys = ", ".join(f'"{k}"' for k in col.anonymize)
    code = f"""\
function obsgen_salt_pii(tag, timestamp, record)
  local salt = os.getenv("{col.salt_env}")
  local changed = false
  for _, key in ipairs({{{keys}}}) do
    if record[key] ~= nil then
      if salt == nil or salt == "" then
        record[key] = nil
      else
        record[key] = salt .. tostring(record[key])
      end
      changed = true
    end
  end
  if changed then
    return 2, timestamp, record
  end
  return 0, timestamp, record
end
"""
    return {"name": "lua", "call": "obsgen_salt_pii", "code": code}


def _endpoint(url: str) -> dict:
    parts = urlsplit(url)
    tls = parts.scheme == "https"
    out = {"host": parts.hostname, "port": parts.port or (443 if tls else 80), "tls": "on" if tls else "off"}
    if tls:
        out["tls.verify"] = "on"
    return out


def _loki(region: Region, index: LogIndex) -> dict:
    fixed = f"{names.LOG_STREAM}={index.stream}, {names.LOG_RECORD_REGION}={region.name}"
    out = {"name": "loki", "match": f"{index.stream}.*", **_endpoint(region.loki_url),
           "uri": "/loki/api/v1/push", "labels": fixed}
    if index.label_keys:
        out["label_keys"] = ",".join(f"${k}" for k in index.label_keys)
    out.update({"line_format": "json", "http_user": f"${{{LOKI_USER}}}", "http_passwd": f"${{{LOKI_PASSWORD}}}"})
    return out


def _es(storage: Region, region: Region, index: LogIndex) -> dict:
    return {
        "name": "es", "match": f"{index.stream}.*", **_endpoint(storage.elasticsearch_url),
        # a data stream (its index template says so): Elasticsearch rolls its backing indices
        # over by size and age (ILM), and data streams take only `create`
        "index": index.prefix(region.name), "write_operation": "create",
        "suppress_type_name": "on", "replace_dots": "on",
        "http_user": f"${{{ES_USER}}}", "http_passwd": f"${{{ES_PASSWORD}}}",
    }
