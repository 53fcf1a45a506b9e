"""`obsgen gate --markdown`: a summary for a CI step (e.g. $GITHUB_STEP_SUMMARY).

Every value is escaped (obsgen.gate.report.escape.markdown): label values from Prometheus can
hold Markdown or HTML, and a step summary renders both.
"""
from __future__ import annotations

from obsgen.gate.report import figures as f
from obsgen.gate.report.escape import markdown as md
from obsgen.gate.result import CANNOT_EVALUATE, FAIL, PASS, WARN, Evaluation

SYMBOLS = {PASS: "✅", WARN: "⚠️", FAIL: "❌", CANNOT_EVALUATE: "❔"}


def render(evaluation: Evaluation) -> str:
    e = evaluation
    out = [f"## {SYMBOLS[e.decision]} obsgen {md(e.mode)}: {md(e.decision)}", "",
           f"{md(e.reason)}", "",
           f"Evaluated at {md(e.at_iso)}" + (f", policy {md(e.policy)}" if e.policy else "")
           + f"; exit status {e.exit_status}.", ""]
    if e.results:
        out += _table(("Region", "SLO", "Objective", "SLI", "Budget left", "Period burn",
                       "Burn rates", "Alerts", "Decision", "Reason"),
                      [(r.region, r.slo_id, f"{r.objective:g}%",
                        f.percent(r.sli) + (" (raw)" if r.source == "raw" else ""),
                        f.budget(r.budget_remaining, r.budget_remaining_minutes),
                        f.rate(r.period_burn_rate) + (" freeze" if r.freeze else ""),
                        f.burn_rates(r), f.alerts(r), r.decision, r.reason) for r in e.results],
                      [r.decision for r in e.results])
    if e.canaries:
        out += ["### Canary", ""]
        out += _table(("Region", "SLO", "Stage", "Window", "Canary errors", "Baseline errors",
                       "Canary p95", "Baseline p95", "Decision", "Reason"),
                      [(c.region, c.slo_id, c.stage, c.window, f.percent(c.canary_error_rate),
                        f.percent(c.baseline_error_rate), f.seconds(c.canary_p95),
                        f.seconds(c.baseline_p95), c.decision, c.reason) for c in e.canaries],
                      [c.decision for c in e.canaries])
    if e.problems:
        out += ["### Endpoints that could not be read", ""]
        out += [f"- {md(p.endpoint)}: {md(p.outcome)}: {md(p.message)}" for p in e.problems]
        out.append("")
    notes = sorted({(r.region, r.slo_id, r.source_note) for r in e.results if r.source_note})
    if notes:
        out += [f"- {md(region)} {md(slo)}: {md(note)}" for region, slo, note in notes]
        out.append("")
    out.append(f"{len(e.requests)} requests, {e.wall_seconds:.2f}s.")
    return "\n".join(out) + "\n"


def _table(header, rows, decisions) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row, decision in zip(rows, decisions):
        cells = [md(c) for c in row]
        cells[header.index("Decision")] = f"{SYMBOLS[decision]} {cells[header.index('Decision')]}"
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
