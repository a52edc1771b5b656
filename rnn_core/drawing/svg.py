"""SVG pieces the course's pictures share: a label, a colour bar and the document around them.

The step-through pictures (``fundamentals.diagram``, ``fundamentals.gate_figures``) are SVG
shown as images: the browser swaps a picture where a Plotly chart rebuilds its shapes, labels
and hover layers on every step. Text passed as ``body`` is SVG markup already: callers escape
what they put in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from plotly.colors import sample_colorscale

INK = "#1f2430"  # the theme's text colour

__all__ = ["INK", "blank_cell", "colour_bar", "colours", "document", "escape", "text"]


def text(x: float, y: float, body: str, colour: str, *, size: int = 12,
         anchor: str = "middle", bold: bool = False) -> str:
    """A label whose baseline sits at (x, y); ``body`` is SVG text (escaped by the caller)."""
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" fill="{colour}" font-family="sans-serif" '
            f'font-size="{size}" text-anchor="{anchor}"{weight}>{body}</text>')


def blank_cell(x: float, y: float, width: float, height: float, colour: str) -> str:
    """A dashed empty cell: a step the learner has not reached yet."""
    return (f'<rect x="{x + 1}" y="{y + 1}" width="{width - 2}" height="{height - 2}" '
            f'fill="none" stroke="{colour}" stroke-dasharray="3 3"/>')


def colours(scale: str, fractions: Sequence[float]) -> list[str]:
    """Colours of a Plotly colour scale at ``fractions`` (each in [0, 1])."""
    return sample_colorscale(scale, [float(f) for f in fractions])


def colour_bar(x: float, y: float, height: float, scale: str, labels: tuple[str, str, str],
               name: str) -> str:
    """A vertical scale, its top (fraction 1) to its bottom (0), with ``labels`` (top, middle,
    bottom) beside it; ``name`` keeps its gradient apart from another bar's in one picture."""
    stops = colours(scale, [i / 10 for i in range(11)])
    gradient = "".join(f'<stop offset="{i / 10:.1f}" stop-color="{colour}"/>'
                       for i, colour in enumerate(reversed(stops)))  # the top is 1
    ticks = "".join(text(x + 18, label_y, escape(label), INK, size=11, anchor="start")
                    for label, label_y in zip(labels, (y + 8, y + height / 2 + 4, y + height),
                                              strict=True))
    return (f'<defs><linearGradient id="{name}" x1="0" y1="0" x2="0" y2="1">{gradient}'
            f'</linearGradient></defs><rect x="{x}" y="{y}" width="12" height="{height}" '
            f'fill="url(#{name})"/>{ticks}')


def document(width: float, height: float, *parts: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">{"".join(parts)}</svg>')
