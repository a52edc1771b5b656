"""The step-through's pictures as SVG: the unrolled RNN and the hidden states so far.

Both change with every step of the step-through and neither has anything to hover or zoom
(the heatmap prints its numbers in its cells), so they are drawn as SVG and shown as images
rather than as Plotly charts: the browser swaps a picture where a chart would rebuild its
shapes, labels and arrows, which made each "Next" cost about half a second of the browser's
time on a small machine. The pictures know no language (their labels are symbols: the page
writes titles and explanations beside them) and are plain strings, so one copy serves every
learner.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from rnn_core.drawing.palette import ACCENT, CELL, INPUT, MUTED, OUTPUT
from rnn_core.drawing.svg import INK, blank_cell, colour_bar, colours, document, escape, text

# The input/output patterns: name -> (steps, steps with an input, steps with an output).
PATTERNS = {
    "one_to_one": (1, {1}, {1}),
    "one_to_many": (4, {1}, {1, 2, 3, 4}),
    "many_to_one": (4, {1, 2, 3, 4}, {4}),
    "many_to_many": (4, {1, 2, 3, 4}, {1, 2, 3, 4}),
}
SCALE = 64  # pixels per unit of the drawing: one time step is one unit wide
HEAT_CELL = (52, 32)  # a heatmap cell's width and height in pixels
HEAT_MIN_HEIGHT = 60  # pixels: one unit's row is too short for the colour bar's three marks
HEAT_SCALE = "RdBu_r"  # diverging, centred on 0: tanh's range [-1, 1] from blue to red


def unrolled_diagram(
    steps: int,
    *,
    highlight: int | None = None,
    inputs: Collection[int] | None = None,
    outputs: Collection[int] | None = None,
    backward: bool = False,
) -> str:
    """An RNN unrolled in time, as SVG: x_t below, one cell per step, y_t above.

    ``inputs`` / ``outputs`` are the 1-based steps that take an input / give an output (all by
    default), which draws the one-to-many, many-to-one and many-to-many patterns with one
    function. ``highlight`` colours one step; ``backward`` adds a second row of cells running
    right to left, as in a bidirectional RNN.
    """
    inputs = set(range(1, steps + 1)) if inputs is None else set(inputs)
    outputs = set(range(1, steps + 1)) if outputs is None else set(outputs)
    rows = [(1.0, 1)] + ([(2.0, -1)] if backward else [])  # (height of the row, direction)
    top = rows[-1][0] + 1.0
    drawing = _Drawing(width=steps + 0.2, height=top + 0.9, top=top + 0.45)
    for t in range(1, steps + 1):
        colour = ACCENT if t == highlight else CELL
        for y, direction in rows:
            drawing.box(t, y, "h" + ("" if direction > 0 else "′"), t, colour)
            if 1 <= t + direction <= steps:  # h_t carried to the next step in this direction
                drawing.arrow((t + 0.3 * direction, y), (t + 0.7 * direction, y))
        if t in inputs:
            drawing.circle(t, 0.0, "x", t, INPUT)
            drawing.arrow((t, 0.2), (t, 0.75))
            if backward:  # x_t also reaches the backward cell, around the forward one
                drawing.arrow((t - 0.24, 0.0), (t - 0.45, 0.0), (t - 0.45, 1.88), (t - 0.3, 1.88))
        if t in outputs:
            drawing.circle(t, top, "y", t, OUTPUT)
            drawing.arrow((t, top - 0.75), (t, top - 0.2))
            if backward:  # y_t merges both directions: the forward cell reaches it too
                drawing.arrow((t + 0.3, 1.12), (t + 0.45, 1.12), (t + 0.45, top), (t + 0.24, top))
    return drawing.svg()


class _Drawing:
    """Shapes in the diagram's own units (x: time step, y: upwards), written as SVG pixels."""

    def __init__(self, width: float, height: float, top: float) -> None:
        self.width, self.height, self.top = width, height, top
        self.parts: list[str] = []

    def _px(self, x: float, y: float) -> tuple[float, float]:
        """A point as SVG pixels: x from the left margin, y flipped (SVG grows downwards)."""
        return (x - 0.4) * SCALE, (self.top - y) * SCALE

    def box(self, x: float, y: float, symbol: str, step: int, colour: str) -> None:
        left, upper = self._px(x - 0.3, y + 0.25)
        self.parts.append(f'<rect x="{left:.1f}" y="{upper:.1f}" width="{0.6 * SCALE:.1f}" '
                          f'height="{0.5 * SCALE:.1f}" rx="4" fill="{colour}"/>')
        self._label(x, y, symbol, step, "white")

    def circle(self, x: float, y: float, symbol: str, step: int, colour: str) -> None:
        centre_x, centre_y = self._px(x, y)
        self.parts.append(f'<ellipse cx="{centre_x:.1f}" cy="{centre_y:.1f}" '
                          f'rx="{0.24 * SCALE:.1f}" ry="{0.2 * SCALE:.1f}" fill="white" '
                          f'stroke="{colour}" stroke-width="2"/>')
        self._label(x, y, symbol, step, colour)

    def _label(self, x: float, y: float, symbol: str, step: int, colour: str) -> None:
        """``symbol`` with the step as a subscript, centred on (x, y)."""
        centre_x, centre_y = self._px(x, y)
        body = f'{escape(symbol)}<tspan dy="4" font-size="11">{step}</tspan>'
        self.parts.append(text(centre_x, centre_y + 5, body, colour, size=15))

    def arrow(self, *points: tuple[float, float]) -> None:
        """A line through ``points`` with an arrow head at the last one."""
        path = " ".join("{:.1f},{:.1f}".format(*self._px(x, y)) for x, y in points)
        self.parts.append(f'<polyline points="{path}" fill="none" stroke="{MUTED}" '
                          'stroke-width="1.5" marker-end="url(#head)"/>')

    def svg(self) -> str:
        head = (f'<marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
                f'fill="{MUTED}"/></marker>')
        return document(self.width * SCALE, self.height * SCALE, f"<defs>{head}</defs>",
                        *self.parts)


def state_heatmap(hidden: np.ndarray, current: int) -> str:
    """Hidden states as SVG: one row per unit (h1, h2, ...), one column per time step, each
    cell coloured on [-1, 1] and labelled with its value; steps after ``current`` (1-based) are
    left blank (not computed yet) and the current step is outlined. ``hidden`` is (T, units)."""
    steps, units = hidden.shape
    width, height = HEAT_CELL
    left, bottom, bar = 34, 24, 60  # room for the unit names, the step names, the colour bar
    rows_height = max(units * height, HEAT_MIN_HEIGHT)  # the colour bar needs some height
    fills = colours(HEAT_SCALE, (np.clip(hidden[:current], -1, 1).ravel() + 1) / 2)
    parts = [text(left - 6, j * height + height / 2 + 4, f"h{j + 1}", INK, size=13, anchor="end")
             for j in range(units)]
    for t in range(steps):
        x = left + t * width
        parts.append(text(x + width / 2, units * height + 17, f"t={t + 1}", INK))
        for j in range(units):
            y = j * height
            if t >= current:
                parts.append(blank_cell(x, y, width, height, MUTED))
                continue
            value = float(hidden[t, j])
            parts.append(f'<rect x="{x}" y="{y}" width="{width}" height="{height}" '
                         f'fill="{fills[t * units + j]}"/>')
            parts.append(text(x + width / 2, y + height / 2 + 4, f"{value:.2f}",
                              "white" if abs(value) > 0.55 else INK))
    parts.append(f'<rect x="{left + (current - 1) * width}" y="0" width="{width}" '
                 f'height="{units * height}" fill="none" stroke="{ACCENT}" stroke-width="3"/>')
    parts.append(colour_bar(left + steps * width + 14, 0, rows_height, HEAT_SCALE,
                            ("1", "0", "−1"), "scale"))
    return document(left + steps * width + bar, rows_height + bottom, *parts)
