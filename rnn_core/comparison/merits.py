"""What RNNs are good and bad at, each claim tied to the section of the course that shows it live.

The comparison page ends with this table; a test checks that every ``(page, anchor)`` names a
header the page really has, so a link can never point at nothing. The two timing rows are worded
from the committed sweep (``evidence``), for the machine that measured it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnn_core.comparison import attention


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


def evidence(row: Merit, timing: dict | None) -> tuple[str, dict[str, object]]:
    """The translation key of a row's evidence and the values it is formatted with.

    ``cheap_steps`` says "faster at every length" only when the sweep shows it (else from which
    length on, or that it is mixed); ``sequential`` says "linearly" only when a straight line
    fits the GRU's times, with the slope measured. Both name the machine that measured them.
    """
    key = f"merits.{row.key}_why"
    if row.key not in ("cheap_steps", "sequential"):
        return key, {}
    if timing is None:
        return f"{key}_unmeasured", {}
    env = timing.get("environment", {})
    machine = {"cpu": env.get("cpu", "?"), "cores": env.get("cpu_count", "?"),
               "accelerator": env.get("accelerator", "?")}
    points = timing["points"]
    if row.key == "cheap_steps":
        verdict, from_length, _ = attention.speed_verdict(points)
        return f"{key}_{verdict}", {**machine, "from": from_length}
    slope, offset, r2 = attention.gru_fit(points) or (0.0, 0.0, 0.0)
    shape = "linear" if r2 >= attention.LINEAR_R2 else "rough"
    return f"{key}_{shape}", {**machine, "per_step": f"{slope:.3f}", "offset": f"{offset:.1f}",
                              "short": min(p["seq_len"] for p in points),
                              "long": max(p["seq_len"] for p in points)}
