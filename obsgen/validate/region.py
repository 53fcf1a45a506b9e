"""Checks of the region table and the global view."""
from __future__ import annotations

import re
from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from obsgen import duration
from obsgen.errors import DefinitionError, Site
from obsgen.model import SEVERITIES, Estate, Region
from obsgen.validate.patterns import BUSINESS_HOURS, ENV_NAME, SLUG, URL

_HOST_PORT = re.compile(r"^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):\d{1,5}$")


def table(c, estate: Estate) -> None:
    """At least one region, each well formed, each name once."""
    if not estate.regions:
        raise DefinitionError(Site("rules", 0), "estate", "no Region is defined under rules/ "
                              "(a Region(...) held by a module-level name, list, tuple or dict)")
    for region in estate.regions:
        check(c, region)
    dupes = [n for n, k in Counter(r.name for r in estate.regions).items() if k > 1]
    if dupes:
        twice = [r for r in estate.regions if r.name == dupes[0]][-1]
        first = [r for r in estate.regions if r.name == dupes[0]][0]
        c.fail(twice, f"region {dupes[0]}", f"defined twice (also at {c.site(first)})")


def global_view(c, estate: Estate) -> None:
    if len(estate.global_views) > 1:
        c.fail(estate.global_views[1], "global view", "more than one GlobalView is defined")
    if estate.global_view is not None:
        gv = estate.global_view
        for field in ("query_url", "alertmanager_url"):
            if not URL.match(str(getattr(gv, field))):
                c.fail(gv, "global view", f"{field} is not an http(s) URL: {getattr(gv, field)!r}")
        for field in ("retention_raw", "retention_5m", "retention_1h"):
            c.duration(gv, "global view", field, getattr(gv, field))
        # `thanos compact` refuses to start otherwise (v0.42 cmd/thanos/compact.go): with downsampling
        # on, raw blocks must outlive the 40 hours after which their 5m copy is made, and 5m blocks
        # the 10 days after which their 1h copy is made.
        for field, floor, why in (("retention_raw", 40 * 3600, "40h, when the 5m copy is made"),
                                  ("retention_5m", 10 * 86400, "10d, when the 1h copy is made")):
            if duration.seconds(getattr(gv, field)) < floor:
                c.fail(gv, "global view", f"{field} {getattr(gv, field)} is shorter than {why}: "
                                          "thanos compact refuses to start")


def _lookback(c, r: Region, what: str) -> None:
    """The SLO base window bridges failed scrapes and restarts up to the look-back: it must reach
    past at least two scrapes and past one evaluation, or a single failed scrape loses counts."""
    try:
        look, scrape, step = (duration.seconds(v) for v in (r.counter_lookback, r.scrape_interval, r.evaluation_interval))
    except (ValueError, TypeError):
        return
    if look < max(2 * scrape, step):
        c.fail(r, what, f"counter_lookback {r.counter_lookback} must be at least two scrape intervals and one "
                        f"evaluation interval ({duration.format_seconds(max(2 * scrape, step))})")


def check(c, r: Region) -> None:
    what = f"region {r.name}"
    if not isinstance(r.name, str) or not SLUG.match(r.name):
        c.fail(r, f"region {r.name!r}", "name must be lower-case letters, digits and dashes")
    for field in ("provider", "cloud_region", "residency", "cross_border", "audit_retention"):
        c.text(r, what, field, getattr(r, field))
    for field in ("prometheus_url", "alertmanager_url"):
        value = getattr(r, field)
        if not isinstance(value, str) or not URL.match(value):
            c.fail(r, what, f"{field} is not an http(s) URL: {value!r}")
    if r.grafana_url is not None and not URL.match(str(r.grafana_url)):
        c.fail(r, what, f"grafana_url is not an http(s) URL: {r.grafana_url!r}")
    for field in ("scrape_interval", "evaluation_interval", "retention", "counter_lookback"):
        c.duration(r, what, field, getattr(r, field))
    _lookback(c, r, what)
    if not isinstance(r.isolated, bool):
        c.fail(r, what, f"isolated must be True or False, got {r.isolated!r}")
    try:
        ZoneInfo(r.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        c.fail(r, what, f"unknown time zone {r.timezone!r}")
    if not isinstance(r.business_hours, str) or not BUSINESS_HOURS.match(r.business_hours):
        c.fail(r, what, f"business_hours must look like 09:00-17:00, got {r.business_hours!r}")
    if r.isolated and r.thanos_sidecars:
        c.fail(r, what, "an isolated region cannot have thanos_sidecars: the global view would read them")
    for address in r.thanos_sidecars:
        if not _HOST_PORT.match(address) or not 0 < int(address.rsplit(":", 1)[1]) < 65536:
            c.fail(r, what, f"thanos_sidecars: {address!r} is not host:port (Thanos Query dials it over gRPC)")
    if len(set(r.thanos_sidecars)) != len(r.thanos_sidecars):
        c.fail(r, what, f"thanos_sidecars lists a sidecar twice: {r.thanos_sidecars!r}")
    if not r.channels:
        c.fail(r, what, "has no notification channel")
    for ch in r.channels:
        c.text(ch, f"{what} channel", "kind", ch.kind)
        c.text(ch, f"{what} channel {ch.kind}", "target", ch.target)
        if ch.secret_env is not None and not ENV_NAME.match(ch.secret_env):
            c.fail(ch, f"{what} channel {ch.target}", f"secret_env must name an environment variable, got {ch.secret_env!r}")
        for sev in ch.severities:
            if sev not in SEVERITIES:
                c.fail(ch, f"{what} channel {ch.target}", f"unknown severity {sev!r} (one of {', '.join(SEVERITIES)})")
