"""Sloth's own page rules for a Sloth spec, for the examples whose generated rules are not among
the anchors (../shared/anchors/sloth/): the SLI error-ratio recordings of the page windows and
the page alert, as Sloth v0.16.0 writes them (slok/sloth examples/_gen/*.yml, commit 0e395d8).
`test_sloth_migration.py` first holds this port to the anchors, expression for expression.
"""
from __future__ import annotations

from obsgen import promql, serialize
from obsgen.interop import shapes
from obsgen.interop.source import load_documents

PAGE = ((14.4, "5m", "1h"), (6, "30m", "6h"))   # Sloth's default 30d windows: (factor, short, long)


def specs(path) -> list[tuple[dict, dict]]:
    """(spec, slo) of every SLO in a Sloth file (the CRD's camelCase fields as the file form's)."""
    out = []
    for doc in load_documents(path):
        spec = doc.plain()
        if spec.get("kind") in ("PrometheusServiceLevel", "ManagedPrometheusServiceLevel"):
            spec = _snake(spec["spec"])
        for slo in spec["slos"]:
            out.append((spec, slo))
    return out


_CAMEL = {"errorQuery": "error_query", "totalQuery": "total_query", "errorRatioQuery": "error_ratio_query"}


def _snake(value):
    if isinstance(value, dict):
        return {_CAMEL.get(k, k): _snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake(v) for v in value]
    return value


def ids(spec: dict, slo: dict) -> dict[str, str]:
    return {"sloth_id": f"{spec['service']}-{slo['name']}", "sloth_service": spec["service"], "sloth_slo": slo["name"]}


def sli_expr(slo: dict, window: str) -> str:
    sli = slo["sli"]
    if "raw" in sli:
        return f"({shapes.with_window(sli['raw']['error_ratio_query'], window).strip()})"
    events = sli["events"]
    return (f"({shapes.with_window(events['error_query'], window).strip()})\n/\n"
            f"({shapes.with_window(events['total_query'], window).strip()})")


def selector(spec: dict, slo: dict, name: str) -> str:
    return name + "{" + ", ".join(f'{k}="{v}"' for k, v in ids(spec, slo).items()) + "}"


def page_windows(rows) -> tuple[tuple[float, str, str], ...]:
    """Sloth's page windows for obsgen burn rows read from an AlertWindows file (sloth.alert_windows)."""
    return tuple((r.factor, r.short, r.long) for r in rows if r.tier == "page")


def page_expr(spec: dict, slo: dict, page=PAGE) -> str:
    budget = repr((100 - slo["objective"]) / 100)
    pairs = []
    for factor, short, long in page:
        f = repr(factor) if not float(factor).is_integer() else str(int(factor))
        parts = [f"max({selector(spec, slo, f'slo:sli_error:ratio_rate{w}')} > ({f} * {budget})) without (sloth_window)"
                 for w in (short, long)]
        pairs.append("(\n    " + "\n    and\n    ".join(parts) + "\n)")
    return "\nor\n".join(pairs)


def alert_name(slo: dict) -> str:
    return slo.get("alerting", {}).get("name") or "SlothPage"


def rules(spec: dict, slo: dict, page=PAGE) -> dict:
    """One rule file: the page windows' SLI recordings and the page alert."""
    labels = ids(spec, slo)
    recordings = [{"record": f"slo:sli_error:ratio_rate{w}", "expr": sli_expr(slo, w), "labels": {**labels, "sloth_window": w}}
                  for w in sorted({w for _, s, l in page for w in (s, l)}, key=lambda w: (w[-1] != "m", int(w[:-1])))]
    alert = {"alert": alert_name(slo), "expr": page_expr(spec, slo, page), "labels": {"sloth_severity": "page"}}
    return {"groups": [{"name": f"sloth-{labels['sloth_id']}", "rules": [*recordings, alert]}]}


def write(path, spec: dict, slo: dict, page=PAGE) -> None:
    path.write_bytes(serialize.to_yaml(rules(spec, slo, page)))


def canonical(expr: str) -> str:
    return promql.check(expr)
