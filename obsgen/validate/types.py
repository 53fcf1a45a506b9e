"""The first check of every definition: each field holds what its annotation says.

Every later check may then trust the types, so an exception raised past this stage is obsgen's
own bug (the CLI says so and asks for a report), never the user's input dressed as one.
Annotations are checked one level deep: a tuple's items, a mapping's keys and values, a union's
members; a type this stage does not know (a nested dataclass, a callable) is left to the checks
of its kind.
"""
from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Mapping
from functools import lru_cache

from obsgen.errors import DefinitionError, Site

_SIMPLE = {str: "a string", int: "a whole number", float: "a number", bool: "True or False"}


def check_all(objs, site_of) -> None:
    """Every definition and the dataclasses inside it (a region's channels, an SLO's SLI and
    alert rows), each named by the definition that holds it and the field path."""
    for obj in objs:
        _walk(obj, site_of(obj), site_of, _what(obj), "")


def _walk(obj, site: Site, site_of, what: str, path: str) -> None:
    if isinstance(getattr(obj, "site", None), Site):
        site = site_of(obj)
    check(obj, site, what, path)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            if dataclasses.is_dataclass(item) and not isinstance(item, type) and not isinstance(item, Site):
                inner = f"{path}{f.name}" + (f"[{i}]" if isinstance(value, tuple) else "") + "."
                _walk(item, site, site_of, what, inner)


def _what(obj) -> str:
    kind = getattr(obj, "kind", None)
    kind = kind if isinstance(kind, str) and kind else type(obj).__name__
    name, service = getattr(obj, "name", None), getattr(obj, "service", None)
    if isinstance(service, str) and isinstance(name, str):
        return f"{kind} {service}/{name}"
    return f"{kind} {name}" if isinstance(name, str) and name else kind


def check(obj, site: Site, what: str, path: str = "") -> None:
    """Raise DefinitionError at `site` when a field of the dataclass `obj` has the wrong type."""
    if not dataclasses.is_dataclass(obj):
        return
    hints = _hints(type(obj))
    for f in dataclasses.fields(obj):
        if f.name == "site" or f.name not in hints:
            continue
        value = getattr(obj, f.name)
        problem = _mismatch(value, hints[f.name])
        if problem:
            raise DefinitionError(site, what, f"{path}{f.name} must be {problem}, got {value!r}")


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)   # a model annotation that does not resolve is obsgen's bug: let it surface


def _mismatch(value, hint) -> str | None:
    """What `value` should have been, or None when it fits `hint` (or the hint is not checked)."""
    origin = typing.get_origin(hint)
    if hint is typing.Any or isinstance(hint, typing.TypeVar):
        return None
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(hint)
        if any(_mismatch(value, m) is None for m in members):
            return None
        return " or ".join(filter(None, (_describe(m) for m in members))) or None
    if hint is type(None):
        return None if value is None else "None"
    if hint in _SIMPLE:
        return _simple(value, hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        if isinstance(value, hint) or value in {m.value for m in hint}:
            return None
        return "one of " + ", ".join(repr(m.value) for m in hint)
    if origin is tuple:
        if not isinstance(value, tuple):
            return "a tuple"
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        if len(args) == 1:
            bad = next((_mismatch(v, args[0]) for v in value if _mismatch(v, args[0])), None)
            return f"a tuple, each item {bad}" if bad else None
        return None
    if origin in (Mapping, dict) or hint in (Mapping, dict):
        if not isinstance(value, Mapping):
            return "a mapping"
        args = typing.get_args(hint)
        if len(args) == 2:
            for k, v in value.items():
                if _mismatch(k, args[0]) or _mismatch(v, args[1]):
                    return f"a mapping of {_describe(args[0])} to {_describe(args[1])}"
        return None
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return None if isinstance(value, hint) else f"a {hint.__name__}"
    return None


def _simple(value, hint) -> str | None:
    if hint is bool:
        return None if isinstance(value, bool) else _SIMPLE[bool]
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "a finite number"
    if hint is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else _SIMPLE[int]
    return None if isinstance(value, hint) else _SIMPLE[hint]


def _describe(hint) -> str:
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    if hint is type(None):
        return "None"
    origin = typing.get_origin(hint)
    if origin is tuple:
        return "a tuple"
    if isinstance(hint, type):
        return f"a {hint.__name__}"
    return str(hint)
