"""The terminal table, and the progress lines the CLI writes to stderr while it queries.

Pure: colour is a parameter (the CLI passes `stream.isatty()`); no ANSI code appears otherwise.
"""
from __future__ import annotations

from obsgen.gate.report import figures as f
from obsgen.gate.report.escape import control as clean
from obsgen.gate.result import CANNOT_EVALUATE, FAIL, PASS, WARN, Evaluation

# SGR colours per decision: green, yellow, red, magenta.
_COLOURS = {PASS: "32", WARN: "33", FAIL: "31", CANNOT_EVALUATE: "35"}

SLO_COLUMNS = ("REGION", "SLO", "OBJECTIVE", "SLI", "BUDGET LEFT", "PERIOD BURN",
               "BURN RATES", "ALERTS", "DECISION", "REASON")
CANARY_COLUMNS = ("REGION", "SLO", "STAGE", "WINDOW", "CANARY ERR", "BASELINE ERR",
                  "CANARY P95", "BASELINE P95", "DECISION", "REASON")


def paint(text: str, decision: str, colour: bool) -> str:
    code = _COLOURS.get(decision)
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code else text


def table(evaluation: Evaluation, colour: bool = False) -> str:
    """The whole report: SLO table, canary table, endpoint problems, notes, the verdict."""
    out: list[str] = [f"obsgen {evaluation.mode} at {evaluation.at_iso}"
                      + (f" (policy {evaluation.policy})" if evaluation.policy else ""), ""]
    if evaluation.results:
        rows = [_slo_row(r) for r in evaluation.results]
        out += _grid(SLO_COLUMNS, rows, [r.decision for r in evaluation.results], colour)
        out.append("")
    if evaluation.canaries:
        rows = [_canary_row(c) for c in evaluation.canaries]
        out += _grid(CANARY_COLUMNS, rows, [c.decision for c in evaluation.canaries], colour)
        out.append("")
    notes = sorted({f"{r.region} {r.slo_id}: {r.source_note}" for r in evaluation.results if r.source_note})
    out += [clean(f"note: {n}") for n in notes]
    out += [clean(f"endpoint {p.endpoint}: {p.outcome}: {p.message}") for p in evaluation.problems]
    seconds = sum(r.duration_seconds for r in evaluation.requests)
    out.append(f"{len(evaluation.requests)} requests, {seconds:.2f}s querying, "
               f"{evaluation.wall_seconds:.2f}s wall")
    out.append(verdict(evaluation, colour))
    return "\n".join(out) + "\n"


def verdict(evaluation: Evaluation, colour: bool = False) -> str:
    word = paint(evaluation.decision.upper(), evaluation.decision, colour)
    return f"{word}: {clean(evaluation.reason)} (exit {evaluation.exit_status})"


def _slo_row(r) -> tuple[str, ...]:
    sli = f.percent(r.sli) + (" (raw)" if r.source == "raw" else "")
    period = f.rate(r.period_burn_rate) + (" freeze" if r.freeze else "")
    return (r.region, r.slo_id, f"{r.objective:g}%", sli,
            f.budget(r.budget_remaining, r.budget_remaining_minutes), period,
            f.burn_rates(r), f.alerts(r), r.decision, r.reason)


def _canary_row(c) -> tuple[str, ...]:
    return (c.region, c.slo_id, c.stage, c.window, f.percent(c.canary_error_rate),
            f.percent(c.baseline_error_rate), f.seconds(c.canary_p95), f.seconds(c.baseline_p95),
            c.decision + (" rollback" if c.rollback else ""), c.reason)


def _grid(header, rows, decisions, colour: bool) -> list[str]:
    rows = [tuple(clean(str(cell)) for cell in row) for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    decision_at = header.index("DECISION")

    def line(cells, decision=None) -> str:
        padded = [str(c).ljust(w) for c, w in zip(cells, widths)]
        if decision is not None:
            padded[decision_at] = paint(padded[decision_at], decision, colour)
        return "  ".join(padded).rstrip()

    return [line(header), *(line(row, d) for row, d in zip(rows, decisions))]


# --- progress on stderr ----------------------------------------------------------------------
def progress_start(endpoint: str, index: int, total: int) -> str:
    """'[2/4] querying eu-west ...' (the CLI writes it without a newline on a TTY)."""
    return f"[{index}/{total}] querying {endpoint} ..."


def progress_done(endpoint: str, index: int, total: int, requests: int, seconds: float,
                  problem: str | None = None) -> str:
    """'[2/4] eu-west: 3 requests, 0.12s' or '[2/4] eu-west: unreachable: ...'."""
    tail = f"{problem}" if problem else f"{requests} request{'s' * (requests != 1)}, {seconds:.2f}s"
    return clean(f"[{index}/{total}] {endpoint}: {tail}")


def request_line(log) -> str:
    """One --verbose line per request: method, url, query, status, duration (no credential:
    RequestLog holds none)."""
    at = "" if log.at is None else f" time={instant(log.at)}"
    status = log.status if log.status is not None else "-"
    retry = f" attempt={log.attempt}" if log.attempt > 1 else ""
    return clean(f"{log.method} {log.url}{at} {status} {log.outcome} {log.duration_seconds * 1000:.0f}ms"
                 f"{retry} series={log.series if log.series is not None else '-'}: {log.query}")


def instant(at: float) -> str:
    """Unix seconds exactly as sent (1796190000, 1796190000.25), never 1.79619e+09."""
    return f"{at:.3f}".rstrip("0").rstrip(".")
