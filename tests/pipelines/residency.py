"""Residency invariants over one region's rendered Fluent Bit config, as lists of violations
(empty: it holds). Asked of the region table's attributes, never of a region's name."""
from __future__ import annotations

from urllib.parse import urlsplit

from obsgen.logs import plan


def host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def outputs_outside(config: dict, allowed_hosts: set[str]) -> list[str]:
    return [f"{o['name']} output for {o.get('match')} -> {o.get('host')}"
            for o in config["pipeline"]["outputs"] if o.get("host") not in allowed_hosts]


def unanonymized(config: dict, fields: tuple[str, ...], salt_env: str) -> list[str]:
    """Every input must, in its own processors (which run before routing), salt each field and
    then hash it; nothing may route records around the inputs (no filters, no output processors)."""
    problems = []
    pipeline = config["pipeline"]
    if pipeline.get("filters"):
        problems.append("a filters section: records could be changed after the input's processors")
    for out in pipeline["outputs"]:
        if out.get("processors"):
            problems.append(f"{out['name']} output for {out.get('match')} has processors of its own")
    for number, inp in enumerate(pipeline["inputs"]):
        steps = inp.get("processors", {}).get("logs", [])
        salts = [i for i, s in enumerate(steps) if s["name"] == "lua" and salt_env in s.get("code", "")]
        masks = [i for i, s in enumerate(steps) if s["name"] == "lua" and s.get("call") == "obsgen_mask_pii"]
        if not masks:
            problems.append(f"input {number} ({inp['name']}) does not mask personal data in free text")
        elif salts and min(masks) > min(salts):
            problems.append(f"input {number} ({inp['name']}) masks free text after salting: the salted values would be masked")
        for f in fields:
            hashes = [i for i, s in enumerate(steps) if s["name"] == "content_modifier" and s.get("action") == "hash"
                      and s.get("key") == f and s.get("context", "body") == "body"]
            salted = [i for i in salts if f'"{f}"' in steps[i]["code"]]
            if not hashes:
                problems.append(f"input {number} ({inp['name']}) does not hash {f}")
            elif not salted or min(salted) > min(hashes):
                problems.append(f"input {number} ({inp['name']}) hashes {f} without salting it first")
    return problems


def region_hosts(region) -> set[str]:
    return {h for h in (host(region.loki_url), host(region.elasticsearch_url)) if h}


def must_stay(estate, region) -> bool:
    col = plan.collector(estate, region)
    return col is not None and plan.must_stay_in_region(region, col)
