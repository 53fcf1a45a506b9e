"""Everything the definitions declare, collected once by the loader."""
from __future__ import annotations

from dataclasses import dataclass, field

from obsgen.model.region import GlobalView, Region
from obsgen.model.rules import Alert, GlobalRecording, Recording
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
    # Targets added by later layers (dashboards, pipelines, release policy) are kept by type.
    others: tuple[object, ...] = field(default=())

    def region(self, name: str) -> Region:
        for region in self.regions:
            if region.name == name:
                return region
        raise KeyError(name)

    @property
    def global_regions(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.feeds_global)

    def of_type(self, cls: type) -> tuple:
        return tuple(o for o in self.others if isinstance(o, cls))


def applies(obj, region: Region) -> bool:
    """Whether a definition with an optional `regions` tuple applies to a region."""
    regions = getattr(obj, "regions", None)
    return regions is None or region.name in regions
