"""Every shipped quiz is well-formed, bilingual, teaches through per-choice feedback, gives
nothing away by position or length, and its computed answers are right.

Reads ``rnn_core/study/quizzes/*.yaml`` with ``yaml.safe_load`` only, so these checks do not
depend on the quiz engine. A question whose answer is a parameter count or an output shape carries a
``keras_check``; the real model is built with ``rnn_core.fundamentals.shapes.build_keras_model``
and compared. A question whose answer is read off a page's interactive carries ``reads_off``;
``READ_OFF`` below computes that answer with ``rnn_core``, the way the page does.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.conftest import ROOT

QUIZ_DIR = ROOT / "rnn_core" / "study" / "quizzes"
QUIZ_FILES = sorted(QUIZ_DIR.glob("*.yaml"))
KINDS = {"single", "multiple", "numeric"}
ID_PATTERN = re.compile(r"[a-z0-9_]+")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
LANGS = ("en", "ja")
QUESTION_KEYS = {"id", "kind", "prompt", "choices", "answer", "tolerance", "explanation",
                 "keras_check", "hint", "mistakes", "v1_order", "v2_order", "reads_off"}
PREDICTION_KEYS = {"id", "kind", "prompt", "explanation", "choices", "tolerance"}
MIN_QUESTIONS = 50
MAX_POSITION_SHARE = 0.35  # no position holds more of the single-choice keys than this
LONGEST_SHARE = (0.10, 0.35)  # the key is the longest choice neither always nor never
MAX_PAGE_LONGEST_SHARE = 0.4  # on one page, the key is the strict longest in at most this share
MAX_KEY_LENGTH_RATIO = 1.2  # nor is it ever more than 20% longer than the longest other choice
MIN_READ_OFF_PER_PAGE = 2


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


def _questions(path: Path) -> list[dict]:
    questions = _load(path).get("questions")
    assert isinstance(questions, list), f"{path.name}: `questions` must be a list"
    return questions


def _all_questions() -> list[tuple[str, dict]]:
    return [(path.stem, q) for path in QUIZ_FILES for q in _questions(path)]


def _is_number(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _cases(field: str) -> list:
    return [pytest.param(page, q, id=f"{page}:{q.get('id')}")
            for page, q in _all_questions() if isinstance(q, dict) and field in q]


def _choice_text(question: dict, lang: str) -> str:
    return question["choices"][question["answer"]][lang]


def test_there_is_a_quiz_to_check():
    assert QUIZ_FILES, f"no quiz files in {QUIZ_DIR}"


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_quiz_file_is_well_formed(path: Path):
    data = _load(path)
    assert data.get("page") == path.stem, f"{path.name}: `page` must be {path.stem!r}"
    questions = _questions(path)
    assert questions, f"{path.name}: no questions"
    ids = [q.get("id") for q in questions] + [p.get("id") for p in data.get("predictions") or ()]
    assert len(ids) == len(set(ids)), f"{path.name}: repeated ids"
    for question in questions:
        qid = question.get("id")
        where = f"{path.name}:{qid}"
        assert isinstance(qid, str) and ID_PATTERN.fullmatch(qid), f"{where}: bad id"
        unknown = set(question) - QUESTION_KEYS
        assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
        assert question.get("kind") in KINDS, f"{where}: kind must be one of {sorted(KINDS)}"
        _check_texts(where, question)
        _check_answer(where, question)


def _check_bilingual(where: str, texts: object) -> None:
    assert isinstance(texts, dict), f"{where}: expected {{en: ..., ja: ...}}"
    for lang in LANGS:
        text = texts.get(lang)
        assert isinstance(text, str) and text.strip(), f"{where}: missing {lang} text"
        assert not HTML_TAG.search(text), f"{where}: {lang} text contains HTML"


def _check_texts(where: str, question: dict) -> None:
    _check_bilingual(f"{where}.prompt", question.get("prompt"))
    _check_bilingual(f"{where}.explanation", question.get("explanation"))
    if question["kind"] == "numeric":
        assert "choices" not in question, f"{where}: numeric questions take no choices"
        _check_bilingual(f"{where}.hint", question.get("hint"))
        for number, mistake in enumerate(question.get("mistakes") or ()):
            assert _is_number(mistake.get("value")), f"{where}.mistakes[{number}]: value"
            _check_bilingual(f"{where}.mistakes[{number}].why", mistake.get("why"))
        return
    assert "hint" not in question and "mistakes" not in question, f"{where}: numeric only"
    choices = question.get("choices")
    sizes = {"single": (4, 4), "multiple": (4, 6)}[question["kind"]]
    assert isinstance(choices, list) and sizes[0] <= len(choices) <= sizes[1], (
        f"{where}: a {question['kind']} question needs {sizes[0]}-{sizes[1]} choices")
    for number, choice in enumerate(choices):
        assert set(choice) == {"en", "ja", "why"}, f"{where}.choices[{number}]: en, ja and why"
        _check_bilingual(f"{where}.choices[{number}]", choice)
    english = [choice["en"].strip() for choice in choices]
    assert len(english) == len(set(english)), f"{where}: two choices read the same"


def _check_answer(where: str, question: dict) -> None:
    kind, answer = question["kind"], question.get("answer")
    if kind == "single":
        assert isinstance(answer, int) and not isinstance(answer, bool), f"{where}: answer index"
        assert 0 <= answer < len(question["choices"]), f"{where}: answer index out of range"
        assert "tolerance" not in question, f"{where}: tolerance is for numeric questions"
    elif kind == "multiple":
        assert isinstance(answer, list) and answer, f"{where}: answer must be a non-empty list"
        assert len(answer) == len(set(answer)), f"{where}: answer repeats a choice"
        for index in answer:
            assert isinstance(index, int) and not isinstance(index, bool), f"{where}: {index!r}"
            assert 0 <= index < len(question["choices"]), f"{where}: {index} out of range"
        assert "tolerance" not in question, f"{where}: tolerance is for numeric questions"
    else:
        assert _is_number(answer), f"{where}: numeric answer must be a finite number"
        tolerance = question.get("tolerance", 0)
        assert _is_number(tolerance) and tolerance >= 0, f"{where}: bad tolerance"
        for mistake in question.get("mistakes") or ():
            assert abs(mistake["value"] - answer) > tolerance, (
                f"{where}: the mistake {mistake['value']} would be graded right")
    for field in ("v1_order", "v2_order"):
        order = question.get(field)
        if order is None:
            continue
        assert kind != "numeric", f"{where}: {field} is for choice questions"
        assert len(set(order)) == len(order), f"{where}: {field} repeats an index"
        assert all(0 <= i < len(question["choices"]) for i in order), f"{where}: {field}"


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_every_choice_has_its_own_feedback_in_both_languages(path: Path):
    """A wrong answer must be able to say why *that* choice is wrong, in either language."""
    for question in _questions(path):
        for number, choice in enumerate(question.get("choices") or ()):
            _check_bilingual(f"{path.stem}:{question['id']}.choices[{number}].why",
                             choice.get("why"))


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_predictions_are_well_formed(path: Path):
    for prediction in _load(path).get("predictions") or ():
        where = f"{path.stem}:{prediction.get('id')}"
        assert ID_PATTERN.fullmatch(str(prediction.get("id"))), f"{where}: bad id"
        assert set(prediction) <= PREDICTION_KEYS, f"{where}: {sorted(prediction)}"
        _check_bilingual(f"{where}.prompt", prediction.get("prompt"))
        _check_bilingual(f"{where}.explanation", prediction.get("explanation"))
        if prediction.get("kind") == "choice":
            options = prediction.get("choices")
            assert isinstance(options, list) and len(options) >= 2, f"{where}: choices"
            keys = [option.get("key") for option in options]
            assert all(ID_PATTERN.fullmatch(str(k)) for k in keys) and len(set(keys)) == len(keys)
            for option in options:
                _check_bilingual(f"{where}.{option['key']}", option)
        else:
            assert prediction.get("kind") == "number", f"{where}: kind is choice or number"
            assert _is_number(prediction.get("tolerance", 0)), f"{where}: tolerance"


def test_every_page_asks_for_a_prediction():
    for path in QUIZ_FILES:
        assert _load(path).get("predictions"), f"{path.stem}: no prediction"


def test_there_are_enough_questions():
    assert len(_all_questions()) >= MIN_QUESTIONS


def test_fundamentals_quiz_has_enough_questions_of_each_kind():
    kinds = [q["kind"] for q in _questions(QUIZ_DIR / "fundamentals.yaml")]
    assert len(kinds) >= 10
    assert kinds.count("multiple") >= 1
    assert kinds.count("numeric") >= 2


def _singles(path: Path | None = None) -> list[dict]:
    """The single-choice questions of one page (``path``) or of the whole course."""
    questions = _questions(path) if path else [q for _, q in _all_questions()]
    return [q for q in questions if q["kind"] == "single"]


def _largest_position_share(questions: list[dict]) -> float:
    keys = [q["answer"] for q in questions]
    return max(keys.count(position) for position in set(keys)) / len(keys)


def test_no_position_holds_more_than_its_share_of_the_keys():
    """Choices are shuffled per learner anyway; the files must not lean on one position."""
    assert _largest_position_share(_singles()) <= MAX_POSITION_SHARE


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_no_position_holds_more_than_its_share_of_a_pages_keys(path: Path):
    """Balanced over the course is not enough: one page could put all its keys at one place."""
    share = _largest_position_share(_singles(path))
    assert share <= MAX_POSITION_SHARE, (path.stem, [q["answer"] for q in _singles(path)])


def test_the_position_check_catches_a_page_leaning_on_one_position():
    assert _largest_position_share([{"answer": 1}, {"answer": 1}, {"answer": 0}]) > 0.35
    assert _largest_position_share([{"answer": i % 4} for i in range(8)]) == 0.25


def _key_and_longest_other(question: dict, lang: str) -> tuple[int, int]:
    lengths = [len(choice[lang]) for choice in question["choices"]]
    key = question["answer"]
    return lengths[key], max(lengths[:key] + lengths[key + 1:])


@pytest.mark.parametrize("lang", LANGS)
def test_the_key_is_the_longest_choice_neither_always_nor_never(lang):
    longest = [q["id"] for q in _singles() if operator.gt(*_key_and_longest_other(q, lang))]
    share = len(longest) / len(_singles())
    assert LONGEST_SHARE[0] <= share <= LONGEST_SHARE[1], (round(share, 2), longest)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_on_no_page_is_the_key_given_away_by_its_length(path: Path, lang: str):
    """Per page: the key is the strict longest choice in at most 40% of the questions, and it
    is never more than 20% longer than the longest other choice (a learner who picks the
    longest answer must not pass)."""
    singles = _singles(path)
    lengths = {q["id"]: _key_and_longest_other(q, lang) for q in singles}
    longest = [qid for qid, (key, other) in lengths.items() if key > other]
    assert len(longest) <= MAX_PAGE_LONGEST_SHARE * len(singles), (path.stem, longest)
    far = {qid: f"{key}/{other}" for qid, (key, other) in lengths.items()
           if key > MAX_KEY_LENGTH_RATIO * other}
    assert not far, far


@pytest.mark.parametrize("lang", LANGS)
def test_no_multiple_choice_question_has_every_right_choice_longer_than_every_wrong(lang):
    """The short absolute claim ("It always...") is the wrong one: a pattern to learn, not the
    topic."""
    for _, question in _all_questions():
        if question["kind"] != "multiple":
            continue
        lengths = [len(choice[lang]) for choice in question["choices"]]
        right = [lengths[i] for i in question["answer"]]
        wrong = [n for i, n in enumerate(lengths) if i not in question["answer"]]
        assert min(right) <= max(wrong), (question["id"], right, wrong)


# ---------------------------------------------------------------- answers checked by Keras
@pytest.mark.parametrize(("page", "question"), _cases("keras_check"))
def test_keras_check_matches_the_real_model(page: str, question: dict):
    from rnn_core.fundamentals.shapes import RNNSpec, build_keras_model

    check = question["keras_check"]
    assert set(check) == {"quantity", "spec"}, f"keras_check keys: {sorted(check)}"
    model = build_keras_model(RNNSpec(**check["spec"]))
    kind = question["kind"]
    if check["quantity"] == "params":
        if kind == "numeric":
            assert question.get("tolerance", 0) == 0, "a parameter count is exact"
            expected = question["answer"]
        else:
            assert kind == "single", "a params check needs one answer"
            texts = {lang: _choice_text(question, lang).replace(",", "").strip()
                     for lang in LANGS}
            assert texts["en"] == texts["ja"], "the answer's number differs between languages"
            expected = int(texts["en"])
        assert expected == model.count_params()
    elif check["quantity"] == "output_shape":
        assert kind == "single", "an output_shape check needs one chosen shape"
        shapes = {lang: ast.literal_eval(_choice_text(question, lang)) for lang in LANGS}
        assert shapes["en"] == shapes["ja"], "the answer's shape differs between languages"
        assert isinstance(shapes["en"], tuple)
        assert shapes["en"] == tuple(model.output_shape)
    else:
        pytest.fail(f"unknown keras_check quantity {check['quantity']!r}")


def test_only_the_answer_choice_of_a_shape_question_is_the_models_shape():
    """Every choice of an output-shape question is a distinct tuple, so only the answer fits."""
    for _, question in _all_questions():
        check = question.get("keras_check")
        if not check or check["quantity"] != "output_shape":
            continue
        shapes = [ast.literal_eval(choice["en"]) for choice in question["choices"]]
        assert all(isinstance(shape, tuple) for shape in shapes), question["id"]
        assert len(set(shapes)) == len(shapes), f"{question['id']}: repeated shape"


# ---------------------------------------------------------------- answers read off the pages
def _stepthrough(s: dict) -> float:
    from rnn_core.cells import simple_rnn_trace
    from rnn_core.fundamentals import stepthrough

    assert s["weights"] == "default", "only the readable default weights are reproducible"
    x = stepthrough.example_sequence(s["preset"], s["steps"], s["features"])
    trace = simple_rnn_trace(x, *stepthrough.example_weights(s["features"], s["units"], None))
    return float(trace.hidden[s["step"] - 1, s["unit"] - 1])


def _gated_stepthrough(s: dict) -> float:
    """A number the gates page's step-through shows, with its default sizes and weights."""
    from rnn_core.cells import gated_trace
    from rnn_core.fundamentals import gates

    features, units, steps = gates.DEFAULT_SIZES
    x = gates.example_sequence(s["preset"], steps, features)
    trace = gated_trace(s["cell"], x, gates.example_weights(s["cell"], features, units, None))
    values = {"carried": trace.carried, "candidate": trace.gates[gates.CANDIDATES[s["cell"]]]}
    return float(values[s["quantity"]][s["step"] - 1, s["unit"] - 1])


def _shapes(s: dict) -> float:
    from rnn_core.fundamentals.shapes import RNNSpec, total_params

    return float(total_params(RNNSpec(**s)))


def _sine_problem(s: dict):
    from rnn_core.forecasting import experiment, series
    from rnn_core.forecasting.training import TrainConfig

    _, values = series.noisy_sine(series.SineSettings(s["points"], s["noise"], s["seed"]))
    config = TrainConfig(**{k: s[k] for k in ("window", "framing") if k in s})
    return experiment.prepare(values, config, series.SINE_SCALING), values


def _windows(s: dict) -> float:
    problem, _ = _sine_problem(s)
    return float(problem.windows.x_train.shape[0])


def _baselines(s: dict) -> float:
    from rnn_core.forecasting import forecasts, series

    problem, values = _sine_problem(s)
    start = problem.n_train
    if s["baseline"] == "persistence":
        prediction = forecasts.persistence(values, start)
    else:
        period = series.SineSettings(s["points"], s["noise"], s["seed"]).period
        prediction = forecasts.seasonal_naive(values, start, period)
    return forecasts.mse(values[start:], prediction)


def _side_by_side(s: dict) -> float:
    from rnn_core.comparison.side_by_side import ComparisonConfig
    from rnn_core.fundamentals.shapes import describe

    settings = {k: v for k, v in s.items() if k != "cell"}
    return float(sum(row.params for row in describe(ComparisonConfig(**settings).spec(s["cell"]))))


def _gradients(s: dict) -> float:
    from rnn_core.comparison import gradients

    norms = gradients.gradient_norms_over_time(gradients.GradientLabConfig(**s))
    return gradients.decay_per_step(norms)


def _sweep(s: dict) -> float:
    from rnn_core.comparison import memory_task

    rows = memory_task.load_sweep()["results"]
    row = next(r for r in rows if r["cell"] == s["cell"] and r["seq_len"] == s["seq_len"])
    return 100 * row["accuracy"]


def _explanations(example: str) -> dict:
    from rnn_core.sentiment import registry, user_text
    from rnn_core.sentiment.explain import Explainer

    if not registry.manifests(registry.MODELS_DIR):
        pytest.skip("no shipped sentiment models")
    usable, broken = registry.load_usable(registry.MODELS_DIR)
    assert not broken, broken
    return {name: Explainer(p).explain(user_text.EXAMPLES[example]) for name, p in usable.items()}


def _verdicts(s: dict) -> float:
    assert s["quantity"] == "positive_models"
    return float(sum(r.probability >= 0.5 for r in _explanations(s["example"]).values()))


def _words(s: dict) -> str:
    assert s["quantity"] == "most_negative_word"
    result = _explanations(s["example"])[s["model"]]
    return result.words[int(np.argmin(result.deltas))]


READ_OFF: dict[str, Callable[[dict], float | str]] = {  # "<page>.<interactive>" -> the answer
    "fundamentals.stepthrough": _stepthrough,
    "fundamentals.shapes": _shapes,
    "gates.stepthrough": _gated_stepthrough,
    "sine.windows": _windows,
    "sine.baselines": _baselines,
    "compare.side_by_side": _side_by_side,
    "compare.gradients": _gradients,
    "compare.sweep": _sweep,
    "sentiment.verdicts": _verdicts,
    "sentiment.words": _words,
}
SLOW_READ_OFF = {"compare.gradients", "sentiment.verdicts", "sentiment.words"}  # TF, models


def _read_off_cases() -> list:
    cases = []
    for page, question in _all_questions():
        spec = question.get("reads_off")
        if spec is None:
            continue
        name = f"{page}.{spec.get('interactive')}"
        marks = [pytest.mark.slow] if name in SLOW_READ_OFF else []
        cases.append(pytest.param(name, question, id=f"{page}:{question['id']}", marks=marks))
    return cases


def test_every_page_has_questions_read_off_its_own_interactive():
    for path in QUIZ_FILES:
        count = sum("reads_off" in q for q in _questions(path))
        assert count >= MIN_READ_OFF_PER_PAGE, f"{path.stem}: {count} read-off questions"


@pytest.mark.parametrize(("name", "question"), _read_off_cases())
def test_a_read_off_answer_is_what_the_page_shows(name: str, question: dict):
    assert name in READ_OFF, f"add a computation for {name} to READ_OFF"
    assert set(question["reads_off"]) == {"interactive", "settings"}
    value = READ_OFF[name](question["reads_off"]["settings"])
    if question["kind"] == "numeric":
        tolerance = question.get("tolerance", 0)
        assert abs(value - question["answer"]) <= tolerance + 1e-9, (value, question["answer"])
    else:
        assert question["kind"] == "single", "a read-off question has one answer"
        assert _choice_text(question, "en") == value, (value, _choice_text(question, "en"))
