"""The one place documents become bytes: YAML and JSON, stable, with the generated header.

PyYAML's representer walks every node in Python (about 30 s for the 100 MB of YAML that 200
services render), so documents of plain data are written by `fast.py`, which gives PyYAML's
bytes exactly: each scalar's style is still PyYAML's own choice, and anything it does not
handle (multi-line strings, keys or lines too long, other types) falls back to PyYAML whole.
"""
from __future__ import annotations

import json

import yaml

from obsgen import names
from obsgen.serialize_fast import Unsupported, json_text, yaml_text


# libyaml's emitter when PyYAML was built with it (the wheels are); same bytes, ~10x faster.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):
        return True  # a shared object is written out again, never as an &anchor other tools may not follow


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(doc, comment: str = names.HEADER) -> bytes:
    """Mappings keep the order the renderer built (renderers sort what has no natural order)."""
    try:
        body = yaml_text(doc)
    except Unsupported:
        body = pyyaml(doc)
    return f"# {comment}\n{body}".encode()


def pyyaml(doc) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


def to_json(doc) -> bytes:
    """JSON has no comments; generated JSON files carry the header in their own metadata."""
    try:
        text = json_text(doc)
    except Unsupported:
        text = stdlib_json(doc)
    return (text + "\n").encode()


def stdlib_json(doc) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
