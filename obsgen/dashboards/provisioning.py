"""Grafana provisioning files: the target's one data source, and the file provider that loads
obsgen's dashboards. Secrets are never written: Grafana expands ${VAR} from its environment."""
from __future__ import annotations

from obsgen import names
from obsgen.dashboards.targets import Target

# Environment variables the Grafana process reads the data source's credentials from.
USER_ENV = "OBSGEN_PROMETHEUS_USER"
PASSWORD_ENV = "OBSGEN_PROMETHEUS_PASSWORD"


def datasources(target: Target) -> dict:
    return {
        "apiVersion": 1,
        "datasources": [{
            "name": target.datasource_name,
            "uid": target.datasource_uid,
            "type": "prometheus",
            "access": "proxy",
            "url": target.url,
            "isDefault": True,
            "editable": False,
            "basicAuth": True,
            "basicAuthUser": f"${{{USER_ENV}}}",
            "jsonData": {
                "httpMethod": "POST",
                "timeInterval": target.scrape_interval,
                "prometheusType": "Thanos" if target.thanos else "Prometheus",
            },
            "secureJsonData": {"basicAuthPassword": f"${{{PASSWORD_ENV}}}"},
        }],
    }


def providers(target: Target) -> dict:
    return {
        "apiVersion": 1,
        "providers": [{
            "name": names.GRAFANA_FOLDER,
            "orgId": 1,
            "folder": names.GRAFANA_FOLDER,
            "type": "file",
            "disableDeletion": True,
            "allowUiUpdates": False,
            "updateIntervalSeconds": 60,
            "options": {"path": names.GRAFANA_DASHBOARDS_PATH, "foldersFromFilesStructure": False},
        }],
    }
