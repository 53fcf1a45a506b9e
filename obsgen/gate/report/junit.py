"""`obsgen gate --junit FILE`: one testcase per SLO x region (and per canary), for CI test views.

fail -> <failure>; cannot-evaluate -> <error> (not <skipped>: many CI views show skipped as
green, and the gate never lets "could not tell" pass); warn passes with the reason in
<system-out>. One <testsuite> per region, then "global", then "canary".
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from obsgen.gate.report import figures as f
from obsgen.gate.report.escape import control
from obsgen.gate.result import CANNOT_EVALUATE, FAIL, WARN, Evaluation

GLOBAL_SUITE, CANARY_SUITE = "global", "canary"


def render(evaluation: Evaluation) -> str:
    root = ET.Element("testsuites", name=f"obsgen {evaluation.mode}",
                      time=f"{evaluation.wall_seconds:.3f}", timestamp=evaluation.at_iso)
    suites: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in evaluation.results:
        suite = GLOBAL_SUITE if r.is_global else r.region
        suites.setdefault(suite, []).append((r.slo_id, r.decision, r.reason, _slo_details(r)))
    for c in evaluation.canaries:
        suites.setdefault(CANARY_SUITE, []).append(
            (f"{c.region} {c.slo_id} stage {c.stage}", c.decision, c.reason, _canary_details(c)))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for name, cases in suites.items():
        suite = ET.SubElement(root, "testsuite", name=_x(name), timestamp=evaluation.at_iso)
        counts = {"tests": len(cases), "failures": 0, "errors": 0, "skipped": 0}
        for case_name, decision, reason, details in cases:
            case = ET.SubElement(suite, "testcase", classname=_x(f"obsgen.{evaluation.mode}.{name}"),
                                 name=_x(case_name), time="0")
            if decision == FAIL:
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=_x(reason), type=FAIL).text = _x(details)
            elif decision == CANNOT_EVALUATE:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=_x(reason), type=CANNOT_EVALUATE).text = _x(details)
            else:
                prefix = "warning: " if decision == WARN else ""
                ET.SubElement(case, "system-out").text = _x(f"{prefix}{reason}\n{details}")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _x(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped: show them as escapes."""
    return control(text, newlines=False)


def _slo_details(r) -> str:
    return "\n".join([
        f"objective {r.objective:g}% over {r.period}; SLI {f.percent(r.sli)}",
        f"budget left {f.budget(r.budget_remaining, r.budget_remaining_minutes)}; "
        f"period burn {f.rate(r.period_burn_rate)}",
        f"burn rates {f.burn_rates(r)}; alerts firing: {f.alerts(r)}",
        f"source {r.source}" + (f": {r.source_note}" if r.source_note else ""),
    ])


def _canary_details(c) -> str:
    lines = [f"canary {c.canary_selector} vs baseline {c.baseline_selector} over {c.window}"]
    lines += [f"{k.criterion}: {k.text}" for k in c.checks]
    return "\n".join(lines)
