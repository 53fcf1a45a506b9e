"""Exit statuses, the errors that carry them, and where a definition points."""
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


class ObsgenError(Exception):
    """A refusal the user can act on (bad input, an output obsgen may not write): the CLI prints
    it on one line and exits with its exit_code. Any other exception is obsgen's own bug."""

    exit_code = EXIT_USAGE

    def one_line(self) -> str:
        return " ".join(str(self).split())


class DefinitionError(ObsgenError):
    """Bad input in the estate's definitions, at its file and line: exit 2."""

    def __init__(self, site: Site, obj: str, message: str):
        super().__init__(f"{site}: {obj}: {message}")
        self.site = site
        self.obj = obj
        self.message = message
