"""Each Thanos component's command line, from the model. Thanos is configured by flags (plus the
object storage, store list, Alertmanager and query files they name), so the flags are the
configuration: rendered here once, written into systemd units (units.py) and run as they are by
the live tests (tests/thanos/), which pass a Layout of their own (127.0.0.1 ports, temp dirs).

Flags as Thanos v0.42 documents them (`thanos <component> --help`, docs/components/*.md)."""
from __future__ import annotations

from dataclasses import dataclass

from obsgen import names
from obsgen.model import GlobalView, Region


@dataclass(frozen=True)
class Layout:
    """Where a component finds the generated files and keeps its data, and where it listens."""

    config_dir: str                 # the generated/<region or global>/ directory as installed
    data_dir: str
    grpc: str = "0.0.0.0:10901"     # StoreAPI (Thanos' default port)
    http: str = "0.0.0.0:10902"
    replica: str = "%H"             # the ruler's replica label value; systemd: the host name

    def file(self, rel: str) -> str:
        return f"{self.config_dir}/{rel}"


def _listen(layout: Layout, grpc: bool = True) -> list[str]:
    out = [f"--grpc-address={layout.grpc}"] if grpc else []
    return out + [f"--http-address={layout.http}", "--log.format=logfmt"]


def _objstore(layout: Layout) -> str:
    return f"--objstore.config-file={layout.file(names.THANOS_OBJSTORE_FILE)}"


def sidecar(region: Region, layout: Layout, prometheus_url: str, tsdb_path: str) -> list[str]:
    """Next to each Prometheus of a region that feeds the global view: serves its recent data to
    Query and uploads every 2-hour block to the long-term bucket."""
    return ["sidecar", f"--prometheus.url={prometheus_url}", f"--tsdb.path={tsdb_path}", _objstore(layout),
            *_listen(layout)]


def store(view: GlobalView, layout: Layout) -> list[str]:
    """The store gateway: the bucket's blocks (older than the sidecars' window) as a StoreAPI."""
    return ["store", f"--data-dir={layout.data_dir}", _objstore(layout), *_listen(layout)]


def compact(view: GlobalView, layout: Layout) -> list[str]:
    """Compacts and downsamples the bucket; keeps raw, 5m and 1h data as long as the seed says
    (6.1 thanos_compact). On a schedule it runs once and exits; otherwise it waits."""
    argv = ["compact", f"--data-dir={layout.data_dir}", _objstore(layout),
            f"--retention.resolution-raw={view.retention_raw}",
            f"--retention.resolution-5m={view.retention_5m}",
            f"--retention.resolution-1h={view.retention_1h}",
            *_listen(layout, grpc=False)]
    return argv if view.compaction_schedule else [*argv, "--wait"]


def query(view: GlobalView, layout: Layout) -> list[str]:
    """Reads the feeding regions' sidecars, the store gateways and the ruler (the store list
    file), and merges the series of a replica pair (dedup on the replica label)."""
    return ["query", f"--endpoint.sd-config-file={layout.file(names.THANOS_QUERY_STORES_FILE)}",
            "--endpoint.sd-config-reload-interval=30s",
            f"--query.replica-label={names.REPLICA}", "--query.auto-downsampling", *_listen(layout)]


def rule(view: GlobalView, layout: Layout) -> list[str]:
    """Evaluates the global recording rules and alerts through Query, sends its alerts to the
    global Alertmanager (its replica label dropped, so a ruler pair's alerts are one), and keeps
    its series for Query (StoreAPI) and the bucket."""
    return ["rule", f"--data-dir={layout.data_dir}",
            f"--rule-file={layout.file(names.thanos_rules_file('*'))}",
            f"--rule-file={layout.file(names.THANOS_RULES_WARN_DIR + '/*.yml')}",
            f"--eval-interval={view.evaluation_interval}",
            f'--label={names.REPLICA}="{layout.replica}"', f"--alert.label-drop={names.REPLICA}",
            f"--alertmanagers.config-file={layout.file(names.THANOS_RULE_ALERTMANAGERS_FILE)}",
            f"--query.config-file={layout.file(names.THANOS_RULE_QUERY_FILE)}",
            f"--alert.query-url={view.query_url}", _objstore(layout), *_listen(layout)]
