"""The merits-and-demerits table: every row points at a real section, and the committed results
still back what each row claims."""

import re

import pytest

from rnn_core import course, i18n
from rnn_core.comparison import attention, memory_task
from rnn_core.comparison.merits import MERITS
from tests.conftest import ROOT


def _anchors(page: str) -> set[str]:
    source = (ROOT / course.page(page).file).read_text(encoding="utf-8")
    return set(re.findall(r'anchor="([a-z0-9-]+)"', source))


@pytest.mark.parametrize("row", MERITS, ids=lambda row: row.key)
def test_each_row_links_to_a_section_its_page_has(row):
    assert row.anchor in _anchors(row.page), f"views/{row.page}.py has no anchor {row.anchor!r}"
    catalogue = i18n.catalogue()
    for key in (f"merits.{row.key}", f"merits.{row.key}_why", row.section, f"nav.{row.page}"):
        assert key in catalogue, key


def test_the_table_has_both_sides_and_no_repeats():
    assert {row.good for row in MERITS} == {True, False}
    assert len({row.key for row in MERITS}) == len(MERITS)


def test_the_memory_rows_match_the_committed_sweep():
    """gated_memory: the GRU still recalls after 200 steps; simple_forgets: the SimpleRNN is at
    chance level at 100 steps."""
    results = {(r["cell"], r["seq_len"]): r for r in memory_task.load_sweep()["results"]}
    assert results[("gru", 200)]["accuracy"] > 0.95
    simple = results[("simple_rnn", 100)]
    assert simple["accuracy"] - simple["chance"] < 0.05


def test_the_timing_rows_match_the_committed_sweep():
    """cheap_steps: faster at every length; sequential: time grows with T."""
    points = attention.load_timing()["points"]
    assert all(p["gru_ms"] < p["attention_ms"] for p in points)
    longest, shortest = points[-1], points[0]
    assert longest["gru_ms"] > 4 * shortest["gru_ms"]  # 32× the steps: clearly more time
