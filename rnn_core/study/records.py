"""A learner's record of each question and prediction: the format, its grading and its merge.

Answers are ``{page: {id: record}}``; every record is plain JSON:

* a question: ``{"tries": [{"response": r, "at": t}, ...], "revealed_at": t | None}``, the
  distinct responses in the order they were first checked (``at``: Unix seconds), and when the
  learner asked to be shown the answer;
* a prediction: ``{"rounds": [{"guess": g, "outcome": o | None, "at": t}, ...]}``, one round
  per guess, with what then happened.

Nothing derived is stored: whether a question was answered right at the first try, right after
retries, or revealed is graded again from the tries every time (``status``), so a record cannot
claim more than its responses earn. Records from before (a bare response per question, as
progress files of version 1 hold) are upgraded as one try, and records whose choice indices
follow an older choice order (version 2) are mapped to today's (``validated_record``).

Two sessions of one learner (two browser tabs) each keep a record; ``merge_records`` joins them
as if everything had happened in one timeline, so no try, reveal or prediction is lost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from rnn_core.study import quiz

Record = dict[str, Any]
Answers = dict[str, dict[str, Record]]
Status = Literal["unanswered", "trying", "first_try", "after_retries", "revealed"]
STATUSES: tuple[Status, ...] = ("unanswered", "trying", "first_try", "after_retries", "revealed")
MAX_TRIES = 12  # distinct responses kept per question (4 choices need at most 4)
MAX_ROUNDS = 20  # prediction rounds kept per prediction (the latest)
MAX_TIME = 1e11  # seconds since 1970: year 5138; anything later is junk
LEGACY_TIME = 0.0  # a version-1 response: before anything recorded since


class InvalidRecord(ValueError):
    """A record that does not fit its question or prediction."""


# ---------------------------------------------------------------- questions
def add_try(record: Record | None, response: quiz.Response, at: float) -> Record:
    """``record`` with one more checked response (a repeat of an earlier one adds nothing)."""
    record = question_record(record)
    if any(entry["response"] == response for entry in record["tries"]):
        return record
    if len(record["tries"]) >= MAX_TRIES:
        return record
    return {**record, "tries": [*record["tries"], {"response": response, "at": at}]}


def add_reveal(record: Record | None, at: float) -> Record:
    """``record`` with the answer shown (the first time counts)."""
    record = question_record(record)
    if record["revealed_at"] is not None:
        return record
    return {**record, "revealed_at": at}


def question_record(record: Record | None) -> Record:
    """An empty question record, or ``record`` itself."""
    return record if record else {"tries": [], "revealed_at": None}


def responses(record: Record | None) -> list[quiz.Response]:
    return [entry["response"] for entry in question_record(record)["tries"]]


def status(question: quiz.Question, record: Record | None) -> Status:
    """Graded again from the tries: only a correct response before any reveal counts."""
    record = question_record(record)
    revealed_at = record["revealed_at"]
    for number, entry in enumerate(record["tries"]):
        if revealed_at is not None and entry["at"] >= revealed_at:
            break
        if quiz.is_correct(question, entry["response"]):
            return "first_try" if number == 0 else "after_retries"
    if revealed_at is not None:
        return "revealed"
    return "trying" if record["tries"] else "unanswered"


def is_settled(question: quiz.Question, record: Record | None) -> bool:
    """Solved or revealed: later checks are still graded for the learner, but not recorded."""
    return status(question, record) in ("first_try", "after_retries", "revealed")


# ---------------------------------------------------------------- predictions
def add_round(record: Record | None, guess: str | float, at: float) -> Record:
    """``record`` with a new guess whose outcome is not known yet."""
    rounds = [*prediction_record(record)["rounds"], {"guess": guess, "outcome": None, "at": at}]
    return {"rounds": rounds[-MAX_ROUNDS:]}


def set_outcome(record: Record, at: float, outcome: str | float) -> Record:
    """The round guessed at ``at`` with what then happened."""
    rounds = [{**entry, "outcome": outcome} if entry["at"] == at else entry
              for entry in prediction_record(record)["rounds"]]
    return {"rounds": rounds}


def prediction_record(record: Record | None) -> Record:
    return record if record else {"rounds": []}


def prediction_tally(prediction: quiz.Prediction, record: Record | None) -> tuple[int, int]:
    """(rounds with a known outcome, of which the guess came true)."""
    done = [entry for entry in prediction_record(record)["rounds"]
            if entry["outcome"] is not None]
    return len(done), sum(prediction.matches(e["guess"], e["outcome"]) for e in done)


# ---------------------------------------------------------------- scores
@dataclass(frozen=True)
class Score:
    """A page's questions by status, and its predictions (guesses compared with outcomes)."""

    total: int
    first_try: int = 0
    after_retries: int = 0
    revealed: int = 0
    trying: int = 0
    predicted: int = 0
    predicted_right: int = 0

    @property
    def correct(self) -> int:
        """Answered right without being shown the answer."""
        return self.first_try + self.after_retries

    @property
    def answered(self) -> int:
        """Questions with any try or a reveal."""
        return self.correct + self.revealed + self.trying

    @property
    def completion(self) -> float:
        """Share of questions answered, 0..1."""
        return self.answered / self.total if self.total else 0.0


def score(page_quiz: quiz.Quiz, records: Mapping[str, Record]) -> Score:
    """Counts for one page from its records (unknown ids are ignored)."""
    counts = dict.fromkeys(STATUSES, 0)
    for question in page_quiz.questions:
        counts[status(question, records.get(question.id))] += 1
    predicted = right = 0
    for prediction in page_quiz.predictions:
        done, matched = prediction_tally(prediction, records.get(prediction.id))
        predicted, right = predicted + done, right + matched
    return Score(total=len(page_quiz.questions), first_try=counts["first_try"],
                 after_retries=counts["after_retries"], revealed=counts["revealed"],
                 trying=counts["trying"], predicted=predicted, predicted_right=right)


# ---------------------------------------------------------------- validation
def validated_record(page_quiz: quiz.Quiz, item_id: str, raw: object,
                     version: int | None = None) -> Record:
    """``raw`` (from a file or the store) checked and put in canonical form.

    A bare response (no record around it) is a version-1 answer: it becomes one try, its
    choice indices mapped to today's order. ``version``: the progress format whose choice
    order a record's indices follow (2: mapped with ``v2_order``; ``None``: today's order).
    Raises ``KeyError`` for an unknown id and ``InvalidRecord`` for anything a session could
    not have written.
    """
    try:
        prediction = page_quiz.prediction(item_id)
    except KeyError:
        return _validated_question_record(page_quiz.question(item_id), raw, version)
    return _validated_prediction_record(prediction, raw)


def _validated_question_record(question: quiz.Question, raw: object,
                               version: int | None) -> Record:
    try:
        if not isinstance(raw, dict):
            return {"tries": [{"response": quiz.from_version(question, raw, 1),
                               "at": LEGACY_TIME}], "revealed_at": None}
        _expect_keys(raw, {"tries", "revealed_at"})
        tries = raw["tries"]
        if not isinstance(tries, list) or len(tries) > MAX_TRIES:
            raise InvalidRecord(f"{question.id}: tries must be a list of at most {MAX_TRIES}")
        entries = []
        for entry in tries:
            if not isinstance(entry, dict):
                raise InvalidRecord(f"{question.id}: a try is not an object")
            _expect_keys(entry, {"response", "at"})
            response = (quiz.normalize_response(question, entry["response"]) if version is None
                        else quiz.from_version(question, entry["response"], version))
            entries.append({"response": response, "at": _time(entry["at"])})
        revealed = raw["revealed_at"]
        return _canonical_tries(entries, None if revealed is None else _time(revealed))
    except quiz.InvalidResponse as error:
        raise InvalidRecord(str(error)) from None


def _validated_prediction_record(prediction: quiz.Prediction, raw: object) -> Record:
    if not isinstance(raw, dict):
        raise InvalidRecord(f"{prediction.id}: a prediction record must be an object")
    _expect_keys(raw, {"rounds"})
    rounds = raw["rounds"]
    if not isinstance(rounds, list) or len(rounds) > MAX_ROUNDS:
        raise InvalidRecord(f"{prediction.id}: rounds must be a list of at most {MAX_ROUNDS}")
    entries = []
    try:
        for entry in rounds:
            if not isinstance(entry, dict):
                raise InvalidRecord(f"{prediction.id}: a round is not an object")
            _expect_keys(entry, {"guess", "outcome", "at"})
            outcome = entry["outcome"]
            entries.append({"guess": prediction.normalize(entry["guess"]),
                            "outcome": None if outcome is None else prediction.normalize(outcome),
                            "at": _time(entry["at"])})
    except quiz.InvalidResponse as error:
        raise InvalidRecord(str(error)) from None
    return {"rounds": sorted(entries, key=lambda e: e["at"])}


def _expect_keys(raw: dict, keys: set[str]) -> None:
    if set(raw) != keys:
        raise InvalidRecord(f"expected the fields {sorted(keys)}, got {sorted(map(str, raw))}")


def _time(raw: object) -> float:
    if (isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw)
            or not 0 <= raw <= MAX_TIME):
        raise InvalidRecord(f"not a time: {str(raw)[:40]}")
    return float(raw)


def _canonical_tries(entries: list[dict], revealed_at: float | None) -> Record:
    """Tries sorted by time, each distinct response once (its first time), at most MAX_TRIES."""
    seen: list = []
    kept = []
    for entry in sorted(entries, key=lambda e: e["at"]):
        if entry["response"] not in seen:
            seen.append(entry["response"])
            kept.append(entry)
    return {"tries": kept[:MAX_TRIES], "revealed_at": revealed_at}


# ---------------------------------------------------------------- merging
def merge_records(a: Record | None, b: Record | None) -> Record:
    """Two sessions' records of one question (or one prediction) as one timeline.

    Questions: the tries of both, in time order (so the earlier first attempt decides
    first-try correctness), each distinct response once; revealed if either was revealed, at
    the earlier time. Predictions: the rounds of both, in time order, a known outcome winning
    over an unknown one for the same round. Pure: neither argument is changed.
    """
    if not a or not b:
        return dict(a or b or question_record(None))
    if "rounds" in a or "rounds" in b:
        rounds: dict[tuple, dict] = {}
        for entry in [*prediction_record(a)["rounds"], *prediction_record(b)["rounds"]]:
            key = (entry["at"], repr(entry["guess"]))
            if key not in rounds or rounds[key]["outcome"] is None:
                rounds[key] = dict(entry)
        ordered = sorted(rounds.values(), key=lambda e: e["at"])
        return {"rounds": ordered[-MAX_ROUNDS:]}
    reveals = [r["revealed_at"] for r in (a, b) if r.get("revealed_at") is not None]
    return _canonical_tries([*a["tries"], *b["tries"]], min(reveals) if reveals else None)


def merge_answers(a: Answers, b: Answers) -> Answers:
    """Two sessions' answers of one learner, every page and id of either, records merged."""
    merged: Answers = {}
    for page in sorted({*a, *b}):
        left, right = a.get(page, {}), b.get(page, {})
        merged[page] = {item: merge_records(left.get(item), right.get(item))
                        for item in sorted({*left, *right})}
    return merged
