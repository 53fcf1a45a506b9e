"""Run Alertmanager's own checker and route tester over the generated tree."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from obsgen import names, tools
from obsgen.promtool import Result


def binary() -> str:
    return tools.path("amtool")


def config_files(out: Path) -> list[Path]:
    return sorted(Path(out).glob(f"*/{names.alertmanager_file()}"))


def route_test_files(out: Path) -> list[Path]:
    return sorted(Path(out).glob(f"*/{names.alertmanager_routes_test_file()}"))


def config_of(test_file: Path) -> Path:
    """The config a route test file belongs to: <dir>/alertmanager/tests/x.yml -> <dir>/alertmanager.yml."""
    return Path(test_file).parent.parent.parent / names.alertmanager_file()


def check_config(files: list[Path]) -> Result:
    proc = subprocess.run([binary(), "check-config", *map(str, files)], capture_output=True, text=True)
    return Result("amtool check-config", proc.returncode == 0, (proc.stdout + proc.stderr).strip())


def route(config: Path, labels: dict[str, str]) -> tuple[str, ...]:
    """The receivers Alertmanager routes an alert with `labels` to, in route order."""
    argv = [binary(), "config", "routes", "test", f"--config.file={config}",
            *(f"{k}={_quote(v)}" for k, v in sorted(labels.items()))]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"amtool routes test failed on {config}: {proc.stderr.strip()}")
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return tuple(lines[-1].split(",")) if lines else ()


def _quote(value: str) -> str:
    # amtool parses each argument as a matcher: quote values that are not a bare word.
    return value if value.replace("-", "").replace("_", "").replace(".", "").isalnum() else f'"{value}"'


@dataclass(frozen=True)
class Mismatch:
    file: Path
    case: str
    expected: tuple[str, ...]
    got: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}: {self.case}: expected {', '.join(self.expected)}; Alertmanager routes to {', '.join(self.got) or 'nothing'}"


def run_route_tests(files: list[Path]) -> tuple[int, list[Mismatch]]:
    """(cases run, mismatches) over the generated route test files."""
    count, mismatches = 0, []
    for file in files:
        config = config_of(file)
        for case in yaml.safe_load(file.read_text())["cases"]:
            count += 1
            got = route(config, case["labels"])
            if got != tuple(case["receivers"]):
                mismatches.append(Mismatch(file, case["name"], tuple(case["receivers"]), got))
    return count, mismatches


def test_routes(files: list[Path]) -> Result:
    count, mismatches = run_route_tests(files)
    lines = [str(m) for m in mismatches] + [f"{count} route cases, {len(mismatches)} failed"]
    return Result("amtool config routes test", not mismatches, "\n".join(lines))
