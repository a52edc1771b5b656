"""What happened, for each page's prediction: the outcome a learner's guess is compared with.

Each function turns a page's result into one of its prediction's option keys (see the
``predictions`` of ``rnn_core/study/quizzes/<page>.yaml``), so the page, the tests and the CLI agree
on what "came true" means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rnn_core.cells import CELLS
from rnn_core.comparison.memory_task import SOLVED_ACCURACY

SAME_ERROR_RATIO = 1.25  # closed-loop vs one-step MSE within this factor: "about the same"
MEMORY_PREDICTION_T = 100  # the sequence length the comparison page's prediction asks about
KEPT_SHARE, LOST_SHARE = 0.5, 0.1  # of the carried state's peak, at the last step


def closed_loop_vs_one_step(closed_loop_mse: float, one_step_mse: float) -> str:
    """``larger``, ``about_same`` or ``smaller``: the closed loop's MSE against the one-step's."""
    if closed_loop_mse > SAME_ERROR_RATIO * one_step_mse:
        return "larger"
    if closed_loop_mse * SAME_ERROR_RATIO < one_step_mse:
        return "smaller"
    return "about_same"


def failing_cells(results: Iterable[Mapping], seq_len: int,
                  solved: float = SOLVED_ACCURACY) -> str:
    """Which cell fails the memory task at ``seq_len`` in the committed sweep: a cell's name
    when exactly one mean accuracy is below ``solved``, else ``several`` or ``none``."""
    failing = [row["cell"] for row in results
               if row["seq_len"] == seq_len and row["accuracy"] < solved]
    if not failing:
        return "none"
    return failing[0] if len(failing) == 1 and failing[0] in CELLS else "several"


def majority_verdict(probabilities: Sequence[float]) -> str:
    """``positive`` or ``negative``: what most models said (a tie goes to the mean)."""
    positive = sum(p >= 0.5 for p in probabilities)
    negative = len(probabilities) - positive
    if positive != negative:
        return "positive" if positive > negative else "negative"
    mean = sum(probabilities) / len(probabilities) if probabilities else 0.0
    return "positive" if mean >= 0.5 else "negative"


def memory_kept(carried: Sequence[float]) -> str:
    """``kept``, ``faded`` or ``lost``: how much of its largest magnitude a unit's carried state
    (an LSTM's c, a GRU's h, one value per step) still holds at the last step. A state that was
    never more than 0 counts as lost."""
    peak = max((abs(value) for value in carried), default=0.0)
    share = abs(carried[-1]) / peak if peak > 0 else 0.0
    if share >= KEPT_SHARE:
        return "kept"
    return "faded" if share >= LOST_SHARE else "lost"
