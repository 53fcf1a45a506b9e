"""An error budget burn-down as inline SVG, drawn here: no chart library, no external asset.

Input is a list of (unix seconds, budget remaining as a fraction) points: 1.0 is a full
budget, 0.0 an exhausted one, below zero an overspent one. Output is one <svg> element.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from html import escape
from typing import Sequence

Point = tuple[float, float]

WIDTH, HEIGHT = 480, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 22   # margins for the axis labels


def burn_down_svg(points: Sequence[Point], title: str) -> str:
    """One chart. `title` becomes the accessible name (escaped here)."""
    label = escape(title, quote=True)
    finite = sorted((t, v) for t, v in points if math.isfinite(t) and math.isfinite(v))
    head = (f'<svg class="burn-down" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
            f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">'
            f"<title>{label}</title>")
    if not finite:
        return (head + f'<text x="{WIDTH / 2:g}" y="{HEIGHT / 2:g}" text-anchor="middle" '
                'class="no-data">no data</text></svg>')
    t0, t1 = finite[0][0], finite[-1][0]
    low = min(0.0, min(v for _, v in finite))
    high = max(1.0, max(v for _, v in finite))
    x = _scale(t0, t1, LEFT, WIDTH - RIGHT)
    y = _scale(low, high, HEIGHT - BOTTOM, TOP)
    parts = [head, _frame(), *_y_ticks(low, high, y), *_x_ticks(t0, t1, x)]
    parts.append(f'<line class="zero" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" '
                 f'y2="{y(0):.1f}" stroke="#b00" stroke-dasharray="4 3"/>')
    path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in finite)
    colour = "#1a7f37" if finite[-1][1] > 0 else "#cf222e"
    parts.append(f'<polyline class="budget" fill="none" stroke="{colour}" stroke-width="2" '
                 f'points="{path}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _scale(lo: float, hi: float, out_lo: float, out_hi: float):
    span = (hi - lo) or 1.0
    return lambda v: out_lo + (v - lo) / span * (out_hi - out_lo)


def _frame() -> str:
    return (f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{HEIGHT - TOP - BOTTOM}" fill="none" stroke="#999"/>')


def _y_ticks(low: float, high: float, y) -> list[str]:
    """0% and 100% always; the extremes and 50% where they do not crowd a label already shown."""
    shown: list[float] = []
    for v in (0.0, 1.0, low, high, 0.5):
        if all(abs(y(v) - y(w)) >= 12 for w in shown):
            shown.append(v)
    out = []
    for v in sorted(shown):
        out.append(f'<text x="{LEFT - 4}" y="{y(v) + 3:.1f}" text-anchor="end" '
                   f'font-size="10">{v * 100:.0f}%</text>')
    return out


def _x_ticks(t0: float, t1: float, x) -> list[str]:
    out = []
    for t, anchor in ((t0, "start"), (t1, "end")):
        day = datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M")
        out.append(f'<text x="{x(t):.1f}" y="{HEIGHT - 6}" text-anchor="{anchor}" '
                   f'font-size="10">{day}</text>')
    return out
