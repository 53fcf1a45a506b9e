"""Byte sizes as the seed writes them ("1GB", "500MB") and as Fluent Bit reads them ("333M")."""
from __future__ import annotations

import re

_SIZE = re.compile(r"^(\d+)(KB|MB|GB)$")
_UNITS = {"KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}


def is_size(text: object) -> bool:
    return isinstance(text, str) and bool(_SIZE.match(text)) and parse(text) > 0


def parse(text: str) -> int:
    m = _SIZE.match(text)
    if not m:
        raise ValueError(f"not a size like 500MB: {text!r}")
    return int(m.group(1)) * _UNITS[m.group(2)]


def fluent_bit(size: int) -> str:
    """Fluent Bit's unit size (docs: administration/configuring-fluent-bit/unit-sizes), in whole MiB."""
    return f"{max(1, size // _UNITS['MB'])}M"
