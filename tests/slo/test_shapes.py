"""SLOs alike are proven once, by the first of their shape; any difference in rules or definition
makes a shape of its own, with its own proof (obsgen/slo/shapes.py)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from obsgen import names, promtool, serialize
from obsgen.model import SLO, EventRatio, Estate, LatencyThreshold
from obsgen.slo import proofs, recording, render, shapes

from tests.slo.fixtures import region


def availability(service: str, **over) -> SLO:
    sli = EventRatio(total=f'http_requests_total{{service="{service}"}}',
                     errors=f'http_requests_total{{service="{service}",status=~"5.."}}')
    return SLO(service=service, name="availability", objective=over.pop("objective", 99.5), sli=sli,
               description="d", **over)


def latency(service: str) -> SLO:
    return SLO(service=service, name="latency", objective=95.0, description="d",
               sli=LatencyThreshold(histogram="http_request_duration_seconds", threshold=1, matchers=f'service="{service}"'))


SERVICES = ["api0", "api1", "api2", "api3"]


def _tests(slos) -> dict[str, dict]:
    return render.render_tests(Estate(regions=(region(),), slos=tuple(slos)), region())


def test_services_alike_share_one_proof_and_each_other_slo_is_listed_with_its_renaming():
    files = _tests([f(s) for s in SERVICES for f in (availability, latency)])
    assert sorted(files) == sorted([names.slo_test_file("api0-availability"), names.slo_test_file("api0-latency"),
                                    names.SLO_SHAPES_INDEX])
    index = files[names.SLO_SHAPES_INDEX]["shapes"]
    assert [e["proof"] for e in index] == ["slo-api0-availability.test.yml", "slo-api0-latency.test.yml"]
    listed = index[0]["same_shape"]
    assert [e["rules"] for e in listed] == [f"../rules/slo-{s}-availability.yml" for s in SERVICES[1:]]
    assert listed[-1]["renaming"] == {"api0": "api3"}


def _without_annotations(doc):
    if isinstance(doc, dict):
        return {k: _without_annotations(v) for k, v in doc.items() if k != "exp_annotations"}
    if isinstance(doc, list):
        return [_without_annotations(v) for v in doc]
    return doc


def test_a_proven_slos_proof_renamed_is_the_proof_the_other_would_have_had():
    """The equivalence argument, shown: the first SLO's proof with its names swapped for the
    other's is, byte for byte, the proof generated from the other's definition (annotations,
    which hold per-SLO links, are compared whole by the shape instead)."""
    a, b = availability("api0"), availability("api3")
    text = serialize.to_yaml(_without_annotations(proofs.test_file(a, region()))).decode()
    for old, new in shapes.renaming(a, b).items():
        text = text.replace(old, new)
    assert text.encode() == serialize.to_yaml(_without_annotations(proofs.test_file(b, region())))


def _regex_team(service, team_regex):
    s = availability(service)
    return dataclasses.replace(s, sli=EventRatio(total=s.sli.total, errors=s.sli.errors[:-1] + f',team=~"{team_regex}"}}'))


DIFFERENT = [
    ("another objective", availability("web", objective=99.9)),
    ("another objective in this region only", availability("web", objective_overrides={"alpha": 99.0})),
    ("errors selected by another regex", dataclasses.replace(
        availability("web"), sli=EventRatio(total='http_requests_total{service="web"}',
                                            errors='http_requests_total{service="web",status=~"4.."}'))),
    ("a low-traffic guard", availability("web", min_events=100)),
    ("an absent alert", availability("web", absent_alert=True)),
    ("a 28-day period", availability("web", period="28d")),
    ("an extra label", availability("web", labels={"team": "core"})),
]


@pytest.mark.parametrize("other", [d[1] for d in DIFFERENT], ids=[d[0] for d in DIFFERENT])
def test_an_slo_that_differs_gets_its_own_proof(other):
    files = _tests([availability("api"), other])
    assert names.slo_test_file(other.id) in files and names.SLO_SHAPES_INDEX not in files


def test_a_regex_that_tells_one_service_from_the_other_keeps_them_apart():
    """`team=~"a.*"` matches the token "app" and not "web": renaming one into the other could
    change what the rule selects, so they are not one shape (with `x.*` matching neither, they are)."""
    assert names.slo_test_file("web-availability") in _tests([_regex_team("app", "a.*"), _regex_team("web", "a.*")])
    assert names.slo_test_file("web-availability") not in _tests([_regex_team("app", "x.*"), _regex_team("web", "x.*")])


def _write_tree(tmp: Path, slos, r) -> list[Path]:
    estate = Estate(regions=(r,), slos=tuple(slos))
    for docs in (render.render(estate, r), render.render_tests(estate, r)):
        for rel, doc in docs.items():
            path = tmp / r.name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(serialize.to_yaml(doc))
    return promtool.test_files(tmp)


def _break_one(monkeypatch, victim: str, how):
    rows = render.rule_rows

    def broken(slo, r):
        return how(slo, r) if slo.service == victim else rows(slo, r)

    monkeypatch.setattr(render, "rule_rows", broken)


def _wrong_budget(slo, r):
    """The burn rates of this one SLO divided by ten times its budget: it pages ten times late."""
    budget, wrong = (recording.number(x * slo.error_budget_in(r.name)) for x in (1, 10))
    rules = [{**rule, "expr": rule["expr"].replace(f"/ {budget}", f"/ {wrong}")} for rule in recording.rules(slo, r)]
    return rules + render.alerts.rules(slo, r)


def _other_objective(slo, r):
    """Rules rendered as if the objective were the other services' 99.5%: text alike, definition not."""
    plain = dataclasses.replace(slo, objective=99.5)
    return recording.rules(plain, r) + render.alerts.rules(plain, r)


MUTATIONS = [
    ("one service's burn rates read against ten times its budget", "api2", _wrong_budget, SERVICES),
    ("one service's rules ignore its own objective of 99.9%", "api2", _other_objective, SERVICES),
]


@pytest.mark.tool("promtool")
@pytest.mark.parametrize("victim,how,services", [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_a_rule_broken_for_one_service_among_many_is_its_own_shape_and_fails_its_proof(
        tmp_path, monkeypatch, victim, how, services):
    slos = [availability(s, objective=99.9 if s == victim and how is _other_objective else 99.5) for s in services]
    _break_one(monkeypatch, victim, how)
    files = _write_tree(tmp_path, slos, region())
    assert [f.name for f in files] == ["slo-api0-availability.test.yml", f"slo-{victim}-availability.test.yml"]
    result = promtool.test_rules(files)
    assert not result.ok
    assert f"{victim}-availability in alpha" in result.output and "api0-availability in alpha" not in result.output


def test_obsgen_test_finds_a_listed_rule_file_edited_after_the_build(tmp_path, monkeypatch):
    from obsgen import shape_check

    _write_tree(tmp_path, [availability(s) for s in SERVICES], region())
    with monkeypatch.context() as m:     # the renamed text alone shows the files alike
        m.setattr(shape_check, "_group", lambda path: pytest.fail(f"read as YAML: {path}"))
        result, listed = shape_check.check(tmp_path)
    assert result.ok and listed == len(SERVICES) - 1, result.output
    edited = tmp_path / "alpha" / names.slo_rules_file("api2-availability")
    edited.write_text(edited.read_text().replace("> 14.4", "> 144", 1))
    result, _ = shape_check.check(tmp_path)
    assert not result.ok and str(edited) in result.output and "api0-availability" in result.output
