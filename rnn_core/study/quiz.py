"""The quiz engine: questions and predictions as data, answers graded here, never in a page.

Each page's questions live in ``rnn_core/study/quizzes/<page>.yaml`` in both languages (see
``fundamentals.yaml`` for the schema). A learner's *response* is plain JSON-able data: an index
for ``single``, a sorted list of indices for ``multiple``, a number for ``numeric``. Indices
always refer to the YAML order; the learner sees the choices in an order shuffled per learner
and question (``choice_order``), so a position on screen says nothing about the answer.

Every choice carries its own feedback (``why``), a numeric question a ``hint`` (and optionally
``mistakes``: values a common slip gives, each with its own feedback). The ``explanation`` is for
after a correct answer or an explicit "show the answer"; ``rnn_core.study.records`` keeps which.

A page's ``predictions`` are asked before an interactive shows its result, then compared with
what happened; they are recorded but never graded as right or wrong answers.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from rnn_core.storage import read_yaml

QUIZ_DIR = Path(__file__).parent / "quizzes"
Kind = Literal["single", "multiple", "numeric"]
PredictionKind = Literal["choice", "number"]
Response = int | list[int] | float
Texts = dict[str, str]  # {"en": ..., "ja": ...}
MAX_NUMERIC = 1e12  # far beyond any answer here; keeps junk such as 1e308 out of progress files


class InvalidResponse(ValueError):
    """A response that does not fit its question (wrong type, index out of range, not finite)."""


def in_language(texts: Texts, lang: str) -> str:
    """``texts`` in ``lang``, falling back to English."""
    return texts.get(lang) or texts["en"]


@dataclass(frozen=True)
class Choice:
    """One choice of a single- or multiple-choice question, with the feedback for picking it."""

    text: Texts
    why: Texts


@dataclass(frozen=True)
class Mistake:
    """A number a common slip gives for a numeric question, and what that slip was."""

    value: float
    why: Texts


@dataclass(frozen=True)
class Question:
    """One question; every text field holds ``{"en": ..., "ja": ...}``.

    ``v1_order`` / ``v2_order`` (optional) map each choice index as progress format 1 / 2
    stored it to its index now, so responses stored before the choices were reordered (for key
    balance) keep their meaning; a question without one kept that version's order.
    """

    id: str
    kind: Kind
    prompt: Texts
    explanation: Texts
    answer: Response
    choices: tuple[Choice, ...] = ()
    tolerance: float = 0.0
    hint: Texts | None = None
    mistakes: tuple[Mistake, ...] = ()
    v1_order: tuple[int, ...] | None = None
    v2_order: tuple[int, ...] | None = None

    def text(self, field: str, lang: str) -> str:
        """``prompt``, ``explanation`` or ``hint`` in ``lang``, falling back to English."""
        return in_language(getattr(self, field), lang)

    def choice_texts(self, lang: str) -> list[str]:
        return [in_language(choice.text, lang) for choice in self.choices]

    def correct_choices(self) -> set[int]:
        """Indices of the right choice(s); empty for a numeric question."""
        if self.kind == "single":
            return {int(self.answer)}  # type: ignore[arg-type]
        return set(self.answer) if self.kind == "multiple" else set()  # type: ignore[arg-type]


@dataclass(frozen=True)
class Prediction:
    """A guess asked before an interactive shows its result (``choice`` or ``number``).

    ``options`` are the keys of a choice prediction (what the page computes as the outcome);
    a number prediction counts as right within ``tolerance`` (relative, 0.1 = 10%).
    """

    id: str
    kind: PredictionKind
    prompt: Texts
    explanation: Texts
    options: tuple[str, ...] = ()
    option_texts: tuple[Texts, ...] = ()
    tolerance: float = 0.0

    def text(self, field: str, lang: str) -> str:
        return in_language(getattr(self, field), lang)

    def option_label(self, key: str, lang: str) -> str:
        return in_language(self.option_texts[self.options.index(key)], lang)

    def normalize(self, raw: object) -> str | float:
        """A guess or an outcome in canonical form; ``InvalidResponse`` if it cannot be one."""
        if self.kind == "choice":
            if not isinstance(raw, str) or raw not in self.options:
                raise InvalidResponse(f"{self.id}: no such option {raw!r}")
            return raw
        return _finite_number(self.id, raw)

    def matches(self, guess: str | float, outcome: str | float) -> bool:
        """Whether a guess came true."""
        if self.kind == "choice":
            return guess == outcome
        scale = max(abs(float(outcome)), 1e-12)
        return abs(float(guess) - float(outcome)) <= self.tolerance * scale + 1e-9


@dataclass(frozen=True)
class Quiz:
    page: str
    questions: tuple[Question, ...]
    predictions: tuple[Prediction, ...] = ()

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def prediction(self, prediction_id: str) -> Prediction:
        for prediction in self.predictions:
            if prediction.id == prediction_id:
                return prediction
        raise KeyError(prediction_id)


def available_quizzes() -> tuple[str, ...]:
    """Page names that have a quiz, in a stable order."""
    return tuple(sorted(path.stem for path in QUIZ_DIR.glob("*.yaml")))


@cache
def load_quiz(page: str) -> Quiz:
    """Read and check one page's quiz (cached: quiz files never change while the app runs)."""
    if page not in available_quizzes():
        raise KeyError(f"no quiz for page {page!r}")
    data = read_yaml(QUIZ_DIR / f"{page}.yaml")
    questions = tuple(_question_from_data(item) for item in data["questions"])
    predictions = tuple(_prediction_from_data(item) for item in data.get("predictions") or ())
    return Quiz(page=data.get("page", page), questions=questions, predictions=predictions)


def _question_from_data(item: dict) -> Question:
    choices = tuple(Choice(text={lang: choice[lang] for lang in ("en", "ja") if lang in choice},
                           why=dict(choice.get("why") or {}))
                    for choice in item.get("choices", ()))
    question = Question(
        id=str(item["id"]),
        kind=item["kind"],
        prompt=dict(item["prompt"]),
        explanation=dict(item["explanation"]),
        answer=item["answer"],
        choices=choices,
        tolerance=float(item.get("tolerance", 0.0)),
        hint=dict(item["hint"]) if item.get("hint") else None,
        mistakes=tuple(Mistake(float(m["value"]), dict(m["why"]))
                       for m in item.get("mistakes") or ()),
        v1_order=tuple(item["v1_order"]) if item.get("v1_order") else None,
        v2_order=tuple(item["v2_order"]) if item.get("v2_order") else None,
    )
    normalize_response(question, question.answer)  # a quiz file with a bad key fails loudly
    return question


def _prediction_from_data(item: dict) -> Prediction:
    options = item.get("choices") or ()
    return Prediction(
        id=str(item["id"]),
        kind=item["kind"],
        prompt=dict(item["prompt"]),
        explanation=dict(item["explanation"]),
        options=tuple(str(option["key"]) for option in options),
        option_texts=tuple({lang: option[lang] for lang in ("en", "ja")} for option in options),
        tolerance=float(item.get("tolerance", 0.0)),
    )


def normalize_response(question: Question, raw: object) -> Response:
    """Check a response against its question and return it in canonical form.

    Raises ``InvalidResponse`` for anything a learner's widget could not have produced.
    """
    if question.kind == "single":
        return _choice_index(question, raw)
    if question.kind == "multiple":
        if not isinstance(raw, (list, tuple)) or not raw:
            raise InvalidResponse(f"{question.id}: expected a non-empty list of choices")
        indices = sorted({_choice_index(question, item) for item in raw})
        if len(indices) != len(raw):
            raise InvalidResponse(f"{question.id}: a choice is repeated")
        return indices
    return _finite_number(question.id, raw)


def _finite_number(where: str, raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise InvalidResponse(f"{where}: expected a number")
    if not math.isfinite(raw) or abs(raw) > MAX_NUMERIC:
        raise InvalidResponse(f"{where}: number out of range")
    return float(raw)


def _choice_index(question: Question, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < len(question.choices):
        raise InvalidResponse(f"{question.id}: no such choice {raw!r}")
    return raw


def from_version(question: Question, raw: object, version: int) -> Response:
    """A response stored in progress format ``version``'s choice order, in today's order.

    Raises ``InvalidResponse`` for an index that version's question never had.
    """
    response = normalize_response(question, raw)
    order = {1: question.v1_order, 2: question.v2_order}.get(version)
    if order is None or question.kind == "numeric":
        return response
    indices = [response] if question.kind == "single" else response
    if any(index >= len(order) for index in indices):  # type: ignore[union-attr]
        raise InvalidResponse(f"{question.id}: version {version} had no choice {raw!r}")
    if question.kind == "single":
        return order[response]  # type: ignore[index]
    return sorted(order[index] for index in response)  # type: ignore[union-attr]


def is_correct(question: Question, response: Response) -> bool:
    """Grade one (already normalized) response."""
    if question.kind == "multiple":
        return sorted(response) == sorted(question.answer)  # type: ignore[arg-type]
    if question.kind == "numeric":
        return abs(float(response) - float(question.answer)) <= question.tolerance + 1e-9  # type: ignore[arg-type]
    return response == question.answer


@dataclass(frozen=True)
class Feedback:
    """What a learner reads after checking a wrong answer (nothing that gives the key away).

    ``reasons``: the ``why`` of each wrongly chosen choice, or the numeric mistake's (else the
    hint); ``missing``: a multiple-choice answer whose every tick is right but incomplete.
    """

    correct: bool
    reasons: tuple[Texts, ...] = ()
    missing: bool = False


def feedback(question: Question, response: Response) -> Feedback:
    """The feedback for one (already normalized) response."""
    if is_correct(question, response):
        return Feedback(True)
    if question.kind == "numeric":
        for mistake in question.mistakes:
            if abs(float(response) - mistake.value) <= max(question.tolerance, 1e-9):  # type: ignore[arg-type]
                return Feedback(False, (mistake.why,))
        return Feedback(False, (question.hint,) if question.hint else ())
    chosen = {response} if question.kind == "single" else set(response)  # type: ignore[arg-type]
    wrong = sorted(chosen - question.correct_choices())
    return Feedback(False, tuple(question.choices[i].why for i in wrong), missing=not wrong)


def choice_order(question: Question, learner: str) -> list[int]:
    """The order (YAML indices) in which ``learner`` sees ``question``'s choices.

    Seeded by the learner code and the question id: the same learner always sees the same
    order (on any device, after any reload), and across learners every position is as likely to
    hold the answer as any other.
    """
    digest = hashlib.sha256(f"{learner}\x00{question.id}".encode()).digest()
    order = list(range(len(question.choices)))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


@dataclass(frozen=True)
class KeyStatistics:
    """How much a choice question's key could give away by where it sits or how long it is.

    ``positions``: how many single-choice keys sit at each YAML position; ``longest``: keys
    strictly longer than every other choice; ``longest_or_tied``: no other choice longer.
    """

    singles: int
    positions: dict[int, int]
    longest: dict[str, int]
    longest_or_tied: dict[str, int]

    def share(self, count: int) -> float:
        return count / self.singles if self.singles else 0.0

    def as_dict(self) -> dict:
        return {"singles": self.singles, "positions": self.positions,
                "largest_position_share": round(self.share(max(self.positions.values(),
                                                               default=0)), 3),
                "longest": self.longest, "longest_or_tied": self.longest_or_tied}


def key_statistics(quizzes: tuple[Quiz, ...] | None = None) -> KeyStatistics:
    """Key positions and lengths over every single-choice question (default: all quizzes)."""
    quizzes = quizzes or tuple(load_quiz(page) for page in available_quizzes())
    singles = [q for quiz in quizzes for q in quiz.questions if q.kind == "single"]
    positions: dict[int, int] = {}
    longest = dict.fromkeys(("en", "ja"), 0)
    tied = dict.fromkeys(("en", "ja"), 0)
    for question in singles:
        key = int(question.answer)  # type: ignore[arg-type]
        positions[key] = positions.get(key, 0) + 1
        for lang in longest:
            lengths = [len(text) for text in question.choice_texts(lang)]
            others = lengths[:key] + lengths[key + 1:]
            longest[lang] += lengths[key] > max(others)
            tied[lang] += lengths[key] >= max(others)
    return KeyStatistics(len(singles), dict(sorted(positions.items())), longest, tied)
