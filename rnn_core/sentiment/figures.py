"""Figures, tables and word colouring for the sentiment page (Plotly, an SVG word map, pandas;
no Streamlit here).

Word colouring is returned as Streamlit-flavoured Markdown built only from cleaned tokens: the
cleaning has already removed every ASCII punctuation character, so no Markdown or HTML syntax
from the learner's text can survive; ``escape_markdown`` is applied anyway as a second guard.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from rnn_core.cells import display_name
from rnn_core.drawing import svg
from rnn_core.drawing.palette import ACCENT
from rnn_core.i18n import escape_markdown

STRONG = 0.05  # |Δp| from which a word counts as a strong push
WEAK = 0.01


def coloured_words(words: list[str], deltas: list[float], in_vocabulary: list[bool]) -> str:
    """Markdown: green pushes towards positive, red towards negative, grey italics = not in the
    vocabulary (read as [UNK]); a background marks a strong push (|Δp| ≥ STRONG).

    The shipped models split words at ASCII spaces only, so one of their tokens may hold a
    no-break space or an ideographic space (U+3000); on screen every Unicode space separates
    words, and a token that is only such a space shows as nothing (emphasis markers around a
    space would print as literal asterisks).
    """
    parts = []
    for word, delta, known in zip(words, deltas, in_vocabulary, strict=True):
        parts += [_styled(escape_markdown(piece), delta, known) for piece in word.split()]
    return " ".join(parts)


def _styled(token: str, delta: float, known: bool) -> str:
    if not known:
        return f":gray[*{token}*]"
    if abs(delta) >= STRONG:
        return f":{'green' if delta > 0 else 'red'}-background[**{token}**]"
    if abs(delta) >= WEAK:
        return f":{'green' if delta > 0 else 'red'}[{token}]"
    return token


def trajectory_figure(series: dict[str, tuple[list[str], list[float]]]) -> go.Figure:
    """One line per model: p(positive) after each word (x = word number, hover = the word).

    The figure holds no translated text (the page says what it shows above it): a language
    switch then sends the browser the same chart, which it does not draw again (redrawing it
    was the largest single cost of a language switch on the sentiment page)."""
    figure = go.Figure()
    for name, (words, probabilities) in series.items():
        figure.add_trace(go.Scatter(
            x=list(range(len(probabilities))), y=probabilities, mode="lines+markers",
            name=display_name(name), marker={"size": 4},
            customdata=["∅", *words], hovertemplate="%{customdata}: %{y:.3f}<extra></extra>"))
    figure.add_hline(y=0.5, line_dash="dot", line_color="gray")
    figure.update_layout(yaxis_range=[0, 1], height=360, margin={"l": 10, "r": 10, "t": 20},
                         legend={"orientation": "h", "y": -0.15})
    return figure


def confusion_table(test: dict, labels: tuple[str, str], predicted: str,
                    actual: str) -> pd.DataFrame:
    """The 2×2 confusion matrix as a table: rows the true label, columns the predicted one.
    Four counts read best as numbers (a Plotly heatmap per model cost the page 0.15 s to draw
    and showed nothing more)."""
    negative, positive = labels
    return pd.DataFrame(
        [[test["true_neg"], test["false_pos"]], [test["false_neg"], test["true_pos"]]],
        index=pd.Index([f"{actual}: {negative}", f"{actual}: {positive}"]),
        columns=[f"{predicted}: {negative}", f"{predicted}: {positive}"]).map("{:,}".format)


def neighbours_table(neighbours: list[tuple[str, float]], word_label: str,
                     cosine_label: str) -> pd.DataFrame:
    """The nearest words, closest first, with their cosine similarity, for ``st.table`` (which
    reads its cells as Markdown: the words are escaped). Ten numbers read best as a table; as
    a Plotly bar chart they cost the browser about 0.1 s on every run that redrew it, a
    language switch for one."""
    return pd.DataFrame({word_label: [escape_markdown(word) for word, _ in neighbours],
                         cosine_label: [f"{cosine:.3f}" for _, cosine in neighbours]},
                        index=pd.RangeIndex(1, len(neighbours) + 1))


MAP_SIZE = (680, 440)  # the word map's picture, in pixels
MAP_MARGIN = 36  # room for the labels above the topmost points and beside the outermost


def word_map_svg(words: list[str], coordinates) -> str:
    """The chosen words on their first two principal components, each point labelled, as an SVG
    picture: first component to the right, second upwards, both scaled alike (distances on the
    map are distances between the projections), the origin marked by two faint lines.

    An image rather than a Plotly chart: every label is printed, so there is nothing to hover,
    and the browser draws a picture in a fraction of a chart's time (the map used to be one of
    the three charts a language switch redrew). The words are escaped for SVG.
    """
    points = np.asarray(coordinates, dtype=float)[:, :2]
    width, height = MAP_SIZE
    reach = float(np.max(np.abs(points))) or 1.0  # the farthest point sets the scale
    scale = min(width / 2 - MAP_MARGIN * 2, height / 2 - MAP_MARGIN) / reach
    centre_x, centre_y = width / 2, height / 2

    def place(point) -> tuple[float, float]:
        return centre_x + point[0] * scale, centre_y - point[1] * scale

    axes = (f'<line x1="{MAP_MARGIN}" y1="{centre_y}" x2="{width - MAP_MARGIN}" y2="{centre_y}" '
            f'stroke="#d0d4dc"/><line x1="{centre_x}" y1="{MAP_MARGIN / 2}" x2="{centre_x}" '
            f'y2="{height - MAP_MARGIN / 2}" stroke="#d0d4dc"/>')
    dots = [place(point) for point in points]
    labels = place_labels(dots, [label_width(word) for word in words], (width, height))
    marks = []
    for word, (x, y), (label_x, label_y) in zip(words, dots, labels, strict=True):
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{ACCENT}"/>')
        if abs(label_y - (y - LABEL_GAP)) > 1 or abs(label_x - x) > 1:  # moved: a faint leader
            marks.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{label_x:.1f}" '
                         f'y2="{label_y - LABEL_HEIGHT / 3:.1f}" stroke="#c0c4cc"/>')
        marks.append(svg.text(label_x, label_y, svg.escape(word), svg.INK, size=LABEL_SIZE))
    return svg.document(width, height, axes, *marks)


LABEL_SIZE = 13  # px
LABEL_HEIGHT = 15  # px: a label's box, baseline to cap height and a little more
LABEL_GAP = 8  # px: a label's baseline above its point
DOT_CLEARANCE = 4  # px: how far a label keeps from the other points


def label_width(word: str) -> float:
    """About how wide a label is drawn (sans-serif at ``LABEL_SIZE``; wide scripts count 2)."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in word) * LABEL_SIZE * 0.6 + 4


def _overlaps(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    """Two labels (centre x, baseline y, width) whose boxes overlap."""
    return abs(a[0] - b[0]) < (a[2] + b[2]) / 2 and abs(a[1] - b[1]) < LABEL_HEIGHT


def place_labels(dots: list[tuple[float, float]], widths: list[float],
                 size: tuple[int, int]) -> list[tuple[float, float]]:
    """Where each point's label goes (centre x, baseline y): just above its point unless that
    covers a label already placed or another point; then the nearest free spot below, further
    up or further down, in steps of one label height, kept inside the picture. Greedy, top
    point first: the map has at most a few dozen words, and close synonyms ("great",
    "wonderful") are the labels that collide."""
    width, height = size
    steps = [0, *(k for n in range(1, 8) for k in (n, -n))]  # up, then alternately down / up
    placed: dict[int, tuple[float, float, float]] = {}
    for i in sorted(range(len(dots)), key=lambda k: dots[k][1]):
        x, y = dots[i]
        half = widths[i] / 2
        x = min(max(x, half + 2), width - half - 2)
        spot = (x, y - LABEL_GAP, widths[i])
        for step in steps:  # 0: above the point; -n: n heights higher; n: below it, n − 1 lower
            baseline = (y - LABEL_GAP + step * LABEL_HEIGHT if step <= 0
                        else y + LABEL_GAP + step * LABEL_HEIGHT)
            candidate = (x, baseline, widths[i])
            inside = LABEL_HEIGHT <= candidate[1] <= height - 2
            covers_dot = any(abs(dx - x) < half + DOT_CLEARANCE
                             and baseline - LABEL_HEIGHT - DOT_CLEARANCE < dy
                             < baseline + DOT_CLEARANCE
                             for j, (dx, dy) in enumerate(dots) if j != i)
            if inside and not covers_dot and not any(_overlaps(candidate, other)
                                                     for other in placed.values()):
                spot = candidate
                break
        placed[i] = spot
    return [(placed[i][0], placed[i][1]) for i in range(len(dots))]
