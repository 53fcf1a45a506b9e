"""What an applier plans, and running a plan: nothing but data until `execute`."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class Change:
    kind: str                  # what the object is: "ilm policy", "index template"
    name: str
    action: str                # create | update | unchanged
    method: str                # the request that makes it so
    path: str
    body: dict = field(repr=False, compare=False)

    def line(self, dry_run: bool) -> str:
        verb = {CREATE: "would create", UPDATE: "would update"}.get(self.action, self.action) if dry_run \
            else {CREATE: "created", UPDATE: "updated"}.get(self.action, self.action)
        return f"{verb}: {self.kind} {self.name} ({self.method} {self.path})"


class Applier(Protocol):
    name: str
    env_prefix: str            # credentials: <prefix>_API_KEY, or <prefix>_USERNAME and <prefix>_PASSWORD
    auth_scheme: str           # Authorization: <scheme> <api key>

    def default_url(self, estate, region) -> str | None: ...

    def plan(self, region_dir: Path, client) -> list[Change]: ...


def execute(changes: list[Change], client) -> None:
    """Send the requests of the changes that change something, in plan order."""
    for change in changes:
        if change.action != UNCHANGED:
            client.send(change.method, change.path, change.body)
