"""The Grafanas obsgen renders for: one per region over its Prometheus, one global over Thanos."""
from __future__ import annotations

from dataclasses import dataclass

from obsgen import duration, names
from obsgen.model import Estate, Region


@dataclass(frozen=True)
class Target:
    name: str                  # the region's name, or names.GLOBAL_DIR
    datasource_uid: str
    datasource_name: str
    url: str
    timezone: str              # the dashboards' time zone: the region's own, UTC for the global view
    regions: tuple[str, ...]   # what the region variable may offer, in table order
    labelled: bool             # raw series carry the region label (Thanos adds it), so narrow by $region
    scrape_interval: str       # Grafana's lower bound for $__interval
    thanos: bool = False


def region_target(region: Region) -> Target:
    return Target(
        name=region.name,
        datasource_uid=f"prometheus-{region.name}",
        datasource_name=f"Prometheus {region.name}",
        url=region.prometheus_url,
        timezone=region.timezone,
        regions=(region.name,),
        labelled=False,
        scrape_interval=region.scrape_interval,
    )


def global_target(estate: Estate) -> Target | None:
    """None when the estate has no global view. An isolated region is never offered."""
    if estate.global_view is None:
        return None
    return Target(
        name=names.GLOBAL_DIR,
        datasource_uid="thanos-query",
        datasource_name="Thanos Query",
        url=estate.global_view.query_url,
        timezone="utc",
        regions=tuple(r.name for r in estate.global_regions),
        labelled=True,
        scrape_interval=max((r.scrape_interval for r in estate.global_regions), key=duration.seconds, default="1m"),
        thanos=True,
    )


def offered(target: Target, regions: tuple[str, ...] | None) -> tuple[str, ...]:
    """The regions a dashboard limited to `regions` may show on this target."""
    return tuple(r for r in target.regions if regions is None or r in regions)
