"""Run Prometheus's own checker and unit-test runner over the generated tree."""
from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from obsgen import tools


@dataclass(frozen=True)
class Result:
    step: str
    ok: bool
    output: str


def binary(version: str | None = None) -> str:
    """promtool of Prometheus `version` ("2" or "3"); by default 3, or $OBSGEN_PROMETHEUS_VERSION."""
    return tools.promtool(version)


def rule_files(out: Path) -> list[Path]:
    return sorted(p for p in Path(out).glob("*/*/rules/*.yml"))


def test_files(out: Path) -> list[Path]:
    return sorted(p for p in Path(out).glob("*/*/tests/*.test.yml"))


def config_files(out: Path) -> list[Path]:
    return sorted(Path(out).glob("*/prometheus/prometheus.yml"))


def named_by_configs(configs: list[Path]) -> set[Path]:
    """The rule files the configs name: `check config` checks them, so `check rules` need not."""
    import yaml

    found = set()
    for config in configs:
        doc = yaml.safe_load(Path(config).read_text()) or {}
        for pattern in doc.get("rule_files") or ():
            found.update(Path(config).parent.glob(pattern))
    return found


def check_config(files: list[Path], version: str | None = None) -> Result | None:
    """Also checks every rule file each config names."""
    if not files:
        return None
    return _run("promtool check config", [binary(version), "check", "config", *map(str, files)])


def check_rules(files: list[Path], version: str | None = None) -> Result:
    return _run("promtool check rules", [binary(version), "check", "rules", *map(str, files)])


def test_rules(files: list[Path], workers: int | None = None, version: str | None = None,
               progress: Callable[[str], None] | None = None) -> Result:
    """promtool runs its files one after another: spread them over the cores, largest first."""
    workers = workers or os.cpu_count() or 1
    ordered = sorted(files, key=lambda f: -Path(f).stat().st_size)
    promtool = binary(version)
    failed = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(_run, "promtool test rules", [promtool, "test", "rules", str(f)]) for f in ordered]
        for done, job in enumerate(as_completed(jobs), 1):
            if progress:
                progress(f"promtool test rules: {done} of {len(jobs)} files")
        failed = [job.result().output for job in jobs if not job.result().ok]
    return Result("promtool test rules", not failed, "\n".join(failed))


def _run(step: str, argv: list[str]) -> Result:
    proc = subprocess.run(argv, capture_output=True, text=True)
    return Result(step, proc.returncode == 0, (proc.stdout + proc.stderr).strip())
