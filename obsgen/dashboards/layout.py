"""Where panels go on Grafana's 24-column grid, and their ids. Knows nothing of queries."""
from __future__ import annotations

from dataclasses import dataclass

from obsgen.model.dashboard import Panel, Row

GRID_WIDTH = 24
MIN_WIDTH = 6   # at most four panels side by side; more wrap onto the next line


@dataclass(frozen=True)
class Placed:
    item: Row | Panel
    id: int
    x: int
    y: int
    w: int
    h: int


def place(rows: tuple[Row, ...]) -> list[Placed]:
    """Rows top to bottom, each a one-unit header then its panels sharing the width equally.
    Panels keep an id they were given; the rest are numbered in reading order."""
    given = [p.id for row in rows for p in row.panels if p.id is not None]
    taken = set(given)
    if len(taken) != len(given):
        raise ValueError(f"two panels share an id: {sorted(i for i in taken if given.count(i) > 1)}")
    ids = (i for i in range(1, 1_000_000) if i not in taken)
    placed: list[Placed] = []
    y = 0
    for row in rows:
        placed.append(Placed(row, next(ids), 0, y, GRID_WIDTH, 1))
        y += 1
        per_line = min(len(row.panels), GRID_WIDTH // MIN_WIDTH) or 1
        for start in range(0, len(row.panels), per_line):
            line = row.panels[start:start + per_line]
            width = GRID_WIDTH // len(line)
            for i, panel in enumerate(line):
                w = GRID_WIDTH - width * i if i == len(line) - 1 else width
                pid = panel.id if panel.id is not None else next(ids)
                placed.append(Placed(panel, pid, width * i, y, w, row.height))
            y += row.height
    return placed
