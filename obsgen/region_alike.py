"""Unit-test files of two regions that are the same file up to the region's name prove the same
thing: `obsgen test` runs one of them and names it as the proof of the others.

Two files are alike when the test file and every rule file it loads read the same once each
region's name (as a whole word, in its `-` and `_` spellings) is replaced by one token, and no
other string in them tells the two names apart: every quoted string that may be a regex
(label matchers, label_replace) must match both names or neither. Anything else keeps a file
on its own, so an edit to one region's rules always has that region's proof run.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from obsgen.slo.shapes import LITERAL, unquote

_TOKEN = "\x00region\x00"
_REGEX_META = re.compile(r"[.*+?()\[\]{}|^$\\]")


def region_of(test_file: Path) -> str:
    """generated/<region>/prometheus/tests/<name>.test.yml"""
    return Path(test_file).parts[-4]


def _spellings(region: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((region, region.replace("-", "_"))))


def _word(region: str) -> re.Pattern:
    names = "|".join(map(re.escape, _spellings(region)))
    return re.compile(rf"(?<![A-Za-z0-9_-])(?:{names})(?![A-Za-z0-9_-])")


def _texts(test_file: Path) -> list[str]:
    text = Path(test_file).read_text()
    rule_files = (yaml.safe_load(text) or {}).get("rule_files") or ()
    return [text] + [(Path(test_file).parent / r).read_text() for r in rule_files]


def key(test_file: Path) -> tuple[str, ...] | None:
    """What a file is up to its region's name; None when it cannot be read as such."""
    try:
        word = _word(region_of(test_file))
        return tuple(word.sub(_TOKEN, t) for t in _texts(test_file))
    except (OSError, ValueError, yaml.YAMLError, IndexError):
        return None


def _names_told_apart(texts: tuple[str, ...], regions: list[str]) -> bool:
    names = [s for r in regions for s in _spellings(r)]
    for text in texts:
        for quoted in LITERAL.findall(text):
            if _TOKEN in quoted or not _REGEX_META.search(quoted[1:-1]):
                continue
            try:
                pattern = re.compile(unquote(quoted))
            except (ValueError, re.error):
                return True
            if len({bool(pattern.fullmatch(n)) for n in names}) > 1:
                return True
    return False


def group(files: list[Path]) -> tuple[list[Path], dict[Path, Path]]:
    """The files to run, and for each file left out the file whose run proves it."""
    by_key: dict[tuple[str, ...], list[Path]] = {}
    alone = []
    for f in sorted(files):
        k = key(f)
        if k is None:
            alone.append(f)
        else:
            by_key.setdefault(k, []).append(f)
    run, proven_by = list(alone), {}
    for k, members in by_key.items():
        regions = sorted({region_of(f) for f in members})
        if len(members) == len(regions) > 1 and not _names_told_apart(k, regions):
            run.append(members[0])
            proven_by.update({f: members[0] for f in members[1:]})
        else:
            run.extend(members)
    return sorted(run), proven_by
