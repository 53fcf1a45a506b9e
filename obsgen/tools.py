"""Where each program obsgen runs lives, by name and version: one table, read by scripts/setup
(what to build, and where) and by obsgen's code and tests (what to run).

Debian's packages put Prometheus 2 (`prometheus`, `promtool`) and Alertmanager (`amtool`,
`prometheus-alertmanager`) on PATH. Prometheus 3 and Thanos are Go modules built by
scripts/setup at the pinned versions below into a cache outside the repository:
``${XDG_CACHE_HOME:-~/.cache}/obsgen/tools/<name>-<version>/bin``.

Each tool can be pointed elsewhere with its environment variable (``OBSGEN_PROMTOOL3_BIN``, ...).
Which Prometheus obsgen uses when none is named: 3 (what users run), or
``OBSGEN_PROMETHEUS_VERSION=2``. The environment is read when a tool is looked up, never at
import. Standard library only: scripts/setup runs this before anything else is installed.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from obsgen.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE   # standard library only, like this module

PROMETHEUS_VERSIONS = ("2", "3")
DEFAULT_PROMETHEUS = "3"
VERSION_ENV = "OBSGEN_PROMETHEUS_VERSION"


@dataclass(frozen=True)
class GoBuild:
    """A Go module at a pinned version and the commands built from it (`go install ./cmd/x`)."""

    name: str                 # the cache directory's prefix
    module: str
    version: str
    commands: tuple[str, ...]  # package directories inside the module
    release: str               # what `--version` reports (the module's VERSION file)
    for_tests: bool = False    # built by `scripts/setup --with-test-tools` only
    tags: tuple[str, ...] = ()  # Go build tags, as the project's own release builds set them

    def bin_dir(self, env: Mapping[str, str]) -> Path:
        tagged = "+" + "+".join(self.tags) if self.tags else ""
        return cache_root(env) / f"{self.name}-{self.version}{tagged}" / "bin"


# Prometheus publishes its Go module as v0.3MM.P for release 3.MM.P.
PROMETHEUS3 = GoBuild("prometheus", "github.com/prometheus/prometheus", "v0.316.0",
                      ("cmd/prometheus", "cmd/promtool"), release="3.16.0")
# v0.42.5 needs Go 1.26.10; the machines have 1.26.8 (GOTOOLCHAIN=local).
# Thanos's release builds set netgo and slicelabels; without slicelabels its store gateway
# crashes reading a bucket of blocks with several external label sets.
THANOS = GoBuild("thanos", "github.com/thanos-io/thanos", "v0.42.4", ("cmd/thanos",), release="0.42.4",
                 for_tests=True, tags=("netgo", "slicelabels"))
GO_BUILDS = (PROMETHEUS3, THANOS)


@dataclass(frozen=True)
class Tool:
    key: str                     # the name obsgen and the tests ask for
    commands: tuple[str, ...]    # file names, first found wins
    source: str                  # what installs it, for the error message
    build: GoBuild | None = None  # None: a Debian package, found on PATH

    @property
    def env_var(self) -> str:
        return f"OBSGEN_{self.key.upper().replace('-', '_')}_BIN"


_DEBIAN_PROMETHEUS = "Debian's prometheus package"
_DEBIAN_ALERTMANAGER = "Debian's prometheus-alertmanager package"
TOOLS = {t.key: t for t in (
    Tool("prometheus2", ("prometheus",), _DEBIAN_PROMETHEUS),
    Tool("promtool2", ("promtool",), _DEBIAN_PROMETHEUS),
    Tool("prometheus3", ("prometheus",), f"Prometheus {PROMETHEUS3.release}, built by scripts/setup", PROMETHEUS3),
    Tool("promtool3", ("promtool",), f"Prometheus {PROMETHEUS3.release}, built by scripts/setup", PROMETHEUS3),
    Tool("thanos", ("thanos",), f"Thanos {THANOS.release}, built by scripts/setup", THANOS),
    Tool("amtool", ("amtool",), _DEBIAN_ALERTMANAGER),
    Tool("alertmanager", ("prometheus-alertmanager", "alertmanager"), _DEBIAN_ALERTMANAGER),
)}


class ToolMissing(FileNotFoundError):
    pass


def cache_root(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
    return Path(base) / "obsgen" / "tools"


def prometheus_version(version: str | None = None, env: Mapping[str, str] = os.environ) -> str:
    """The Prometheus major version to run: the one asked for, else $OBSGEN_PROMETHEUS_VERSION, else 3."""
    chosen = str(version or env.get(VERSION_ENV) or DEFAULT_PROMETHEUS)
    if chosen not in PROMETHEUS_VERSIONS:
        raise ValueError(f"Prometheus version {chosen!r}: choose one of {', '.join(PROMETHEUS_VERSIONS)}")
    return chosen


def find(key: str, env: Mapping[str, str] = os.environ) -> str | None:
    """The path of tool `key`, or None when it is not installed."""
    tool = TOOLS[key]
    if env.get(tool.env_var):
        given = env[tool.env_var]
        return given if os.access(given, os.X_OK) else shutil.which(given)
    if tool.build is not None:
        for command in tool.commands:
            path = tool.build.bin_dir(env) / command
            if os.access(path, os.X_OK):
                return str(path)
        return None
    return next(filter(None, (shutil.which(c) for c in tool.commands)), None)


def path(key: str, env: Mapping[str, str] = os.environ) -> str:
    """The path of tool `key`; ToolMissing says what installs it."""
    found = find(key, env)
    if found is None:
        tool = TOOLS[key]
        raise ToolMissing(f"{key} not found: it comes from {tool.source} (run scripts/setup), "
                          f"or set {tool.env_var}")
    return found


def promtool(version: str | None = None, env: Mapping[str, str] = os.environ) -> str:
    return path("promtool" + prometheus_version(version, env), env)


def prometheus(version: str | None = None, env: Mapping[str, str] = os.environ) -> str:
    return path("prometheus" + prometheus_version(version, env), env)


def _main(argv: list[str]) -> int:
    """`python -m obsgen.tools go-builds`: one line per Go build for scripts/setup,
    `run|test <bin dir> <module> <version> <tags, comma-separated, or -> <package dir>...`; `list`: every tool and where it is;
    `path KEY`: one tool's path (exit 1 when missing)."""
    if argv == ["go-builds"]:
        for b in GO_BUILDS:
            print("test" if b.for_tests else "run", b.bin_dir(os.environ), b.module, b.version,
                  ",".join(b.tags) or "-", *b.commands)
        return EXIT_OK
    if argv == ["list"]:
        for key in TOOLS:
            print(f"{key:14} {find(key) or 'missing: ' + TOOLS[key].source}")
        return EXIT_OK
    if len(argv) == 2 and argv[0] == "path" and argv[1] in TOOLS:
        found = find(argv[1])
        print(found or f"{argv[1]} missing", file=sys.stdout if found else sys.stderr)
        return EXIT_OK if found else EXIT_FAIL
    print("usage: python -m obsgen.tools go-builds | list | path KEY", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
