"""`obsgen test` runs a unit-test file once for all regions whose file, and the rules it loads,
are the same up to the region's name; anything that tells two regions apart runs on its own."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from obsgen import promtool, region_alike

ROOT = Path(__file__).resolve().parents[2]
RULE = 'groups:\n- name: g\n  rules:\n  - record: x:sum\n    expr: sum(x{region="%s"%s})\n'
TEST = ('rule_files:\n- ../rules/r.yml\ntests:\n- interval: 1m\n  input_series:\n'
        '  - series: x{region="%s"}\n    values: 1x3\n')


def _tree(root: Path, regions: dict[str, str]) -> list[Path]:
    """regions: name -> extra matcher text in that region's rule."""
    files = []
    for region, extra in regions.items():
        base = root / region / "prometheus"
        (base / "rules").mkdir(parents=True)
        (base / "tests").mkdir()
        (base / "rules" / "r.yml").write_text(RULE % (region, extra))
        (base / "tests" / "r.test.yml").write_text(TEST % region)
        files.append(base / "tests" / "r.test.yml")
    return files


@pytest.mark.parametrize("regions,runs", [
    ({"us-east": "", "eu-west": "", "ap-southeast": ""}, 1),
    ({"us-east": ', job="a"', "eu-west": ""}, 2),                         # one region's rule edited
    ({"us-east": ', zone=~"us-.*"', "eu-west": ', zone=~"us-.*"'}, 2),   # a regex matching one name only
    ({"us-east": ", zone=~'us-.*'", "eu-west": ", zone=~'us-.*'"}, 2),   # the same, single-quoted
    ({"us-east": ', zone=~".+"', "eu-west": ', zone=~".+"'}, 1),         # a regex matching both
    ({"us-east": ', zone="us-east-1"', "eu-west": ', zone="eu-west-1"'}, 2),  # a longer word kept whole
    ({"us-east": ', zone=~"(["', "eu-west": ', zone=~"(["'}, 2),          # a string no regex engine reads
], ids=["the same up to the name: one run", "an edited rule runs on its own",
        "a regex that tells the names apart runs each",
        "a single-quoted regex that tells them apart runs each", "a regex matching both names runs once",
        "a name inside a longer word is not renamed", "an unreadable regex runs each"])
def test_files_alike_up_to_the_region_name_run_once(tmp_path, regions, runs):
    files = _tree(tmp_path, regions)
    run, proven_by = region_alike.group(files)
    assert len(run) == runs
    assert sorted(run + list(proven_by)) == sorted(files)
    assert all(by in run for by in proven_by.values())


@pytest.mark.tool("promtool")
def test_a_proof_broken_in_one_region_of_the_example_estate_is_run_and_fails(tmp_path):
    tree = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", tree)
    tests = promtool.test_files(tree)
    run, proven_by = region_alike.group(tests)
    victim = tree / "us-east/prometheus/tests/slo-api-availability.test.yml"
    assert victim in proven_by, "the example's us-east proofs are the same as another region's"
    rules = tree / "us-east/prometheus/rules/slo-api-availability.yml"
    rules.write_text(rules.read_text().replace('status=~"5.."', 'status=~"4.."'))
    run, proven_by = region_alike.group(tests)
    assert victim in run and victim not in proven_by
    result = promtool.test_rules([victim])
    assert not result.ok and "FAILED" in result.output
