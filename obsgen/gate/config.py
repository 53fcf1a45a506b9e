"""Where the gate sends its queries and how: the region table's URLs, overridden by a small
YAML file, environment variables or CLI options (tests and the demo point at 127.0.0.1).

    # gate.yml
    timeout: 10            # defaults for every endpoint
    retries: 2
    thanos: false          # true: read the regions that feed the global view from Thanos Query
    endpoints:
      us-east:
        url: https://prometheus-us-east.example
        bearer_token_env: PROM_US_EAST_TOKEN     # or bearer_token_file: /run/secrets/token
        headers: {X-Scope-OrgID: covergen}
      thanos:
        url: https://thanos-query.example
        basic_auth_user: gate
        basic_auth_password_file: /run/secrets/thanos
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

import yaml

from obsgen.gate.http import Endpoint

THANOS = "thanos"
CONFIG_ENV = "OBSGEN_GATE_CONFIG"
_DEFAULT_KEYS = ("timeout", "retries", "backoff", "post_above")
_ENDPOINT_KEYS = {f.name for f in dataclasses.fields(Endpoint)} - {"name", "region", "thanos"}
_BOOLEAN_KEYS = ("region_label",)


class ConfigError(Exception):
    """A bad gate configuration: the CLI prints it on one line and exits 2."""


@dataclass(frozen=True)
class GateConfig:
    endpoints: Mapping[str, Mapping] = field(default_factory=dict)   # name -> Endpoint fields
    defaults: Mapping[str, object] = field(default_factory=dict)
    thanos: bool = False


def load(path: Path | None = None, *, env: Mapping[str, str] | None = None, urls: Mapping[str, str] | None = None,
         thanos: bool | None = None, **defaults) -> GateConfig:
    """The config from `path` (or $OBSGEN_GATE_CONFIG), with CLI overrides on top:
    `urls` maps an endpoint name (region or "thanos") to a URL; `defaults` sets timeout etc.
    Every problem is a ConfigError naming the file and the key, found before any request:
    types, the secrets' variables and files (set, readable, not empty, sendable as a header),
    the CA bundle and client certificate files."""
    env = env or {}
    path = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    data: dict = {}
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except IsADirectoryError:
            raise ConfigError(f"{path}: is a directory, not a gate config file") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not YAML: {' '.join(str(exc).split())}") from None
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: must be a mapping of keys (timeout, retries, thanos, endpoints), "
                              f"not a {type(data).__name__}")
    where = str(path) if path else "gate config"
    for key in data:
        if not isinstance(key, str) or key not in {*_DEFAULT_KEYS, "thanos", "endpoints"}:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join([*_DEFAULT_KEYS, 'thanos', 'endpoints'])})")
    for key in _DEFAULT_KEYS:
        if key in data:
            _check_value(where, key, key, data[key])
    if "thanos" in data and not isinstance(data["thanos"], bool):
        raise ConfigError(f"{where}: thanos must be true or false, got {data['thanos']!r}")
    raw_endpoints = data.get("endpoints")
    if raw_endpoints is None:
        raw_endpoints = {}
    if not isinstance(raw_endpoints, dict):
        raise ConfigError(f"{where}: endpoints must be a mapping of endpoint name to settings, "
                          f"not a {type(raw_endpoints).__name__}")
    endpoints = {}
    for name, spec in raw_endpoints.items():
        if not isinstance(name, str) or not name:
            raise ConfigError(f"{where}: endpoints: {name!r} is not an endpoint name (a region or 'thanos')")
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: endpoints.{name} must be a mapping")
        bad = [k for k in spec if not isinstance(k, str) or k not in _ENDPOINT_KEYS]
        if bad:
            raise ConfigError(f"{where}: endpoints.{name}: unknown key {bad[0]!r} "
                              f"(known: {', '.join(sorted(_ENDPOINT_KEYS))})")
        endpoints[name] = dict(spec)
    for name, url in (urls or {}).items():
        endpoints.setdefault(name, {})["url"] = url
    merged = {k: data[k] for k in _DEFAULT_KEYS if k in data}
    merged.update({k: v for k, v in defaults.items() if v is not None})
    for name, spec in endpoints.items():
        _check_endpoint(where, name, spec)
        _check_files(where, name, spec, env)
    return GateConfig(endpoints=endpoints, defaults=merged,
                      thanos=bool(data.get("thanos", False)) if thanos is None else thanos)


def plan(estate, regions, config: GateConfig) -> list[tuple[Endpoint, tuple]]:
    """Which endpoint answers for which of the chosen regions. With `thanos`, the regions that
    feed the global view share one Thanos Query; an isolated region is always asked alone."""
    known = {r.name for r in estate.regions} | {THANOS}
    for name in sorted(config.endpoints):
        if name not in known:
            raise ConfigError(f"endpoint {name!r} is neither a region nor {THANOS!r} "
                              f"(regions: {', '.join(sorted(r.name for r in estate.regions))})")
    out = []
    shared = [r for r in regions if config.thanos and r.feeds_global]
    if shared:
        default = estate.global_view.query_url if estate.global_view else None
        out.append((_endpoint(config, THANOS, default, region=None, thanos=True), tuple(shared)))
    for region in regions:
        if region not in shared:
            out.append((_endpoint(config, region.name, region.prometheus_url, region=region.name), (region,)))
    return _shared(out)


def _shared(plan: list[tuple[Endpoint, tuple]]) -> list[tuple[Endpoint, tuple]]:
    """Regions whose endpoints are one backend reached the same way (same URL, credentials,
    headers, everything but the name) and whose raw series carry the region label are read
    together: one set of queries for all of them, each narrowed to its regions, instead of one
    per region. An isolated region is never merged with another."""
    groups: dict[tuple, list[tuple[Endpoint, tuple]]] = {}
    order = []
    for ep, served in plan:
        isolated = any(getattr(r, "isolated", False) for r in served)
        key = repr(dataclasses.replace(ep, name="", region=None)) if ep.region_label and not ep.thanos \
            and not isolated else f"{ep.name}/{id(ep)}"
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append((ep, served))
    out = []
    for key in order:
        members = groups[key]
        if len(members) == 1:
            out.append(members[0])
            continue
        served = tuple(r for _, regions in members for r in regions)
        name = "+".join(ep.name for ep, _ in members)
        out.append((dataclasses.replace(members[0][0], name=name, region=None), served))
    return out


def _endpoint(config: GateConfig, name: str, default_url: str | None, region: str | None, thanos: bool = False) -> Endpoint:
    spec = {**config.defaults, **config.endpoints.get(name, {})}
    spec.setdefault("url", default_url)
    if not spec["url"]:
        raise ConfigError(f"no URL for endpoint {name!r}: the estate has no global view; set endpoints.{name}.url")
    if "headers" in spec:
        spec["headers"] = dict(spec["headers"])
    return Endpoint(name=name, region=region, thanos=thanos, **spec)


def _check_value(where: str, key: str, field: str, value) -> None:
    """A number, boolean or string setting of the right type and range."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if field in ("timeout", "backoff"):
        if not number or not math.isfinite(value) or value <= 0:
            raise ConfigError(f"{where}: {key} must be a positive number of seconds, got {value!r}")
    elif field == "retries":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
            raise ConfigError(f"{where}: {key} must be a whole number from 0 to 10, got {value!r}")
    elif field == "post_above":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where}: {key} must be a whole number of bytes >= 0, got {value!r}")
    elif field in _BOOLEAN_KEYS:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key} must be true or false, got {value!r}")
    elif field != "headers" and value is not None and not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string, got {value!r}")


def _check_endpoint(where: str, name: str, spec: dict) -> None:
    for field, value in spec.items():
        _check_value(where, f"endpoints.{name}.{field}", field, value)
    url = spec.get("url")
    if url is not None:
        parts = urlsplit(str(url))
        try:
            hostname, _ = parts.hostname, parts.port
        except ValueError:
            hostname = None
        if parts.scheme not in ("http", "https") or not hostname:
            raise ConfigError(f"{where}: endpoints.{name}.url is not an http(s) URL")
        if parts.username or parts.password:
            raise ConfigError(f"{where}: endpoints.{name}.url holds credentials; use basic_auth_user and "
                              f"basic_auth_password_env or _file instead")
    proxy = spec.get("proxy")
    if proxy is not None and (urlsplit(proxy).scheme not in ("http", "https") or not urlsplit(proxy).hostname):
        raise ConfigError(f"{where}: endpoints.{name}.proxy is not an http(s) URL")
    headers = spec.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise ConfigError(f"{where}: endpoints.{name}.headers must map header names to strings")
    for k, v in headers.items():
        if not _TOKEN.fullmatch(k):
            raise ConfigError(f"{where}: endpoints.{name}.headers: {k!r} is not a header name")
        if not _sendable(v):
            raise ConfigError(f"{where}: endpoints.{name}.headers.{k}: the value cannot be sent as a header "
                              f"(a line break, a control character or a character outside Latin-1)")
    if any(k.lower() == "authorization" for k in headers):
        raise ConfigError(f"{where}: endpoints.{name}.headers: put the Authorization secret in "
                          f"bearer_token_env or bearer_token_file, not in the config")
    for a, b in (("bearer_token_env", "bearer_token_file"), ("basic_auth_password_env", "basic_auth_password_file")):
        if spec.get(a) and spec.get(b):
            raise ConfigError(f"{where}: endpoints.{name}: {a} and {b} are both set; name one")
    if (spec.get("bearer_token_env") or spec.get("bearer_token_file")) and spec.get("basic_auth_user"):
        raise ConfigError(f"{where}: endpoints.{name}: a bearer token and basic auth are both set; choose one")
    if (spec.get("basic_auth_password_env") or spec.get("basic_auth_password_file")) and not spec.get("basic_auth_user"):
        raise ConfigError(f"{where}: endpoints.{name}.basic_auth_user is missing beside the password")
    if spec.get("client_key") and not spec.get("client_cert"):
        raise ConfigError(f"{where}: endpoints.{name}.client_key is set without client_cert")


def _check_files(where: str, name: str, spec: dict, env: Mapping[str, str]) -> None:
    """Secrets and certificates as they will be read when a request is made, checked now."""
    for field, what in (("bearer_token", "bearer token"), ("basic_auth_password", "basic auth password")):
        var, path = spec.get(f"{field}_env"), spec.get(f"{field}_file")
        key = f"endpoints.{name}.{field}_env" if var else f"endpoints.{name}.{field}_file"
        if var:
            value = env.get(var)
            if value is None:
                raise ConfigError(f"{where}: {key}: ${var} is not set")
            secret = value.strip()
        elif path:
            secret = _read_file(where, key, path, what).strip()
        else:
            continue
        if not secret:
            raise ConfigError(f"{where}: {key}: the {what} is empty")
        if not _sendable(secret):
            raise ConfigError(f"{where}: {key}: the {what} cannot be sent as a header "
                              f"(a line break, a control character or a character outside Latin-1)")
    for field in ("ca_bundle", "client_cert", "client_key"):
        if spec.get(field):
            text = _read_file(where, f"endpoints.{name}.{field}", spec[field], field.replace("_", " "))
            if "-----BEGIN " not in text:
                raise ConfigError(f"{where}: endpoints.{name}.{field}: {spec[field]} is not a PEM file")


def _read_file(where: str, key: str, path: str, what: str) -> str:
    p = Path(path)
    if p.is_dir():
        raise ConfigError(f"{where}: {key}: {path} is a directory, not a file with the {what}")
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where}: {key}: {path} does not exist") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: {key}: {path} is not text") from None
    except OSError as exc:
        raise ConfigError(f"{where}: {key}: cannot read {path}: {exc.strerror}") from None


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _sendable(value: str) -> bool:
    """requests sends header values as Latin-1 and refuses line breaks and leading spaces."""
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in value) and value == value.strip()
