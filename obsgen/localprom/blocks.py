"""History into a local Prometheus's TSDB: OpenMetrics text -> blocks with
`promtool tsdb create-blocks-from openmetrics`, moved into the TSDB while the server is stopped."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

from obsgen.synth import BLOCK_SECONDS, Scenario, iter_write_openmetrics

TWO_HOURS = 7_200          # the TSDB's smallest block range; larger ones are 2h x 3^k
LARGEST_BLOCK = 243 * TWO_HOURS


def import_openmetrics(prom, files: Iterable[Path], *, jobs: int = 2, block_seconds: int = TWO_HOURS,
                       delete_files: bool = False) -> int:
    """Turn OpenMetrics files into TSDB blocks of `prom` (a LocalPrometheus); returns the number
    of blocks. `files` may be a lazy iterator: imports start while later files are still being
    written. `block_seconds` must cover each file's window (see obsgen.synth.write_openmetrics).
    A running server is restarted to load them."""
    staging = prom.staging_dir("openmetrics")
    flags = ["tsdb", "create-blocks-from", "openmetrics", "-q", f"--max-block-duration={block_seconds}s"]

    def one(path: Path) -> None:
        prom.promtool(*flags, str(path), str(staging))
        if delete_files:
            Path(path).unlink()

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(one, f) for f in files]:
            future.result()
    return prom.install_blocks(staging)


def import_scenario(prom, scenario: Scenario, *, window: int = BLOCK_SECONDS, jobs: int = 2) -> int:
    """Write and import a synthetic history, pipelined; the text files are deleted as they go."""
    text_dir = prom.staging_dir("om-files")
    try:
        files = iter_write_openmetrics(scenario, text_dir, window)
        return import_openmetrics(prom, files, jobs=jobs, block_seconds=window, delete_files=True)
    finally:
        shutil.rmtree(text_dir, ignore_errors=True)


def move_blocks(staging: Path, tsdb_dir: Path) -> int:
    moved = 0
    for block in sorted(staging.iterdir()):
        if (block / "meta.json").is_file():
            block.rename(tsdb_dir / block.name)
            moved += 1
    shutil.rmtree(staging)
    return moved


def covering_block_seconds(span: int) -> int:
    """Few, large blocks for a file spanning `span` seconds: promtool parses its whole input once
    per block it writes. Block ranges are 2h x 3^k like the TSDB's own; at most 486h (20 days)."""
    size = TWO_HOURS
    while size < span + TWO_HOURS and size < LARGEST_BLOCK:
        size *= 3
    return size
