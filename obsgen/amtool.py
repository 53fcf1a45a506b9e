"""Run Alertmanager's own checker and route tester over the generated tree."""
from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
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


def route_labels(config: Path) -> set[str] | None:
    """Every label name the config's route tree matches on (a name-like word before a matcher's
    operator, so never fewer), or None when the tree is not read here. Routing sees no other label."""
    doc = yaml.load(Path(config).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    found: set[str] = set()

    def walk(node) -> bool:
        if not isinstance(node, dict):
            return False
        for text in node.get("matchers") or ():
            names_in = _MATCHER_NAME.findall(str(text))
            if not names_in:
                return False
            found.update(names_in)
        found.update(node.get("match") or {})
        found.update(node.get("match_re") or {})
        return all(walk(child) for child in node.get("routes") or ())

    return found if walk(doc.get("route")) else None


_MATCHER_NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)"?\s*(?:=~|!~|!=|=)')


def run_route_tests(files: list[Path], workers: int | None = None) -> tuple[int, list[Mismatch]]:
    """(cases run, mismatches) over the generated route test files. Cases alike in every label the
    route tree matches on are routed alike: amtool runs once for each such set, on the cores."""
    cases, first = [], {}
    for file in files:
        config = config_of(file)
        used = route_labels(config)
        for case in yaml.safe_load(file.read_text())["cases"]:
            labels = case["labels"]
            key = (config, tuple(sorted(labels.items() if used is None else
                                        ((k, v) for k, v in labels.items() if k in used))))
            first.setdefault(key, labels)
            cases.append((file, case, key))
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        routed = dict(zip(first, pool.map(lambda item: route(item[0][0], item[1]), first.items())))
    mismatches = [Mismatch(file, case["name"], tuple(case["receivers"]), routed[key])
                  for file, case, key in cases if routed[key] != tuple(case["receivers"])]
    return len(cases), mismatches


def test_routes(files: list[Path]) -> Result:
    count, mismatches = run_route_tests(files)
    lines = [str(m) for m in mismatches] + [f"{count} route cases, {len(mismatches)} failed"]
    return Result("amtool config routes test", not mismatches, "\n".join(lines))
