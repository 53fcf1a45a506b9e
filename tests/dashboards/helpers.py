"""Fixtures for the dashboard tests: the estate's Grafana trees, small estates with SLOs, schemas."""
from __future__ import annotations

import json
from pathlib import Path

from obsgen import names
from obsgen.load import load_estate
from obsgen.render import grafana
from tests.foundation.estate_builder import write_estate

ROOT = Path(__file__).resolve().parents[2]
# CI clones the project with shared/ beside it; the schemas are used from there, never copied.
SCHEMAS = ROOT / ".." / "shared" / "grafana-schemas"

GLOBAL_VIEW = '''\
from obsgen.model import GlobalView

GLOBAL = GlobalView(query_url="https://thanos.example", ruler_name="ruler", alertmanager_url="https://am.example",
                    object_storage="s3://bucket", retention_raw="7d", retention_5m="30d", retention_1h="1y")
'''

SLOS = '''\
from obsgen.model import SLO, BurnWindow, EventRatio, LatencyThreshold

API = (
    SLO(service="api", name="availability", objective=99.5, description="Requests that do not fail",
        sli=EventRatio(total='http_requests_total{service="api"}', errors='http_requests_total{service="api",status=~"5.."}'),
        objective_overrides={"beta": 99.9}, runbook="https://runbooks.example/api-availability"),
    SLO(service="api", name="latency", objective=99.0, description="Requests under a second",
        sli=LatencyThreshold("http_request_duration_seconds", 1.0, 'service="api"'), regions=("alpha", "gamma")),
)
JOBS = SLO(service="jobs", name="success", objective=95.0, description="Jobs that finish", period="7d",
           sli=EventRatio(total="jobs_total", errors="jobs_failed_total"),
           alerting=(BurnWindow("page", "2h", "10m", 10.0, "critical"),))
'''


def grafana_trees(estate) -> dict[str, dict]:
    """{target name: {path: document}} for every region and the global view."""
    trees = {r.name: grafana.render_region(estate, r) for r in estate.regions}
    trees[names.GLOBAL_DIR] = grafana.render_global(estate)
    return trees


def dashboards_of(trees: dict[str, dict]) -> dict[str, dict]:
    """{"target/file": dashboard} over all trees."""
    return {f"{t}/{path}": doc for t, tree in trees.items() for path, doc in tree.items() if path.endswith(".json")}


def slo_estate(tmp_path: Path, extra: dict[str, str] | None = None):
    files = {"rules/global_view.py": GLOBAL_VIEW, "rules/slos.py": SLOS, **(extra or {})}
    return load_estate(write_estate(tmp_path, files))


def the_estate():
    return load_estate(ROOT)


def panels(doc: dict) -> list[dict]:
    return [p for p in doc["panels"] if p["type"] != "row"]


def as_json(doc) -> dict:
    return json.loads(json.dumps(doc))
