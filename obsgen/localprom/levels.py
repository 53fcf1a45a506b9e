"""Split recording rules into backfill levels (pure).

promtool's rules backfill evaluates each rule against the server's TSDB, so a rule sees the
series other rules record only once those are backfilled: a rule's level is one more than the
highest level of any recorded series its expression reads (raw series are level 0). Alerting
rules are left out: backfill records series, alerts are evaluated live.
"""
from __future__ import annotations

import re

_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def recording_levels(documents: list[dict]) -> list[dict]:
    """Rule-file documents -> one document per level, lowest first, groups and order kept."""
    rules = [(group, rule) for doc in documents for group in doc.get("groups", [])
             for rule in group.get("rules", []) if "record" in rule]
    recorded = {rule["record"] for _, rule in rules}
    reads = {id(rule): {n for n in _NAME.findall(_strip_strings(rule["expr"])) if n in recorded}
             for _, rule in rules}
    level: dict[str, int] = {}
    for _ in range(len(rules) + 1):
        changed = False
        for _, rule in rules:
            want = 1 + max((level.get(n, 0) for n in reads[id(rule)]), default=0)
            if level.get(rule["record"], 0) < want:
                level[rule["record"]] = want
                changed = True
        if not changed:
            break
    else:
        raise ValueError("recording rules read each other in a cycle")
    out: list[dict] = []
    for n in sorted(set(level.values())):
        groups = []
        for doc in documents:
            for group in doc.get("groups", []):
                mine = [r for r in group.get("rules", []) if "record" in r and level[r["record"]] == n]
                if mine:
                    groups.append({**{k: v for k, v in group.items() if k != "rules"}, "rules": mine})
        out.append({"groups": groups})
    return out


def _strip_strings(expr: str) -> str:
    """Label values ("slo:...") are not series names."""
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
