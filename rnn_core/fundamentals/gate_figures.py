"""Figures of the LSTM / GRU step-through: every gate over time, and the carried state's path.

Labels arrive translated (this module knows no language); steps after the current one are left
blank, as on the SimpleRNN heatmap, so the figures grow as the learner steps forward.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from rnn_core.cells import BLOCKS, GatedTrace
from rnn_core.fundamentals.gates import CANDIDATES, KEEP_GATES, TEXT_SYMBOLS
from rnn_core.palette import ACCENT, CELL, INPUT, MUTED

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
GATE_SCALE = "Blues"  # σ gates live in (0, 1): 0 = shut (white), 1 = open (dark)
STATE_SCALE = "RdBu_r"  # candidates and states live around 0: diverging, centred
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


def _shown(values: np.ndarray, current: int) -> tuple[np.ndarray, np.ndarray]:
    """(units, T) values with the steps after ``current`` blank, and their printed numbers."""
    shown = np.full(values.T.shape, np.nan)
    shown[:, :current] = values[:current].T
    text = np.where(np.isnan(shown), "", np.char.mod("%.2f", np.nan_to_num(shown)))
    return shown, text


def gates_heatmap(trace: GatedTrace, current: int, *, titles: Mapping[str, str],
                  time_label: str, title: str) -> go.Figure:
    """Every block and state as rows of one heatmap (units × time), steps after ``current``
    blank. Each group of rows is headed by a blank row labelled with its title.

    ``titles`` maps each row name (block names, "c", "h") to its translated title. Gates use a
    0..1 scale, candidates and states a diverging −1..1 scale (an LSTM's c can pass 1: the
    colour saturates, the printed number does not). Two heatmap traces on one categorical axis:
    a figure of subplots took ten times as long to build.
    """
    steps, units = trace.hidden.shape
    order, values, texts, gate_rows = [], [], [], []  # one entry per row of the figure
    blank = np.full(steps, np.nan)
    for name, rows, is_gate in heatmap_rows(trace):
        shown, text = _shown(rows, current)
        order += [f"<b>{titles[name]}</b>",
                  *(f"{TEXT_SYMBOLS.get(name, name)}{j + 1}" for j in range(units))]
        values += [blank, *shown]
        texts += [[""] * steps, *text]
        gate_rows += [False] + [is_gate] * units
    values, texts, gate_rows = np.array(values), np.array(texts), np.array(gate_rows)
    figure = go.Figure()
    for is_gate in (True, False):
        # Every trace spans every row (blank where the other one draws): plotly.js fails on a
        # category axis listing rows that a heatmap trace lacks.
        mine = gate_rows == is_gate
        figure.add_trace(go.Heatmap(
            z=np.where(mine[:, None], values, np.nan), x=list(range(1, steps + 1)), y=order,
            text=np.where(mine[:, None], texts, ""), texttemplate="%{text}",
            zmin=0 if is_gate else -1, zmax=1, colorscale=GATE_SCALE if is_gate else STATE_SCALE,
            xgap=1, ygap=1, hoverongaps=False,
            colorbar={"thickness": 10, "len": 0.3, "y": 0.85 if is_gate else 0.15},
            hovertemplate=f"{time_label} %{{x}}<br>%{{y}} = %{{z:.4f}}<extra></extra>"))
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=order,
                        autorange="reversed", showgrid=False)
    figure.update_xaxes(title=time_label, dtick=1, range=[0.5, steps + 0.5], showgrid=False)
    figure.update_layout(title=title, margin={**_MARGIN, "t": 50}, height=110 + 22 * len(order),
                         plot_bgcolor="rgba(0,0,0,0)")
    return figure


def carried_path(trace: GatedTrace, unit: int, current: int, *, title: str) -> go.Figure:
    """The carried state of one unit (0-based) as a path through time: the LSTM's c_t, the
    GRU's h_t. At each step the path meets exactly two operations, a multiplication by the keep
    gate (f or z) and an addition of what is written (i⊙g or (1−z)⊙h̃); nothing else touches it.

    Steps up to ``current`` show their numbers; the current one is highlighted. Built from a
    few text traces rather than one annotation per number, which was ten times slower.
    """
    labels = PATH_LABELS[trace.cell]
    steps = trace.hidden.shape[0]
    keep = trace.gates[KEEP_GATES[trace.cell]][:, unit]
    written, state = trace.written[:, unit], trace.carried[:, unit]
    t = np.arange(1, steps + 1)
    colours = [ACCENT if s == current else (CELL if s <= current else MUTED) for s in t]
    done = t[t <= current]  # the steps whose numbers are shown

    def text(x: np.ndarray, y: float, values: list[str], colour, position: str = "middle center",
             size: int = 12) -> go.Scatter:
        return go.Scatter(x=x, y=[y] * len(x), mode="text", text=values, hoverinfo="skip",
                          textposition=position, textfont={"color": colour, "size": size})

    figure = go.Figure()
    figure.add_shape(type="line", x0=0, x1=steps, y0=1, y1=1, layer="below",
                     line={"color": MUTED, "width": 4})
    figure.add_trace(go.Scatter(  # the two operations of every step, on the path
        x=np.ravel(np.column_stack([t - 0.7, t - 0.4])), y=[1] * (2 * steps),
        mode="markers+text", text=["×", "+"] * steps, textposition="middle center",
        textfont={"color": np.repeat(colours, 2), "size": 16}, hoverinfo="skip",
        marker={"size": 28, "color": "white", "line": {"color": np.repeat(colours, 2),
                                                       "width": 2}}))
    # Two staggered rows of numbers, so those of neighbouring nodes never overlap.
    figure.add_trace(text(done - 0.7, 0.62, [f"×{v:.3f}" for v in keep[:current]], INPUT))
    figure.add_trace(text(done - 0.4, 0.32, [f"{v:+.3f}" for v in written[:current]], INPUT))
    figure.add_trace(text(done - 0.05, 1.4, [f"<b>{v:.3f}</b>" for v in state[:current]],
                          colours[:current], "middle left", 13))
    figure.add_trace(text(t - 0.55, 0.02, [f"t = {s}" for s in t], MUTED))
    figure.add_annotation(x=0, y=1.4, text=f"{labels['state']}<sub>0</sub> = 0",
                          showarrow=False, xanchor="left", font={"color": CELL})
    figure.add_annotation(x=steps, y=1.62, text=f"{labels['keep']}   {labels['write']}",
                          showarrow=False, xanchor="right", font={"color": INPUT})
    figure.update_xaxes(visible=False, range=[-0.1, steps + 0.1])
    figure.update_yaxes(visible=False, range=[-0.15, 1.75])
    figure.update_layout(title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=240,
                         showlegend=False, plot_bgcolor="rgba(0,0,0,0)", dragmode=False)
    return figure
