"""A bad release policy is a definition error naming the file, line and object (exit 2)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from obsgen.errors import DefinitionError
from obsgen.load import load_estate
from obsgen.model.release import Canary, CanaryStage, ReleasePolicy
from obsgen.validate import validate
from tests.gate import synthetic

ROOT = Path(__file__).resolve().parents[2]
STAGE = CanaryStage("internal", window="30m", traffic_percent=1, max_error_rate=0.001, max_p95_seconds=0.5)

BAD = {
    "no data may never become pass": (ReleasePolicy(no_data="pass"), "no data may only become"),
    "a per-SLO no-data override may never be pass":
        (ReleasePolicy(no_data_overrides={"api-availability": "pass"}), "never 'pass'"),
    "a no-data override names a known SLO": (ReleasePolicy(no_data_overrides={"nope": "warn"}), "unknown SLO 'nope'"),
    "burn tiers are page and ticket": (ReleasePolicy(on_burn={"pager": "fail"}), "unknown tier 'pager'"),
    "a burn does fail, warn or nothing": (ReleasePolicy(on_burn={"page": "explode"}), "must be one of fail, warn, ignore"),
    "the freeze threshold is a positive burn rate": (ReleasePolicy(freeze_at_period_burn_rate=0), "freeze_at_period_burn_rate"),
    "min_events is a whole number": (ReleasePolicy(min_events=-1), "min_events"),
    "a canary stage window is a duration": (ReleasePolicy(canary=Canary(stages=(replace(STAGE, window="30 minutes"),))),
                                            "window is not a Prometheus duration"),
    "a canary error rate is a fraction, not a percentage":
        (ReleasePolicy(canary=Canary(stages=(replace(STAGE, max_error_rate=0.1 * 100),))), "0.001 is 0.1%"),
    "canary stages have distinct names": (ReleasePolicy(canary=Canary(stages=(STAGE, STAGE))), "defined twice"),
    "canary and baseline differ": (ReleasePolicy(canary=Canary(canary="x", baseline="x")), "must differ"),
    "the relative halt factor is at least 1": (ReleasePolicy(canary=Canary(max_error_rate_vs_baseline=0.5)), ">= 1"),
    "the canary needs a minimum of events": (ReleasePolicy(canary=Canary(min_events=0)), "min_events"),
    "the SLOs held to the p95 ceiling exist": (ReleasePolicy(canary=Canary(p95_slos=("api-speed",))), "unknown SLO 'api-speed'"),
}


@pytest.mark.parametrize("policy, message", BAD.values(), ids=list(BAD))
def test_bad_policy(policy, message):
    with pytest.raises(DefinitionError) as err:
        validate(synthetic.estate(policy=policy), ROOT)
    assert message in err.value.one_line()
    assert "release policy" in err.value.one_line()
    assert "test_policy_validation.py:" in err.value.one_line()


def test_the_synthetic_estate_and_its_default_policy_are_valid():
    validate(synthetic.estate(), ROOT)


def test_the_estates_own_release_policy_is_loaded_and_valid():
    policies = load_estate(ROOT).release_policies
    assert len(policies) == 1
    assert policies[0].canary.stages[0].max_error_rate == 0.001        # seed 5.3: stage 1 < 0.1%
    assert policies[0].canary.rollback_error_rate == 0.02              # seed 5.3: rollback > 2%
