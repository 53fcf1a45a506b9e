"""Credentials for an applier, from the environment or a file; never printed (repr hides them)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


class CredentialsError(ValueError):
    pass


@dataclass(frozen=True)
class Credentials:
    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.api_key, self.password) if s)

    def headers(self, scheme: str = "ApiKey") -> dict[str, str]:
        if self.api_key:
            return {"Authorization": f"{scheme} {self.api_key}"}
        return {}

    def auth(self) -> tuple[str, str] | None:
        return (self.username, self.password) if self.username and self.password else None


def load(env_prefix: str, file: Path | None = None, environ=os.environ) -> Credentials:
    """From `file` (lines key=value: api_key, or username and password) when given, else from
    <prefix>_API_KEY, or <prefix>_USERNAME and <prefix>_PASSWORD. None of them: no credentials."""
    if file is not None:
        values = {}
        try:
            text = Path(file).read_text()
        except OSError as exc:
            raise CredentialsError(f"cannot read credentials file {file}: {exc.strerror}") from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep or key.strip() not in ("api_key", "username", "password"):
                raise CredentialsError(f"{file}:{number}: expected api_key=, username= or password=")
            values[key.strip()] = value.strip()
    else:
        values = {"api_key": environ.get(f"{env_prefix}_API_KEY"), "username": environ.get(f"{env_prefix}_USERNAME"),
                  "password": environ.get(f"{env_prefix}_PASSWORD")}
    creds = Credentials(**{k: v or None for k, v in values.items()})
    if bool(creds.username) != bool(creds.password):
        raise CredentialsError("a username needs a password, and a password a username")
    return creds
