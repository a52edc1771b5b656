"""The course's one vocabulary: every technical term in English and Japanese (``glossary.yaml``).

Each term has its English and Japanese form, a one-line definition in each language, the page
where it is taught, the variants to avoid (a test rejects them anywhere in the catalogue and the
quizzes; a stem written ``押しつぶ(す)`` matches every inflection of ``押しつぶ`` and reads
as ``押しつぶす``) and, optionally, other forms that should link to it (plurals, abbreviations).
``link_terms`` turns the first mention of each term in a text into a link to the glossary page,
leaving code, formulas and existing links alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rnn_core.storage import read_yaml

GLOSSARY_FILE = Path(__file__).parent / "glossary.yaml"
LANGS = ("en", "ja")
MAX_LINKS = 6  # per text block: enough to help, few enough to keep the text readable
# Parts of a Markdown text where a link must not go: code, formulas, links, URLs, and the
# page's {placeholders}.
_PROTECTED = re.compile(r"(`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\[[^\]]*\]\([^)]*\)|https?://\S+"
                        r"|\{[^}]*\})", re.S)
_LATIN = re.compile(r"[A-Za-z0-9]")
_STEM = re.compile(r"(.+?)\((.+)\)")  # "押しつぶ(す)": matched as 押しつぶ, shown as 押しつぶす


@dataclass(frozen=True)
class Term:
    id: str
    names: dict[str, str]  # {"en": "hidden state", "ja": "隠れ状態"}
    definition: dict[str, str]
    page: str  # the course page that teaches it
    avoid: dict[str, tuple[str, ...]]  # variants not to use, per language (as matched: stems)
    also: dict[str, tuple[str, ...]]  # other forms that link here, per language
    link: bool = True  # False for words so common that linking them would be noise
    avoid_shown: dict[str, tuple[str, ...]] | None = None  # the variants as words, for reading

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]

    def avoided_words(self, lang: str) -> tuple[str, ...]:
        """The variants to avoid in ``lang`` as a reader sees them (whole words, not stems)."""
        return (self.avoid_shown or self.avoid).get(lang, ())

    def forms(self, lang: str) -> tuple[str, ...]:
        """Every form that links to this term in ``lang``, its name first."""
        return (self.names[lang], *self.also.get(lang, ()))


@cache
def terms() -> tuple[Term, ...]:
    """Every term, in the file's order (grouped by topic)."""
    data = read_yaml(GLOSSARY_FILE)
    return tuple(_term(item) for item in data["terms"])


def _term(item: dict) -> Term:
    def per_language(field: str) -> dict[str, tuple[str, ...]]:
        values = item.get(field) or {}
        return {lang: tuple(values.get(lang) or ()) for lang in LANGS}

    avoid = per_language("avoid")
    return Term(id=str(item["id"]), names={lang: str(item[lang]) for lang in LANGS},
                definition=dict(item["definition"]), page=str(item["page"]),
                avoid={lang: tuple(_stem(v)[0] for v in avoid[lang]) for lang in LANGS},
                also=per_language("also"), link=bool(item.get("link", True)),
                avoid_shown={lang: tuple(_stem(v)[1] for v in avoid[lang]) for lang in LANGS})


def _stem(variant: str) -> tuple[str, str]:
    """An avoid entry as (what is matched, what is shown): 押しつぶ(す) -> 押しつぶ, 押しつぶす."""
    match = _STEM.fullmatch(variant)
    return (match.group(1), match.group(1) + match.group(2)) if match else (variant, variant)


def term(term_id: str) -> Term:
    for entry in terms():
        if entry.id == term_id:
            return entry
    raise KeyError(term_id)


def search(query: str, lang: str) -> list[Term]:
    """Terms whose names, other forms or definitions contain ``query`` (any case, either
    language); those whose name matches come first."""
    needle = query.strip().casefold()
    if not needle:
        return list(terms())

    def haystack(entry: Term, *, names_only: bool) -> str:
        parts = [*entry.names.values(), *(f for lang in LANGS for f in entry.also[lang])]
        if not names_only:
            parts += entry.definition.values()
        return "\n".join(parts).casefold()

    by_name = [e for e in terms() if needle in haystack(e, names_only=True)]
    rest = [e for e in terms() if e not in by_name and needle in haystack(e, names_only=False)]
    return by_name + rest


def avoided_variants(texts: Iterable[tuple[str, str, str]]) -> list[str]:
    """Every use of an avoided variant in ``(where, lang, text)`` triples, as
    ``"where: 'variant' (use 'name') in …text…"`` lines naming the place and the offending text.

    A form that begins or ends with a Latin letter or digit matches only as a whole word, and
    English forms match in any case.
    """
    problems = []
    patterns = [(entry, lang, variant, _pattern(variant, lang))
                for entry in terms() for lang in LANGS for variant in entry.avoid[lang]]
    for where, lang, text in texts:
        allowed = _allowed_spans(text, lang)  # "語ベクトル" inside "単語ベクトル" is fine
        for entry, variant_lang, variant, pattern in patterns:
            if variant_lang != lang:
                continue
            for match in pattern.finditer(text):
                if any(start <= match.start() and match.end() <= end for start, end in allowed):
                    continue
                around = text[max(match.start() - 20, 0):match.end() + 20].replace("\n", " ")
                problems.append(f"{where}: {variant!r} (use {entry.name(lang)!r}) in …{around}…")
    return problems


def _allowed_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where ``text`` uses a glossary form itself (a variant inside one is not a variant)."""
    return [match.span() for entry in terms() for form in entry.forms(lang)
            for match in _pattern(form, lang).finditer(text)]


def _form_regex(form: str) -> str:
    """``form`` as a regex that does not match inside a longer Latin word ("RNN" in
    "SimpleRNN"), while Japanese text around it is fine ("RNNの")."""
    regex = re.escape(form)
    if _LATIN.match(form[0]):
        regex = r"(?<![A-Za-z0-9_-])" + regex
    if _LATIN.match(form[-1]):
        regex += r"(?![A-Za-z0-9_])"
    return regex


def _pattern(form: str, lang: str) -> re.Pattern[str]:
    return re.compile(_form_regex(form), re.IGNORECASE if lang == "en" else 0)


@cache
def _linker(lang: str) -> tuple[re.Pattern[str], dict[str, Term]]:
    """One pattern matching every term's forms, longest first (so "forget gate" wins over
    "gate"), and the term each lower-cased form belongs to."""
    owners: dict[str, Term] = {}
    for entry in terms():
        if not entry.link:
            continue
        for form in entry.forms(lang):
            owners.setdefault(form.casefold(), entry)
    alternatives = sorted(owners, key=len, reverse=True)
    body = "|".join(_form_regex(form) for form in alternatives)
    return re.compile(body, re.IGNORECASE), owners  # Japanese text has Latin names too


# A bold term made a link, **[term](href)**, moves its bold inside: [**term**](href). Markdown
# closes ** after ")" only before a space or punctuation, so before Japanese text the stars of
# the first form print as they are.
_BOLD_LINK = re.compile(r"\*\*\[([^\]\n]+)\]\(([^)\s]+)\)\*\*")


def link_terms(text: str, lang: str, href: Callable[[Term], str],
               limit: int = MAX_LINKS) -> str:
    """``text`` with the first mention of each glossary term made a Markdown link ``href(term)``
    (at most ``limit`` links; never inside code, formulas, links or placeholders)."""
    pattern, owners = _linker(lang)
    linked: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        entry = owners[match.group(0).casefold()]
        if entry.id in linked or len(linked) >= limit:
            return match.group(0)
        linked.add(entry.id)
        return f"[{match.group(0)}]({href(entry)})"

    pieces = _PROTECTED.split(text)
    return "".join(piece if index % 2 else _BOLD_LINK.sub(r"[**\1**](\2)",
                                                         pattern.sub(replace, piece))
                   for index, piece in enumerate(pieces))
