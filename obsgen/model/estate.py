"""Everything the definitions declare, collected once by the loader, one field per kind."""
from __future__ import annotations

from dataclasses import dataclass, fields

from obsgen.model.dashboard import Dashboard, GrafanalibDashboard
from obsgen.model.pipeline import LogAlert, LogCollector, LogDashboard, LogIndex, LogPipeline
from obsgen.model.region import GlobalView, Region
from obsgen.model.release import ReleasePolicy
from obsgen.model.rules import Alert, GlobalAlert, GlobalRecording, Recording
from obsgen.model.slo import SLO


@dataclass(frozen=True)
class Estate:
    regions: tuple[Region, ...]
    global_view: GlobalView | None = None
    global_views: tuple[GlobalView, ...] = ()  # all that were defined; validation allows one
    alerts: tuple[Alert, ...] = ()
    recordings: tuple[Recording, ...] = ()
    global_recordings: tuple[GlobalRecording, ...] = ()
    slos: tuple[SLO, ...] = ()
    global_alerts: tuple[GlobalAlert, ...] = ()
    release_policies: tuple[ReleasePolicy, ...] = ()  # all that were defined; validation allows one
    dashboards: tuple[Dashboard, ...] = ()
    grafanalib_dashboards: tuple[GrafanalibDashboard, ...] = ()
    log_indices: tuple[LogIndex, ...] = ()
    log_collectors: tuple[LogCollector, ...] = ()
    log_alerts: tuple[LogAlert, ...] = ()
    log_pipelines: tuple[LogPipeline, ...] = ()
    log_dashboards: tuple[LogDashboard, ...] = ()

    def region(self, name: str) -> Region:
        for region in self.regions:
            if region.name == name:
                return region
        raise KeyError(name)

    @property
    def global_regions(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.feeds_global)

    @property
    def release_policy(self) -> ReleasePolicy | None:
        return self.release_policies[0] if self.release_policies else None

    @property
    def definitions(self) -> tuple:
        """Every definition, kind by kind in field order (the global view once, in global_views)."""
        return tuple(obj for f in fields(self) if f.name != "global_view" for obj in getattr(self, f.name))


def applies(obj, region: Region) -> bool:
    """Whether a definition with an optional `regions` tuple applies to a region."""
    regions = getattr(obj, "regions", None)
    return regions is None or region.name in regions
