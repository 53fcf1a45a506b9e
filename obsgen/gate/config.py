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
    `urls` maps an endpoint name (region or "thanos") to a URL; `defaults` sets timeout etc."""
    env = env or {}
    path = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    data: dict = {}
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not YAML: {' '.join(str(exc).split())}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: must be a mapping")
    where = str(path) if path else "gate config"
    unknown = set(data) - {*_DEFAULT_KEYS, "thanos", "endpoints"}
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    endpoints = {}
    for name, spec in (data.get("endpoints") or {}).items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: endpoints.{name} must be a mapping")
        bad = set(spec) - _ENDPOINT_KEYS
        if bad:
            raise ConfigError(f"{where}: endpoints.{name}: unknown key {sorted(bad)[0]!r} "
                              f"(known: {', '.join(sorted(_ENDPOINT_KEYS))})")
        endpoints[str(name)] = dict(spec)
    for name, url in (urls or {}).items():
        endpoints.setdefault(name, {})["url"] = url
    merged = {k: data[k] for k in _DEFAULT_KEYS if k in data}
    merged.update({k: v for k, v in defaults.items() if v is not None})
    for name, spec in endpoints.items():
        _check_endpoint(where, name, spec)
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
    return out


def _endpoint(config: GateConfig, name: str, default_url: str | None, region: str | None, thanos: bool = False) -> Endpoint:
    spec = {**config.defaults, **config.endpoints.get(name, {})}
    spec.setdefault("url", default_url)
    if not spec["url"]:
        raise ConfigError(f"no URL for endpoint {name!r}: the estate has no global view; set endpoints.{name}.url")
    if "headers" in spec:
        spec["headers"] = dict(spec["headers"])
    return Endpoint(name=name, region=region, thanos=thanos, **spec)


def _check_endpoint(where: str, name: str, spec: dict) -> None:
    url = spec.get("url")
    if url is not None:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{where}: endpoints.{name}.url is not an http(s) URL")
        if parts.username or parts.password:
            raise ConfigError(f"{where}: endpoints.{name}.url holds credentials; use basic_auth_user and "
                              f"basic_auth_password_env or _file instead")
    headers = spec.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise ConfigError(f"{where}: endpoints.{name}.headers must map header names to strings")
    if any(k.lower() == "authorization" for k in headers):
        raise ConfigError(f"{where}: endpoints.{name}.headers: put the Authorization secret in "
                          f"bearer_token_env or bearer_token_file, not in the config")
    for key in ("timeout", "backoff"):
        if key in spec and (not isinstance(spec[key], (int, float)) or spec[key] <= 0):
            raise ConfigError(f"{where}: endpoints.{name}.{key} must be a positive number of seconds")
    for key in _BOOLEAN_KEYS:
        if key in spec and not isinstance(spec[key], bool):
            raise ConfigError(f"{where}: endpoints.{name}.{key} must be true or false")
    if "retries" in spec and (not isinstance(spec["retries"], int) or not 0 <= spec["retries"] <= 10):
        raise ConfigError(f"{where}: endpoints.{name}.retries must be a whole number from 0 to 10")
