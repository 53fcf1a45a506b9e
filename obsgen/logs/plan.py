"""What the estate's log definitions mean for one region: its collector, the indices, the
collectors whose logs its Elasticsearch stores. Shared by the renderers and validation."""
from __future__ import annotations

from obsgen import duration
from obsgen.model import Estate, Region, applies
from obsgen.model.pipeline import LogAlert, LogCollector, LogIndex, LogPipeline

# Seed 1.3 cross_border_transfer values under which personal data is hashed before any record
# leaves the collector (6.4 regional_considerations.eu_west.log_anonymization: hash_with_salt).
# PROHIBITED regions are isolated instead: their logs never leave the region at all.
ANONYMIZE_BEFORE_OUTPUT = frozenset({"RESTRICTED"})
# Transfer allowed only with the user's consent, which a log pipeline cannot see: hash whenever
# the logs are stored in another region.
ANONYMIZE_WHEN_STORED_ABROAD = frozenset({"WITH_CONSENT"})


def must_anonymize(region: Region, collector: LogCollector | None = None) -> bool:
    if region.cross_border in ANONYMIZE_BEFORE_OUTPUT:
        return True
    abroad = collector is not None and collector.storage_region != region.name
    return abroad and region.cross_border in ANONYMIZE_WHEN_STORED_ABROAD


def must_stay_in_region(region: Region, collector: LogCollector) -> bool:
    return region.isolated or collector.local_storage


def indices(estate: Estate) -> tuple[LogIndex, ...]:
    return tuple(sorted(estate.log_indices, key=lambda i: i.stream))


def collector(estate: Estate, region: Region) -> LogCollector | None:
    found = [c for c in estate.log_collectors if c.region == region.name]
    return found[0] if found else None


def stored_in(estate: Estate, region: Region) -> tuple[LogCollector, ...]:
    """Collectors whose logs this region's Elasticsearch stores (its own first)."""
    found = [c for c in estate.log_collectors if c.storage_region == region.name]
    return tuple(sorted(found, key=lambda c: (c.region != region.name, c.region)))


def log_alerts(estate: Estate, region: Region) -> tuple[LogAlert, ...]:
    return tuple(sorted((a for a in estate.log_alerts if applies(a, region)), key=lambda a: (a.group, a.name)))


def pii_fields(estate: Estate) -> tuple[str, ...]:
    return tuple(sorted({f for index in indices(estate) for f in index.pii_fields}))


def es_days(text: str) -> str:
    """Elasticsearch time values take one unit, days at most ("2190d"); a year is 365 days, as
    in obsgen.duration."""
    seconds = int(duration.seconds(text))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise ValueError(f"{text!r} is not a whole number of seconds")


def pipeline_of(estate: Estate, index: LogIndex) -> LogPipeline | None:
    found = [p for p in estate.log_pipelines if p.stream == index.stream]
    return found[0] if found else None


def alert_logql(estate: Estate, alert: LogAlert) -> str:
    from obsgen.logs.logalert import logql

    found = [i for i in estate.log_indices if i.stream == alert.stream]
    return logql(alert, found[0].label_keys if found else ())
