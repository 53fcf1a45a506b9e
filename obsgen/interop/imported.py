"""What a converter hands back: obsgen SLOs, each with the notes on what it did not carry."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from obsgen import promql, sli_fixtures
from obsgen.errors import Site
from obsgen.interop.source import ImportProblem
from obsgen.model import SLO, EventRatio, LatencyThreshold, RawRatio
from obsgen.validate.patterns import LABEL_NAME
from obsgen.validate.slo import RESERVED

SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
URL = re.compile(r"^https?://\S+$")
TAKEN = RESERVED | {"region"}   # label keys obsgen sets itself on SLO series and alerts


@dataclass(frozen=True)
class Note:
    """A field read but not carried into obsgen, and why (printed, and kept as a comment)."""

    site: Site
    field: str
    text: str

    def __str__(self) -> str:
        return f"{self.site}: {self.field}: {self.text}"


@dataclass(frozen=True)
class Imported:
    slo: SLO
    source: str                     # "Sloth prometheus/v1", "OpenSLO v1", ...
    notes: tuple[Note, ...] = field(default=())


def slug(value, site: Site, obj: str, fld: str) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise ImportProblem(site, obj, fld, f"must be lower-case letters, digits and dashes for obsgen (it names files), got {value!r}")
    return value


def labels(merged: dict[str, tuple[str, Site, str]], obj: str, prefix: str, notes: list[Note]) -> dict[str, str]:
    """{key: value} for SLO.labels from {key: (value, site, field)}; a key obsgen sets itself is
    kept under `prefix` + key, with a note."""
    out = {}
    for key, (value, site, fld) in sorted(merged.items()):
        if not LABEL_NAME.match(key):
            raise ImportProblem(site, obj, fld, f"label name {key!r} is not a Prometheus label name")
        if key in TAKEN:
            notes.append(Note(site, fld, f"label {key!r} is set by obsgen; kept as {prefix + key!r}"))
            key = prefix + key
        out[key] = value
    return out


def check_sli(sli, site: Site, obj: str, fld: str) -> None:
    """The converted SLI parses and yields test series (what obsgen's validation will ask)."""
    try:
        if isinstance(sli, RawRatio):
            for expr in (sli.errors, sli.total):
                promql.parse(expr.replace("$window", "5m"))
        else:
            for expr in ((sli.total, sli.errors, sli.good) if isinstance(sli, EventRatio) else ()):
                if expr is not None:
                    promql.parse(expr)
            sli_fixtures.series(sli)
    except ValueError as exc:
        raise ImportProblem(site, obj, fld, f"cannot be used by obsgen ({' '.join(str(exc).split())})") from None


__all__ = ["Imported", "Note", "slug", "labels", "check_sli", "EventRatio", "LatencyThreshold", "RawRatio", "URL"]
