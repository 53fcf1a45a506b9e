"""A pipeline's sample corpus (YAML: `pipeline: <name>`, `samples: [{line, expect, hashed?}]`) and
what `_ingest/pipeline/_simulate` must answer for it: each line parsed to the expected fields, or,
with `expect: failed`, sent to the failure index (never dropped, never indexed half-parsed)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from obsgen import names

FAILED = "failed"


@dataclass(frozen=True)
class Sample:
    line: str
    expect: object                  # FAILED or {field: value}
    hashed: tuple[str, ...] = ()    # fields that must leave changed (a salted hash), not in the clear
    source: dict = field(default_factory=dict)


def load(path: Path) -> tuple[str, tuple[Sample, ...]]:
    doc = yaml.safe_load(path.read_text())
    samples = tuple(Sample(line=str(s["line"]), expect=s["expect"], hashed=tuple(s.get("hashed", ())),
                           source=_source(s)) for s in doc["samples"])
    return doc["pipeline"], samples


def _source(sample: dict) -> dict:
    return {"message": str(sample["line"])}


def load_dir(folder: Path) -> dict[str, tuple[Sample, ...]]:
    return dict(load(p) for p in sorted(folder.glob("*.yaml")))


def docs(samples, index: str) -> list[dict]:
    return [{"_index": index, "_id": str(n), "_source": s.source} for n, s in enumerate(samples)]


def mismatches(samples, answer: dict, failed_index: str) -> list[str]:
    """Why the simulated documents differ from the corpus; [] when they all agree."""
    got = answer.get("docs", [])
    if len(got) != len(samples):
        return [f"{len(samples)} samples sent, {len(got)} documents answered"]
    problems = []
    for sample, item in zip(samples, got):
        if "error" in item:
            problems.append(f"{sample.line[:60]!r}: the pipeline raised {item['error'].get('type')}: "
                            f"{item['error'].get('reason')} (its on_failure did not catch it)")
            continue
        doc = item.get("doc", {})
        src = doc.get("_source", {})
        went_to_failure = doc.get("_index") == failed_index
        if sample.expect == FAILED:
            if not went_to_failure:
                problems.append(f"{sample.line[:60]!r}: should go to {failed_index}, went to {doc.get('_index')}")
            elif _lookup(src, "message")[0] != sample.line and _lookup(src, names.RAW_LINE)[0] != sample.line:
                problems.append(f"{sample.line[:60]!r}: sent to {failed_index} without its original line")
            continue
        if went_to_failure:
            problems.append(f"{sample.line[:60]!r}: went to {failed_index}: {_lookup(src, 'error.message')[0]}")
            continue
        for key, want in sample.expect.items():
            have, found = _lookup(src, key)
            if not found or have != want:
                problems.append(f"{sample.line[:60]!r}: {key} is {have!r}, expected {want!r}")
        for key in sample.hashed:
            have, found = _lookup(src, key)
            if found and (str(have) in sample.line or "${" in str(have)):
                problems.append(f"{sample.line[:60]!r}: {key} left in the clear or hashed without the salt: {have!r}")
    return problems


def _lookup(source: dict, key: str):
    if key in source:
        return source[key], True
    node = source
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, False
        node = node[part]
    return node, True
