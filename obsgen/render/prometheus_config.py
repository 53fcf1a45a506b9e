"""Each region's prometheus.yml, deployable as written: identity (region and replica external
labels), rules, Alertmanager, and scrape configs per the seed's tiers (6.3) over file-based
service discovery; plus the systemd unit holding what a config file cannot (retention, block
sizes for the sidecar, the replica's value).

Targets come from files the deploy (or a discovery agent) writes; obsgen never lists hosts:
  <PROMETHEUS_FILE_SD_DIR>/services/*.yml   the services' /metrics endpoints (every tier job)
  <PROMETHEUS_FILE_SD_DIR>/nodes/*.yml      node exporters (job kubernetes-nodes)
each in Prometheus' file_sd format: [{targets: ["host:port", ...], labels: {...}}]."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from obsgen import names
from obsgen.model import Estate, Region
from obsgen.policy import scrape_tiers
from obsgen.render.thanos import units

SERVICES_SD = "services"
NODES_SD = "nodes"
SELF_TARGET = "127.0.0.1:9090"


def _alertmanager(url: str) -> dict:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = {"scheme": parts.scheme}
    if parts.path.strip("/"):
        target["path_prefix"] = parts.path
    target["static_configs"] = [{"targets": [f"{parts.hostname}:{port}"]}]
    return target


def _metrics_regex(metrics) -> str:
    suffixes = "|".join(scrape_tiers.HISTOGRAM_SUFFIXES)
    return "|".join(f"{re.escape(m)}({suffixes})?" for m in metrics)


def _file_sd(sd_dir: str, kind: str) -> list[dict]:
    return [{"files": [f"{sd_dir}/{kind}/*.yml"], "refresh_interval": "1m"}]


def scrape_configs(region: Region, sd_dir: str = names.PROMETHEUS_FILE_SD_DIR,
                   self_target: str = SELF_TARGET) -> list[dict]:
    """One job per tier over the services' targets, keeping the tier's metrics; a default job
    dropping them all; the nodes; Prometheus itself."""
    tiered = [m for t in scrape_tiers.TIERS for m in t.metrics]
    jobs = [{
        "job_name": tier.job,
        "scrape_interval": tier.interval,
        "scrape_timeout": tier.interval if _seconds(tier.interval) < 10 else "10s",
        "file_sd_configs": _file_sd(sd_dir, SERVICES_SD),
        "metric_relabel_configs": [{"source_labels": ["__name__"], "regex": _metrics_regex(tier.metrics),
                                    "action": "keep"}],
    } for tier in scrape_tiers.TIERS]
    jobs.append({
        "job_name": scrape_tiers.DEFAULT_JOB,
        "file_sd_configs": _file_sd(sd_dir, SERVICES_SD),
        "metric_relabel_configs": [{"source_labels": ["__name__"], "regex": _metrics_regex(tiered),
                                    "action": "drop"}],
    })
    jobs.append({"job_name": scrape_tiers.NODES_JOB, "file_sd_configs": _file_sd(sd_dir, NODES_SD)})
    jobs.append({"job_name": scrape_tiers.SELF_JOB, "static_configs": [{"targets": [self_target]}]})
    return jobs


def _seconds(text: str) -> float:
    from obsgen import duration
    return duration.seconds(text)


def config(region: Region, sd_dir: str = names.PROMETHEUS_FILE_SD_DIR, self_target: str = SELF_TARGET) -> dict:
    labels = {names.REGION: region.name}
    if region.feeds_global:
        # Thanos Query merges a replica pair on this label; each replica's unit sets the variable.
        labels[names.REPLICA] = f"${{{names.REPLICA_ENV}}}"
    return {
        "global": {
            "scrape_interval": region.scrape_interval,
            "evaluation_interval": region.evaluation_interval,
            "external_labels": labels,
        },
        "rule_files": ["rules/*.yml"],
        "alerting": {"alertmanagers": [_alertmanager(region.alertmanager_url)]},
        "scrape_configs": scrape_configs(region, sd_dir, self_target),
    }


def flags(region: Region, config_file: str, data_dir: str, listen: str = "0.0.0.0:9090") -> list[str]:
    """Prometheus' command line: what prometheus.yml cannot hold."""
    argv = [f"--config.file={config_file}", f"--storage.tsdb.path={data_dir}",
            f"--storage.tsdb.retention.time={region.retention}"]
    if region.retention_size:
        argv.append(f"--storage.tsdb.retention.size={region.retention_size}")
    if region.feeds_global:
        # The sidecar uploads 2-hour blocks as they are cut; Prometheus must not compact them
        # (thanos-io/thanos docs/components/sidecar.md); ${PROMETHEUS_REPLICA} is expanded.
        argv += ["--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h",
                 "--enable-feature=expand-external-labels"]
    return argv + [f"--web.listen-address={listen}", "--web.enable-lifecycle"]


def render(estate: Estate, region: Region) -> dict[str, object]:
    config_file = f"{names.DEPLOY_DIR}/{names.region_dir(region.name)}/prometheus/prometheus.yml"
    env = {names.REPLICA_ENV: "%H"} if region.feeds_global else {}
    return {
        "prometheus/prometheus.yml": config(region),
        names.PROMETHEUS_UNIT_FILE: units.unit(
            f"Prometheus of {region.name}", flags(region, config_file, names.PROMETHEUS_DATA_DIR),
            binary=units.PROMETHEUS_BINARY, environment=env),
    }
