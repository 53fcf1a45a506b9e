"""Small SLO and region builders for the SLO engine's tests."""
from __future__ import annotations

from pathlib import Path

from obsgen import names, serialize
from obsgen.model import SLO, EventRatio, LatencyThreshold, Region
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, proofs, recording


def region(name="alpha", evaluation_interval="1m") -> Region:
    return Region(
        name=name, provider="Test Cloud", cloud_region=name, prometheus_url=f"https://prom-{name}.example",
        alertmanager_url=f"https://am-{name}.example", scrape_interval="15s", evaluation_interval=evaluation_interval,
        retention="30d", isolated=False, residency="OPTIONAL", cross_border="ALLOWED", regulations=(),
        audit_retention="7y", timezone="UTC", business_hours="09:00-17:00", channels=(),
    )


AVAILABILITY = EventRatio(total='http_requests_total{service="api"}', errors='http_requests_total{service="api",status=~"5.."}')
SUCCESS = EventRatio(total="jobs_attempts_total", good="jobs_succeeded_total")
LATENCY = LatencyThreshold(histogram="http_request_duration_seconds", threshold=1, matchers='service="api"')


def slo(sli=AVAILABILITY, objective=99.5, **over) -> SLO:
    return SLO(service="api", name=over.pop("name", "availability"), objective=objective, sli=sli,
               description="test", **over)


def write(tmp: Path, s: SLO, r: Region, tests: list[dict] | None = None) -> Path:
    """The SLO's rule file and test file for one region, laid out as under generated/; the test file's path."""
    base = tmp / r.name
    rules = base / names.slo_rules_file(s.id)
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_bytes(serialize.to_yaml(group_file(f"slo-{s.id}", recording.rules(s, r) + alerts.rules(s, r), r.evaluation_interval)))
    doc = proofs.test_file(s, r)
    if tests is not None:
        doc = {**doc, "tests": tests}
    test = base / names.slo_test_file(s.id)
    test.parent.mkdir(parents=True, exist_ok=True)
    test.write_bytes(serialize.to_yaml(doc))
    return test
