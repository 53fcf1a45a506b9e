"""The SLO engine's renderers: per-region rule files and their proofs, and the global rules."""
from __future__ import annotations

from obsgen import names, promql
from obsgen.model import Estate, Region, applies
from obsgen.policy import burn_rates
from obsgen.render.global_rules import region_matcher
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, proofs, recording, shapes


def slos_in(estate: Estate, region: Region):
    return sorted((s for s in estate.slos if applies(s, region)), key=lambda s: s.id)


def render(estate: Estate, region: Region) -> dict[str, dict]:
    """One rule file and group per SLO: its recordings in dependency order, then its alerts."""
    return {names.slo_rules_file(slo.id): doc for slo, doc in _rule_files(estate, region)}


def rule_rows(slo, region: Region) -> list[dict]:
    return recording.rules(slo, region) + alerts.rules(slo, region)


def render_tests(estate: Estate, region: Region) -> dict[str, dict]:
    """A proof per SLO shape (obsgen/slo/shapes.py): the first SLO of each shape gets its proof
    file; the others are listed in the region's shapes index, each with its renaming."""
    files, index = {}, []
    first: dict[str, tuple] = {}
    for slo, doc in _rule_files(estate, region):
        body = doc["groups"][0]
        shape = shapes.key(slo, region, body["rules"], body.get("interval"))
        if shape in first:
            proven, same = first[shape]
            if same is not None:
                same.append({"rules": _rules_path(slo), "renaming": shapes.renaming(proven, slo)})
            continue
        proof = proofs.test_file(slo, region)
        same = None
        if proof is not None:
            files[names.slo_test_file(slo.id)] = proof
            same = []
            index.append({"proof": names.slo_test_file(slo.id).rsplit("/", 1)[-1], "rules": _rules_path(slo),
                          "same_shape": same})
        first[shape] = (slo, same)
    index = [entry for entry in index if entry["same_shape"]]
    if index:
        files[names.SLO_SHAPES_INDEX] = {"shapes": index}
    return files


def _rules_path(slo) -> str:
    return f"../rules/{names.slo_rules_file(slo.id).rsplit('/', 1)[-1]}"


_LAST: tuple = (None, None, None)   # render and render_tests of one region share its rule files


def _rule_files(estate: Estate, region: Region) -> list[tuple]:
    global _LAST
    if _LAST[0] is not estate or _LAST[1] is not region:
        found = [(slo, group_file(f"slo-{slo.id}", rule_rows(slo, region), region.evaluation_interval))
                 for slo in slos_in(estate, region)]
        _LAST = (estate, region, found)
    return _LAST[2]


def render_global(estate: Estate) -> dict[str, dict]:
    """Global SLO series over the regions that feed the global view, from the regional sums."""
    feeding = estate.global_regions
    slos = sorted({s.id: s for r in feeding for s in slos_in(estate, r)}.values(), key=lambda s: s.id)
    if not slos:
        return {}
    only = region_matcher(estate)
    label = {names.REGION: names.GLOBAL_REGION}
    g = names.global_series
    window_names = sorted({st.window for s in slos for r in feeding if applies(s, r)
                           for st in recording.steps(s, r)[1:]}, key=_seconds)
    rules = []

    def record(name, expr, labels):
        promql.assert_parses(expr)
        rules.append({"record": name, "expr": expr, "labels": dict(sorted(labels.items()))})

    for w in window_names:
        for name in (names.errors_count(w), names.requests_count(w)):
            record(g(name), f"sum without ({names.REGION}) ({promql.selector(name, [only])})", label)
        record(g(names.error_ratio(w)), recording.ratio(g(names.errors_count(w)), g(names.requests_count(w))), label)
    for slo in slos:
        ident = {**recording.identity(slo, names.GLOBAL_REGION)}
        budget = burn_rates.error_budget(slo.objective)
        record(g(names.OBJECTIVE), f"vector({recording.number(round(slo.objective / 100, 12))})", ident)
        record(g(names.ERROR_BUDGET), f"vector({recording.number(budget)})", ident)
        record(g(names.PERIOD_SECONDS), f"vector({slo.period_seconds})", ident)
        for w in sorted({st.window for r in feeding if applies(slo, r) for st in recording.steps(slo, r)[1:]}, key=_seconds):
            record(g(names.burn_rate(w)), f"{recording.own(slo, g(names.error_ratio(w)))} / {recording.number(budget)}", ident)
        record(g(names.BUDGET_REMAINING), f"1 - {recording.own(slo, g(names.burn_rate(slo.period)))}", ident)
    return {names.GLOBAL_SLO_RULES: group_file("global-slo", rules)}


def _seconds(window: str) -> float:
    from obsgen import duration

    return duration.seconds(window)
