"""House rules, applied last and once over every dashboard of a Grafana: uid from the name,
tags, links between obsgen's dashboards, the target's time zone, read-only, the header."""
from __future__ import annotations

from obsgen import names
from obsgen.dashboards.targets import Target


def apply(named: list[tuple[str, dict]], target: Target) -> dict[str, dict]:
    """{name: dashboard} with the house rules applied; ValueError when two share a uid."""
    out: dict[str, dict] = {}
    uids: dict[str, str] = {}
    for name, doc in sorted(named, key=lambda pair: pair[0]):
        doc = dict(doc)
        uid = names.dashboard_uid(name)
        if uid in uids:
            raise ValueError(f"dashboards {uids[uid]!r} and {name!r} share the uid {uid!r}")
        uids[uid] = name
        doc["uid"] = uid
        doc["tags"] = sorted({*doc.get("tags", []), names.GRAFANA_TAG, target.name})
        doc["links"] = [_menu()]
        doc["timezone"] = target.timezone
        doc["editable"] = False
        description = doc.get("description", "").strip()
        # First, so the header stands in the file's first bytes (JSON has no comments).
        doc["description"] = f"({names.HEADER}) {description}" if description else names.HEADER
        out[name] = doc
    return out


def _menu() -> dict:
    """A drop-down of every obsgen dashboard on this Grafana, keeping time range and variables."""
    return {
        "title": "obsgen dashboards",
        "type": "dashboards",
        "tags": [names.GRAFANA_TAG],
        "asDropdown": True,
        "includeVars": True,
        "keepTime": True,
        "targetBlank": False,
        "icon": "external link",
        "tooltip": "",
        "url": "",
    }
