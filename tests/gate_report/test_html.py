"""--html: one self-contained page; headless Chromium renders it; label values stay text."""
from __future__ import annotations

import re

import pytest

from obsgen.gate.report import html
from tests.gate_report import builders as b
from tests.gate_report import chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "gate.html"
    path.write_text(html.render(b.mixed()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dom(page):
    return chromium.dump_dom(page)


def test_the_page_loads_nothing_from_outside_and_runs_no_script():
    text = html.render(b.mixed())
    assert not re.search(r"""(src|href)\s*=|url\(|@import|<script|<link""", text, re.I)
    assert 'http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;;' in text


@pytest.mark.tool("chromium")
def test_chromium_renders_one_row_per_slo_and_region_and_a_chart_per_burn_down(dom):
    assert len(re.findall(r'<tr class="slo-row"', dom)) == 6
    assert len(re.findall(r'<tr class="canary-row"', dom)) == 1
    assert len(re.findall(r"<svg [^>]*class=\"burn-down\"", dom)) == 3
    assert len(re.findall(r'<polyline class="budget"', dom)) == 3
    assert 'id="decision"' in dom and "CANNOT-EVALUATE" in dom


@pytest.mark.tool("chromium")
def test_a_script_in_a_label_value_reaches_the_dom_as_text_not_as_an_element(dom):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom.lower()


@pytest.mark.tool("chromium")
def test_the_screenshot_shows_the_coloured_banner_badges_and_chart_lines(page, tmp_path):
    shot = chromium.screenshot(page, tmp_path / "gate.png", size="800,600")
    width, height, _ = chromium.png_pixels(shot)
    assert (width, height) == (800, 600)
    assert chromium.coloured_pixels(shot) > 20_000   # the banner alone is ~760 x 60


@pytest.mark.tool("chromium")
def test_a_blank_page_would_fail_the_screenshot_check(tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    assert chromium.coloured_pixels(chromium.screenshot(blank, tmp_path / "blank.png", size="200,150")) == 0


def test_a_result_without_a_burn_down_says_so_instead_of_drawing_an_empty_chart():
    text = html.render(b.evaluation((b.slo_result(),)))
    assert "no burn-down data" in text and "<svg" not in text


def test_burn_downs_passed_in_replace_the_evaluations_own():
    text = html.render(b.evaluation((b.slo_result(),)), burndowns=[b.burndown()])
    assert text.count('<polyline class="budget"') == 1


def test_the_same_evaluation_renders_the_same_bytes():
    assert html.render(b.mixed()) == html.render(b.mixed())
