"""The one way a setting is checked: every config is a frozen dataclass whose ``__post_init__``
calls these, so an out-of-range config can never exist and the message names the field.

Bounds are data (a ``(low, high)`` pair next to the config) so pages show the same numbers in
their widgets and help texts.
"""

from __future__ import annotations

from collections.abc import Collection

Bound = tuple[float, float]


def check_range(name: str, value: object, bound: Bound, *, whole: bool = False) -> None:
    """``low <= value <= high``; with ``whole``, an ``int`` (``True`` is not a number here)."""
    low, high = bound
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value}")


def check_choice(name: str, value: object, choices: Collection[str]) -> None:
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(choices)}")


def check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, got {value!r}")
