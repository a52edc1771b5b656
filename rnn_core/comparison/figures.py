"""Plotly figures, the memory sweep's SVG picture and the equations of the comparison page.
Labels arrive translated; the picture holds none (the page says what its axes are).

One colour per cell across every chart, so SimpleRNN / LSTM / GRU read the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from rnn_core.cells import CELL_NAMES
from rnn_core.drawing import svg
from rnn_core.drawing.palette import ACCENT, CELL, CELL_COLOURS, OUTPUT

_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}
_UNTITLED_MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}  # the legend's row only
_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0}

# The update equations in Keras's conventions (gate order and GRU's reset_after=True).
CELL_EQUATIONS: dict[str, tuple[str, ...]] = {
    "simple_rnn": (r"h_t = \tanh\left(x_t W + h_{t-1} U + b\right)",),
    "lstm": (
        r"i_t = \sigma(x_t W_i + h_{t-1} U_i + b_i),\quad "
        r"f_t = \sigma(x_t W_f + h_{t-1} U_f + b_f),\quad "
        r"o_t = \sigma(x_t W_o + h_{t-1} U_o + b_o)",
        r"\tilde c_t = \tanh(x_t W_c + h_{t-1} U_c + b_c)",
        r"c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t,\qquad h_t = o_t \odot \tanh(c_t)",
    ),
    "gru": (
        r"z_t = \sigma(x_t W_z + b_z + h_{t-1} U_z + b'_z),\quad "
        r"r_t = \sigma(x_t W_r + b_r + h_{t-1} U_r + b'_r)",
        r"\tilde h_t = \tanh\left(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h)\right)",
        r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t",
    ),
}


SWEEP_SIZE = (720, 340)  # the memory sweep's picture, in pixels
SWEEP_PLOT = (56, 30, 690, 300)  # its plotting area: left, top, right, bottom


def memory_accuracy_svg(rows: Sequence[Mapping], chance: float) -> str:
    """Accuracy against sequence length per cell (mean over seeds, a bar from the worst seed to
    the best), each mean printed beside its point, the chance level dashed, as an SVG picture.

    A picture rather than a Plotly chart: the sweep is committed, so nothing changes, and every
    value a learner may want (a quiz asks for some) is printed instead of hidden behind hover;
    the browser draws it in a fraction of a chart's time on every visit of the page. ``rows``
    are dicts with cell, seq_len, accuracy and optionally min_accuracy / max_accuracy. The
    legend holds the cells' names only, so the picture is the same in either language (the
    page says what the axes are).
    """
    left, top, right, bottom = SWEEP_PLOT
    lengths = sorted({int(row["seq_len"]) for row in rows})
    span = max(lengths[-1] - lengths[0], 1)

    def x_of(seq_len: float) -> float:
        return left + (seq_len - lengths[0]) / span * (right - left)

    def y_of(accuracy: float) -> float:
        return bottom - accuracy / 1.05 * (bottom - top)

    parts = [f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
             f'fill="none" stroke="#d0d4dc"/>']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{left}" y1="{y_of(tick):.1f}" x2="{right}" '
                     f'y2="{y_of(tick):.1f}" stroke="#eceef2"/>')
        parts.append(svg.text(left - 6, y_of(tick) + 4, f"{tick:.0%}", svg.INK, size=11,
                              anchor="end"))
    for seq_len in lengths:
        parts.append(svg.text(x_of(seq_len), bottom + 16, f"T={seq_len}", svg.INK, size=11))
    parts.append(f'<line x1="{left}" y1="{y_of(chance):.1f}" x2="{right}" y2="{y_of(chance):.1f}"'
                 f' stroke="#777" stroke-dasharray="6 4"/>')
    for index, (cell, name) in enumerate(CELL_NAMES.items()):
        points = sorted((r for r in rows if r["cell"] == cell), key=lambda r: r["seq_len"])
        if points:
            parts.append(_sweep_series(points, CELL_COLOURS[cell], x_of, y_of, index))
            parts.append(_legend_entry(left + 8 + index * 120, top - 12, name, CELL_COLOURS[cell]))
    return svg.document(*SWEEP_SIZE, *parts)


def _sweep_series(points: Sequence[Mapping], colour: str, x_of, y_of, index: int) -> str:
    """One cell's line, its min-max bars and each mean printed (the cells' labels are set at
    different heights, so three equal values at one length stay readable)."""
    path = " ".join(f"{x_of(p['seq_len']):.1f},{y_of(p['accuracy']):.1f}" for p in points)
    parts = [f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"/>']
    for point in points:
        x, y = x_of(point["seq_len"]), y_of(point["accuracy"])
        low = y_of(point.get("min_accuracy", point["accuracy"]))
        high = y_of(point.get("max_accuracy", point["accuracy"]))
        parts.append(f'<line x1="{x:.1f}" y1="{low:.1f}" x2="{x:.1f}" y2="{high:.1f}" '
                     f'stroke="{colour}" stroke-width="1.5"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        last = point is points[-1]  # at the right edge the value goes to the point's left
        parts.append(svg.text(x - 7 if last else x + 7, y + 14 + 13 * index,
                              f"{point['accuracy']:.0%}", colour, size=11,
                              anchor="end" if last else "start", bold=True))
    return "".join(parts)


def _legend_entry(x: float, y: float, name: str, colour: str) -> str:
    return (f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="3"/>' + svg.text(x + 28, y, svg.escape(name), svg.INK, size=12,
                                             anchor="start"))


def curves_chart(curves: Mapping[str, Sequence[float]], *, title: str, x_label: str,
                 y_label: str, log_y: bool = False) -> go.Figure:
    """One line per cell over epochs (or steps), e.g. the training loss."""
    figure = go.Figure()
    for cell, values in curves.items():
        values = np.asarray(values, dtype=float)
        figure.add_trace(go.Scatter(
            x=np.arange(1, len(values) + 1), y=values, name=CELL_NAMES.get(cell, cell),
            mode="lines+markers", line={"color": CELL_COLOURS.get(cell), "width": 2}))
    figure.update_layout(title=title, margin=_MARGIN, legend=_LEGEND, height=340)
    figure.update_xaxes(title=x_label)
    figure.update_yaxes(title=y_label, type="log" if log_y else "linear")
    return figure


# Axis titles of the charts a language switch should not redraw: symbols, the same in every
# language (the page says in words, above and below each chart, what they mean).
STEPS_BACK_AXIS = "T − t"
GRADIENT_AXIS = "‖∂y / ∂x<sub>t</sub>‖"
LENGTH_AXIS = "T"
MS_AXIS = "ms"
ATTENTION_NAME = "MultiHeadAttention"  # the Keras layer the timing's block is built around


def gradient_norms_chart(norms: Mapping[str, np.ndarray]) -> go.Figure:
    """Gradient norm per input step on a log axis, x = steps back from the output (0 = last).

    It holds no words, only cell names and symbols, so a language switch sends the same figure
    and the browser does not draw it again (on the comparison page that was 0.1 s of 0.55).
    Norms that underflow to 0 cannot sit on a log axis and are left out.
    """
    figure = go.Figure()
    for cell, values in norms.items():
        values = np.asarray(values, dtype=float)[::-1]  # index k = k steps back from the end
        shown = np.where(values > 0, values, np.nan)
        figure.add_trace(go.Scatter(
            x=np.arange(len(values)), y=shown, name=CELL_NAMES.get(cell, cell), mode="lines",
            line={"color": CELL_COLOURS.get(cell), "width": 3},
            hovertemplate="%{x}: %{y:.2e}<extra></extra>"))
    figure.update_layout(margin=_UNTITLED_MARGIN, legend=_LEGEND, height=360)
    figure.update_xaxes(title=STEPS_BACK_AXIS)
    figure.update_yaxes(title=GRADIENT_AXIS, type="log", exponentformat="power")
    return figure


def clipping_chart(runs: Mapping[str, Sequence[float]], *, title: str, x_label: str,
                   y_label: str) -> go.Figure:
    """Loss per training step for each named run, log axis; a run that hit NaN/inf ends there."""
    colours = (ACCENT, CELL)
    figure = go.Figure()
    for (name, values), colour in zip(runs.items(), colours, strict=False):
        values = np.asarray(values, dtype=float)
        finite = np.where(np.isfinite(values), values, np.nan)
        figure.add_trace(go.Scatter(x=np.arange(1, len(values) + 1), y=finite, name=name,
                                    mode="lines+markers", line={"color": colour, "width": 2}))
    figure.update_layout(title=title, margin=_MARGIN, legend=_LEGEND, height=360)
    figure.update_xaxes(title=x_label)
    figure.update_yaxes(title=y_label, type="log", exponentformat="power")
    return figure


def add_skip_path_trace(figure: go.Figure, norms: Sequence[float], label: str) -> go.Figure:
    """The SimpleRNN-with-a-skip-path line on a ``gradient_norms_chart``: SimpleRNN's colour,
    dashed, same x (steps back from the output) and log axis."""
    values = np.asarray(norms, dtype=float)[::-1]
    figure.add_trace(go.Scatter(
        x=np.arange(len(values)), y=np.where(values > 0, values, np.nan), name=label,
        mode="lines", line={"color": CELL_COLOURS["simple_rnn"], "width": 3, "dash": "dash"},
        hovertemplate="%{x}: %{y:.2e}<extra></extra>"))
    return figure


def attention_timing_chart(points: Sequence[Mapping], live: Sequence[Mapping],
                           live_label: str) -> go.Figure:
    """Milliseconds per batch against T (both axes log) for the GRU and the attention block;
    ``live`` points (measured on the page, named with ``live_label``) as open diamonds. Like
    ``gradient_norms_chart`` it holds no words until the learner measures a point; the steps
    that must run one after another are in the table under it."""
    colours = {"gru": CELL_COLOURS["gru"], "attention": OUTPUT}
    names = {"gru": CELL_NAMES["gru"], "attention": ATTENTION_NAME}
    figure = go.Figure()
    for kind, name in names.items():
        rows = sorted(points, key=lambda row: row["seq_len"])
        figure.add_trace(go.Scatter(
            x=[row["seq_len"] for row in rows], y=[row[f"{kind}_ms"] for row in rows],
            name=name, mode="lines+markers", line={"color": colours[kind], "width": 3},
            hovertemplate=f"{name}<br>T=%{{x}}: %{{y:.1f}} ms<extra></extra>"))
        if live:
            figure.add_trace(go.Scatter(
                x=[row["seq_len"] for row in live], y=[row[f"{kind}_ms"] for row in live],
                name=f"{name} ({live_label})", mode="markers",
                marker={"symbol": "diamond-open", "size": 13, "color": colours[kind],
                        "line": {"width": 2}},
                hovertemplate=f"{name}, {live_label}<br>T=%{{x}}: %{{y:.1f}} ms<extra></extra>"))
    figure.update_layout(margin=_UNTITLED_MARGIN, legend=_LEGEND, height=380)
    figure.update_xaxes(title=LENGTH_AXIS, type="log", tickvals=[r["seq_len"] for r in points])
    figure.update_yaxes(title=MS_AXIS, type="log")
    return figure
