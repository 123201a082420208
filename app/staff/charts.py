"""Scores with interval bars, as rows of HTML: no chart library to load, readable offline.

Each idea is a row with its whole title and its numbers in the page's own type, and a bar
under them drawn as a share of the row's width, so the chart is as readable on a phone as
on a desk (issue 21: an SVG scaled down to a phone had 6.5 px text and cut titles)."""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape


def interval_chart(rows: list[dict], lo: float, hi: float, title: str, limit: int = 15,
                   number: Callable[[float], str] = "{:g}".format) -> Markup:
    """A dot-and-bar row of score (ci_low..ci_high) per idea, best first, on a lo..hi scale.

    `title` comes translated and `number` writes the figures the reader's way (0,5 in
    Spanish): the chart itself knows no language."""
    span = (hi - lo) or 1.0
    digits = 0 if span >= 20 else 1
    share = lambda v: (min(max(v, lo), hi) - lo) / span * 100  # noqa: E731
    figure = lambda v: escape(number(round(v, digits)))  # noqa: E731
    parts = [f'<ol class="interval-chart" aria-label="{escape(title)}">']
    for row in rows[:limit]:
        left, right = share(row["ci_low"]), share(row["ci_high"])
        parts.append(
            f'<li><span class="interval-title">{escape(row["title"])}</span>'
            f'<span class="interval-value">{figure(row["score"])} '
            f'({figure(row["ci_low"])}–{figure(row["ci_high"])})</span>'
            f'<span class="interval-track" aria-hidden="true">'
            f'<span class="interval-bar" style="left:{left:.1f}%;width:{right - left:.1f}%"></span>'
            f'<span class="interval-dot" style="left:{share(row["score"]):.1f}%"></span></span></li>')
    parts.append("</ol>")
    parts.append('<p class="interval-scale" aria-hidden="true">' + "".join(
        f'<span class="tick">{escape(number(tick))}</span>' for tick in (lo, (lo + hi) / 2, hi)) + "</p>")
    return Markup("".join(parts))
