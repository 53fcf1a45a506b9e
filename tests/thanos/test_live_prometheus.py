"""The generated prometheus.yml is deployable as written: promtool checks it, and a real Prometheus
started from it with the flags of its generated unit scrapes a local exporter, each seed tier's
metrics in its own job, the rest at the region's interval, with the region and replica labels."""
from __future__ import annotations

import http.server
import threading

import pytest
import requests

from obsgen import names, tools
from obsgen.policy import scrape_tiers
from obsgen.render import prometheus_config
from tests.thanos.processes import Process, free_port, wait_for

pytestmark = pytest.mark.tool("prometheus", "promtool")

METRICS = (
    "# TYPE http_requests_total counter\n"
    'http_requests_total{service="api",status="200"} 42\n'
    "# TYPE memory_usage_bytes gauge\n"
    "memory_usage_bytes 1024\n"
    "# TYPE payment_attempts_total counter\n"
    "payment_attempts_total 7\n"
)


class _Exporter(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = METRICS.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def exporter():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Exporter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _deployed(estate, region_name, tmp_path, exporter):
    """The generated file as a deploy installs it: its file_sd paths and self target pointed at
    the test's directory and port, nothing else changed."""
    region = estate.region(region_name)
    port = free_port()
    sd = tmp_path / "file_sd"
    (sd / prometheus_config.SERVICES_SD).mkdir(parents=True)
    (sd / prometheus_config.NODES_SD).mkdir()
    (sd / prometheus_config.SERVICES_SD / "local.yml").write_text(f'- targets: ["{exporter}"]\n')
    (sd / prometheus_config.NODES_SD / "local.yml").write_text(f'- targets: ["{exporter}"]\n')
    generated = (ROOT / "generated" / region_name / "prometheus" / "prometheus.yml").read_text()
    text = generated.replace(names.PROMETHEUS_FILE_SD_DIR, str(sd)).replace(
        prometheus_config.SELF_TARGET, f"127.0.0.1:{port}")
    config_dir = tmp_path / "prometheus"
    config_dir.mkdir()
    (config_dir / "prometheus.yml").write_text(text)
    return region, port, config_dir / "prometheus.yml"


from tests.thanos.conftest import ROOT  # noqa: E402


def test_promtool_checks_every_generated_prometheus_yml():
    import subprocess

    files = sorted((ROOT / "generated").glob("*/prometheus/prometheus.yml"))
    assert len(files) == 4
    proc = subprocess.run([tools.promtool(), "check", "config", *map(str, files)], capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    # The only remarks: the service-discovery files are the deploy's, absent on this machine.
    remarks = [line for line in out.splitlines() if "WARNING" in line or "level=warn" in line]
    assert all(names.PROMETHEUS_FILE_SD_DIR in line for line in remarks), out


def test_a_live_prometheus_from_the_generated_file_scrapes_by_tier(estate, tmp_path, exporter):
    region, port, config = _deployed(estate, "us-east", tmp_path, exporter)
    argv = [tools.prometheus(), *prometheus_config.flags(region, str(config), str(tmp_path / "data"),
                                                        listen=f"127.0.0.1:{port}")]
    assert f"--storage.tsdb.retention.time={region.retention}" in argv
    assert f"--storage.tsdb.retention.size={region.retention_size}" in argv
    prom = Process("prometheus", argv, tmp_path, env={names.REPLICA_ENV: "a", "PATH": "/usr/bin:/bin"})
    url = f"http://127.0.0.1:{port}"
    try:
        prom.wait_ready(f"{url}/-/ready")

        def series(query):
            data = requests.get(f"{url}/api/v1/query", params={"query": query}, timeout=5).json()["data"]["result"]
            return {(r["metric"].get("__name__"), r["metric"]["job"]) for r in data}

        tier1 = scrape_tiers.TIERS[0].job
        got = wait_for("the 5s tier and the default job scraped", lambda: (
            s if {("http_requests_total", tier1), ("payment_attempts_total", scrape_tiers.DEFAULT_JOB)}
            <= (s := series('{__name__=~"http_requests_total|memory_usage_bytes|payment_attempts_total"}'))
            else None), timeout=25)
        assert ("memory_usage_bytes", tier1) not in got          # tier 2's metric stays out of tier 1
        assert ("http_requests_total", scrape_tiers.DEFAULT_JOB) not in got  # and tier 1's out of the default job
        assert ("payment_attempts_total", tier1) not in got
        loaded = requests.get(f"{url}/api/v1/status/config", timeout=5).json()["data"]["yaml"]
        assert "region: us-east" in loaded and "replica: a" in loaded   # ${PROMETHEUS_REPLICA} expanded
        targets = requests.get(f"{url}/api/v1/targets", timeout=5).json()["data"]["activeTargets"]
        assert {t["labels"]["job"] for t in targets} == {
            *(t.job for t in scrape_tiers.TIERS), scrape_tiers.DEFAULT_JOB, scrape_tiers.NODES_JOB,
            scrape_tiers.SELF_JOB}
    finally:
        prom.stop()
