"""Japanese text reads as Japanese: no stray spaces, and one vocabulary (the glossary's) in both
languages, over the whole catalogue, every quiz and the glossary itself.

Failures name the place (locale key, quiz question and field, glossary term) and quote the
offending text, so a branch that adds strings sees at once what to fix.
"""

import pytest

from rnn_core import glossary, i18n
from tests.texts import all_texts


def test_the_scan_sees_every_kind_of_text():
    places = {where.split()[0] for where, _, _ in all_texts()}
    assert places == {"locale", "quiz", "glossary"}
    assert sum(lang == "ja" for _, lang, _ in all_texts()) > 1000


def test_no_space_between_two_japanese_characters():
    """A folded YAML block (>-) turns each source line break into a space: 「です。 それを」."""
    problems = [f"{where}: {snippet!r}" for where, lang, text in all_texts() if lang == "ja"
                for snippet in i18n.stray_spaces(text)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("text", "found"), [
    ("です。 それを", True), ("ので、 ずっと", True), ("隠れ 状態", True), ("状態\nです", True),
    ("（ 注 ）", True), ("SimpleRNN の隠れ状態", False), ("1 ステップ先予測", False),
    ("段落。\n\n次の段落", False), ("$h_t$ は", False), ("**です。** それ", True),
    ("**学習する**を押す", False),
])
def test_the_stray_space_check_finds_what_folding_leaves(text, found):
    assert bool(i18n.stray_spaces(text)) is found


def test_no_avoided_variant_anywhere():
    """One term per concept: the glossary's `avoid` lists (精度 for accuracy, 乱数の種 for seed,
    記憶課題 for the memory task, "per gate" for a block...) appear nowhere."""
    problems = glossary.avoided_variants(all_texts())
    assert problems == [], "\n".join(problems)


def test_the_variant_check_catches_a_variant_and_names_the_place():
    problems = glossary.avoided_variants([("locale x.y", "ja", "テストの精度は 90%"),
                                          ("locale x.z", "en", "four blocks, per gate"),
                                          ("locale x.w", "en", "Keras's accuracy")])
    assert len(problems) == 2
    assert problems[0].startswith("locale x.y: '精度' (use '正解率')")
    assert "per gate" in problems[1]
