"""Pictures of the LSTM / GRU step-through: every gate over time, and the carried state's path.

Both are SVG, shown as images, like the SimpleRNN step-through's (``diagram``): they change
with every step and print every number they show, so there is nothing to hover; as Plotly
charts they cost each "Next" about a quarter of a second of the browser's time. Labels arrive
translated and are escaped here; steps after the current one are left blank, as on the
SimpleRNN heatmap, so the pictures grow as the learner steps forward.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rnn_core.cells import BLOCKS, GatedTrace
from rnn_core.drawing.palette import ACCENT, CELL, INPUT, MUTED
from rnn_core.drawing.svg import INK, blank_cell, colour_bar, colours, document, escape, text
from rnn_core.fundamentals.gates import CANDIDATES, KEEP_GATES, TEXT_SYMBOLS

GATE_SCALE = "Blues"  # σ gates live in (0, 1): 0 = shut (white), 1 = open (dark)
STATE_SCALE = "RdBu_r"  # candidates and states live around 0: diverging, centred
HEAT_CELL = (50, 22)  # a heatmap cell's width and height in pixels
TITLE_ROW = 24  # pixels: the row that heads each block's units
LABELS_WIDTH = 44  # pixels left of the cells: the unit names (f1, f2, ...)
PATH_STEP = 96  # pixels per time step on the carried path
# What the path figure writes at each operation (symbols, the same in every language).
PATH_LABELS = {
    "lstm": {"state": "c", "keep": "× f", "write": "+ i·g"},
    "gru": {"state": "h", "keep": "× z", "write": "+ (1−z)·h̃"},
}


def heatmap_rows(trace: GatedTrace) -> list[tuple[str, np.ndarray, bool]]:
    """(row name, values (T, units), is a gate) for every block, then the states."""
    rows = [(name, trace.gates[name], name != CANDIDATES[trace.cell])
            for name in BLOCKS[trace.cell]]
    if trace.cell == "lstm":
        rows.append(("c", trace.carried, False))
    return [*rows, ("h", trace.hidden, False)]


def gates_heatmap(trace: GatedTrace, current: int, *, titles: Mapping[str, str]) -> str:
    """Every block and state as rows (units) against time, as SVG; steps after ``current``
    (1-based) are blank and the current one is outlined. Each block's rows are headed by its
    title (``titles``: block names, "c", "h" -> translated titles).

    Gates use a 0..1 scale, candidates and states a diverging −1..1 scale (an LSTM's c can pass
    1: the colour saturates, the printed number does not); a bar on the right shows each.
    """
    steps, units = trace.hidden.shape
    width, height = HEAT_CELL
    parts, y = [], 0.0
    for name, values, is_gate in heatmap_rows(trace):
        parts.append(text(LABELS_WIDTH, y + TITLE_ROW - 7, escape(titles[name]), INK, size=13,
                          anchor="start", bold=True))
        y += TITLE_ROW
        shown = np.clip(values[:current], 0, 1) if is_gate else (
            np.clip(values[:current], -1, 1) + 1) / 2
        fills = colours(GATE_SCALE if is_gate else STATE_SCALE, shown.ravel())
        for j in range(units):
            parts.append(text(LABELS_WIDTH - 6, y + height / 2 + 4,
                              f"{escape(TEXT_SYMBOLS.get(name, name))}{j + 1}", INK,
                              anchor="end"))
            parts += [_heat_cell(LABELS_WIDTH + t * width, y, float(values[t, j]),
                                 fills[t * units + j], is_gate) if t < current
                      else blank_cell(LABELS_WIDTH + t * width, y, width, height, MUTED)
                      for t in range(steps)]
            y += height
    left = LABELS_WIDTH + (current - 1) * width
    parts.append(f'<rect x="{left}" y="{TITLE_ROW - 2}" width="{width}" '
                 f'height="{y - TITLE_ROW + 4:.0f}" fill="none" stroke="{ACCENT}" '
                 'stroke-width="3"/>')
    parts += [text(LABELS_WIDTH + t * width + width / 2, y + 17, f"t={t + 1}", INK)
              for t in range(steps)]
    bar_x, bar_height = LABELS_WIDTH + steps * width + 16, min(120.0, (y - TITLE_ROW) / 2 - 10)
    parts.append(colour_bar(bar_x, TITLE_ROW, bar_height, GATE_SCALE, ("1", "0.5", "0"), "gates"))
    parts.append(colour_bar(bar_x, y - bar_height, bar_height, STATE_SCALE, ("1", "0", "−1"),
                            "states"))
    return document(bar_x + 50, y + 24, *parts)


def _heat_cell(x: float, y: float, value: float, fill: str, is_gate: bool) -> str:
    """One computed cell: its colour and its printed value (white on the dark colours)."""
    width, height = HEAT_CELL
    dark = value > 0.6 if is_gate else abs(value) > 0.55
    return (f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}" '
            f'stroke="white" stroke-width="1"/>'
            + text(x + width / 2, y + height / 2 + 4, f"{value:.2f}", "white" if dark else INK,
                   size=11))


def carried_path(trace: GatedTrace, unit: int, current: int) -> str:
    """The carried state of one unit (0-based) as a path through time, as SVG: the LSTM's c_t,
    the GRU's h_t. At each step the path meets exactly two operations, a multiplication by the
    keep gate (f or z) and an addition of what is written (i⊙g or (1−z)⊙h̃); nothing else
    touches it. Steps up to ``current`` show their numbers; the current one is highlighted."""
    labels = PATH_LABELS[trace.cell]
    steps = trace.hidden.shape[0]
    keep = trace.gates[KEEP_GATES[trace.cell]][:, unit]
    written, state = trace.written[:, unit], trace.carried[:, unit]
    left, line_y = 70.0, 86.0  # the path's start (after "c0 = 0") and its height
    right = left + steps * PATH_STEP
    parts = [f'<line x1="{left - 10}" y1="{line_y}" x2="{right}" y2="{line_y}" '
             f'stroke="{MUTED}" stroke-width="4"/>',
             text(4, line_y - 30, f"{labels['state']}<tspan dy=\"4\" font-size=\"10\">0"
                  "</tspan><tspan dy=\"-4\"> = 0</tspan>", CELL, size=14, anchor="start"),
             text(right, 16, escape(f"{labels['keep']}   {labels['write']}"), INPUT, size=13,
                  anchor="end")]
    for t in range(1, steps + 1):
        x = left + (t - 1) * PATH_STEP
        colour = ACCENT if t == current else (CELL if t <= current else MUTED)
        for offset, symbol in ((0.3, "×"), (0.6, "+")):
            centre = x + offset * PATH_STEP
            parts.append(f'<circle cx="{centre:.1f}" cy="{line_y}" r="13" fill="white" '
                         f'stroke="{colour}" stroke-width="2"/>')
            parts.append(text(centre, line_y + 6, symbol, colour, size=17))
        parts.append(text(x + 0.45 * PATH_STEP, line_y + 92, f"t = {t}", MUTED))
        if t <= current:  # two staggered rows of numbers under the nodes, the state above
            parts.append(text(x + 0.3 * PATH_STEP, line_y + 38, f"×{keep[t - 1]:.3f}", INPUT))
            parts.append(text(x + 0.6 * PATH_STEP, line_y + 62, f"{written[t - 1]:+.3f}",
                              INPUT))
            parts.append(text(x + 0.95 * PATH_STEP, line_y - 30, f"{state[t - 1]:.3f}", colour,
                              size=13, anchor="end", bold=True))
    return document(right + 10, line_y + 104, *parts)
