"""An estate root on disk holding the synthetic test estate, for the CLI (`--root`)."""
from __future__ import annotations

from pathlib import Path

import yaml

MODULE = '''"""The gate tests' estate (tests/gate/synthetic.py)."""
from tests.gate.synthetic import POLICY, REGIONS, SLOS, VIEW
'''


CANARY_MODULE = MODULE + "from tests.gate.synthetic import CANARY_SLOS\n"


def write_root(path: Path, canary: bool = False) -> Path:
    """The estate (with the canary SLOs too, if asked) as rules/estate.py under `path`."""
    (path / "rules").mkdir(parents=True, exist_ok=True)
    (path / "rules" / "estate.py").write_text(CANARY_MODULE if canary else MODULE)
    return path


def write_config(path: Path, urls: dict[str, str], **endpoint) -> Path:
    """A gate config pointing each named endpoint at a URL; the test servers hold several
    regions, so their raw series carry the region label."""
    spec = {"endpoints": {name: {"url": url, "region_label": True, **endpoint} for name, url in urls.items()},
            "retries": 0, "timeout": 10}
    path.write_text(yaml.safe_dump(spec))
    return path
