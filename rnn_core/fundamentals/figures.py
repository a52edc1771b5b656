"""Plotly figures for the pages. Functions return figures; pages only show them.

Labels arrive as arguments (already translated), so this module knows no language. Figures keep
no fixed width: Streamlit stretches them to the container, which keeps phones usable.
"""

from __future__ import annotations

import plotly.graph_objects as go

from rnn_core.drawing.palette import ACCENT, CELL, MUTED, OUTPUT

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


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
