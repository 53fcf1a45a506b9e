"""promtool unit tests that show each hand-written alert firing and staying quiet."""
from __future__ import annotations

import re
from collections import defaultdict

from obsgen import names
from obsgen.model import Alert, AlertCase, Estate, Region, applies
from obsgen.render.prometheus_rules import alert_annotations, alert_labels

_LABEL_REF = re.compile(r"\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")


def expected_alert(alert: Alert, case: AlertCase, region: Region) -> dict:
    labels = dict(sorted({**case.labels, **alert_labels(alert, region)}.items()))
    notes = {k: _LABEL_REF.sub(lambda m: labels.get(m.group(1), ""), v) for k, v in alert_annotations(alert).items()}
    return {"exp_labels": labels, "exp_annotations": notes}


def case_test(alert: Alert, case: AlertCase, region: Region) -> dict:
    return {
        "name": f"{alert.name}: {case.name}",
        "interval": case.interval,
        "input_series": [{"series": s, "values": v} for s, v in case.series.items()],
        "alert_rule_test": [{
            "eval_time": case.at,
            "alertname": alert.name,
            "exp_alerts": [expected_alert(alert, case, region)] if case.fires else [],
        }],
    }


def render(estate: Estate, region: Region) -> dict[str, dict]:
    tests: dict[str, list[dict]] = defaultdict(list)
    for alert in estate.alerts:
        if applies(alert, region):
            tests[alert.group].extend(case_test(alert, case, region) for case in alert.cases)
    return {
        names.rules_test_file(f"alerts-{group}"): {
            "rule_files": [f"../rules/alerts-{group}.yml"],
            "evaluation_interval": "1m",
            "tests": cases,
        }
        for group, cases in sorted(tests.items())
        if cases
    }
