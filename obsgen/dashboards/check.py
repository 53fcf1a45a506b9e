"""Checks of emitted dashboards: every query parses, the SDK's typed model reads them back
losing nothing, and (where the schema files are at hand) Grafana's JSON schemas accept them."""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.cog.plugins import register_default_plugins
from grafana_foundation_sdk.models import dashboard as dm

from obsgen import promql
from obsgen.model.dashboard import PANEL_TYPES

# Panel type id -> schema file stem (the README of ../shared/grafana-schemas names them).
SCHEMA_FILES = {"timeseries": "timeseries", "stat": "stat", "gauge": "gauge", "table": "table",
                "state-timeline": "statetimeline"}


def problems(doc: dict) -> list[str]:
    """Everything wrong with a dashboard that needs no schema files."""
    return [*query_problems(doc), *panel_type_problems(doc), *roundtrip_losses(doc)]


def panels_of(doc: dict) -> list[dict]:
    out = []
    for panel in doc.get("panels", []):
        out.append(panel)
        out += panel.get("panels", [])
    return out


def query_problems(doc: dict) -> list[str]:
    found = []
    for panel in panels_of(doc):
        for t in panel.get("targets", []):
            try:
                promql.assert_parses(t.get("expr", ""))
            except ValueError as exc:
                found.append(f"panel {panel.get('title')!r} query {t.get('refId')}: {exc}")
    return found


def panel_type_problems(doc: dict) -> list[str]:
    return [f"panel {p.get('title')!r}: type {p['type']!r} is not a current panel type"
            for p in panels_of(doc) if p.get("type") not in (*PANEL_TYPES, "row")]


@lru_cache(maxsize=1)
def _plugins():
    register_default_plugins()
    return True


def roundtrip_losses(doc: dict) -> list[str]:
    """Read the JSON into the SDK's typed model and write it out again: any difference is a field
    the model does not know (a typo, a legacy field) or a value of the wrong type. Done once per
    shape (`shape`): 200 services' SLO dashboards are a few shapes."""
    key = shape(doc)
    if key is not None and key in _WHOLE:
        return []
    _plugins()
    back = json.loads(json.dumps(dm.Dashboard.from_json(json.loads(json.dumps(doc))), cls=JSONEncoder))
    if back == doc and key is not None:    # JSON values: equal means no difference _diff would name
        if len(_WHOLE) > 10_000:
            _WHOLE.clear()
        _WHOLE.add(key)
        return []
    return [f"round trip: {d}" for d in _diff(doc, back, "")]


_WHOLE: set[bytes] = set()
# The SDK's decoders choose a class by the string value of these keys (a panel's, a data source's
# and a value mapping's "type", CloudWatch's "queryMode", an Azure Monitor function's "kind");
# every other string they carry through
# as it is, and they write a field out whenever it is not None. tests/dashboards/test_checks.py
# reads the SDK's source and fails when it branches on any other key.
DISPATCH_KEYS = ("type", "queryMode", "kind")
_STRING = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")')   # one JSON string token
_DISPATCH = tuple(f'"{k}"' for k in DISPATCH_KEYS)


def shape(doc: dict) -> bytes | None:
    """A digest of what the round trip depends on: the dashboard's JSON with every string emptied
    (keys, nesting, list lengths, types, numbers), then its keys in order and the values of
    DISPATCH_KEYS. Dashboards of one shape lose the same fields through it: none when one loses none."""
    try:
        text = json.dumps(doc, sort_keys=True)
    except (TypeError, ValueError):
        return None
    # Splitting at every string token keeps the scan in step: what lies between tokens holds no quote.
    parts = _STRING.split(text)
    kept, key = [], None
    for i in range(1, len(parts), 2):
        token, after = parts[i], parts[i + 1]
        if after.startswith(":"):
            key = token
            kept.append(token)
        else:
            if key in _DISPATCH and parts[i - 1] == ": ":
                kept.append(token)
            key = None
    return hashlib.sha256('""'.join(parts[0::2]).encode() + b"\0" + "\0".join(kept).encode()).digest()


def _diff(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in b:
                yield f"{path}/{key} lost"
            elif key not in a:
                yield f"{path}/{key} added"
            else:
                yield from _diff(a[key], b[key], f"{path}/{key}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items became {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _diff(x, y, f"{path}/{i}")
    elif a != b or type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        yield f"{path}: {a!r} became {b!r}"


# --- Grafana's JSON schemas (../shared/grafana-schemas) --------------------------------------
def schema_errors(doc: dict, schemas: Path) -> list[str]:
    found = [f"dashboard{_at(e)}: {e.message}" for e in _validator(schemas, "dashboard", None).iter_errors(doc)]
    for panel in panels_of(doc):
        kind = panel.get("type")
        if kind == "row":
            continue
        stem = SCHEMA_FILES.get(kind)
        if stem is None:
            found.append(f"panel {panel.get('title')!r}: no schema for type {kind!r}")
            continue
        where = f"panel {panel.get('title')!r} ({kind})"
        if "options" not in panel:
            found.append(f"{where}: no options")
        for e in _validator(schemas, stem, "Options").iter_errors(panel.get("options", {})):
            found.append(f"{where} options{_at(e)}: {e.message}")
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
        if custom is not None and _has(schemas, stem, "FieldConfig"):
            for e in _validator(schemas, stem, "FieldConfig").iter_errors(custom):
                found.append(f"{where} fieldConfig.defaults.custom{_at(e)}: {e.message}")
        for t in panel.get("targets", []):
            for e in _validator(schemas, "prometheus", None).iter_errors(t):
                found.append(f"{where} target {t.get('refId')}{_at(e)}: {e.message}")
    return found


def _at(error) -> str:
    return "".join(f"/{p}" for p in error.absolute_path)


@lru_cache(maxsize=None)
def _schema(schemas: Path, stem: str) -> dict:
    return json.loads((schemas / f"{stem}.jsonschema.json").read_text())


def _has(schemas: Path, stem: str, definition: str) -> bool:
    return definition in _schema(schemas, stem).get("definitions", {})


@lru_cache(maxsize=None)
def _validator(schemas: Path, stem: str, definition: str | None):
    from jsonschema import Draft7Validator

    schema = _schema(schemas, stem)
    if definition is not None:
        schema = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    return Draft7Validator(schema)
