"""Scores with interval bars as inline SVG: no chart library to load, readable offline."""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

ROW = 22
LABEL = 230
PLOT = 320


def interval_chart(rows: list[dict], lo: float, hi: float, title: str, limit: int = 25,
                   number: Callable[[float], str] = "{:g}".format) -> Markup:
    """A horizontal dot-and-bar chart of score (ci_low..ci_high) per idea, best first.

    `title` comes translated and `number` writes the axis ticks the reader's way (0,5 in
    Spanish): the chart itself knows no language."""
    rows = rows[:limit]
    span = (hi - lo) or 1.0
    x = lambda v: LABEL + (min(max(v, lo), hi) - lo) / span * PLOT  # noqa: E731
    height = ROW * len(rows) + 30
    parts = [f'<svg class="chart" viewBox="0 0 {LABEL + PLOT + 20} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>']
    for tick in (lo, (lo + hi) / 2, hi):
        parts.append(f'<line x1="{x(tick):.1f}" y1="0" x2="{x(tick):.1f}" y2="{height - 20}" class="grid"/>'
                     f'<text x="{x(tick):.1f}" y="{height - 6}" class="tick">{escape(number(tick))}</text>')
    for i, row in enumerate(rows):
        y = i * ROW + 14
        label = row["title"] if len(row["title"]) <= 34 else row["title"][:33] + "…"
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 4}" class="label">{escape(label)}</text>'
            f'<line x1="{x(row["ci_low"]):.1f}" y1="{y}" x2="{x(row["ci_high"]):.1f}" y2="{y}" class="bar"/>'
            f'<circle cx="{x(row["score"]):.1f}" cy="{y}" r="4" class="dot"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
