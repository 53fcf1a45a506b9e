"""Personal data inside free text is masked by the collector before a record leaves its region:
the rendered Fluent Bit processor chain of every region that must anonymize, run with its Lua in
LuaJIT (lupa), on the corpus tests/pipelines/pii_corpus.yaml (IPv4, IPv6, e-mails in odd places,
URLs with user info, and look-alikes that must pass unchanged)."""
from __future__ import annotations

import ipaddress
import re

import pytest
import yaml

from obsgen.logs import plan
from tests.pipelines.node import ROOT
from tests.pipelines.test_anonymization import SALT, _run

CORPUS = yaml.safe_load((ROOT / "tests" / "pipelines" / "pii_corpus.yaml").read_text())["lines"]
_EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.[\w.-]*[A-Za-z]")
_TOKEN = re.compile(r"[0-9A-Fa-f:.]+")


def _personal(text: str) -> set[str]:
    """E-mails, user info and routable IP addresses in `text`, found by Python's own parsers."""
    found = set(_EMAIL.findall(text)) | set(re.findall(r"://([^/@\s]+)@", text))
    for token in _TOKEN.findall(text):
        for candidate in {token, token.strip(".:"), *re.findall(r"\d+\.\d+\.\d+\.\d+", token)}:
            try:
                ip = ipaddress.ip_address(candidate)
            except ValueError:
                continue
            if not ip.is_loopback and not str(ip).endswith(".0") and not str(ip).endswith("::"):
                found.add(candidate)
    return {f for f in found if not f.startswith(("email-redacted", "userinfo-redacted"))}


def _anonymizing(estate, fluent_bit):
    out = []
    for region in estate.regions:
        col = plan.collector(estate, region)
        if col is not None and plan.must_anonymize(region, col):
            out.append((col, fluent_bit[region.name]["pipeline"]["inputs"][0]["processors"]["logs"]))
    return out


def test_the_corpus_is_large_and_holds_every_kind(estate):
    text = "\n".join(row["in"] for row in CORPUS)
    assert len(CORPUS) >= 30
    for needle in ("@", "%40", "://", "::", "2001:db8:", "203.0.113."):
        assert needle in text, needle


def test_every_region_that_must_anonymize_masks_free_text(estate, fluent_bit):
    assert {c.region for c, _ in _anonymizing(estate, fluent_bit)} == {"eu-west", "ap-southeast"}


@pytest.mark.parametrize("row", CORPUS, ids=[row["in"][:50] for row in CORPUS])
def test_what_leaves_the_region(estate, fluent_bit, monkeypatch, row):
    for col, steps in _anonymizing(estate, fluent_bit):
        out = _run(steps, {"message": row["in"], "user_email": "ada@example.org"}, SALT, monkeypatch, col.salt_env)
        assert out["message"] == row["out"], col.region
        assert not _personal(out["message"]), (col.region, _personal(out["message"]))
        assert out["user_email"] != "ada@example.org" and len(out["user_email"]) == 64   # hashed, not masked twice


def test_the_corpus_inputs_do_hold_personal_data_the_check_would_see():
    flagged = [row["in"] for row in CORPUS if _personal(row["in"])]
    assert len(flagged) >= 20, flagged
    assert all(row["in"] == row["out"] for row in CORPUS if not _personal(row["in"]) and "::1" not in row["in"])


def test_a_region_storing_its_own_logs_without_anonymizing_sends_text_as_logged(estate, fluent_bit, monkeypatch):
    region = next(r for r in estate.regions if plan.collector(estate, r) and not plan.must_anonymize(r, plan.collector(estate, r)))
    steps = fluent_bit[region.name]["pipeline"]["inputs"][0]["processors"]["logs"]
    assert not [s for s in steps if s.get("call") == "obsgen_mask_pii"]


def test_a_masked_line_still_parses_where_it_is_stored(estate, fluent_bit, tree, monkeypatch):
    """Collector (mask, in its region) then the storage cluster's pipeline: the access and
    application corpora's good lines still parse after masking, none reaches the failure index."""
    import json

    from obsgen.render.pipelines import corpus
    from obsgen import names
    from tests.pipelines import ingest_sim

    samples = corpus.load_dir(ROOT / "tests" / "pipelines" / "corpus")
    for col, steps in _anonymizing(estate, fluent_bit):
        for stream, name in (("access-logs", "access_log_pipeline"), ("app-logs", "application_pipeline")):
            path = f"{col.storage_region}/elasticsearch/ingest_pipeline/{stream}-{col.region}-parse.json"
            pipeline = json.loads(tree[path])
            good = [s for s in samples[name] if s.expect != corpus.FAILED]
            masked = [_run(steps, {"message": s.line}, SALT, monkeypatch, col.salt_env) for s in good]
            answer = ingest_sim.simulate(pipeline, [{"_index": "x", "_source": m} for m in masked])
            for sample, doc in zip(good, answer["docs"]):
                assert doc["doc"]["_index"] != names.failed_index(f"{stream}-{col.region}"), (col.region, sample.line)
                assert not _personal(json.dumps(doc["doc"]["_source"])), (col.region, doc["doc"]["_source"])
