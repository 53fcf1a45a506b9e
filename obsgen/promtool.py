"""Run Prometheus's own checker and unit-test runner over the generated tree."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    step: str
    ok: bool
    output: str


def binary() -> str:
    found = shutil.which("promtool")
    if not found:
        raise FileNotFoundError("promtool not found: install Debian's prometheus package (apt-get install prometheus)")
    return found


def rule_files(out: Path) -> list[Path]:
    return sorted(p for p in Path(out).glob("*/*/rules/*.yml"))


def test_files(out: Path) -> list[Path]:
    return sorted(p for p in Path(out).glob("*/*/tests/*.test.yml"))


def config_files(out: Path) -> list[Path]:
    return sorted(Path(out).glob("*/prometheus/prometheus.yml"))


def check_config(files: list[Path]) -> Result:
    """Also checks every rule file each config names."""
    return _run("promtool check config", [binary(), "check", "config", *map(str, files)])


def check_rules(files: list[Path]) -> Result:
    return _run("promtool check rules", [binary(), "check", "rules", *map(str, files)])


def test_rules(files: list[Path], cwd: Path | None = None) -> Result:
    return _run("promtool test rules", [binary(), "test", "rules", *map(str, files)], cwd)


def _run(step: str, argv: list[str], cwd: Path | None = None) -> Result:
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
    return Result(step, proc.returncode == 0, (proc.stdout + proc.stderr).strip())
