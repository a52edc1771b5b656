"""The translation catalogue is complete, and every key the code uses exists."""

import re

import pytest

from rnn_core import course, glossary, i18n
from rnn_core.cells import BLOCKS, CELLS, GATED_CELLS
from rnn_core.comparison import residual
from rnn_core.comparison.merits import MERITS
from rnn_core.forecasting import csv_series, series
from rnn_core.forecasting.training import BOUNDS
from rnn_core.fundamentals import diagram, gates, order, stepthrough
from rnn_core.sentiment import codegen, user_text
from rnn_core.sentiment.gates import MEAN_GATES
from rnn_core.study import progress
from tests.conftest import ROOT

KEY_CALL = re.compile(r"""\bt\(\s*f?["']([a-z_]+\.[a-z0-9_{}.]+)["']""")
PAGES = [page.name for page in course.PAGES]
# Every key the code builds at run time (an f-string), with every value its field can take.
# A new f-string key must be added here, so its expansions are checked one by one.
DYNAMIC_KEYS: dict[str, tuple[str, ...]] = {
    "compare.gates_{cell}": CELLS,
    "compare.{message}": ("live_solved", "live_failed"),
    "compare.{verdict}": ("clip_diverged", "clip_stable"),
    "fundamentals.pattern_{name}": tuple(diagram.PATTERNS),
    "fundamentals.pattern_{name}_text": tuple(diagram.PATTERNS),
    "fundamentals.preset_{p}": stepthrough.PRESETS,
    "gates.code_numpy_intro_{cell}": GATED_CELLS,
    "gates.equations_{cell}": GATED_CELLS,
    "gates.gate_{gate}": tuple(g for names in MEAN_GATES.values() for g in names),
    "gates.hint_{hint}": tuple(f"{c}_{p}" for c in GATED_CELLS for p in gates.PRESETS),
    "gates.letting_go_{reading.cell}": GATED_CELLS,
    "gates.path_caption_{trace.cell}": GATED_CELLS,
    "gates.path_title_{trace.cell}": GATED_CELLS,
    "gates.preset_{p}": gates.PRESETS,
    "gates.row_{name}": (*(b for c in GATED_CELLS for b in BLOCKS[c]), "c", "h"),
    "gates.state_{k}": ("h", "c"),
    "home.{page.name}_text": tuple(page.name for page in course.LESSONS),
    "nav.{entry.page}": tuple({term.page for term in glossary.terms()}),
    "nav.{page.name}": PAGES,
    "nav.{page}": PAGES,
    "progress.err_{error.reason}": progress.ERROR_REASONS,
    "sentiment.example_{name}": tuple(user_text.EXAMPLES),
    "sentiment.input_{finding}": user_text.FINDINGS,
    "sentiment.tab_{name}": ("verdict", "gates"),  # views/sentiment.py READING_VIEWS
    "sentiment.verdict_{verdict}": ("positive", "negative"),
    "sine.csv_missing_{uploaded.policy}": csv_series.MISSING_POLICIES,
    "sine.csv_{error.code}": csv_series.ERROR_CODES,
    "sine.example_{n}": tuple(csv_series.EXAMPLES),
    "sine.framing_{f}": series.FRAMINGS,
    "sine.missing_{p}": csv_series.MISSING_POLICIES,
    "sine.scaling_{problem.scaling.method}": series.SCALINGS,
    "sine.source_{s}": series.SOURCES,
    "sine.status_{status}": ("none", "cancelled", "stale"),
    "sine.verdict_{verdict}": ("better", "worse"),
    "sine.{name}": tuple(BOUNDS),
    "attention.{key}": ("read_gru_faster", "read_gru_faster_from", "read_mixed"),
    "attention.{machine}": ("machine_cpu", "machine_accelerator"),
    "merits.{row.key}": tuple(row.key for row in MERITS),
    "nav.{row.page}": tuple(row.page for row in MERITS),
    "order.col_change_{variant}": ("shuffled", "reversed"),
    "order.col_flips_{variant}": ("shuffled", "reversed"),
    "order.predict_{p}": order.PREDICTIONS,
    "order.you_predicted_{prediction}": order.PREDICTIONS,
    "order.this_text_{measured}": order.OUTCOMES,
    "order.prediction_{verdict}": ("matches", "differs"),
    "order.variant_{variant}": order.VARIANTS,
    "pipeline.diff_{row}": codegen.DIFFERENCES,
    "pipeline.diff_{row}_classic": codegen.DIFFERENCES,
    "pipeline.diff_{row}_course": codegen.DIFFERENCES,
    "pipeline.diff_{row}_why": codegen.DIFFERENCES,
    "residual.kind_{k}": residual.SKIP_KINDS,
    "residual.read_{measured}": residual.READINGS,
    "residual.why_{skip.kind}": residual.SKIP_KINDS,
    "residual.trace_{skip.kind}": residual.SKIP_KINDS,
}


def test_every_entry_has_english_and_japanese_with_the_same_placeholders():
    assert i18n.catalogue(), "catalogue is empty"
    assert i18n.missing_translations() == []


def test_japanese_entries_are_written_in_japanese():
    """A Japanese entry identical to English is a forgotten translation (names excepted)."""
    same = [key for key, texts in i18n.catalogue().items()
            if texts["en"] == texts["ja"] and not key.endswith(".title")]
    assert same == []


def _keys_used_in_code() -> set[str]:
    used = set()
    for path in [ROOT / "router.py", *ROOT.glob("views/*.py"), *ROOT.glob("rnn_ui/*.py")]:
        used |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_key_used_by_the_app_exists():
    known = set(i18n.catalogue())
    patterns = {key for key in _keys_used_in_code() if "{" in key}
    literal = _keys_used_in_code() - patterns
    assert literal, "no t(...) calls found: the scan is broken"
    assert sorted(literal - known) == []
    assert sorted(patterns - set(DYNAMIC_KEYS)) == [], "add these f-string keys to DYNAMIC_KEYS"


@pytest.mark.parametrize("pattern", sorted(DYNAMIC_KEYS))
def test_every_expansion_of_a_dynamic_key_exists(pattern):
    field = re.compile(r"\{[^}]*\}")
    assert DYNAMIC_KEYS[pattern], pattern
    missing = [field.sub(value, pattern) for value in DYNAMIC_KEYS[pattern]
               if field.sub(value, pattern) not in i18n.catalogue()]
    assert missing == []


@pytest.mark.parametrize(("value", "expected"), [
    ("ja", "ja"), ("en", "en"), ("JA", "ja"), ("ja-JP", "ja"), (["en", "ja"], "ja"),
    ("de", "en"), ("", "en"), (None, "en"), ("<script>", "en"), ("x" * 10_000, "en"), ([], "en"),
])
def test_language_from_url_falls_back_to_english(value, expected):
    assert i18n.normalize_language(value) == expected


def test_translate_formats_values_and_rejects_unknown_keys():
    assert "7" in i18n.translate("quiz.question", "ja", number=7)
    with pytest.raises(KeyError):
        i18n.translate("no.such_key", "en")


@pytest.mark.parametrize(("query", "locale", "expected"), [
    (None, "ja-JP", "ja"), (None, "ja", "ja"), (None, "en-GB", "en"), (None, None, "en"),
    (None, "de-DE", "en"), ([], "ja_JP", "ja"), ("en", "ja-JP", "en"), (["ja"], "en-US", "ja"),
    ("xx", "ja-JP", "ja"), ("<script>", None, "en"),
])
def test_a_new_session_speaks_the_browsers_language_unless_the_url_says_otherwise(
        query, locale, expected):
    assert i18n.preferred_language(query, locale) == expected
