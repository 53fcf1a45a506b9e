"""The seed's three pipelines (6.4 log_processing) as rendered ingest pipelines, proven on the
corpus under tests/pipelines/corpus/: grok with pygrok's standard patterns (a real grok, the
legacy pattern set Elasticsearch's grok uses with ecs_compatibility "disabled"), then every
rendered pipeline of every region run on its corpus; malformed lines reach the failure index."""
from __future__ import annotations

import copy
import json

import pytest

from obsgen import names
from obsgen.logs import grok
from obsgen.render.pipelines import corpus
from tests.pipelines import ingest_sim
from tests.pipelines.node import ROOT

CORPUS = corpus.load_dir(ROOT / "tests" / "pipelines" / "corpus")
SALT = "corpus-salt-5d1e"


def _pipelines(tree) -> list[tuple[str, dict]]:
    return [(path, json.loads(raw)) for path, raw in tree.items() if "/elasticsearch/ingest_pipeline/" in path]


def _filled(body: dict) -> dict:
    return json.loads(json.dumps(body).replace("${LOG_PIPELINE_SALT}", SALT))


def test_the_corpus_covers_every_pipeline_with_good_and_malformed_lines(estate):
    names = {p.name for p in estate.log_pipelines}
    assert names == {"application_pipeline", "access_log_pipeline", "audit_pipeline"}
    assert set(CORPUS) == names
    for name, samples in CORPUS.items():
        assert sum(s.expect == corpus.FAILED for s in samples) >= 3, name
        assert sum(s.expect != corpus.FAILED for s in samples) >= 3, name


@pytest.mark.parametrize("name", ["application_pipeline", "access_log_pipeline"])
def test_pygrok_parses_every_good_line_and_no_malformed_one(estate, name):
    pipe = next(p for p in estate.log_pipelines if p.name == name)
    for sample in CORPUS[name]:
        found = [grok.compile(expr).match(sample.line) for expr in pipe.grok]
        match = next((m for m in found if m is not None), None)
        if sample.expect == corpus.FAILED:
            assert match is None, f"{sample.line!r} should not parse: {match}"
            continue
        assert match is not None, f"{sample.line!r} does not parse with {pipe.grok}"
        for key, want in sample.expect.items():
            if key in match and key not in {"clientip"}:   # clientip is anonymized after grok
                assert match[key] == want, (sample.line, key)


def test_every_region_renders_the_three_pipelines_for_each_source_it_stores(tree, estate):
    found = _pipelines(tree)
    assert len(found) == 3 * 4, [p for p, _ in found]   # us-east stores ap-southeast's too
    for path, body in found:
        region = path.split("/")[0]
        template = json.loads(tree[path.replace("ingest_pipeline", "index_template").replace("-parse.json", ".json")])
        assert template["template"]["settings"]["index"]["default_pipeline"] == path.rsplit("/", 1)[1].removesuffix(".json")
        # the dead-letter index is in the same cluster, and has a template of its own
        failed = next(p["set"]["value"] for p in body["on_failure"] if p["set"]["field"] == "_index")
        assert failed.startswith(names.FAILED_PREFIX)
        assert f"{region}/elasticsearch/index_template/{failed}.json" in tree


def test_every_rendered_pipeline_gives_the_corpus_its_expected_fields_and_fails_the_malformed(tree):
    checked = 0
    for path, body in _pipelines(tree):
        samples = CORPUS[body["_meta"]["pipeline"]]
        prefix = f"{body['_meta']['stream']}-{body['_meta']['region']}"
        answer = ingest_sim.simulate(_filled(body), corpus.docs(samples, f"{prefix}-2026.12.02"))
        assert corpus.mismatches(samples, answer, names.failed_index(prefix)) == [], path
        checked += len(samples)
    assert checked >= 3 * 25


def test_no_salt_placeholder_is_resolved_in_generated_and_no_literal_salt_is_there(tree):
    for path, body in _pipelines(tree):
        for proc in body["processors"]:
            if "fingerprint" in proc:
                assert proc["fingerprint"]["salt"] == "${LOG_PIPELINE_SALT}", path


# (sentence id, how a rendered pipeline is broken) -> the corpus notices
BROKEN = [
    ("grok without the service capture", lambda b: b["processors"][1]["grok"].update(
        patterns=["^%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{GREEDYDATA:message}$"])),
    ("no on_failure: malformed lines would be rejected, not kept", lambda b: b.pop("on_failure")),
    ("on_failure that keeps the record in the main index", lambda b: b.update(on_failure=[{"set": {"field": "error.message", "value": "x"}}])),
    ("the region stamp dropped", lambda b: b.update(processors=[p for p in b["processors"] if "set" not in p])),
]


@pytest.mark.parametrize("breaker", [pytest.param(f, id=s) for s, f in BROKEN])
def test_the_corpus_catches_a_broken_pipeline(tree, breaker):
    path, body = next((p, b) for p, b in _pipelines(tree) if b["_meta"]["pipeline"] == "application_pipeline")
    body = copy.deepcopy(body)
    breaker(body)
    samples = CORPUS["application_pipeline"]
    samples = tuple(corpus.Sample(s.line, {**s.expect, "region": body["_meta"]["region"]} if s.expect != corpus.FAILED else s.expect)
                    for s in samples)
    prefix = f"{body['_meta']['stream']}-{body['_meta']['region']}"
    try:
        answer = ingest_sim.simulate(body, corpus.docs(samples, prefix))
    except ingest_sim.ProcessorError as exc:
        answer = {"docs": [{"error": {"type": exc.kind, "reason": str(exc)}}] * len(samples)}
    assert corpus.mismatches(samples, answer, names.failed_index(prefix)) != []
