"""Capture the file and line where a model object was constructed."""
from __future__ import annotations

import os
import sys

from obsgen.errors import Site

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def caller_site() -> Site:
    """The first frame outside obsgen itself: the definition module's line."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(PACKAGE_DIR) and not filename.startswith("<"):
            return Site(filename, frame.f_lineno)
        frame = frame.f_back
    return Site("<unknown>", 0)
