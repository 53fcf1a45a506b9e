"""The checks themselves: each catches what it is there for, so the tests built on them can fail."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from obsgen.dashboards import check, layout
from obsgen.model.dashboard import Panel, Query, Row
from tests.dashboards.helpers import SCHEMAS, dashboards_of, grafana_trees, the_estate

DOC = dashboards_of(grafana_trees(the_estate()))["global/grafana/dashboards/business-metrics.json"]


def broken(edit):
    doc = copy.deepcopy(DOC)
    edit(doc)
    return doc


def _first_panel(doc):
    return next(p for p in doc["panels"] if p["type"] != "row")


CASES = [
    ("an unknown dashboard field", lambda d: d.update(legacyField=1), "/legacyField lost", "legacyField"),
    ("an unknown legend option", lambda d: _first_panel(d)["options"]["legend"].update(bogus=1), "bogus lost", "bogus"),
    ("an unknown custom field option", lambda d: _first_panel(d)["fieldConfig"]["defaults"]["custom"].update(shade=1),
     "shade lost", "shade"),
    ("a query that does not parse", lambda d: _first_panel(d)["targets"][0].update(expr="sum("), "query A", None),
    ("a deprecated graph panel", lambda d: _first_panel(d).update(type="graph"), "not a current panel type", "graph"),
]


@pytest.mark.parametrize("edit, found", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_the_round_trip_and_query_checks_catch(edit, found):
    assert any(found in p for p in check.problems(broken(edit)))


def _renamed(doc):
    """The dashboard with every string value but the SDK's dispatch values changed."""
    if isinstance(doc, dict):
        return {k: v if k in check.DISPATCH_KEYS and isinstance(v, str) else _renamed(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_renamed(v) for v in doc]
    return doc + "-x" if isinstance(doc, str) else doc


@pytest.mark.parametrize("edit, found", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_a_twin_that_passed_the_round_trip_does_not_hide_a_loss(edit, found):
    """The round trip runs once per shape; a loss still makes a shape of its own."""
    check._WHOLE.clear()
    twin = _renamed(DOC)
    assert check.shape(twin) == check.shape(DOC) and check.problems(twin) == []
    assert any(found in p for p in check.problems(_renamed(broken(edit))))


@pytest.mark.parametrize("edit", [
    lambda d: _first_panel(d).update(type="stat"),
    lambda d: _first_panel(d)["datasource"].update(type="loki"),
    lambda d: _first_panel(d)["targets"].append(dict(_first_panel(d)["targets"][0])),
    lambda d: _first_panel(d).update(title=None),
    lambda d: _first_panel(d)["gridPos"].update(h=_first_panel(d)["gridPos"]["h"] + 1),
    lambda d: _first_panel(d).update(renamedKey=_first_panel(d).pop("title")),
], ids=["a panel type", "a data source type", "one query more", "a string become null", "a number",
        "a key renamed"])
def test_what_the_round_trip_depends_on_changes_the_shape(edit):
    assert check.shape(broken(edit)) != check.shape(DOC)


def test_the_sdk_chooses_classes_by_the_dispatch_keys_only():
    """The shape keeps the string values the SDK's decoders branch on: every other string they carry
    through. Fails when an SDK upgrade branches on another key, or compares a value."""
    import grafana_foundation_sdk

    sdk = Path(grafana_foundation_sdk.__file__).parent
    branched, compared = set(), []
    keys = "|".join(check.DISPATCH_KEYS)
    dispatch_read = rf'(?:\.get\("(?:{keys})", ""\)|\["(?:{keys})"\]) *(?:==|!=) *""'
    for source in [*sdk.glob("models/*.py"), *sdk.glob("cog/*.py")]:
        text = source.read_text()
        for chain in re.findall(r'(?:decoding_map_\w+(?:\.get\(|\[)|panelcfg_config\()(?:item|data)((?:(?:\.get\(|\[)"\w+"\]?)+)', text):
            branched.add(re.findall(r'"(\w+)"', chain)[-1])    # the key whose value is looked up
        branched |= set(re.findall(r'(?:data|json)\["datasource"\](?:\.get\(|\[)"(\w+)"', text))
        for line in text.splitlines():
            code = re.sub(dispatch_read, "", line.split("#", 1)[0])
            if re.search(r'(?:==|!=) *"|" *(?:==|!=)| or "', code) and not re.fullmatch(r'\s*\w+ = "[^"]*"\s*', code) \
                    and "dataquery_type_hint" not in code:
                compared.append(line.strip())
    assert branched == set(check.DISPATCH_KEYS)
    assert compared == []


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/grafana-schemas is absent")
@pytest.mark.parametrize("edit, found", [(c[1], c[3]) for c in CASES if c[3]], ids=[c[0] for c in CASES if c[3]])
def test_the_schema_check_catches(edit, found):
    assert any(found in e for e in check.schema_errors(broken(edit), SCHEMAS))


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/grafana-schemas is absent")
def test_the_schema_check_wants_the_options_the_panel_schema_requires():
    doc = broken(lambda d: _first_panel(d)["options"].pop("tooltip"))
    assert any("'tooltip' is a required property" in e for e in check.schema_errors(doc, SCHEMAS))


def _panel(title, pid=None):
    return Panel(title, (Query("up"),), id=pid)


def test_layout_shares_a_row_and_wraps_after_four_panels():
    placed = layout.place((Row("r", tuple(_panel(str(i)) for i in range(5)), height=5),))
    spots = [(p.x, p.y, p.w, p.h) for p in placed]
    assert spots == [(0, 0, 24, 1), (0, 1, 6, 5), (6, 1, 6, 5), (12, 1, 6, 5), (18, 1, 6, 5), (0, 6, 24, 5)]


def test_layout_keeps_given_ids_and_numbers_the_rest_around_them():
    placed = layout.place((Row("r", (_panel("a", 2), _panel("b"))),))
    assert [p.id for p in placed] == [1, 2, 3]


def test_layout_refuses_two_panels_with_one_id():
    with pytest.raises(ValueError, match="share an id"):
        layout.place((Row("r", (_panel("a", 5), _panel("b", 5))),))
