"""One region's collector as Kubernetes objects: a StatefulSet of `replicas` Fluent Bit
aggregators, each with a persistent volume the size of the collector's buffer (filesystem
buffering survives restarts), and the Service node agents forward to. The config is the
ConfigMap made from fluent-bit/fluent-bit.yaml; secrets come from a Secret, by name only."""
from __future__ import annotations

from obsgen import names
from obsgen.logs import plan, sizes
from obsgen.model import Estate, Region
from obsgen.model.pipeline import LogCollector
from obsgen.render.pipelines import fluentbit

CONFIG_DIR = "/fluent-bit/etc"
HTTP_PORT = 2020   # Fluent Bit's built-in HTTP server (health, metrics)


def render(estate: Estate, region: Region) -> dict[str, dict]:
    col = plan.collector(estate, region)
    if col is None:
        return {}
    return {names.FLUENT_BIT_STATEFULSET_FILE: statefulset(col, region), names.FLUENT_BIT_SERVICE_FILE: service(region)}


def _meta(region: Region) -> dict:
    return {"name": names.FLUENT_BIT_APP, "namespace": names.LOGGING_NAMESPACE,
            "labels": {"app.kubernetes.io/name": names.FLUENT_BIT_APP, "app.kubernetes.io/managed-by": "obsgen",
                       names.REGION: region.name}}


def _selector() -> dict:
    """A fresh dict each time: a shared one would be written as a YAML alias."""
    return {"app.kubernetes.io/name": names.FLUENT_BIT_APP}


def _env(col: LogCollector) -> list[dict]:
    wanted = [fluentbit.LOKI_USER, fluentbit.LOKI_PASSWORD, fluentbit.ES_USER, fluentbit.ES_PASSWORD]
    if col.anonymize:
        wanted.append(col.salt_env)
    return [{"name": key, "valueFrom": {"secretKeyRef": {"name": names.FLUENT_BIT_SECRET, "key": key}}} for key in wanted]


def statefulset(col: LogCollector, region: Region) -> dict:
    config_file = names.FLUENT_BIT_FILE.rsplit("/", 1)[-1]
    container = {
        "name": "fluent-bit",
        "image": names.FLUENT_BIT_IMAGE,
        "args": ["-c", f"{CONFIG_DIR}/{config_file}"],
        "ports": [{"name": "forward", "containerPort": names.LOG_FORWARD_PORT, "protocol": "TCP"},
                  {"name": "http", "containerPort": HTTP_PORT, "protocol": "TCP"}],
        "env": _env(col),
        "readinessProbe": {"httpGet": {"path": "/api/v1/health", "port": "http"}, "periodSeconds": 10},
        "volumeMounts": [{"name": "config", "mountPath": CONFIG_DIR, "readOnly": True},
                         {"name": "storage", "mountPath": names.FLUENT_BIT_STORAGE}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": _meta(region),
        "spec": {
            "serviceName": names.FLUENT_BIT_APP,
            "replicas": col.replicas,
            "selector": {"matchLabels": _selector()},
            "template": {
                "metadata": {"labels": _selector()},
                "spec": {"containers": [container],
                         "volumes": [{"name": "config", "configMap": {"name": names.FLUENT_BIT_CONFIG_MAP}}]},
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "storage"},
                "spec": {"accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": _quantity(sizes.parse(col.buffer_size))}}},
            }],
        },
    }


def service(region: Region) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(region),
        "spec": {"selector": _selector(),
                 "ports": [{"name": "forward", "port": names.LOG_FORWARD_PORT, "targetPort": "forward", "protocol": "TCP"}]},
    }


def _quantity(size: int) -> str:
    """A Kubernetes quantity in binary units: 1GB of the seed -> 1Gi."""
    for unit, factor in (("Gi", 1024 ** 3), ("Mi", 1024 ** 2), ("Ki", 1024)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)
