"""`obsgen gate --html FILE`: one self-contained page (inline CSS and SVG, no script, no
external asset) with the decision, the table, and each SLO's error budget burn-down.

Every value is escaped (escape.html_text); a Content-Security-Policy forbids scripts and
remote loads besides, so a label value that slipped through still could not run.
"""
from __future__ import annotations

from typing import Iterable

from obsgen.gate.report import figures as f
from obsgen.gate.report.escape import html_text as h
from obsgen.gate.report.svg import burn_down_svg
from obsgen.gate.result import BurnDown, Evaluation

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;margin:8px 0} th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa} td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.decision{font-weight:600;padding:1px 6px;border-radius:4px;color:#fff;white-space:nowrap}
.pass{background:#1a7f37} .warn{background:#9a6700} .fail{background:#cf222e} .cannot-evaluate{background:#8250df}
.banner{padding:12px 16px;border-radius:6px;color:#fff;margin-bottom:16px}
.charts{display:flex;flex-wrap:wrap;gap:16px} .chart{border:1px solid #d0d7de;border-radius:6px;padding:8px;width:480px}
.chart h3{font-size:13px;margin:0 0 4px} .muted{color:#656d76}
""".strip()


def render(evaluation: Evaluation, burndowns: Iterable[BurnDown] | None = None) -> str:
    """The page. `burndowns` defaults to the evaluation's own (from the gate's range query)."""
    e = evaluation
    curves = {(b.slo_id, b.region): b for b in (e.burndowns if burndowns is None else burndowns)}
    title = f"obsgen {e.mode}: {e.decision} at {e.at_iso}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{h(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(title)}</title><style>{_STYLE}</style></head><body>",
        f'<div class="banner {h(e.decision)}" id="decision"><h1>{h(e.decision.upper())}</h1>'
        f"<div>{h(e.reason)}</div></div>",
        f'<p class="muted">{h(e.mode)} at {h(e.at_iso)}'
        + (f", policy {h(e.policy)}" if e.policy else "")
        + f"; exit status {e.exit_status}; {len(e.requests)} requests, {e.wall_seconds:.2f}s</p>",
    ]
    if e.results:
        parts += ["<h2>SLOs</h2>", _results_table(e)]
    if e.canaries:
        parts += ["<h2>Canary</h2>", _canary_table(e)]
    if e.problems:
        parts.append("<h2>Endpoints that could not be read</h2><ul>"
                     + "".join(f"<li>{h(p.endpoint)}: {h(p.outcome)}: {h(p.message)}</li>" for p in e.problems)
                     + "</ul>")
    if e.results:
        parts += ["<h2>Error budget burn-down</h2>", '<div class="charts">']
        parts += [_chart(r, curves.get((r.slo_id, r.region))) for r in e.results]
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _badge(decision: str) -> str:
    return f'<span class="decision {h(decision)}">{h(decision)}</span>'


def _cells(cells, numeric=()) -> str:
    return "".join(f'<td class="num">{h(c)}</td>' if i in numeric else f"<td>{h(c)}</td>"
                   for i, c in enumerate(cells))


def _results_table(e: Evaluation) -> str:
    head = ("Region", "SLO", "Objective", "SLI", "Budget left", "Period burn", "Burn rates",
            "Alerts firing", "Decision", "Reason")
    rows = []
    for r in e.results:
        cells = (r.region, r.slo_id, f"{r.objective:g}%",
                 f.percent(r.sli) + (" (raw)" if r.source == "raw" else ""),
                 f.budget(r.budget_remaining, r.budget_remaining_minutes),
                 f.rate(r.period_burn_rate) + (" freeze" if r.freeze else ""),
                 f.burn_rates(r), f.alerts(r))
        rows.append(f'<tr class="slo-row" data-decision="{h(r.decision)}">'
                    + _cells(cells, numeric=(2, 3, 4, 5))
                    + f"<td>{_badge(r.decision)}</td><td>{h(r.reason)}"
                    + (f'<br><span class="muted">{h(r.source_note)}</span>' if r.source_note else "")
                    + "</td></tr>")
    return _table(head, rows)


def _canary_table(e: Evaluation) -> str:
    head = ("Region", "SLO", "Stage", "Window", "Canary errors", "Baseline errors", "Canary p95",
            "Baseline p95", "Checks", "Decision", "Reason")
    rows = []
    for c in e.canaries:
        checks = "; ".join(f"{k.criterion}: {k.text}" for k in c.checks)
        cells = (c.region, c.slo_id, c.stage, c.window, f.percent(c.canary_error_rate),
                 f.percent(c.baseline_error_rate), f.seconds(c.canary_p95),
                 f.seconds(c.baseline_p95), checks)
        rows.append(f'<tr class="canary-row" data-decision="{h(c.decision)}">'
                    + _cells(cells, numeric=(4, 5, 6, 7))
                    + f"<td>{_badge(c.decision)}{' rollback' if c.rollback else ''}</td>"
                    + f"<td>{h(c.reason)}</td></tr>")
    return _table(head, rows)


def _table(head, rows) -> str:
    return ("<table><thead><tr>" + "".join(f"<th>{h(x)}</th>" for x in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _chart(r, curve: BurnDown | None) -> str:
    name = f"{r.region} {r.slo_id}"
    body = (burn_down_svg(curve.points, f"error budget remaining of {name}") if curve
            else '<p class="muted">no burn-down data</p>')
    return (f'<div class="chart" data-slo="{h(r.slo_id)}" data-region="{h(r.region)}">'
            f"<h3>{h(name)} {_badge(r.decision)}</h3>"
            f'<div class="muted">budget left {h(f.budget(r.budget_remaining, r.budget_remaining_minutes))}'
            f"; {h(r.reason)}</div>{body}</div>")
