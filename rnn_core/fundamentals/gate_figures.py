"""Figures of the LSTM / GRU step-through: every gate over time, and the carried state's path.

Labels arrive translated (this module knows no language); steps after the current one are left
blank, as on the SimpleRNN heatmap, so the figures grow as the learner steps forward.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


def gates_heatmap(trace: GatedTrace, current: int, *, titles: Mapping[str, str],
                  time_label: str, title: str) -> go.Figure:
    """One heatmap row per block and state (units × time), steps after ``current`` blank.

    ``titles`` maps each row name (block names, "c", "h") to its translated title. Gates use a
    0..1 scale, candidates and states a diverging −1..1 scale (an LSTM's c can pass 1: the
    colour saturates, the printed number does not).
    """
    rows = heatmap_rows(trace)
    steps, units = trace.hidden.shape
    plot_height = len(rows) * (22 * units + 34)  # 22 px per unit, 34 px per row's title
    figure = make_subplots(rows=len(rows), cols=1, shared_xaxes=True,
                           vertical_spacing=26 / plot_height,
                           subplot_titles=[titles[name] for name, _, _ in rows])
    for row, (name, values, is_gate) in enumerate(rows, start=1):
        shown = np.full((units, steps), np.nan)  # (units, T)
        shown[:, :current] = values[:current].T
        text = np.where(np.isnan(shown), "",
                        np.vectorize(lambda v: f"{v:.2f}")(np.nan_to_num(shown)))
        symbol = TEXT_SYMBOLS.get(name, name)
        figure.add_trace(go.Heatmap(
            z=shown, x=list(range(1, steps + 1)), y=[f"{symbol}{j + 1}" for j in range(units)],
            zmin=0 if is_gate else -1, zmax=1, colorscale=GATE_SCALE if is_gate else STATE_SCALE,
            showscale=row in (1, len(rows)), text=text, texttemplate="%{text}",
            colorbar={"thickness": 10, "len": 0.25, "y": 0.9 if row == 1 else 0.1},
            hovertemplate=f"{time_label} %{{x}}<br>%{{y}} = %{{z:.4f}}<extra></extra>"),
            row=row, col=1)
        figure.update_yaxes(autorange="reversed", row=row, col=1)
    figure.update_annotations(x=0, xanchor="left", font={"size": 13})  # the row titles
    figure.update_xaxes(dtick=1)
    figure.update_xaxes(title=time_label, row=len(rows), col=1)
    figure.update_layout(title=title, margin={**_MARGIN, "t": 60}, height=100 + plot_height)
    return figure


def carried_path(trace: GatedTrace, unit: int, current: int, *, title: str) -> go.Figure:
    """The carried state of one unit (0-based) as a path through time: the LSTM's c_t, the
    GRU's h_t. At each step the path meets exactly two operations, a multiplication by the keep
    gate (f or z) and an addition of what is written (i⊙g or (1−z)⊙h̃); nothing else touches it.

    Steps up to ``current`` show their numbers; the current one is highlighted.
    """
    labels = PATH_LABELS[trace.cell]
    steps = trace.hidden.shape[0]
    keep = trace.gates[KEEP_GATES[trace.cell]][:, unit]
    written, state = trace.written[:, unit], trace.carried[:, unit]
    figure = go.Figure()
    figure.add_shape(type="line", x0=0, x1=steps, y0=1, y1=1, layer="below",
                     line={"color": MUTED, "width": 4})
    figure.add_annotation(x=0, y=1.4, text=f"{labels['state']}<sub>0</sub> = 0",
                          showarrow=False, xanchor="left", font={"color": CELL})
    figure.add_annotation(x=steps, y=1.62, text=f"{labels['keep']}   {labels['write']}",
                          showarrow=False, xanchor="right", font={"color": INPUT})
    xs, symbols, colours = [], [], []
    for t in range(1, steps + 1):
        shown = t <= current
        colour = ACCENT if t == current else (CELL if shown else MUTED)
        times, plus = t - 0.7, t - 0.4
        xs += [times, plus]
        symbols += ["×", "+"]
        colours += [colour, colour]
        figure.add_annotation(x=t - 0.55, y=0.02, text=f"t = {t}", showarrow=False,
                              font={"color": MUTED})
        if not shown:
            continue
        # Two staggered rows, so the numbers of neighbouring nodes never overlap.
        figure.add_annotation(x=times, y=0.62, text=f"×{keep[t - 1]:.3f}", showarrow=False,
                              font={"color": INPUT, "size": 12})
        figure.add_annotation(x=plus, y=0.32, text=f"{written[t - 1]:+.3f}", showarrow=False,
                              font={"color": INPUT, "size": 12})
        figure.add_annotation(x=t - 0.05, y=1.4, text=f"<b>{state[t - 1]:.3f}</b>",
                              showarrow=False, xanchor="right", font={"color": colour})
    figure.add_trace(go.Scatter(
        x=xs, y=[1] * len(xs), mode="markers+text", text=symbols, textposition="middle center",
        textfont={"color": colours, "size": 16}, hoverinfo="skip",
        marker={"size": 28, "color": "white", "line": {"color": colours, "width": 2}}))
    figure.update_xaxes(visible=False, range=[-0.1, steps + 0.1])
    figure.update_yaxes(visible=False, range=[-0.15, 1.75])
    figure.update_layout(title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=240,
                         showlegend=False, plot_bgcolor="rgba(0,0,0,0)", dragmode=False)
    return figure
