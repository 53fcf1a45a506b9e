"""The terminal table and the Markdown summary: same figures, escaped for their medium."""
from __future__ import annotations

import pytest

from obsgen.gate.report import markdown, terminal
from tests.gate_report import builders as b


def test_no_colour_codes_unless_asked_and_every_decision_coloured_when_asked():
    plain, coloured = terminal.table(b.mixed()), terminal.table(b.mixed(), colour=True)
    assert "\x1b" not in plain
    for code, decision in (("32", "pass"), ("33", "warn"), ("31", "fail"), ("35", "cannot-evaluate")):
        assert f"\x1b[{code}m{decision}" in coloured


def test_the_table_columns_line_up():
    lines = terminal.table(b.mixed()).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("REGION  "))
    column = lines[header].index("DECISION")
    decisions = [line[column:].split()[0] for line in lines[header + 1:header + 7]]
    assert decisions == ["pass", "warn", "fail", "cannot-evaluate", "fail", "pass"]


def test_a_label_value_with_escape_codes_or_newlines_cannot_recolour_or_forge_a_row():
    evaluation = b.evaluation((b.slo_result(slo="x\x1b[32mpass\nforged"),))
    text = terminal.table(evaluation)
    assert "\x1b" not in text and "\\x1b[32mpass\\nforged" in text


def test_the_verdict_line_names_the_decision_reason_and_exit_status():
    assert terminal.table(b.mixed()).rstrip().endswith(
        "CANNOT-EVALUATE: cannot-evaluate: worst of 6 SLOs (exit 3)")


PROGRESS = {
    "a region being queried": (lambda: terminal.progress_start("eu-west", 2, 4), "[2/4] querying eu-west ..."),
    "a region answered": (lambda: terminal.progress_done("eu-west", 2, 4, 3, 0.1234), "[2/4] eu-west: 3 requests, 0.12s"),
    "one request": (lambda: terminal.progress_done("eu-west", 1, 1, 1, 0.5), "[1/1] eu-west: 1 request, 0.50s"),
    "a region unreachable": (lambda: terminal.progress_done("cn-east", 4, 4, 2, 1.0, "unreachable: refused"),
                             "[4/4] cn-east: unreachable: refused"),
}


@pytest.mark.parametrize("line,expected", PROGRESS.values(), ids=PROGRESS.keys())
def test_progress_lines(line, expected):
    assert line() == expected


def test_a_verbose_request_line_shows_method_status_duration_and_query():
    log = b.mixed().requests[0]
    assert terminal.request_line(log) == (
        "GET http://127.0.0.1:9090/api/v1/query time=1795000000 200 ok 12ms series=3: slo:burn_rate:ratio_rate5m")


def test_markdown_escapes_html_and_table_pipes_in_label_values():
    text = markdown.render(b.mixed())
    assert "<script>" not in text and "&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\|" in text
    assert "\x1b" not in text


def test_every_markdown_table_row_has_as_many_cells_as_its_header():
    lines = markdown.render(b.mixed()).splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| Region"):
            width = line.count(" | ")
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(row)
            assert rows and all(row.replace("\\|", "").count(" | ") == width for row in rows)


def test_markdown_heads_with_the_decision_and_lists_unreadable_endpoints():
    text = markdown.render(b.mixed())
    assert text.startswith("## ❔ obsgen gate: cannot\\-evaluate")
    assert "- ap\\-southeast: unreachable: connection refused" in text
