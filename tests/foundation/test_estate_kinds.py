"""Every kind of definition has its own Estate field, and the loader files each kind there."""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import obsgen.model
from obsgen.load import loader
from obsgen.model import Estate


def _kinds() -> set[type]:
    """The model's definition classes: dataclasses with a `kind` (what the loader collects)."""
    found = set()
    for info in pkgutil.iter_modules(obsgen.model.__path__):
        module = importlib.import_module(f"obsgen.model.{info.name}")
        found |= {c for c in vars(module).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
                  and c.__module__ == module.__name__ and hasattr(c, "kind")}
    return found


def test_each_kind_has_one_field_and_each_field_one_kind():
    fields = {f.name for f in dataclasses.fields(Estate)} - {"global_view"}   # the first of global_views
    assert set(loader._KINDS) == _kinds()
    assert sorted(loader._KINDS.values()) == sorted(fields)


def test_the_loader_files_each_definition_under_its_kind(example_estate):
    estate = example_estate
    for field in loader._KINDS.values():
        assert all(loader._KINDS[type(obj)] == field for obj in getattr(estate, field)), field
    filled = {field for field in loader._KINDS.values() if getattr(estate, field)}
    assert {"regions", "alerts", "slos", "release_policies", "dashboards", "log_indices", "log_alerts"} <= filled
    assert estate.definitions == tuple(obj for f in dataclasses.fields(Estate) if f.name != "global_view"
                                       for obj in getattr(estate, f.name))
