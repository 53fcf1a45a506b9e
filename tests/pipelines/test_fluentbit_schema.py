"""Every rendered Fluent Bit config fits the YAML format and plugin properties of Fluent Bit's
documentation (tools/validators/fluent-bit-yaml.schema.json), and a misspelt one does not."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from tests.pipelines.node import VALIDATORS

SCHEMA = json.loads((VALIDATORS / "fluent-bit-yaml.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_rendered_config_fits_the_documented_format(fluent_bit):
    assert fluent_bit, "no Fluent Bit config rendered: this test would prove nothing"
    for name, config in fluent_bit.items():
        assert [e.message for e in VALIDATOR.iter_errors(config)] == [], name


def _out(config, plugin):
    return next(o for o in config["pipeline"]["outputs"] if o["name"] == plugin)


# (sentence id, how a good config is broken)
WRONG = [
    ("a misspelt es property", lambda c: _out(c, "es").update(logstash_prefx="x")),
    ("a loki uri without its leading slash", lambda c: _out(c, "loki").update(uri="loki/api/v1/push")),
    ("an unknown content_modifier action", lambda c: c["pipeline"]["inputs"][0]["processors"]["logs"][0].update(action="scramble")),
    ("an unknown output plugin", lambda c: c["pipeline"]["outputs"].append({"name": "kafka2", "match": "*"})),
    ("an unknown top-level section", lambda c: c.update(pipelines={})),
    ("a storage.sync mode that does not exist", lambda c: c["service"].update({"storage.sync": "sometimes"})),
    ("an output with no match", lambda c: _out(c, "loki").pop("match")),
]


@pytest.mark.parametrize("breaker", [pytest.param(b, id=i) for i, b in WRONG])
def test_the_schema_rejects(fluent_bit, breaker):
    config = copy.deepcopy(next(iter(fluent_bit.values())))
    breaker(config)
    assert list(VALIDATOR.iter_errors(config))
