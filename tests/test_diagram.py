"""The step-through's pictures (``rnn_core.fundamentals.diagram``), read back as SVG: every
cell, input, output and arrow the pattern asks for, and the hidden states exactly as computed."""

from __future__ import annotations

from xml.etree import ElementTree

import numpy as np
import pytest

from rnn_core.drawing import palette
from rnn_core.fundamentals import diagram

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg) -> list[str]:
    return ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize(("steps", "inputs", "outputs", "backward"), [
    (6, None, None, False), (4, {1}, {1, 2, 3, 4}, False), (4, {1, 2, 3, 4}, {4}, False),
    (4, None, None, True), (1, {1}, {1}, False)])
def test_unrolled_diagram_draws_one_cell_per_step_and_each_input_and_output(steps, inputs,
                                                                            outputs, backward):
    svg = ElementTree.fromstring(diagram.unrolled_diagram(
        steps, inputs=inputs, outputs=outputs, backward=backward, highlight=2))
    rows = 2 if backward else 1
    n_in = steps if inputs is None else len(inputs)
    n_out = steps if outputs is None else len(outputs)
    cells = svg.findall(f"{SVG}rect")
    assert len(cells) == rows * steps
    assert len(svg.findall(f"{SVG}ellipse")) == n_in + n_out
    arrows = svg.findall(f"{SVG}polyline")
    bent = n_in + n_out if backward else 0  # around the forward cell, to the backward one
    assert len(arrows) == rows * (steps - 1) + n_in + n_out + bent
    assert all(arrow.get("marker-end") == "url(#head)" for arrow in arrows)
    labels = ["".join(text.itertext()) for text in svg.findall(f"{SVG}text")]
    assert labels.count("h1") == 1 and f"h{steps}" in labels  # h with the step as subscript
    assert sum(label.startswith("x") for label in labels) == n_in
    assert sum(label.startswith("y") for label in labels) == n_out
    highlighted = [cell for cell in cells if cell.get("fill") == palette.ACCENT]
    assert len(highlighted) == (rows if steps >= 2 else 0)
    width = float(svg.get("width"))
    assert width == pytest.approx((steps + 0.2) * diagram.SCALE, abs=1)  # one unit per step
    assert all(0 <= float(cell.get("x")) <= width for cell in cells)  # nothing drawn outside


def test_the_heatmap_prints_each_state_so_far_and_leaves_the_rest_blank():
    hidden = np.tanh(np.random.default_rng(3).normal(size=(5, 3)))
    hidden[0, 0] = -1.0  # the scale's ends are drawn, not clipped away
    svg = ElementTree.fromstring(diagram.state_heatmap(hidden, current=2))
    labels = texts(svg)
    for t in range(2):
        for j in range(3):
            assert f"{hidden[t, j]:.2f}" in labels
    assert sum(label.startswith("t=") for label in labels) == 5
    assert {"h1", "h2", "h3"} <= set(labels)
    cells = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill", "").startswith("rgb")]
    assert len(cells) == 2 * 3  # computed steps only
    blanks = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("stroke-dasharray")]
    assert len(blanks) == 3 * 3
    outline = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("stroke") == palette.ACCENT]
    assert len(outline) == 1
    assert float(outline[0].get("x")) == float(cells[3].get("x"))  # around step 2's column
    blue, red = (cells[0].get("fill"), diagram.state_heatmap(np.ones((1, 1)), 1))
    assert blue == "rgb(5, 48, 97)" and "rgb(103, 0, 31)" in red  # -1 blue, +1 red
