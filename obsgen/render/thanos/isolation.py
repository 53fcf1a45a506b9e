"""The isolation check over the global tier's files: nothing of an isolated region may appear in
them, neither an endpoint (any of its hosts) nor, in the Thanos files, its name (a selector or
a label naming it would pull its series into the global view).

Renderers call `check` on what they write; tests/thanos/test_isolation.py runs `violations`
over the whole built tree and shows, by mutation, that a slipped-in endpoint is caught."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from obsgen import names
from obsgen.model import Estate, Region

_URL_FIELDS = ("prometheus_url", "alertmanager_url", "grafana_url", "loki_url", "elasticsearch_url")


class IsolationError(RuntimeError):
    pass


def hosts(region: Region) -> set[str]:
    out = {urlsplit(getattr(region, f)).hostname for f in _URL_FIELDS if getattr(region, f, None)}
    out |= {address.rsplit(":", 1)[0] for address in region.thanos_sidecars}
    return {h for h in out if h}


def _text(doc) -> str:
    if isinstance(doc, bytes):
        return doc.decode()
    from obsgen import serialize
    return serialize.to_yaml(doc).decode()


def _tokens(region: Region, with_name: bool) -> list[tuple[str, re.Pattern]]:
    found = [(f"endpoint {h}", re.compile(rf"(?<![\w.-]){re.escape(h)}(?![\w-])")) for h in sorted(hosts(region))]
    if with_name:
        found.append((f"region name {region.name}", re.compile(rf"(?<![\w-]){re.escape(region.name)}(?![\w-])")))
    return found


def names_allowed(path: str) -> bool:
    """Only the Thanos files must not name an isolated region: there a name is a selector or a
    label that would pull its series in. The global Alertmanager names it to drop its alerts,
    the global Grafana in an SLO's title (its own objective); endpoints count everywhere."""
    return "/thanos/" not in f"/{path}"


def violations(estate: Estate, docs: dict[str, object]) -> list[str]:
    """'path: what' for each trace of an isolated region in `docs` ({path: document})."""
    out = []
    for region in (r for r in estate.regions if not r.feeds_global):
        for path, doc in sorted(docs.items()):
            text = _text(doc)
            for what, pattern in _tokens(region, with_name=not names_allowed(path)):
                if pattern.search(text):
                    out.append(f"{path}: {what} of isolated region {region.name}")
    return out


def global_documents(docs: dict[str, object]) -> dict[str, object]:
    """Of a built tree ({path under generated/: document}): the files the global view reads or
    runs, and each region's Thanos files (they feed it)."""
    return {p: d for p, d in docs.items()
            if p.startswith(f"{names.GLOBAL_DIR}/") or p.split("/")[1:2] == ["thanos"]}


def check(estate: Estate, docs: dict[str, object], where: str) -> None:
    found = violations(estate, {f"{where}/{p}": d for p, d in docs.items()})
    if found:
        raise IsolationError("isolation broken: " + "; ".join(found))
