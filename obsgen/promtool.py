"""Run Prometheus's own checker and unit-test runner over the generated tree."""
from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
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


def check_config(files: list[Path]) -> Result | None:
    """Also checks every rule file each config names."""
    if not files:
        return None
    return _run("promtool check config", [binary(), "check", "config", *map(str, files)])


def check_rules(files: list[Path]) -> Result:
    return _run("promtool check rules", [binary(), "check", "rules", *map(str, files)])


def test_rules(files: list[Path], workers: int | None = None) -> Result:
    """promtool runs its files one after another: spread them over the cores, largest first."""
    workers = workers or os.cpu_count() or 1
    ordered = sorted(files, key=lambda f: -Path(f).stat().st_size)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda f: _run("promtool test rules", [binary(), "test", "rules", str(f)]), ordered))
    failed = [r.output for r in results if not r.ok]
    return Result("promtool test rules", not failed, "\n".join(failed))


def _run(step: str, argv: list[str]) -> Result:
    proc = subprocess.run(argv, capture_output=True, text=True)
    return Result(step, proc.returncode == 0, (proc.stdout + proc.stderr).strip())
