"""Plotly figures of the forecasting page: the series, the loss curves, forecasts and residuals.

Labels arrive already translated (a ``dict`` of names), so this module knows no language.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from rnn_core.drawing.palette import ACCENT, CELL, INPUT, MUTED, OUTPUT

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
_LEGEND = {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0}  # below: titles stay clear


def _layout(figure: go.Figure, title: str, x_label: str, y_label: str) -> go.Figure:
    figure.update_layout(title=title, margin=_MARGIN, legend=_LEGEND, height=360,
                         xaxis_title=x_label, yaxis_title=y_label, hovermode="x unified")
    figure.update_xaxes(automargin=True)
    return figure


def _shade_validation(figure: go.Figure, x: np.ndarray, start: int, label: str) -> None:
    """A light band over the held-out part, so "what the model never trained on" is visible."""
    if start < len(x):
        figure.add_vrect(x0=x[start], x1=x[-1], fillcolor=MUTED, opacity=0.25, line_width=0,
                         annotation_text=label, annotation_position="top left")


def series_figure(x: np.ndarray, values: np.ndarray, start: int,
                  labels: Mapping[str, str]) -> go.Figure:
    """The series as points and line, the validation part shaded."""
    figure = go.Figure(go.Scatter(x=x, y=values, mode="lines+markers", name=labels["series"],
                                  line={"color": CELL}, marker={"size": 5}))
    _shade_validation(figure, x, start, labels["validation"])
    return _layout(figure, labels["title"], labels["x"], labels["y"])


def loss_figure(loss: list[float], val_loss: list[float], labels: Mapping[str, str],
                total_epochs: int | None = None) -> go.Figure:
    """Training and validation loss per epoch (log scale); the x axis spans the whole run."""
    epochs = np.arange(1, len(loss) + 1)
    figure = go.Figure([
        go.Scatter(x=epochs, y=loss, mode="lines+markers", name=labels["loss"],
                   line={"color": CELL}),
        go.Scatter(x=epochs, y=val_loss, mode="lines+markers", name=labels["val_loss"],
                   line={"color": ACCENT}),
    ])
    figure.update_yaxes(type="log")
    if total_epochs:
        figure.update_xaxes(range=[0.5, max(total_epochs, len(loss)) + 0.5])
    return _layout(figure, labels["title"], labels["x"], labels["y"])


def forecast_figure(x: np.ndarray, values: np.ndarray, start: int, labels: Mapping[str, str],
                    *, one_step: np.ndarray | None = None, one_step_from: int | None = None,
                    closed_loop: np.ndarray | None = None,
                    baseline: np.ndarray | None = None) -> go.Figure:
    """Truth, one-step-ahead predictions (from index ``one_step_from``, default ``start``), the
    closed-loop forecast from ``start`` and the persistence baseline over the held-out part."""
    figure = go.Figure(go.Scatter(x=x, y=values, mode="lines+markers", name=labels["truth"],
                                  line={"color": MUTED, "width": 2}, marker={"size": 4}))
    if baseline is not None:
        figure.add_scatter(x=x[start:start + len(baseline)], y=baseline, mode="lines",
                           name=labels["persistence"], line={"color": INPUT, "dash": "dot"})
    if one_step is not None:
        first = start if one_step_from is None else one_step_from
        figure.add_scatter(x=x[first:first + len(one_step)], y=one_step, mode="lines",
                           name=labels["one_step"], line={"color": CELL})
    if closed_loop is not None:
        shown = closed_loop[:max(len(x) - start, 0)]
        figure.add_scatter(x=x[start:start + len(shown)], y=shown, mode="lines",
                           name=labels["closed_loop"], line={"color": ACCENT, "dash": "dash"})
    _shade_validation(figure, x, start, labels["validation"])
    return _layout(figure, labels["title"], labels["x"], labels["y"])


def residual_figure(x: np.ndarray, one_step: np.ndarray, closed_loop: np.ndarray,
                    labels: Mapping[str, str]) -> go.Figure:
    """Residuals (truth - prediction) of both forecasts over the held-out part."""
    figure = go.Figure([
        go.Bar(x=x[:len(one_step)], y=one_step, name=labels["one_step"],
               marker={"color": CELL}),
        go.Scatter(x=x[:len(closed_loop)], y=closed_loop, mode="lines+markers",
                   name=labels["closed_loop"], line={"color": OUTPUT}),
    ])
    figure.add_hline(y=0, line={"color": MUTED})
    return _layout(figure, labels["title"], labels["x"], labels["y"])
