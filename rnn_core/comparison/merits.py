"""What RNNs are good and bad at, each claim tied to the section of the course that shows it live.

The comparison page ends with this table; a test checks that every ``(page, anchor)`` names a
header the page really has, so a link can never point at nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Merit:
    key: str  # translation key stem: merits.<key> (the claim) and merits.<key>_why (the evidence)
    good: bool  # a merit (True) or a demerit (False)
    page: str  # course page name (rnn_core.course)
    anchor: str  # the header anchor of the section that shows it
    section: str  # translation key of that section's heading


MERITS = (
    Merit("any_length", True, "fundamentals", "shapes", "fundamentals.shapes_heading"),
    Merit("memory", True, "fundamentals", "step-through", "fundamentals.step_heading"),
    Merit("gated_memory", True, "compare", "memory", "compare.memory_heading"),
    Merit("forecasting", True, "sine", "forecast", "sine.forecast_heading"),
    Merit("order", True, "fundamentals", "order", "order.heading"),
    Merit("cheap_steps", True, "compare", "attention", "attention.heading"),
    Merit("simple_forgets", False, "compare", "memory", "compare.memory_heading"),
    Merit("vanishing", False, "compare", "gradients", "compare.gradient_heading"),
    Merit("sequential", False, "compare", "attention", "attention.heading"),
    Merit("one_direction", False, "sentiment", "trajectory", "sentiment.trajectory_heading"),
)
