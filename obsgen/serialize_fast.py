"""YAML and JSON text of plain documents (dicts, lists, strings, numbers, booleans, None), byte for
byte what obsgen/serialize.py's PyYAML dumper and `json.dumps(indent=2, sort_keys=True)` write,
without their per-node Python machinery. Each string's YAML style is decided by PyYAML's own
scalar analysis and resolver; whatever this module does not write the same way raises
Unsupported, and the caller then uses PyYAML or json as they are (tests/foundation/test_serialize_fast.py
compares both on every generated document and on awkward strings)."""
from __future__ import annotations

import re
from json.encoder import encode_basestring
from yaml.emitter import Emitter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

MAX_LINE = 9_000        # PyYAML folds a scalar at a space past column 10,000 (the dumper's width)
MAX_KEY = 127           # longer keys are written as `? key` (PyYAML's simple-key limit)
_STR = "tag:yaml.org,2002:str"
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


class Unsupported(Exception):
    """A document this module does not write exactly as the reference does."""


class _Analyzer:
    allow_unicode = True


_resolver = Resolver()
_memo: dict[tuple[str, bool], str] = {}


def _string(value: str, key: bool) -> str:
    found = _memo.get((value, key))
    if found is not None:
        return found
    if not value.isascii() or any(b in value for b in _BREAKS):
        raise Unsupported
    if key and (not value or len(value) > MAX_KEY):
        raise Unsupported
    plain = _surely_plain(value) or Emitter.analyze_scalar(_Analyzer, value).allow_block_plain
    if plain and _resolver.resolve(ScalarNode, value, (True, False)) == _STR:
        text = value
    elif Emitter.analyze_scalar(_Analyzer, value).allow_single_quoted:
        text = "'" + value.replace("'", "''") + "'"
    else:
        raise Unsupported
    if len(value) < 200:
        _memo[(value, key)] = text
    return text


_PRINTABLE = re.compile(r"[\x20-\x7e]+")
_INDICATORS = "#,[]{}&*!|>'\"%@`"


def _surely_plain(value: str) -> bool:
    """A quick yes for what PyYAML's analysis (pure Python, char by char: slow on long rule
    expressions) allows as a block plain scalar: printable ASCII, no space at either end, no
    indicator first, no `: `, ` #`, trailing `:`, no document marker. A no means: ask PyYAML."""
    first = value[:1]
    return bool(_PRINTABLE.fullmatch(value)) and first != " " and value[-1] != " " and first not in _INDICATORS \
        and not (first in "-?:" and value[1:2] in ("", " ")) and ": " not in value and " #" not in value \
        and not value.endswith(":") and not value.startswith(("---", "..."))


def _float(value: float) -> str:
    """SafeRepresenter.represent_float."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


def _scalar(value) -> str:
    if isinstance(value, str):
        return _string(value, False)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return _float(value)
    raise Unsupported


_flat: dict[tuple, list[str]] = {}


def _mapping(out: list[str], doc: dict, indent: int, first: str | None = None) -> None:
    if len(doc) <= 16 and set(map(type, doc.values())) == {str}:
        # Label and annotation maps recur hundreds of times per rule file: written once each.
        key = (indent, tuple(doc.items()))
        lines = _flat.get(key)
        if lines is None:
            lines = []
            _mapping_lines(lines, doc, indent, None)
            if len(_flat) > 50_000:
                _flat.clear()
            _flat[key] = lines
        if first is None:
            out.extend(lines)
        else:
            out.append(first + lines[0][indent:])
            out.extend(lines[1:])
        return
    _mapping_lines(out, doc, indent, first)


def _mapping_lines(out: list[str], doc: dict, indent: int, first: str | None) -> None:
    pad = " " * indent
    for key, value in doc.items():
        if type(key) is not str:
            raise Unsupported
        head = (pad if first is None else first) + _string(key, True) + ":"
        first = None
        _after(out, head, value, indent)


def _after(out: list[str], head: str, value, indent: int) -> None:
    if type(value) is str:
        line = head + " " + _string(value, False)
        if len(line) > MAX_LINE:
            raise Unsupported
        out.append(line)
    elif isinstance(value, dict):
        if not value:
            out.append(head + " {}")
        else:
            out.append(head)
            _mapping(out, value, indent + 2)
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append(head + " []")
        else:
            out.append(head)
            _sequence(out, value, indent)      # a sequence in a mapping is not indented
    else:
        line = head + " " + _scalar(value)
        if len(line) > MAX_LINE:
            raise Unsupported
        out.append(line)


def _sequence(out: list[str], items, indent: int, first: str | None = None) -> None:
    pad = " " * indent
    for item in items:
        prefix = (pad if first is None else first) + "- "
        first = None
        if isinstance(item, dict):
            if not item:
                out.append(prefix + "{}")
            else:
                _mapping(out, item, indent + 2, prefix)
        elif isinstance(item, (list, tuple)):
            if not item:
                out.append(prefix + "[]")
            else:
                _sequence(out, item, indent + 2, prefix)
        else:
            line = prefix + _scalar(item)
            if len(line) > MAX_LINE:
                raise Unsupported
            out.append(line)


def yaml_text(doc) -> str:
    if isinstance(doc, dict) and doc:
        out: list[str] = []
        _mapping(out, doc, 0)
    elif isinstance(doc, (list, tuple)) and doc:
        out = []
        _sequence(out, doc, 0)
    else:
        raise Unsupported
    return "\n".join(out) + "\n"


def _json(value, pad: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        if set(map(type, value)) != {str}:
            raise Unsupported
        items = sorted(value.items())
        return "{\n" + ",\n".join([f"{inner}{encode_basestring(k)}: {_json(v, inner)}" for k, v in items]) \
            + "\n" + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join([inner + _json(v, inner) for v in value]) + "\n" + pad + "]"
    return _json_other(value, pad)


def _json_other(value, pad: str) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if isinstance(value, (dict, list, tuple)):   # subclasses: the reference writes them as their base
        return _json(dict(value) if isinstance(value, dict) else list(value), pad)
    raise Unsupported


def json_text(doc) -> str:
    """json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)."""
    return _json(doc, "")
