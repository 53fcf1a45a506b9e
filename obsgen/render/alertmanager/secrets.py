"""The deploy's secret manifest: which file each secret goes to, from which variable.

Names only, never values. The deploy writes each file before starting Alertmanager, e.g.
  install -d -m 0700 /etc/alertmanager/secrets
  printf %s "$PAGERDUTY_INTEGRATION_KEY" > /etc/alertmanager/secrets/PAGERDUTY_INTEGRATION_KEY
  chmod 0400 /etc/alertmanager/secrets/*
Bridges (DingTalk, WeChat Work) take their secret from their own environment."""
from __future__ import annotations

from obsgen.model import Region
from obsgen.policy import alertmanager as policy
from obsgen.render.alertmanager.receivers import secret_path, webhook_url


DEPLOY = (
    "Before Alertmanager starts, write every secret_files entry from its variable: "
    "install -d -m 0700 <dir>; printf %s \"$<from_env>\" > <path>; chmod <mode> <path>. "
    "Each bridge reads <from_env> from its own environment and renders only the listed labels."
)


def manifest(regions: list[Region]) -> dict:
    files, bridges = {}, {}
    for region in regions:
        for ch in region.channels:
            if ch.kind in policy.BRIDGE_URL:
                bridges[webhook_url(ch)] = {"kind": ch.kind, "url": webhook_url(ch), "from_env": ch.secret_env,
                                            "renders_only_labels": _bridge_labels(region)}
            elif secret_path(ch) and (ch.kind != "email" or ch.options.get("auth_username")):
                files[secret_path(ch)] = {"path": secret_path(ch), "from_env": ch.secret_env, "mode": "0400"}
    doc = {"alertmanager_version": policy.VERSION, "deploy": DEPLOY, "secret_files": [files[k] for k in sorted(files)]}
    if bridges:
        doc["bridges"] = [bridges[k] for k in sorted(bridges)]
    return doc


def _bridge_labels(region: Region) -> list[str] | str:
    """A bridge's own template must keep to the same allow-list in a region without user data."""
    if region.notifications_without_user_data:
        return list(policy.NO_USER_DATA_LABELS)
    return "all"
