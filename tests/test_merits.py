"""The merits-and-demerits table: every row points at a real section, and the committed results
still back what each row claims."""

import re

import numpy as np
import pytest

from rnn_core import course, i18n
from rnn_core.comparison import attention, memory_task, merits
from rnn_core.comparison.merits import MERITS
from tests.apptest import open_app
from tests.conftest import ROOT


def _anchors(page: str) -> set[str]:
    source = (ROOT / course.page(page).file).read_text(encoding="utf-8")
    return set(re.findall(r'anchor="([a-z0-9-]+)"', source))


@pytest.mark.parametrize("row", MERITS, ids=lambda row: row.key)
def test_each_row_links_to_a_section_its_page_has(row):
    assert row.anchor in _anchors(row.page), f"views/{row.page}.py has no anchor {row.anchor!r}"
    catalogue = i18n.catalogue()
    why, _ = merits.evidence(row, attention.load_timing())
    for key in (f"merits.{row.key}", why, row.section, f"nav.{row.page}"):
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
    """cheap_steps: the committed sweep's short lengths overlap, so the row says "from T = 64
    on", not "at every length"; sequential: a straight line fits, slope measured."""
    timing = attention.load_timing()
    cheap = next(row for row in MERITS if row.key == "cheap_steps")
    key, values = merits.evidence(cheap, timing)
    assert key == "merits.cheap_steps_why_from" and values["from"] == 64
    assert values["cpu"] == timing["environment"]["cpu"]
    sequential = next(row for row in MERITS if row.key == "sequential")
    key, values = merits.evidence(sequential, timing)
    assert key == "merits.sequential_why_linear"
    assert values["per_step"] == f"{attention.gru_ms_per_step(timing['points']):.3f}" == "0.077"
    assert merits.evidence(sequential, None)[0] == "merits.sequential_why_unmeasured"


def _row(seq_len: int, gru: list[float], other: list[float]) -> dict:
    return {"seq_len": seq_len, "gru_ms": float(np.median(gru)), "gru_all_ms": gru,
            "attention_ms": float(np.median(other)), "attention_all_ms": other}


def test_the_speed_verdict_reads_the_spread_not_only_the_medians():
    apart = [_row(t, [1.0, 1.1, 1.2, 1.3], [2.0, 2.1, 2.2, 2.3]) for t in (16, 64)]
    close = _row(8, [1.0, 1.4, 1.8, 2.2], [1.2, 1.6, 2.0, 2.4])  # GRU's median lower, overlapping
    assert attention.clearly_faster(close) == "overlap"
    assert attention.speed_verdict(apart) == ("every", None, [])
    assert attention.speed_verdict([close, *apart]) == ("from", 16, [8])
    slower = _row(512, [3.0, 3.1, 3.2, 3.3], [1.0, 1.1, 1.2, 1.3])
    assert attention.speed_verdict([*apart, slower]) == ("mixed", None, [])
    assert attention.speed_verdict([close]) == ("mixed", None, [])


def test_the_gru_fit_says_linear_only_for_a_straight_line():
    line = [{"seq_len": t, "gru_ms": 2.0 + 0.1 * t} for t in (16, 64, 256)]
    slope, offset, r2 = attention.gru_fit(line)
    assert (slope, offset, r2) == pytest.approx((0.1, 2.0, 1.0))
    bent = [{"seq_len": t, "gru_ms": ms} for t, ms in ((16, 1.0), (64, 50.0), (256, 1.0))]
    assert attention.gru_fit(bent)[2] < attention.LINEAR_R2


def _scripts(at) -> list[str]:
    return [element.proto.body for element in at.get("html") if "<script>" in element.proto.body]


def test_a_section_link_scrolls_once_to_its_anchor():
    """?section=<anchor> (what a merits link sets) puts one scroll script for that anchor on
    the page and is then dropped, so the next rerun does not scroll again."""
    at = open_app("en", section="order")
    (script,) = _scripts(at)
    assert 'const anchor = "order"' in script
    assert "section" not in at.query_params and at.query_params["lang"] == "en"
    at.run()
    assert _scripts(at) == []


@pytest.mark.parametrize("hostile", ['order"); alert(1); //', "<b>x</b>", "A" * 50, ""])
def test_a_malformed_section_never_reaches_the_script(hostile):
    at = open_app("en", section=hostile)
    assert _scripts(at) == [] and "section" not in at.query_params
