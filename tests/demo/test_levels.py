"""Backfill levels: a recording rule runs after every recorded series it reads."""
from __future__ import annotations

import pytest

from obsgen.localprom import recording_levels


def doc(*rules, name="g"):
    return {"groups": [{"name": name, "interval": "1m", "rules": list(rules)}]}


def names_per_level(levels):
    return [[r["record"] for g in level["groups"] for r in g["rules"]] for level in levels]


def test_a_chain_of_windows_becomes_one_level_per_link_and_alerts_are_left_out():
    levels = recording_levels([doc(
        {"record": "a:1m", "expr": "sum(increase(http_requests_total[1m]))"},
        {"record": "a:5m", "expr": "sum_over_time(a:1m[4m30s])"},
        {"alert": "Burn", "expr": "a:5m > 1"},
        {"record": "a:1h", "expr": "a:5m + a:5m offset 5m"},
        {"record": "const", "expr": "vector(1)"},
    )])
    assert names_per_level(levels) == [["a:1m", "const"], ["a:5m"], ["a:1h"]]
    assert levels[0]["groups"][0]["interval"] == "1m"


def test_a_name_inside_a_label_value_is_not_a_dependency():
    levels = recording_levels([doc(
        {"record": "b", "expr": 'label_replace(vector(1), "x", "a:5m", "", "")'},
        {"record": "a:5m", "expr": "vector(2)"},
    )])
    assert names_per_level(levels) == [["b", "a:5m"]]


def test_rules_of_several_files_and_groups_are_levelled_together():
    levels = recording_levels([doc({"record": "x", "expr": "y * 2"}, name="g1"),
                               doc({"record": "y", "expr": "up"}, name="g2")])
    assert [[g["name"] for g in level["groups"]] for level in levels] == [["g2"], ["g1"]]


def test_a_cycle_is_refused():
    with pytest.raises(ValueError, match="cycle"):
        recording_levels([doc({"record": "x", "expr": "y"}, {"record": "y", "expr": "x"})])
