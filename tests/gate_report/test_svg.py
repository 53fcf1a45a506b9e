"""The burn-down chart: drawn from (time, budget remaining) points by our own code."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from obsgen.gate.report.svg import BOTTOM, HEIGHT, TOP, burn_down_svg

NS = "{http://www.w3.org/2000/svg}"


def polyline(points):
    svg = ET.fromstring(burn_down_svg(points, "t"))
    line = svg.find(f"{NS}polyline")
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()], svg


def zero_y(svg) -> float:
    return float(svg.find(f"{NS}line[@class='zero']").get("y1"))


def test_a_full_budget_starts_at_the_top_and_a_spent_one_ends_on_the_zero_line():
    coords, svg = polyline([(0, 1.0), (100, 0.5), (200, 0.0)])
    assert coords[0][1] == TOP and coords[-1][1] == pytest.approx(zero_y(svg), abs=0.1)
    assert coords[-1][1] == HEIGHT - BOTTOM


def test_an_overspent_budget_goes_below_the_zero_line_and_turns_red():
    coords, svg = polyline([(0, 1.0), (100, -0.5)])
    assert coords[-1][1] > zero_y(svg)
    assert svg.find(f"{NS}polyline").get("stroke") == "#cf222e"


def test_time_runs_left_to_right_whatever_order_the_points_come_in():
    coords, _ = polyline([(200, 0.2), (0, 1.0), (100, 0.6)])
    xs = [x for x, _ in coords]
    assert xs == sorted(xs) and coords[0][1] < coords[-1][1]


def test_no_finite_point_draws_no_line_but_says_no_data():
    text = burn_down_svg([(0, float("nan"))], "t")
    assert "<polyline" not in text and "no data" in text


def test_the_title_is_escaped():
    text = burn_down_svg([(0, 1.0)], "<b>&")
    assert "<b>" not in text and "&lt;b&gt;&amp;" in text
    ET.fromstring(text)


def test_y_labels_include_the_lowest_point():
    text = burn_down_svg([(0, 1.0), (1, -0.35)], "t")
    assert re.search(r">-35%<", text)


def test_y_labels_never_crowd_each_other():
    text = burn_down_svg([(0, 1.0), (1, -0.03)], "t")
    assert ">0%<" in text and ">100%<" in text and ">-3%<" not in text
