"""What a region's channels must satisfy for Alertmanager 0.25."""
from __future__ import annotations

from collections.abc import Mapping

from obsgen import names
from obsgen.model import Region, applies
from obsgen.policy import alertmanager as policy

_OPTIONS = {"email": {"from", "smarthost", "auth_username"}, **{k: {"url"} for k in policy.WEBHOOK_KINDS}}
_REQUIRED_OPTIONS = {"email": ("from", "smarthost")}
_NEEDS_SECRET = ("pagerduty", "slack", *policy.BRIDGE_URL)


def region(c, r: Region) -> None:
    what = f"region {r.name}"
    for ch in r.channels:
        _channel(c, ch, f"{what} channel {ch.kind} {ch.target}")
    taken = {s for ch in r.channels for s in ch.severities}
    grouped = {g for ch in r.channels for g in ch.groups}
    switch = any(ch.watchdog for ch in r.channels)
    for alert in c.estate.alerts:
        if alert.name == names.WATCHDOG_ALERT:
            if applies(alert, r) and not switch:
                c.fail(r, what, f"no channel is a dead-man's switch (watchdog=True): alert {alert.name} would go nowhere")
            continue
        if applies(alert, r) and alert.severity not in taken and alert.group not in grouped:
            c.fail(r, what, f"no channel takes {alert.severity} alerts, so alert {alert.name} would notify nobody")


def _channel(c, ch, what: str) -> None:
    if ch.kind not in policy.KINDS:
        c.fail(ch, what, f"unknown kind {ch.kind!r} (one of {', '.join(policy.KINDS)})")
    for tier in ch.slo_tiers:
        if tier not in policy.TIER_SEVERITY:
            c.fail(ch, what, f"unknown SLO tier {tier!r} (one of {', '.join(policy.TIER_SEVERITY)})")
    if not (ch.severities or ch.groups or ch.slo_tiers or ch.teams or ch.watchdog or ch.escalate_after):
        c.fail(ch, what, "takes no severity, group, SLO tier or team, nor the Watchdog or escalations: "
                         "it would receive nothing")
    if ch.escalate_after is not None:
        c.duration(ch, what, "escalate_after", ch.escalate_after)
    if ch.watchdog and (ch.severities or ch.groups or ch.slo_tiers or ch.teams):
        c.fail(ch, what, "a dead-man's switch takes the Watchdog alone (no severities, groups, tiers or teams)")
    if not isinstance(ch.business_hours_only, bool):
        c.fail(ch, what, f"business_hours_only must be True or False, got {ch.business_hours_only!r}")
    if not isinstance(ch.options, Mapping) or not all(isinstance(v, str) and v for v in ch.options.values()):
        c.fail(ch, what, f"options must map names to non-empty strings, got {ch.options!r}")
    unknown = set(ch.options) - _OPTIONS.get(ch.kind, set())
    if unknown:
        c.fail(ch, what, f"unknown option(s) {', '.join(sorted(unknown))} for a {ch.kind} channel")
    for key in _REQUIRED_OPTIONS.get(ch.kind, ()):
        if key not in ch.options:
            c.fail(ch, what, f"a {ch.kind} channel needs options[{key!r}]")
    if ch.secret_file is not None and not str(ch.secret_file).startswith("/"):
        c.fail(ch, what, f"secret_file must be an absolute path, got {ch.secret_file!r}")
    has_secret = bool(ch.secret_env or ch.secret_file)
    if ch.kind in _NEEDS_SECRET and not has_secret:
        c.fail(ch, what, f"a {ch.kind} channel needs secret_env or secret_file (its key never goes in the definitions)")
    if ch.kind == "email" and ch.options.get("auth_username") and not has_secret:
        c.fail(ch, what, "an email channel with auth_username needs secret_env or secret_file for the password")
    if ch.kind == "webhook" and has_secret:
        c.fail(ch, what, f"Alertmanager {policy.VERSION} cannot read a webhook URL from a file (no url_file): "
                         "use a URL without credentials, or a bridge that holds the secret")
    if ch.kind == "email" and "@" not in ch.target:
        c.fail(ch, what, f"target must be e-mail addresses, got {ch.target!r}")
