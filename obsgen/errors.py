"""Exit statuses, the one error type a definition can raise, and where it points."""
from __future__ import annotations

from dataclasses import dataclass

# Every command's exit statuses, defined here only.
EXIT_OK = 0                  # done; the gate: pass (or warn)
EXIT_FAIL = 1                # a check, proof, push or gate failed; or obsgen's own bug
EXIT_USAGE = 2               # bad definitions, options or configuration: nothing was done
EXIT_CANNOT_EVALUATE = 3     # the gate could not see the whole window


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

    exit_code = EXIT_USAGE

    def __init__(self, site: Site, obj: str, message: str):
        super().__init__(f"{site}: {obj}: {message}")
        self.site = site
        self.obj = obj
        self.message = message

    def one_line(self) -> str:
        return " ".join(str(self).split())
