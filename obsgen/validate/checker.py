"""The Checker every check is handed: where a definition was written, and the field checks
the kinds share. A failed check raises DefinitionError at the definition's file and line."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from obsgen import duration, names, promql
from obsgen.errors import DefinitionError, Site
from obsgen.model import Estate
from obsgen.validate import safety
from obsgen.validate.patterns import LABEL_NAME

_RESERVED_LABELS = {names.REGION}


class Checker:
    def __init__(self, estate: Estate, root: Path):
        self.estate = estate
        self.root = root
        self.region_names = {r.name for r in estate.regions}


    def fail(self, obj, what: str, message: str):
        raise DefinitionError(self.site(obj), what, message)

    def site(self, obj) -> Site:
        site = getattr(obj, "site", None) or Site("<unknown>", 0)
        try:
            return Site(str(Path(site.file).resolve().relative_to(self.root)), site.line)
        except ValueError:
            return site

    def text(self, obj, what, field, value):
        if not isinstance(value, str) or not value.strip():
            self.fail(obj, what, f"{field} must be a non-empty string, got {value!r}")
        if "\n" in value and field not in ("expr", "description"):
            self.fail(obj, what, f"{field} must be one line, got {value!r}")

    def duration(self, obj, what, field, value):
        if not duration.is_duration(value):
            self.fail(obj, what, f"{field} is not a Prometheus duration (like 5m, 1h30m, 30d): {value!r}")

    def expr(self, obj, what, field, value):
        try:
            tree = promql.parse(value)
        except ValueError as exc:
            self.fail(obj, what, f"{field} is not valid PromQL ({exc}): {value!r}")
        safety.regexes(self, obj, what, field, value, tree)
        return tree

    def rule_expr(self, obj, what, field, value):
        """An expression a rule evaluates: valid PromQL giving an instant vector or a scalar."""
        tree = self.expr(obj, what, field, value)
        safety.result_type(self, obj, what, field, value, tree)

    def labels(self, obj, what, labels, field="labels"):
        for key, value in labels.items():
            if not isinstance(key, str) or not LABEL_NAME.match(key) or key.startswith("__"):
                self.fail(obj, what, f"{field}: invalid label name {key!r}")
            if key in _RESERVED_LABELS:
                self.fail(obj, what, f"{field}: label {key!r} is set by obsgen from the region table")
            if not isinstance(value, str) or "\n" in value or not value:
                self.fail(obj, what, f"{field}: label {key} must be a one-line non-empty string, got {value!r}")

    def regions(self, obj, what, regions):
        if regions is None:
            return
        if isinstance(regions, str) or not isinstance(regions, (tuple, list)) or not regions:
            self.fail(obj, what, f"regions must be a non-empty tuple of region names, got {regions!r}")
        for name in regions:
            if name not in self.region_names:
                self.fail(obj, what, f"unknown region {name!r} (known: {', '.join(sorted(self.region_names))})")

    def unique(self, objs, key, what_of):
        """Names unique per kind and region: two definitions clash when they share a name and a region."""
        for region in self.estate.regions:
            counts = Counter(key(o) for o in objs if o.regions is None or region.name in o.regions)
            for obj in objs:
                if counts.get(key(obj), 0) > 1 and (obj.regions is None or region.name in obj.regions):
                    dupes = [o for o in objs if key(o) == key(obj)]
                    self.fail(dupes[-1], what_of(dupes[-1]), f"defined twice for region {region.name} (also at {self.site(dupes[0])})")
