"""Checking a learner's review before the models read it.

The page never trusts the text box: it may be empty, a megabyte long, binary junk pasted from a
file, HTML with scripts, or Japanese. ``check_review`` returns the text the models will get plus
a list of findings (keys the page translates); it never raises.

Why we still run the models on non-English text: the learner sees for themselves that the
verdict is meaningless (most words are out of vocabulary, [UNK]) — the page says so first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_INPUT_CHARS = 10_000  # about 1,800 words: past the models' 800-word window
# What the page may tell the learner about their text: ``sentiment.input_<finding>``.
FINDINGS = ("empty", "too_long", "binary", "markup", "non_english")
NON_ENGLISH_SHARE = 0.3  # letters outside ASCII above this share → "the models read English"
CONTROL_SHARE = 0.1  # control characters above this share → "looks like binary data"


@dataclass(frozen=True)
class CheckedReview:
    text: str  # what goes to the models ("" when there is nothing to read)
    findings: tuple[str, ...]  # some of FINDINGS, "empty" first
    original_chars: int

    @property
    def readable(self) -> bool:
        return bool(self.text.strip())


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") and char not in "\n\r\t"


def letter_shares(text: str) -> tuple[int, int]:
    """(ASCII letters, other letters): CJK, kana, Cyrillic... count as "other"."""
    ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
    other = sum(1 for c in text if not c.isascii() and c.isalpha())
    return ascii_letters, other


def check_review(raw: str | bytes | None) -> CheckedReview:
    """The text to send to the models and what the page should tell the learner about it."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    raw = raw or ""
    findings: list[str] = []
    original = len(raw)
    text = raw[:MAX_INPUT_CHARS]
    if original > MAX_INPUT_CHARS:
        findings.append("too_long")
    controls = sum(1 for c in text if _is_control(c)) + text.count("\ufffd")
    if text and controls / len(text) > CONTROL_SHARE:
        findings.append("binary")
    text = "".join(" " if _is_control(c) or c == "\ufffd" else c for c in text)
    if "<" in text and ">" in text:
        findings.append("markup")
    ascii_letters, other = letter_shares(text)
    if other and other / (ascii_letters + other) > NON_ENGLISH_SHARE:
        findings.append("non_english")
    if not text.strip() or not (ascii_letters or other or any(c.isdigit() for c in text)):
        findings.insert(0, "empty")
        text = ""
    return CheckedReview(text, tuple(findings), original)


# Example reviews for the text box. They stay in English in both languages on purpose: the models
# read English only (the Japanese one is there to show what happens otherwise).
EXAMPLES = {
    "positive": (
        "This film is a gem. The acting is superb, the story is moving and funny at the same "
        "time, and the ending left me smiling for hours. One of the best movies I have seen "
        "in years; I highly recommend it."
    ),
    "negative": (
        "What a waste of two hours. The plot makes no sense, the dialogue is awful and the "
        "actors look bored. I kept checking my watch. Avoid this boring mess at all costs, it"
        " is the worst film of the year."
    ),
    "mixed": (
        "The photography is beautiful and the music is great, but the story drags on far too "
        "long and the characters are flat. Some scenes are wonderful, others are painfully "
        "dull. Worth watching once, maybe."
    ),
    "negation": (
        "This movie is not bad at all. I did not expect much and I was not disappointed: it "
        "is not boring for a single minute and the cast is never anything less than good."
    ),
    "tricky": (
        "The trailer was brilliant, the cast is brilliant and the director has made some "
        "brilliant films. I was excited, I was ready to love it. Sadly, the film itself is a "
        "dull, lifeless disappointment."
    ),
    "japanese": (
        "この映画は本当に素晴らしかった。役者の演技も音楽も最高で、もう一度観たいと思います。"
    ),
}
