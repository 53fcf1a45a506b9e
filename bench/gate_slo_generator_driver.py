"""Runs inside slo-generator's own virtualenv (bench/gate_vs_slo_generator.py starts it): calls
slo_generator.compute.compute() for every SLO of a job and prints one JSON line.

slo-generator's Prometheus backend ignores the timestamp it is given and asks for "now"; the
client passed to compute() here sends `time=` with each query so both tools read the same
instant. It issues exactly the queries slo-generator builds, one HTTP request each, counted.

    <venv>/bin/python bench/gate_slo_generator_driver.py < job.json
"""
import json
import logging
import sys
import time

import requests
from slo_generator.compute import compute

logging.disable(logging.CRITICAL)


class PinnedClient:
    """The one method slo-generator's PrometheusBackend calls: query(metric=...) -> JSON text."""

    def __init__(self, url, at, session):
        self.url, self.at, self.session = url, at, session
        self.requests = 0

    def query(self, metric):
        self.requests += 1
        resp = self.session.get(f"{self.url}/api/v1/query", params={"query": metric, "time": self.at}, timeout=60)
        return resp.text


def main():
    job = json.load(sys.stdin)
    session = requests.Session()
    results, total_requests = [], 0
    started = time.perf_counter()
    for region in job["regions"]:
        client = PinnedClient(region["url"], job["at"], session)
        config = {"backends": {"prometheus": {"url": region["url"]}},
                  "error_budget_policies": {"default": {"steps": job["steps"]}}}
        for slo_config in region["slos"]:
            for report in compute(slo_config, config, timestamp=job["at"], client=client):
                results.append({"region": region["name"], "slo": slo_config["metadata"]["name"],
                                "step": report["error_budget_policy_step_name"],
                                "sli": report.get("sli_measurement"), "valid": report.get("valid", True),
                                "errors": report.get("errors", [])})
        total_requests += client.requests
    wall = time.perf_counter() - started
    print(json.dumps({"requests": total_requests, "wall_seconds": wall, "results": results}))


if __name__ == "__main__":
    main()
