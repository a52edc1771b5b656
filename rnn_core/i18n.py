"""The translation catalogue: every string a learner reads, in English and Japanese.

Strings live in YAML files under ``rnn_core/locale/``, one file per part of the app. A key is
``<file stem>.<entry>`` and each entry holds both languages side by side, so a missing
translation is visible in review and caught by ``missing_translations`` in the tests::

    # locale/home.yaml
    title: {en: "Welcome", ja: "ようこそ"}

Values are ``str.format`` templates: ``translate("sine.epoch", "ja", n=3)``. Pages render most
entries as Streamlit Markdown, so a value a visitor supplied (a CSV column name, a word of their
review) goes in through ``Translator.plain``, which makes it inert (``escape_markdown``).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Literal

from rnn_core.storage import read_yaml

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")
DEFAULT_LANGUAGE: Language = "en"
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ja": "日本語"}
LOCALE_DIR = Path(__file__).parent / "locale"
# Every ASCII character Streamlit Markdown can act on: Markdown and HTML (*_`[]()#+-.!|<>~{}=),
# LaTeX ($) and Streamlit's own colour and emoji directives (:red[...], :smile:).
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&^=@])")
# Line and paragraph breaks, other control characters and bidirectional overrides: a line break
# in a value would start a heading (``big\n===``) or a code block, an override would reorder
# what the learner reads. Each run of them is shown as one space.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
# What Streamlit's renderer rewrites in the text left after parsing, where backslash escapes
# are already gone: bare links (``https://``, ``www.``, e-mail addresses), icons
# (``:material/x:``, ``:streamlit:``), emoji shortcodes and typographic arrows (``->``, ``>=``).
# A word joiner (U+2060, invisible and never a line break) after the colon, the at sign, the
# ``www`` or the first character of an arrow leaves nothing for those rewrites to match.
_REWRITTEN = re.compile(r"(?<=[:@])|(?<=www)(?=\.)|(?<=[-<>~])(?=[-<>=])", re.IGNORECASE)
WORD_JOINER = "\u2060"
# Japanese script and punctuation (kana, kanji, 。、「」, full-width forms): no space ever belongs
# between two of them, nor after 。、：（「 or before 。、）」, in what a learner reads.
JAPANESE = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_STRAY_SPACE = re.compile(
    rf"[{JAPANESE}][ \t]+[{JAPANESE}]|[{JAPANESE}][ \t]*\n[ \t]*[{JAPANESE}]"
    rf"|[。、：（「][ \t]+|[ \t]+[。、）」]")


def parse_language(value: object) -> Language | None:
    """The supported language a query value or a browser locale names ("ja", "ja-JP", a
    repeated ``?lang=..&lang=..`` as a list, whose last value counts), or ``None``."""
    if isinstance(value, list):
        value = value[-1] if value else None
    if isinstance(value, str):
        tag = value.strip().lower()[:8].replace("_", "-").split("-")[0]
        if tag in LANGUAGES:
            return tag  # type: ignore[return-value]
    return None


def normalize_language(value: object) -> Language:
    """Map any query-parameter value to a supported language; junk falls back to English."""
    return parse_language(value) or DEFAULT_LANGUAGE


def preferred_language(query_value: object, browser_locale: object) -> Language:
    """The language of a new session: ``?lang=`` when it names one, else the browser's own
    language (``navigator.language``, e.g. "ja-JP"), else English."""
    return parse_language(query_value) or parse_language(browser_locale) or DEFAULT_LANGUAGE


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All entries, ``{"home.title": {"en": ..., "ja": ...}}``, read once per process."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE_DIR.glob("*.yaml")):
        data = read_yaml(path) or {}
        for name, texts in data.items():
            entries[f"{path.stem}.{name}"] = dict(texts) if isinstance(texts, dict) else {}
    return entries


def translate(key: str, lang: str, /, **values: object) -> str:
    """The text for ``key`` in ``lang`` (English if that is empty), formatted with ``values``.

    An unknown key raises ``KeyError``: a typo must fail the tests, not show a raw key.
    """
    texts = catalogue()[key]
    template = texts.get(normalize_language(lang)) or texts[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def escape_markdown(text: str) -> str:
    """``text`` as typed, on one line, when shown through Streamlit Markdown: nothing in it
    becomes a link, a heading, code, an image, an icon, colour, LaTeX or HTML.

    Markup characters are backslash-escaped (which CommonMark, KaTeX and Streamlit's directives
    honour); line breaks and control characters become a space; what the renderer rewrites
    after parsing gets an invisible word joiner (see ``_REWRITTEN``), so the learner reads the
    same characters and a copy of them differs only by those joiners."""
    one_line = _BREAKS.sub(" ", str(text))
    return _MARKUP.sub(r"\\\1", _REWRITTEN.sub(WORD_JOINER, one_line))


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields a template expects (format specs and conversions ignored)."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def missing_translations() -> list[str]:
    """Problems in the catalogue: an empty language, or languages expecting other placeholders."""
    problems = []
    for key, texts in catalogue().items():
        for lang in LANGUAGES:
            if not str(texts.get(lang) or "").strip():
                problems.append(f"{key}: no {lang} text")
        if all(texts.get(lang) for lang in LANGUAGES):
            fields = {lang: placeholders(texts[lang]) for lang in LANGUAGES}
            if fields["en"] != fields["ja"]:
                problems.append(f"{key}: placeholders differ {fields}")
    return problems


def stray_spaces(text: str) -> list[str]:
    """The places (with a few characters around each) where ``text`` has a space or a single
    line break (which Markdown shows as a space) inside Japanese, as a YAML folded scalar
    (``>-``) leaves at every source line break. Store Japanese on one line (a quoted string)
    and this stays empty; a blank line between paragraphs is fine."""
    shown = text.replace("**", "")  # bold markers are not shown: 「です。** それ」 has a space
    return [shown[max(match.start() - 8, 0):match.end() + 8]
            for match in _STRAY_SPACE.finditer(shown)]


class Translator:
    """``t = Translator("ja"); t("home.title")``: a language bound once for a page."""

    def __init__(self, lang: str) -> None:
        self.lang: Language = normalize_language(lang)

    def __call__(self, key: str, /, **values: object) -> str:
        return translate(key, self.lang, **values)

    def plain(self, key: str, /, **visitor_values: object) -> str:
        """The entry with values a visitor supplied (file and column names, their words),
        escaped so that no Markdown, HTML, LaTeX or colour syntax in them takes effect."""
        return translate(key, self.lang,
                         **{name: escape_markdown(value) for name, value in visitor_values.items()})
