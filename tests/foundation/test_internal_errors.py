"""Bad input is the user's: one line, exit 2. Anything else that goes wrong is obsgen's own bug:
one line that says so and asks for a report, exit 1, the traceback only with `obsgen -v`."""
from __future__ import annotations

import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from obsgen import errors
from obsgen import site as site_module
from obsgen.cli import main
from obsgen.load import load_estate
from obsgen.validate import alertmanager as cross_kind_checks
from tests.foundation.estate_builder import write_estate

REPO = Path(__file__).resolve().parents[2]


def _bug(*args, **kwargs):
    raise KeyError("a key obsgen forgot")


@pytest.mark.parametrize("verbose", [False, True], ids=["without -v", "with -v"])
def test_a_bug_in_obsgen_is_reported_as_a_bug_never_as_a_bad_definition(tmp_path, monkeypatch, verbose):
    root = write_estate(tmp_path)
    monkeypatch.setattr(cross_kind_checks, "region", _bug)
    result = CliRunner().invoke(main, [*(["-v"] if verbose else []), "build", "--root", str(root)])
    assert result.exit_code == errors.EXIT_FAIL
    assert "internal error (KeyError" in result.output and "please report" in result.output
    assert "malformed definition" not in result.output
    assert ("Traceback" in result.output) == verbose


@pytest.mark.parametrize("verbose", [False, True], ids=["without -v", "with -v"])
def test_a_bug_in_obsgen_while_a_definition_imports_is_a_bug_not_the_modules_error(tmp_path, monkeypatch, verbose):
    root = write_estate(tmp_path)
    # obsgen's code that runs inside a definition's import: every model object records its site
    monkeypatch.setattr(site_module, "sys", types.SimpleNamespace(_getframe=_bug))
    result = CliRunner().invoke(main, [*(["-v"] if verbose else []), "build", "--root", str(root)])
    assert result.exit_code == errors.EXIT_FAIL, result.output
    assert "internal error (KeyError" in result.output and "please report" in result.output
    assert "on import" not in result.output and "error: rules/" not in result.output
    assert ("Traceback" in result.output) == verbose


def test_a_definition_that_raises_through_a_library_is_still_the_users_error(tmp_path):
    root = write_estate(tmp_path)
    (root / "rules" / "bad.py").write_text("import json\n\nX = json.loads('{')\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == errors.EXIT_USAGE, result.output
    assert result.output.strip().splitlines()[-1].startswith("error: rules/bad.py:3: module rules.bad: raised JSONDecodeError")


def test_a_bug_in_obsgens_grafanalib_converter_is_a_bug_not_the_teams_dashboard(monkeypatch):
    from obsgen.model import grafanalib as converter

    monkeypatch.setattr(converter, "UPGRADES", None)   # the converter now fails inside obsgen
    with pytest.raises(AttributeError):
        load_estate(REPO)


def test_grafanalib_failing_on_the_teams_object_is_the_teams_error(tmp_path):
    root = write_estate(tmp_path)
    (root / "dashboards").mkdir(exist_ok=True)
    (root / "dashboards" / "team.py").write_text(
        "from grafanalib.core import Dashboard\nfrom obsgen.model.dashboard import GrafanalibDashboard\n\n"
        "T = GrafanalibDashboard('team', Dashboard(title='Team', rows=[object()]))\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == errors.EXIT_USAGE, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("error: dashboards/team.py:4: grafanalib dashboard team: grafanalib could not render it"), line


FIELDS = [
    ("an objective given as text", "X = SLO(service='api', name='a', objective='99.5', description='d', "
                                  "sli=EventRatio(total='up', errors='up'))\n", "objective must be a finite number"),
    ("a NaN objective", "X = SLO(service='api', name='a', objective=float('nan'), description='d', "
                        "sli=EventRatio(total='up', errors='up'))\n", "objective must be a finite number"),
    ("regions as one string", "X = SLO(service='api', name='a', objective=99.5, description='d', regions='alpha', "
                              "sli=EventRatio(total='up', errors='up'))\n", "regions must be"),
    ("an SLI selector that is a number", "X = SLO(service='api', name='a', objective=99.5, description='d', "
                                         "sli=EventRatio(total=42, errors='up'))\n", "slo api/a: sli.total must be a string"),
]


@pytest.mark.parametrize("source,words", [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_a_field_of_the_wrong_type_is_the_users_error_at_its_line(tmp_path, source, words):
    root = write_estate(tmp_path)
    (root / "rules" / "bad.py").write_text("from obsgen.model import SLO, EventRatio\n" + source)
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == errors.EXIT_USAGE, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("error: rules/bad.py:2:") and words in line, line
