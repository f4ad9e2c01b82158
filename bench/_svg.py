"""A horizontal bar chart as hand-written SVG (no plotting dependency): one block of bars
per group, each block on its own scale (its longest whisker spans the plot), a whisker for
the spread of the rounds, the value printed at the bar's end."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart"]

_COLOURS = {
    "@auth/core": "#8a8a8a",
    "starlette": "#2b7bb9",
    "flask": "#3a9d5d",
    "django": "#b5562b",
}
# A second setting of the same framework (gunicorn's gevent worker beside gthread, the
# jwt_reissue opt-in beside the default) is drawn lighter, so its bars stand apart.
_LIGHTER = ("gevent", "jwt_reissue")
BAR, GAP, LABEL_W, PLOT_W, TOP = 14, 4, 270, 520, 40


def _colour(label: str) -> str:
    colour = next((c for k, c in _COLOURS.items() if label.startswith(k)), "#555")
    if any(word in label for word in _LIGHTER):
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        colour = "#" + "".join(f"{(c + 255) // 2:02x}" for c in rgb)
    return colour


def bar_chart(title: str, rows: Sequence[tuple[str, str, float, float, float]]) -> str:
    """rows: (group, label, value, low, high)."""
    tops: dict[str, float] = {}
    for grp, _, value, _, high in rows:
        tops[grp] = max(tops.get(grp, 0.0), value, high)
    y = TOP
    parts: list[str] = []
    group = None
    for grp, label, value, low, high in rows:
        if grp != group:
            group = grp
            y += 10
            parts.append(f'<text x="4" y="{y + 10}" font-weight="bold">{escape(grp)}</text>')
            y += 18
        top = tops[grp] or 1.0
        w = PLOT_W * value / top
        base = y + BAR - 3
        parts.append(f'<text x="{LABEL_W - 6}" y="{base}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR}" fill="{_colour(label)}"/>'
        )
        x0, x1, mid = LABEL_W + PLOT_W * low / top, LABEL_W + PLOT_W * high / top, y + BAR / 2
        parts.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{mid}" y2="{mid}" stroke="#000"/>')
        parts.append(f'<text x="{max(x1, LABEL_W + w) + 4:.1f}" y="{base}">{value:,.0f}</text>')
        y += BAR + GAP
    height = y + 10
    width = LABEL_W + PLOT_W + 90
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">'
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="4" y="18" font-size="13">{escape(title)}</text>'
    )
    return head + "".join(parts) + "</svg>\n"
