"""The one error type a definition can raise, and where it points."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """Where a definition was written: the file (relative to the estate root) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


UNKNOWN_SITE = Site("<unknown>", 0)


class DefinitionError(Exception):
    """Bad input in the estate's definitions. The CLI prints it on one line and exits 2."""

    def __init__(self, site: Site, obj: str, message: str):
        super().__init__(f"{site}: {obj}: {message}")
        self.site = site
        self.obj = obj
        self.message = message

    def one_line(self) -> str:
        return " ".join(str(self).split())
