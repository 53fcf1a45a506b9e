"""Validation: every check of every definition, run once by the loader on the collected estate.

One module per kind (region, alert, slo, dashboard, pipeline, release, alertmanager), shared
patterns in patterns.py, field types first (types.py), build-safety rules in safety.py. Checks
raise DefinitionError at the definition's file and line; renderers then trust the model. An
exception other than DefinitionError from here on is obsgen's own bug, and surfaces as one.
"""
from __future__ import annotations

from pathlib import Path

from obsgen.model import Estate
from obsgen.validate import alert, alertmanager, dashboard, log_dashboard, pipeline, region, release, safety, slo, types
from obsgen.validate.checker import Checker

__all__ = ["Checker", "validate"]

# The kinds the renderers add, each by its Estate field, each checked by `check(estate, obj, checker)`.
KIND_CHECKS = (
    ("release_policies", release.check),
    ("dashboards", dashboard.check_dashboard),
    ("grafanalib_dashboards", dashboard.check_grafanalib),
    ("log_indices", pipeline.check_index),
    ("log_collectors", pipeline.check_collector),
    ("log_alerts", pipeline.check_alert),
    ("log_pipelines", pipeline.check_pipeline),
    ("log_dashboards", log_dashboard.check),
)


def validate(estate: Estate, root: Path) -> None:
    """Types first, then every check of every kind, in an order where each check may trust
    what the checks before it established."""
    c = Checker(estate, root)
    types.check_all(estate.definitions, c.site)
    region.table(c, estate)
    region.global_view(c, estate)
    alert.alerts(c, estate)
    for r in estate.regions:
        safety.region(c, r)
        safety.channels(c, r)
    safety.residency(c, estate)
    alert.recordings(c, estate)
    slo.slos(c, estate)
    safety.retention(c, estate)
    for field, check in KIND_CHECKS:
        for obj in getattr(estate, field):
            check(estate, obj, c)
    for r in estate.regions:  # across kinds, once every object is well formed on its own
        alertmanager.region(c, r)
