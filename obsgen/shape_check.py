"""`obsgen test`'s reading of each region's SLO shapes index (obsgen/slo/shapes.py): every SLO
listed there has, rule for rule, the rules of the SLO whose proof it shares, with the listed
renaming applied to their string literals and label values. So a rule file edited after the
build, or an index that lists the wrong file, fails `obsgen test` as a failed proof would.
Annotations are text that nothing evaluates; the build compared them whole."""
from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from obsgen import names
from obsgen.promtool import Result

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def index_files(out: Path) -> list[Path]:
    return sorted(Path(out).glob(f"*/{names.SLO_SHAPES_INDEX}"))


def _load(path: Path):
    return yaml.load(path.read_bytes(), Loader=_Loader)


def _renamed(rules: list[dict], renaming: dict[str, str]) -> list[dict]:
    if not renaming:
        return rules
    literal = re.compile('"(' + "|".join(map(re.escape, renaming)) + ')"')
    out = []
    for rule in rules:
        rule = {k: v for k, v in rule.items() if k != "annotations"}
        rule["expr"] = literal.sub(lambda m: f'"{renaming[m.group(1)]}"', rule["expr"])
        if "labels" in rule:
            rule["labels"] = {k: renaming.get(v, v) for k, v in rule["labels"].items()}
        out.append(rule)
    return out


def _group(path: Path) -> dict:
    doc = _load(path)
    group = dict(doc["groups"][0])
    group["rules"] = [{k: v for k, v in r.items() if k != "annotations"} for r in group["rules"]]
    return group


_ANNOTATIONS = re.compile(r"^( *)annotations:\n(?:\1 .*\n)*", re.M)


def _text(path: Path) -> str:
    return _ANNOTATIONS.sub("", path.read_text())


def _same_text(proven: str, proven_id: str, other: str, other_id: str, renaming: dict[str, str]) -> bool:
    """The quick comparison: the proven file's text renamed (literals, label values, group name)."""
    text = proven.replace(f"- name: {names.slo_group(proven_id)}\n", f"- name: {names.slo_group(other_id)}\n", 1)
    if renaming:
        words = "|".join(map(re.escape, renaming))
        text = re.sub(f'"({words})"', lambda m: f'"{renaming[m.group(1)]}"', text)
        text = re.sub(f"^( +[A-Za-z_][A-Za-z0-9_]*: )({words})$", lambda m: m.group(1) + renaming[m.group(2)],
                      text, flags=re.M)
    return text == other


def check(out: Path) -> tuple[Result | None, int]:
    """(result, how many SLOs the indexes list); (None, 0) when there is no index."""
    files = index_files(out)
    if not files:
        return None, 0
    problems, listed = [], 0
    for index in files:
        tests = index.parent
        for entry in _load(index)["shapes"]:
            proof = tests / entry["proof"]
            if not proof.is_file():
                problems.append(f"{index}: proof {entry['proof']} is missing")
                continue
            proven_path = tests / entry["rules"]
            proven_text, proven_id = _text(proven_path), proven_path.stem.removeprefix("slo-")
            proven = None
            for same in entry["same_shape"]:
                listed += 1
                path = Path(os.path.normpath(tests / same["rules"]))
                if not path.is_file():
                    problems.append(f"{index}: {same['rules']} is missing")
                    continue
                slo_id = path.stem.removeprefix("slo-")
                if _same_text(proven_text, proven_id, _text(path), slo_id, same["renaming"]):
                    continue
                # Text can differ where the rules do not (a renamed value YAML quotes): compare the rules.
                proven = proven or _group(proven_path)
                want = {**proven, "name": names.slo_group(slo_id), "rules": _renamed(proven["rules"], same["renaming"])}
                if _group(path) != want:
                    problems.append(f"{path}: its rules are not those of {entry['rules']} (proven by "
                                    f"{entry['proof']}) renamed {same['renaming']}")
    return Result("SLO rules of a proven shape", not problems, "\n".join(problems)), listed
