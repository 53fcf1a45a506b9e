"""Capture the file and line where a model object was defined."""
from __future__ import annotations

import os
import sys

from obsgen.errors import Site

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def caller_site() -> Site:
    """The module-level line that made the object, even through helper functions of the
    definitions (`region("eu-west", ...)` points at that call, not inside `region`)."""
    frame = sys._getframe(1)
    first = None
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(PACKAGE_DIR) and not filename.startswith("<"):
            if frame.f_code.co_name == "<module>":
                return Site(filename, frame.f_lineno)
            first = first or Site(filename, frame.f_lineno)
        frame = frame.f_back
    return first or Site("<unknown>", 0)
