"""Plotly figures for the pages. Functions return figures; pages only show them.

Labels arrive as arguments (already translated), so this module knows no language. Figures keep
no fixed width: Streamlit stretches them to the container, which keeps phones usable.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import plotly.graph_objects as go

from rnn_core.palette import ACCENT, CELL, INPUT, MUTED, OUTPUT

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


# The input/output patterns: name -> (steps, steps with an input, steps with an output).
PATTERNS = {
    "one_to_one": (1, {1}, {1}),
    "one_to_many": (4, {1}, {1, 2, 3, 4}),
    "many_to_one": (4, {1, 2, 3, 4}, {4}),
    "many_to_many": (4, {1, 2, 3, 4}, {1, 2, 3, 4}),
}


def hidden_state_heatmap(
    hidden: np.ndarray, current: int, *, title: str, time_label: str, unit_label: str
) -> go.Figure:
    """Hidden states as a units x time heatmap, steps after ``current`` (1-based) left blank.

    ``hidden`` is (T, units). A diverging scale centred on 0 matches tanh's range [-1, 1].
    """
    steps, units = hidden.shape
    shown = np.full((units, steps), np.nan)  # (units, T)
    shown[:, :current] = hidden[:current].T
    text = np.where(np.isnan(shown), "", np.vectorize(lambda v: f"{v:.2f}")(np.nan_to_num(shown)))
    figure = go.Figure(
        go.Heatmap(
            z=shown,
            x=list(range(1, steps + 1)),
            y=[f"h{j + 1}" for j in range(units)],
            zmin=-1,
            zmax=1,
            colorscale="RdBu_r",
            text=text,
            texttemplate="%{text}",
            hovertemplate=f"{time_label} %{{x}}<br>%{{y}} = %{{z:.4f}}<extra></extra>",
            colorbar={"thickness": 12},
        )
    )
    figure.update_layout(title=title, margin=_MARGIN, height=140 + 40 * units)
    figure.update_xaxes(title=time_label, dtick=1)
    figure.update_yaxes(title=unit_label, autorange="reversed")
    return figure


def unrolled_diagram(
    steps: int,
    *,
    highlight: int | None = None,
    inputs: Collection[int] | None = None,
    outputs: Collection[int] | None = None,
    backward: bool = False,
    cell_label: str = "h",
) -> go.Figure:
    """An RNN unrolled in time: x_t below, one cell per step, y_t above.

    ``inputs`` / ``outputs`` are the 1-based steps that take an input / give an output (all by
    default), which draws the one-to-many, many-to-one and many-to-many patterns with one
    function. ``highlight`` colours one step; ``backward`` adds a second row of cells running
    right to left, as in a bidirectional RNN.

    The shapes and labels are gathered as plain dicts and handed to Plotly once: adding them
    one by one (``add_annotation``) revalidates every earlier one each time, which made a
    12-step diagram cost seconds.
    """
    inputs = set(range(1, steps + 1)) if inputs is None else set(inputs)
    outputs = set(range(1, steps + 1)) if outputs is None else set(outputs)
    drawing = _Drawing()
    rows = [(1.0, 1)] + ([(2.0, -1)] if backward else [])  # (y of the row, direction)
    top = rows[-1][0] + 1.0
    for t in range(1, steps + 1):
        colour = ACCENT if t == highlight else CELL
        for y, direction in rows:
            prime = "" if direction > 0 else "'"
            drawing.box(t, y, f"{cell_label}{prime}<sub>{t}</sub>", colour)
            drawing.recurrent_arrow(t, y, direction, steps)
        if t in inputs:
            drawing.circle(t, 0.0, f"x<sub>{t}</sub>", INPUT)
            drawing.arrow((t, 0.75), (t, 0.18))
            if backward:  # x_t also reaches the backward cell, around the forward one
                drawing.bent_arrow([(t - 0.2, 0.0), (t - 0.45, 0.0), (t - 0.45, 1.88)],
                                   (t - 0.3, 1.88))
        if t in outputs:
            drawing.circle(t, top, f"y<sub>{t}</sub>", OUTPUT)
            drawing.arrow((t, top - 0.18), (t, top - 0.75))
            if backward:  # y_t merges both directions: the forward cell reaches it too
                drawing.bent_arrow([(t + 0.3, 1.12), (t + 0.45, 1.12), (t + 0.45, top)],
                                   (t + 0.2, top))
    figure = go.Figure(data=drawing.traces,
                       layout={"shapes": drawing.shapes, "annotations": drawing.annotations})
    figure.update_xaxes(visible=False, range=[0.4, steps + 0.6])
    figure.update_yaxes(visible=False, range=[-0.45, top + 0.45], scaleanchor=None)
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 4, "b": 4},
        height=int(110 + 70 * len(rows)),
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
    )
    return figure


class _Drawing:
    """The shapes, labels and lines of a diagram, gathered as plain dicts (see above)."""

    def __init__(self) -> None:
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []
        self.traces: list[go.Scatter] = []

    def box(self, x: float, y: float, text: str, colour: str) -> None:
        self.shapes.append({"type": "rect", "x0": x - 0.3, "x1": x + 0.3, "y0": y - 0.25,
                            "y1": y + 0.25, "fillcolor": colour, "line": {"color": colour}})
        self.annotations.append({"x": x, "y": y, "text": text, "showarrow": False,
                                 "font": {"color": "white"}})

    def circle(self, x: float, y: float, text: str, colour: str) -> None:
        self.shapes.append({"type": "circle", "x0": x - 0.2, "x1": x + 0.2, "y0": y - 0.18,
                            "y1": y + 0.18, "fillcolor": "white",
                            "line": {"color": colour, "width": 2}})
        self.annotations.append({"x": x, "y": y, "text": text, "showarrow": False,
                                 "font": {"color": colour}})

    def arrow(self, head: tuple[float, float], tail: tuple[float, float]) -> None:
        self.annotations.append({"x": head[0], "y": head[1], "ax": tail[0], "ay": tail[1],
                                 "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                                 "showarrow": True, "arrowhead": 2, "arrowwidth": 1.5,
                                 "arrowcolor": MUTED, "text": ""})

    def bent_arrow(self, path: list[tuple[float, float]], head: tuple[float, float]) -> None:
        """A polyline ending in an arrow head, for links that must go around a cell."""
        xs, ys = zip(*path, strict=True)
        self.traces.append(go.Scatter(x=xs, y=ys, mode="lines",
                                      line={"color": MUTED, "width": 1.5}, hoverinfo="skip"))
        self.arrow(head, path[-1])

    def recurrent_arrow(self, t: int, y: float, direction: int, steps: int) -> None:
        """The arrow carrying h from one step to the next (left to right, or right to left)."""
        if direction > 0 and t < steps:
            self.arrow((t + 0.7, y), (t + 0.3, y))
        if direction < 0 and t > 1:
            self.arrow((t - 0.7, y), (t - 0.3, y))


def order_chart(probabilities: dict[str, dict[str, float]], variant_labels: dict[str, str], *,
                title: str, y_label: str, boundary_label: str) -> go.Figure:
    """P(positive) per model (x, display names) for each reading order (one bar colour each),
    with the 50% verdict boundary dashed."""
    colours = {"original": CELL, "shuffled": ACCENT, "reversed": OUTPUT}
    figure = go.Figure()
    models = list(probabilities)
    for variant, label in variant_labels.items():
        values = [probabilities[model][variant] for model in models]
        figure.add_trace(go.Bar(x=models, y=values, name=label,
                                marker_color=colours.get(variant, MUTED),
                                hovertemplate="%{x}: %{y:.1%}<extra>" + label + "</extra>"))
    figure.add_hline(y=0.5, line={"dash": "dash", "color": MUTED},
                     annotation_text=boundary_label, annotation_position="top right")
    figure.update_layout(title=title, margin={**_MARGIN, "t": 70}, barmode="group", height=360,
                         legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0})
    figure.update_yaxes(title=y_label, range=[0, 1], tickformat=".0%")
    return figure
