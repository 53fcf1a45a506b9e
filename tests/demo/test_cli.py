"""`obsgen demo` refuses cleanly, before starting anything, when the rules were never built."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from obsgen.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.tool("prometheus")  # the demo looks for Prometheus first
def test_without_generated_rules_it_says_to_build_and_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--root", str(ROOT), "--generated", str(tmp_path), "--days", "1"])
    assert result.exit_code == 2, result.output
    assert "run `obsgen build` first" in result.output
