"""Imported SLOs as a Python module for the estate's rules/ directory: the user commits it and
owns it from then on, like any definition. The same input gives the same bytes."""
from __future__ import annotations

import re
from dataclasses import fields

from obsgen.interop.imported import Imported
from obsgen.model import SLO, BurnWindow, EventRatio, LatencyThreshold, RawRatio
from obsgen.policy.burn_rates import WORKBOOK

_DEFAULTS = {f.name: f.default for f in fields(SLO) if f.default is not f.default_factory}
_ORDER = ("service", "name", "objective", "period", "description", "sli", "regions", "objective_overrides", "labels",
          "alerting", "runbook", "absent_alert", "min_events", "group_by", "max_series")


def module(items: list[Imported], command: str) -> str:
    kinds = sorted({type(i.slo.sli).__name__ for i in items})
    uses_workbook = any(i.slo.alerting is not None and _workbook_rows(i.slo.alerting) for i in items)
    uses_rows = any(i.slo.alerting is not None and not _workbook_rows(i.slo.alerting) for i in items)
    lines = [f'"""SLOs imported by `{command}`. Review, then commit: this module is yours now;',
             'a later import writes a new module, it never edits this one."""',
             f"from obsgen.model import {', '.join(['SLO', *(['BurnWindow'] if uses_rows else []), *kinds])}"]
    if uses_workbook:
        lines.append("from obsgen.policy.burn_rates import WORKBOOK")
    names = []
    for item in items:
        var = _variable(item.slo, names)
        names.append(var)
        lines += ["", "", f"# {item.source}, {item.slo.site}"]
        if item.notes:
            lines.append("# Not carried into obsgen:")
            lines += [f"#   {note.field} ({_line(note)}): {note.text}" for note in item.notes]
        lines.append(f"{var} = {_slo(item.slo)}")
    return "\n".join(lines) + "\n"


def _line(note) -> str:
    return f"line {note.site.line}"


def _variable(slo: SLO, taken: list[str]) -> str:
    base = re.sub(r"[^A-Z0-9]+", "_", f"{slo.service}_{slo.name}".upper()).strip("_")
    base = base if base[:1].isalpha() else f"SLO_{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _slo(slo: SLO) -> str:
    args = []
    for key in _ORDER:
        value = getattr(slo, key)
        if key in _DEFAULTS and value == _DEFAULTS[key] and key not in ("service", "name"):
            continue
        if key in ("labels", "objective_overrides") and not value:
            continue
        args.append(f"    {key}={_value(key, value)},")
    return "SLO(\n" + "\n".join(args) + "\n)"


def _value(key: str, value) -> str:
    if key == "sli":
        return _sli(value)
    if key == "alerting":
        if _workbook_rows(value):
            tiers = sorted({row.tier for row in value})
            return f"tuple(row for row in WORKBOOK if row.tier == {tiers[0]!r})"
        return "(\n" + "".join(f"        {_row(r)},\n" for r in value) + "    )"
    if key == "labels":
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in sorted(value.items())) + "}"
    return repr(value)


def _workbook_rows(rows) -> bool:
    """Whether `rows` are the workbook's rows of one tier (a tier disabled in the source)."""
    tiers = {row.tier for row in rows}
    return len(tiers) == 1 and tuple(rows) == tuple(r for r in WORKBOOK if r.tier in tiers)


def _row(row: BurnWindow) -> str:
    return (f"BurnWindow({row.tier!r}, long={row.long!r}, short={row.short!r}, factor={row.factor!r}, "
            f"severity={row.severity!r}, period={row.period!r})")


def _sli(sli) -> str:
    if isinstance(sli, EventRatio):
        counted = f"errors={sli.errors!r}" if sli.errors is not None else f"good={sli.good!r}"
        return f"EventRatio(\n        total={sli.total!r},\n        {counted},\n    )"
    if isinstance(sli, LatencyThreshold):
        extra = f", matchers={sli.matchers!r}" if sli.matchers else ""
        return f"LatencyThreshold(histogram={sli.histogram!r}, threshold={sli.threshold!r}{extra})"
    if isinstance(sli, RawRatio):
        return f"RawRatio(\n        errors={sli.errors!r},\n        total={sli.total!r},\n    )"
    raise TypeError(type(sli).__name__)


def load_back(text: str, filename: str) -> list[SLO]:
    """The SLOs the module defines, in order: the round trip a test and the CLI check."""
    namespace: dict = {}
    exec(compile(text, filename, "exec"), namespace)  # noqa: S102 (our own output)
    return [v for v in namespace.values() if isinstance(v, SLO)]
