"""Run tools/validators/check.mjs (Grafana's LogQL grammar, the Elasticsearch client's types).
No Node or no `npm ci`: the tests fail with what to do, they never skip."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALIDATORS = ROOT / "tools" / "validators"
SETUP = "npm ci --prefix tools/validators"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not installed: the log pipeline validators need Node 18+ and `{SETUP}`", pytrace=False)
    for package in ("@grafana/lezer-logql", "@elastic/elasticsearch", "@kubernetes/client-node", "typescript"):
        if not (VALIDATORS / "node_modules" / package / "package.json").is_file():
            pytest.fail(f"{package} is not installed under {VALIDATORS}: run `{SETUP}`", pytrace=False)
    return node


def check(mode: str, items: list) -> list[dict]:
    run = subprocess.run([_node(), str(VALIDATORS / "check.mjs"), mode], input=json.dumps(items),
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        pytest.fail(f"check.mjs {mode} failed ({run.returncode}): {run.stderr.strip()}", pytrace=False)
    results = json.loads(run.stdout)
    assert len(results) == len(items)
    return results
