"""Checks of dashboard definitions, written with obsgen's model or with grafanalib."""
from __future__ import annotations

import math
import re
import traceback

from obsgen.model.dashboard import PANEL_TYPES, Dashboard, GrafanalibDashboard, Panel
from obsgen.model.grafanalib import ImportProblem, from_grafanalib
from obsgen.site import PACKAGE_DIR
from obsgen.validate.patterns import SLUG, URL

_UNIT = re.compile(r"^\S.*$")
RESERVED_PREFIX = "slo-"   # the generated SLO dashboards' names
MAX_ROW_HEIGHT = 40


def check_dashboard(estate, d: Dashboard, c) -> None:
    _name(estate, d, c, f"dashboard {d.name}")
    _body(d, c, at=d)


def _body(d: Dashboard, c, at) -> None:
    """Check `d`, reporting every failure at the definition `at` (its file and line)."""
    what = f"dashboard {d.name}"
    c.text(at, what, "title", d.title)
    c.regions(at, what, d.regions)
    if not isinstance(d.in_global, bool):
        c.fail(at, what, f"in_global must be True or False, got {d.in_global!r}")
    for tag in d.tags:
        c.text(at, what, "tags", tag)
    if not d.rows:
        c.fail(at, what, "has no rows")
    ids = {}
    for row in d.rows:
        c.text(at, what, "row title", row.title)
        if not isinstance(row.height, int) or not 1 <= row.height <= MAX_ROW_HEIGHT:
            c.fail(at, what, f"row {row.title!r}: height must be 1 to {MAX_ROW_HEIGHT} grid units, got {row.height!r}")
        if not row.panels:
            c.fail(at, what, f"row {row.title!r} has no panels")
        for panel in row.panels:
            _panel(at, panel, c, f"{what} panel {panel.title!r}")
            if panel.id is not None:
                if panel.id in ids:
                    c.fail(at, what, f"panels {ids[panel.id]!r} and {panel.title!r} share the id {panel.id}")
                ids[panel.id] = panel.title


def _name(estate, d, c, what) -> None:
    if not isinstance(d.name, str) or not SLUG.match(d.name):
        c.fail(d, f"dashboard {d.name!r}", "name must be lower-case letters, digits and dashes")
    if d.name.startswith(RESERVED_PREFIX):
        c.fail(d, what, f"names starting {RESERVED_PREFIX!r} are kept for the generated SLO dashboards")
    same = sorted((o for o in (*estate.dashboards, *estate.grafanalib_dashboards) if o.name == d.name),
                  key=lambda o: (o.site.file, o.site.line))
    if len(same) > 1 and same[-1] is d:
        c.fail(d, what, f"defined twice (also at {c.site(same[0])})")


def _panel(d, p: Panel, c, what) -> None:
    c.text(d, what, "title", p.title)
    if p.type not in PANEL_TYPES:
        c.fail(d, what, f"unknown panel type {p.type!r} (one of {', '.join(PANEL_TYPES)})")
    if not isinstance(p.unit, str) or not _UNIT.match(p.unit):
        c.fail(d, what, f"unit must be a Grafana unit id like percentunit, reqps, s; got {p.unit!r}")
    if not p.queries:
        c.fail(d, what, "has no queries")
    for i, q in enumerate(p.queries):
        c.expr(d, what, f"query {i + 1}", q.expr)
    values = [t.value for t in p.thresholds if t.value is not None]
    if any(not isinstance(v, (int, float)) or not math.isfinite(v) for v in values) or values != sorted(values):
        c.fail(d, what, f"threshold values must be ascending numbers, got {values!r}")
    if any(t.value is None for t in p.thresholds[1:]):
        c.fail(d, what, "only the first threshold may be the base step (value None)")
    for link in p.links:
        c.text(d, what, "link title", link.title)
        if not isinstance(link.url, str) or not URL.match(link.url):
            c.fail(d, what, f"link {link.title!r}: url is not an http(s) URL: {link.url!r}")
    if p.id is not None and (not isinstance(p.id, int) or p.id < 1):
        c.fail(d, what, f"id must be a positive whole number, got {p.id!r}")


def _raised_in_obsgen(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(PACKAGE_DIR)


def check_grafanalib(estate, g: GrafanalibDashboard, c) -> None:
    what = f"grafanalib dashboard {g.name}"
    _name(estate, g, c, what)
    try:
        converted = from_grafanalib(g)
    except ImportProblem as exc:
        c.fail(g, what, str(exc))
    except Exception as exc:   # grafanalib itself failed to render the team's object
        if _raised_in_obsgen(exc):
            raise   # obsgen's converter failed: its bug, never the team's dashboard
        c.fail(g, what, f"grafanalib could not render it: {type(exc).__name__}: {exc}")
    _body(converted, c, at=g)
