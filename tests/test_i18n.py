"""The translation catalogue is complete, and every key the code uses exists."""

import re

import pytest

from rnn_core import i18n
from tests.conftest import ROOT

KEY_CALL = re.compile(r"""\bt\(\s*f?["']([a-z_]+\.[a-z0-9_{}.]+)["']""")


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
    for path in [ROOT / "app.py", *ROOT.glob("views/*.py"), *ROOT.glob("rnn_ui/*.py")]:
        used |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_key_used_by_the_app_exists():
    known = set(i18n.catalogue())
    patterns = {key for key in _keys_used_in_code() if "{" in key}
    literal = _keys_used_in_code() - patterns
    assert literal, "no t(...) calls found: the scan is broken"
    assert sorted(literal - known) == []
    for pattern in patterns:  # f-string keys such as "fundamentals.preset_{p}"
        regex = re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z0-9_]+", re.escape(pattern)) + "$")
        assert any(regex.match(key) for key in known), pattern


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
