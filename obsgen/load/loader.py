"""Import the definition modules under an estate root and collect the model objects they hold."""
from __future__ import annotations

import dataclasses
import importlib
import os
import sys
import traceback
from pathlib import Path

from obsgen.errors import DefinitionError, Site
from obsgen.model import SLO, Alert, Estate, GlobalAlert, GlobalRecording, GlobalView, Recording, Region
from obsgen.model.dashboard import Dashboard, GrafanalibDashboard
from obsgen.model.pipeline import LogAlert, LogCollector, LogDashboard, LogIndex, LogPipeline
from obsgen.model.release import ReleasePolicy
from obsgen.site import PACKAGE_DIR
from obsgen.validate import validate

DEFINITION_DIRS = ("rules", "dashboards", "pipelines")


def load_estate(root: Path) -> Estate:
    """The validated estate under `root`; DefinitionError on the first bad definition."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise DefinitionError(Site(str(root), 0), "estate", "--root is not a directory")
    if not any((root / top).is_dir() for top in DEFINITION_DIRS):
        raise DefinitionError(Site(str(root), 0), "estate",
                              f"holds none of {', '.join(d + '/' for d in DEFINITION_DIRS)}: is --root the estate's root?")
    objects = _collect(root)
    estate = _assemble(objects)
    validate(estate, root)
    return estate


def definition_files(root: Path) -> list[Path]:
    files = []
    for top in DEFINITION_DIRS:
        base = root / top
        if base.is_dir():
            files += sorted(p for p in base.rglob("*.py") if not _skipped(p.relative_to(root)))
    return files


def _skipped(rel: Path) -> bool:
    """Not a definition: caches, hidden files and folders (editor lock files `.#alerts.py`,
    `.ipynb_checkpoints/`), and names Python cannot import."""
    return any(part == "__pycache__" or part.startswith(".") for part in rel.parts) or not all(
        part.isidentifier() for part in rel.with_suffix("").parts)


def _collect(root: Path) -> list[object]:
    seen: dict[int, object] = {}
    with _definitions_importable(root):
        for path in definition_files(root):
            module = _import(root, path)
            for value in vars(module).values():
                for obj in _model_objects(value, module.__name__):
                    seen.setdefault(id(obj), obj)
    return list(seen.values())


def _import(root: Path, path: Path):
    rel = path.relative_to(root)
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    name = ".".join(parts)
    cwd = os.getcwd()
    try:
        module = importlib.import_module(name)
    except DefinitionError:
        raise
    except SyntaxError as exc:
        site = Site(_relative(root, exc.filename or str(path)), max(exc.lineno or 1, 1))
        raise DefinitionError(site, f"module {name}", f"syntax error: {_syntax_message(exc, path)}") from None
    except SystemExit as exc:  # sys.exit() in a definition would end the build as if it had passed
        site = _failure_site(root, path, exc)
        raise DefinitionError(site, f"module {name}", f"calls sys.exit({exc.code!r}) on import; "
                                                      "a definition module must only define") from None
    except Exception as exc:  # the module's own code failed while importing
        if _raised_in_obsgen(root, exc):
            raise   # obsgen's own bug: the CLI reports it as one (exit 1), never as the user's definition
        site = _failure_site(root, path, exc)
        raise DefinitionError(
            site, f"module {name}", f"raised {type(exc).__name__} on import: {exc}"
        ) from None
    finally:
        moved = os.getcwd() != cwd
        os.chdir(cwd)
    if moved:
        raise DefinitionError(Site(_relative(root, str(path)), 1), f"module {name}",
                              "changes the working directory on import (os.chdir); a definition module must only define")
    return module


def _syntax_message(exc: SyntaxError, path: Path) -> str:
    head = path.read_bytes()[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        return "the file is not UTF-8 (it looks like UTF-16); save it as UTF-8"
    return str(exc.msg)


def _failure_site(root: Path, path: Path, exc: BaseException) -> Site:
    """The deepest frame of the failure that lies in a definition file, else the module itself."""
    best = Site(_relative(root, str(path)), 1)
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            Path(frame.filename).resolve().relative_to(root)
        except ValueError:
            continue
        if not frame.filename.startswith(PACKAGE_DIR):
            best = Site(_relative(root, frame.filename), frame.lineno or 0)
    return best


def _raised_in_obsgen(root: Path, exc: BaseException) -> bool:
    """Whether the failure passed through obsgen's own code after the definition's last frame
    (a model constructor's helper, not a library the definition called)."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [i for i, f in enumerate(frames) if _in_root(root, f.filename) and not f.filename.startswith(PACKAGE_DIR)]
    return bool(inside) and any(f.filename.startswith(PACKAGE_DIR) for f in frames[inside[-1] + 1:])


def _in_root(root: Path, filename: str) -> bool:
    try:
        Path(filename).resolve().relative_to(root)
        return True
    except ValueError:
        return False


def _relative(root: Path, filename: str) -> str:
    try:
        return str(Path(filename).resolve().relative_to(root))
    except ValueError:
        return filename


def _model_objects(value, module: str):
    """Definitions held by a module: directly, in lists, tuples and dicts, and as attributes
    of classes the module defines (a namespace class of SLOs is not dropped)."""
    if _is_definition(value):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _model_objects(item, module)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _model_objects(item, module)
    elif isinstance(value, type) and value.__module__ == module:
        for name, item in vars(value).items():
            if not name.startswith("__"):
                yield from _model_objects(item, module)


def _is_definition(value) -> bool:
    cls = type(value)
    return (
        dataclasses.is_dataclass(value)
        and not isinstance(value, type)
        and cls.__module__.startswith("obsgen.model")
        and hasattr(cls, "kind")
    )


# Each kind of definition, by the Estate field that holds it.
_KINDS = {
    Region: "regions",
    GlobalView: "global_views",
    Alert: "alerts",
    Recording: "recordings",
    GlobalRecording: "global_recordings",
    SLO: "slos",
    GlobalAlert: "global_alerts",
    ReleasePolicy: "release_policies",
    Dashboard: "dashboards",
    GrafanalibDashboard: "grafanalib_dashboards",
    LogIndex: "log_indices",
    LogCollector: "log_collectors",
    LogAlert: "log_alerts",
    LogPipeline: "log_pipelines",
    LogDashboard: "log_dashboards",
}


def _assemble(objects: list[object]) -> Estate:
    buckets: dict[str, list] = {field: [] for field in _KINDS.values()}
    for obj in objects:
        buckets[_KINDS[type(obj)]].append(obj)   # a model kind missing here is obsgen's bug
    views = buckets["global_views"]
    return Estate(global_view=views[0] if views else None, **{k: tuple(v) for k, v in buckets.items()})


class _definitions_importable:
    """Put the estate root first on sys.path and forget its packages before and after, so
    two estates loaded in one process never see each other's modules."""

    def __init__(self, root: Path):
        self.root = str(root)

    def _forget(self):
        for name in list(sys.modules):
            if name.split(".")[0] in DEFINITION_DIRS:
                del sys.modules[name]

    def __enter__(self):
        self._forget()
        sys.path.insert(0, self.root)
        importlib.invalidate_caches()

    def __exit__(self, *exc):
        sys.path.remove(self.root)
        self._forget()
