"""The global tier's deployable configuration: per feeding region a sidecar next to Prometheus;
for the global view Query, the store gateway, the compactor and the ruler, each as the files it
reads plus a systemd unit holding its flags. An isolated region gets none of it, and the global
files are checked to name nothing of it (isolation.py)."""
from __future__ import annotations

from obsgen import names
from obsgen.model import Estate, Region
from obsgen.render.thanos import components, isolation, ruler, units
from obsgen.render.thanos.objstore import bucket_config

PROMETHEUS_LOCAL = "http://127.0.0.1:9090"   # the sidecar runs beside its Prometheus


def region_layout(region: Region) -> components.Layout:
    return components.Layout(config_dir=f"{names.DEPLOY_DIR}/{names.region_dir(region.name)}",
                             data_dir=f"{names.THANOS_DATA_DIR}/sidecar")


def global_layout(component: str) -> components.Layout:
    return components.Layout(config_dir=f"{names.DEPLOY_DIR}/{names.GLOBAL_DIR}",
                             data_dir=f"{names.THANOS_DATA_DIR}/{component}")


def store_list(estate: Estate) -> dict:
    """Query's endpoints (`--endpoint.sd-config-file`, Thanos v0.42 cmd/thanos/endpointset.go):
    every sidecar of the feeding regions (each replica's: a strict endpoint is one address, so a
    replica pair is listed twice over, and Query's dedup merges what both serve), the store
    gateways, the ruler. All strict: kept in the set while they fail their health checks, so a
    query that must not be partial fails instead of answering without a region (the gate's
    partial_response=false then says cannot-evaluate)."""
    view = estate.global_view
    addresses = [*sorted(a for r in estate.global_regions for a in r.thanos_sidecars),
                 *sorted(view.store_gateways), *sorted(view.rulers)]
    return {"endpoints": [{"address": a, "strict": True} for a in addresses]}


def render(estate: Estate, region: Region) -> dict[str, object]:
    if estate.global_view is None or not region.feeds_global or not region.thanos_sidecars:
        return {}
    layout = region_layout(region)
    argv = components.sidecar(region, layout, PROMETHEUS_LOCAL, names.PROMETHEUS_DATA_DIR)
    docs = {
        names.THANOS_OBJSTORE_FILE: bucket_config(estate.global_view.object_storage),
        names.thanos_unit("sidecar"): units.unit(f"Thanos sidecar of {region.name}'s Prometheus", argv,
                                                 binary=units.THANOS_BINARY),
    }
    isolation.check(estate, docs, names.region_dir(region.name))
    return docs


def render_global(estate: Estate) -> dict[str, object]:
    view = estate.global_view
    if view is None:
        return {}
    docs: dict[str, object] = {
        names.THANOS_OBJSTORE_FILE: bucket_config(view.object_storage),
        names.THANOS_QUERY_STORES_FILE: store_list(estate),
        names.THANOS_RULE_ALERTMANAGERS_FILE: ruler.alertmanagers_config(view.alertmanager_url),
        names.THANOS_RULE_QUERY_FILE: ruler.query_config(view.query_url),
        **ruler.global_alerts(estate),
        **ruler.global_slo_alerts(estate),
    }
    for component, what in (("query", "Thanos Query over the regions that feed the global view"),
                            ("store", "Thanos store gateway over the long-term bucket"),
                            ("rule", "Thanos ruler: global recording rules and alerts")):
        argv = getattr(components, component)(view, global_layout(component))
        docs[names.thanos_unit(component)] = units.unit(what, argv, binary=units.THANOS_BINARY)
    compact = components.compact(view, global_layout("compact"))
    docs[names.thanos_unit("compact")] = units.unit(
        "Thanos compactor: compaction, downsampling and retention of the long-term bucket", compact,
        binary=units.THANOS_BINARY, oneshot=bool(view.compaction_schedule))
    if view.compaction_schedule:
        docs[names.thanos_unit("compact").replace(".service", ".timer")] = units.timer(
            "Run the Thanos compactor on the seed's schedule", view.compaction_schedule)
    isolation.check(estate, docs, names.GLOBAL_DIR)
    return docs
