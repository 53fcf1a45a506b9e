"""YAML documents that remember where each value was written, and the error that points there.

A converter reads a `Doc` (a mapping) with `get`/`need`, and every value it reads knows its file
and line, so a field obsgen cannot map is reported at the user's line, never dropped silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from obsgen.errors import DefinitionError, Site


class ImportProblem(DefinitionError):
    """A document obsgen cannot convert: the CLI prints `error: FILE:LINE: OBJECT: FIELD: why`, exit 2."""

    def __init__(self, site: Site, obj: str, field: str, message: str):
        super().__init__(site, obj, f"{field}: {message}" if field else message)
        self.field = field


@dataclass
class Node:
    """A YAML value and where it was written. Mappings and lists hold Nodes."""

    value: object
    site: Site
    path: str = ""    # dotted field path from the document's root, for messages

    def plain(self):
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class Doc:
    """One mapping of a document, read field by field."""

    def __init__(self, node: Node, obj: str):
        if not isinstance(node.value, dict):
            raise ImportProblem(node.site, obj, node.path or "document", "must be a mapping")
        self.node, self.obj = node, obj

    @property
    def site(self) -> Site:
        return self.node.site

    def keys(self):
        return self.node.value.keys()

    def node_of(self, key: str) -> Node | None:
        return self.node.value.get(key)

    def where(self, key: str) -> Site:
        child = self.node_of(key)
        return child.site if child is not None else self.site

    def field(self, key: str) -> str:
        return f"{self.node.path}.{key}" if self.node.path else key

    def fail(self, key: str, message: str):
        raise ImportProblem(self.where(key), self.obj, self.field(key), message)

    def get(self, key: str, kind: type | tuple = object, default=None):
        child = self.node_of(key)
        if child is None or child.value is None:
            return default
        value = child.plain()
        if kind in (float, (int, float)) and isinstance(value, bool):
            self.fail(key, f"must be a number, got {value!r}")
        if not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.fail(key, f"must be {_article(name)}, got {value!r}")
        return value

    def need(self, key: str, kind: type | tuple = object):
        value = self.get(key, kind)
        if value is None or value == "":
            self.fail(key, "is required")
        return value

    def sub(self, key: str, required: bool = False) -> "Doc | None":
        child = self.node_of(key)
        if child is None or child.value is None:
            if required:
                self.fail(key, "is required")
            return None
        return Doc(child, self.obj)

    def items(self, key: str) -> list[Node]:
        child = self.node_of(key)
        if child is None or child.value is None:
            return []
        if not isinstance(child.value, list):
            self.fail(key, "must be a list")
        return child.value

    def strings(self, key: str) -> dict[str, str]:
        """A mapping of strings (labels, annotations); numbers are spelled as YAML wrote them."""
        value = self.get(key, dict, {})
        for k, v in value.items():
            if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                self.fail(key, f"{k}: must be a string, got {v!r}")
        return {str(k): str(v) for k, v in value.items()}

    def only(self, known: set[str], why: str = "obsgen has no equivalent") -> None:
        """Refuse any field but `known`: what obsgen cannot map is an error, never a silent drop."""
        for key in self.keys():
            if key not in known:
                self.fail(key, f"cannot be mapped ({why})")


def _article(name: str) -> str:
    return {"str": "a string", "dict": "a mapping", "list": "a list", "int": "a whole number",
            "float": "a number", "bool": "true or false"}.get(name, name)


_SCALARS = yaml.constructor.SafeConstructor()


def _convert(node, file: str, path: str, line: int | None = None) -> Node:
    """`line`: where the key of a mapping's value was written (a nested block starts below it)."""
    site = Site(file, line or node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = k.value
            out[key] = _convert(v, file, f"{path}.{key}" if path else key, k.start_mark.line + 1)
        return Node(out, site, path)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, file, f"{path}[{i}]") for i, v in enumerate(node.value)], site, path)
    return Node(_SCALARS.construct_object(node), site, path)


def load_documents(path: Path, shown: str | None = None) -> list[Node]:
    """Every non-empty YAML document of the file, as Nodes; ImportProblem when it is not YAML."""
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblem(Site(shown, 0), "file", "", f"cannot be read ({exc.__class__.__name__})") from None
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ImportProblem(Site(shown, line), "file", "", f"not valid YAML ({problem})") from None
    return [_convert(n, shown, "") for n in nodes if n is not None]


def files_of(target: Path, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[Path]:
    """The file, or the YAML files under a directory (sorted, hidden ones skipped)."""
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and p.suffix in suffixes
                      and not any(part.startswith(".") for part in p.relative_to(target).parts))
    if not target.exists():
        raise ImportProblem(Site(str(target), 0), "file", "", "does not exist")
    return [target]
