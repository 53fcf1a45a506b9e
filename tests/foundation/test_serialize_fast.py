"""The fast writers give the reference bytes (PyYAML's dumper, json.dumps) on every document the
example estate and a many-service estate render, and on awkward values; what they cannot write
the same way falls back to the reference."""
from __future__ import annotations

import pytest

from obsgen import serialize
from yaml.emitter import Emitter

from obsgen.serialize_fast import Unsupported, _Analyzer, _surely_plain, json_text, yaml_text

from tests.slo.test_shapes import SERVICES, availability, latency


AWKWARD = ["", " lead", "trail ", "a: b", "a #b", "#x", "- x", "-x", "? x", "x?", "[a]", "{a}", "a,b", "'q'", '"q"',
           "it's", "true", "True", "no", "yes", "null", "~", "1", "1.5", "0x1f", "1e3", "1_000", ".inf", "2026-12-02",
           "12:30", "@at", "`tick`", "|", ">", "%p", "!tag", "&anchor", "*alias", "a\tb", "x" * 130, "é", "a\nb",
           "a\x07b", 'up{job="a"} == 0', "sum(x) > 0.05 # not a comment",
           "-", ":", "?", "a:", "a :b", "a:b", "--- x", "...", ".x", "-?", "?-", "x'", 'x"', "a#b", "a, b", "0o17", "+1",
           "<<", "=", "-.inf", ".NaN", "0b101", "1:20:30", "~x", "x~"]
VALUES = [0, -1, 10**20, 0.1, 1e-05, 1e20, -2.5, float("inf"), float("-inf"), float("nan"), True, False, None]


def test_every_document_of_the_example_estate_is_written_as_the_reference_writes_it(example_documents):
    checked, fast = 0, 0
    for path, doc in example_documents.items():
        if isinstance(doc, bytes):
            continue
        if path.endswith(".json"):
            assert serialize.to_json(doc) == (serialize.stdlib_json(doc) + "\n").encode(), path
        else:
            assert serialize.to_yaml(doc) == f"# {serialize.names.HEADER}\n{serialize.pyyaml(doc)}".encode(), path
            try:
                yaml_text(doc)
                fast += 1
            except Unsupported:
                pass
        checked += 1
    assert checked > 200 and fast > 100, (checked, fast)


def test_rules_proofs_and_dashboards_of_many_services_take_the_fast_path_and_match():
    from obsgen.model import Estate
    from obsgen.slo import render

    from tests.slo.fixtures import region

    estate = Estate(regions=(region(),), slos=tuple(f(s) for s in SERVICES for f in (availability, latency)))
    docs = {**render.render(estate, region()), **render.render_tests(estate, region())}
    assert len(docs) == 2 * len(SERVICES) + 3
    for path, doc in docs.items():
        assert yaml_text(doc) == serialize.pyyaml(doc), path     # no fallback: Unsupported would raise


@pytest.mark.parametrize("value", AWKWARD + VALUES, ids=[repr(v)[:40] for v in AWKWARD + VALUES])
def test_an_awkward_value_as_key_value_and_item_is_written_as_the_reference_writes_it(value):
    docs = [{"k": value}, {"k": [value, {"n": value}]}, [[value, value], {"m": {"n": value}}]]
    if isinstance(value, str):
        docs += [{value: 1}, [{value: {value: [value]}}]]
        if value and _surely_plain(value):
            assert Emitter.analyze_scalar(_Analyzer, value).allow_block_plain
    for doc in docs:
        assert serialize.to_yaml(doc) == f"# {serialize.names.HEADER}\n{serialize.pyyaml(doc)}".encode()
        assert serialize.to_json(doc) == (serialize.stdlib_json(doc) + "\n").encode()


def test_what_the_fast_writer_cannot_write_alike_it_refuses():
    for doc in ({"a": "x\ny"}, {"a": "x" * 10_000}, {1: "a"}, {"a": object()}, "scalar", {}, {"k": "é"}):
        with pytest.raises(Unsupported):
            yaml_text(doc)
    for doc in ({1: "a"}, {"a": 1, 2: "b"}, {"a": object()}):
        with pytest.raises(Unsupported):
            json_text(doc)
