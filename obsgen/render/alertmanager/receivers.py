"""One receiver configuration per channel kind. Secrets are file paths, never values."""
from __future__ import annotations

from typing import Callable

from obsgen.model import Channel, Region
from obsgen.policy import alertmanager as policy
from obsgen.render.alertmanager import templates


def secret_path(channel: Channel) -> str | None:
    if channel.secret_file:
        return channel.secret_file
    if channel.secret_env:
        return f"{policy.SECRETS_DIR}/{channel.secret_env}"
    return None


def _pagerduty(ch: Channel, region: Region) -> dict:
    bare = region.notifications_without_user_data
    return {
        "send_resolved": True,
        "routing_key_file": secret_path(ch),
        "description": templates.title(),
        "details": templates.pagerduty_details(bare),
    }


def _slack(ch: Channel, region: Region) -> dict:
    return {
        "send_resolved": True,
        "api_url_file": secret_path(ch),
        "channel": ch.target,
        "title": templates.title(),
        "fallback": templates.title(),
        "text": templates.text(region.notifications_without_user_data),
    }


def _email(ch: Channel, region: Region) -> dict:
    body = templates.text(region.notifications_without_user_data)
    config = {
        "send_resolved": True,
        "to": ch.target,
        "from": ch.options["from"],
        "smarthost": ch.options["smarthost"],
        "require_tls": True,
        "headers": {"Subject": templates.title()},
        "text": body,
        "html": f"<pre>{body}</pre>",
    }
    if ch.options.get("auth_username"):
        config["auth_username"] = ch.options["auth_username"]
        config["auth_password_file"] = secret_path(ch)
    return config


def webhook_url(ch: Channel) -> str:
    if "url" in ch.options:
        return ch.options["url"]
    if ch.kind in policy.BRIDGE_URL:
        return policy.BRIDGE_URL[ch.kind].format(target=ch.target)
    return ch.target


def _webhook(ch: Channel, region: Region) -> dict:
    return {"send_resolved": True, "url": webhook_url(ch)}


_BY_KIND: dict[str, tuple[str, Callable[[Channel, Region], dict]]] = {
    "pagerduty": ("pagerduty_configs", _pagerduty),
    "slack": ("slack_configs", _slack),
    "email": ("email_configs", _email),
    **{kind: ("webhook_configs", _webhook) for kind in policy.WEBHOOK_KINDS},
}


def receiver(name: str, channels: tuple[Channel, ...], region: Region) -> dict:
    body: dict = {"name": name}
    for channel in channels:
        key, build = _BY_KIND[channel.kind]
        body.setdefault(key, []).append(build(channel, region))
    return body
