"""Figures of the trained models' gate view (sentiment page): gates and units across the words.

Every figure's hover shows the word under the cursor. Words are cleaned tokens (no markup can
survive the cleaning) and Plotly renders them as text. With few words the x axis is labelled
with the words themselves; with many, by position. Labels arrive translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from rnn_core.drawing.palette import ACCENT, CELL, INPUT, OUTPUT

_MARGIN = {"l": 10, "r": 10, "t": 70, "b": 10}
_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1}
WORD_TICKS = 60  # up to this many words, the x axis shows the words themselves
GATE_COLOURS = {"f": CELL, "i": INPUT, "o": OUTPUT, "z": CELL, "r": ACCENT}
STATE_SCALE = "RdBu_r"  # tanh-ranged states: diverging around 0


def _word_axis(figure: go.Figure, words: Sequence[str], title: str) -> None:
    positions = list(range(1, len(words) + 1))
    if len(words) <= WORD_TICKS:
        figure.update_xaxes(tickvals=positions, ticktext=list(words), tickangle=-90,
                            tickfont={"size": 10})
    figure.update_xaxes(title=title)


def gate_means_figure(words: Sequence[str], means: Mapping[str, np.ndarray],
                      labels: Mapping[str, str], *, title: str, x_label: str,
                      y_label: str) -> go.Figure:
    """One line per gate: its mean over the units after each word (0 shut, 1 open)."""
    figure = go.Figure()
    positions = list(range(1, len(words) + 1))
    for name, values in means.items():
        figure.add_trace(go.Scatter(
            x=positions, y=np.asarray(values, float), mode="lines", name=labels[name],
            line={"color": GATE_COLOURS.get(name, CELL), "width": 2}, customdata=list(words),
            hovertemplate=f"<b>%{{customdata}}</b> (%{{x}})<br>{labels[name]} = %{{y:.3f}}"
                          "<extra></extra>"))
    _word_axis(figure, words, x_label)
    figure.update_layout(title=title, yaxis_title=y_label, yaxis_range=[0, 1], height=340,
                         margin=_MARGIN, hovermode="x", legend=_LEGEND)
    return figure


def units_heatmap(words: Sequence[str], states: np.ndarray, units: Sequence[int], prefix: str,
                  *, title: str, x_label: str) -> go.Figure:
    """The chosen units' states (0-based ``units``) as rows, the words as columns."""
    z = np.asarray(states, float)[:, list(units)].T  # (chosen units, words)
    hover = np.broadcast_to(np.asarray(words, dtype=object), z.shape)
    figure = go.Figure(go.Heatmap(
        z=z, x=list(range(1, len(words) + 1)), y=[f"{prefix}{j + 1}" for j in units],
        customdata=hover, zmin=-1, zmax=1, colorscale=STATE_SCALE, colorbar={"thickness": 10},
        hovertemplate="<b>%{customdata}</b> (%{x})<br>%{y} = %{z:.3f}<extra></extra>"))
    _word_axis(figure, words, x_label)
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_layout(title=title, margin=_MARGIN, height=140 + 24 * len(units))
    return figure


def unit_figure(words: Sequence[str], series: Mapping[str, np.ndarray], *, title: str,
                x_label: str) -> go.Figure:
    """One unit's states (h, and c for an LSTM) across the words."""
    figure = go.Figure()
    positions = list(range(1, len(words) + 1))
    for (label, values), colour in zip(series.items(), (CELL, ACCENT), strict=False):
        figure.add_trace(go.Scatter(
            x=positions, y=np.asarray(values, float), mode="lines+markers", name=label,
            marker={"size": 4}, line={"color": colour}, customdata=list(words),
            hovertemplate=f"<b>%{{customdata}}</b> (%{{x}})<br>{label} = %{{y:.3f}}"
                          "<extra></extra>"))
    figure.add_hline(y=0, line_dash="dot", line_color="gray")
    _word_axis(figure, words, x_label)
    figure.update_layout(title=title, height=320, margin=_MARGIN, hovermode="x",
                         legend=_LEGEND)
    return figure
