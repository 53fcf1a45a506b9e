"""Bad SLO definitions are refused at load time with file:line, the SLO and the reason."""
from __future__ import annotations

import pytest

from obsgen.errors import DefinitionError
from obsgen.load import load_estate

from tests.foundation.estate_builder import write_estate

HEAD = "from obsgen.model import SLO, EventRatio, LatencyThreshold, BurnWindow\n"
SLI = "EventRatio(total='http_requests_total', errors='http_requests_total{code=~\"5..\"}')"


def slo_def(**over) -> str:
    fields = {"service": "'api'", "name": "'availability'", "objective": "99.5", "sli": SLI, "description": "'d'"}
    fields.update(over)
    return HEAD + "X = SLO(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")\n"


CASES = [
    ("an objective so low the page could never fire", slo_def(objective="90"), "could never fire"),
    ("a region override so low the page could never fire", slo_def(objective_overrides="{'beta': 92.0}"), "in beta"),
    ("a period that is not a multiple of the evaluation interval", slo_def(period="'30d30s'"), "not a multiple"),
    ("a label obsgen sets itself", slo_def(labels="{'tier': 'x'}"), "set by obsgen"),
    ("a short window longer than its long window",
     slo_def(alerting="(BurnWindow('page', long='5m', short='1h', factor=14.4, severity='critical'),)"), "must be shorter"),
    ("a negative burn factor",
     slo_def(alerting="(BurnWindow('page', long='1h', short='5m', factor=-1, severity='critical'),)"), "positive number"),
    ("an error selector no real series can match alone",
     slo_def(sli="EventRatio(total='t_total{a=\"x\"}', errors='t_total{a=\"x\",b=~\"[\"}')"), "slo api/availability"),
]


@pytest.mark.parametrize("text,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_slo_is_refused_naming_file_line_and_slo(tmp_path, text, words):
    root = write_estate(tmp_path, extra={"rules/slos.py": text})
    with pytest.raises(DefinitionError) as err:
        load_estate(root)
    line = err.value.one_line()
    assert line.startswith("rules/slos.py:2:"), line
    assert "slo api/availability" in line and words in line, line
