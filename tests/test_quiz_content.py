"""Every shipped quiz is well-formed, bilingual, and its shape and parameter answers match Keras.

Reads ``rnn_core/quizzes/*.yaml`` with ``yaml.safe_load`` only, so these checks do not depend on
the quiz engine. A question whose answer is a parameter count or an output shape carries a
``keras_check``; the real model is built with ``rnn_core.shapes.build_keras_model`` and compared.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

QUIZ_DIR = ROOT / "rnn_core" / "quizzes"
QUIZ_FILES = sorted(QUIZ_DIR.glob("*.yaml"))
KINDS = {"single", "multiple", "numeric"}
ID_PATTERN = re.compile(r"[a-z0-9_]+")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
LANGS = ("en", "ja")
QUESTION_KEYS = {"id", "kind", "prompt", "choices", "answer", "tolerance", "explanation",
                 "keras_check"}


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


def _questions(path: Path) -> list[dict]:
    questions = _load(path).get("questions")
    assert isinstance(questions, list), f"{path.name}: `questions` must be a list"
    return questions


def _is_number(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _keras_cases() -> list:
    cases = []
    for path in QUIZ_FILES:
        for question in _questions(path):
            if isinstance(question, dict) and "keras_check" in question:
                cases.append(pytest.param(question, id=f"{path.stem}:{question.get('id')}"))
    return cases


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
    ids = [q.get("id") for q in questions]
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
        return
    choices = question.get("choices")
    assert isinstance(choices, list) and 3 <= len(choices) <= 5, f"{where}: needs 3-5 choices"
    for number, choice in enumerate(choices):
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


def test_fundamentals_quiz_has_enough_questions_of_each_kind():
    questions = _questions(QUIZ_DIR / "fundamentals.yaml")
    kinds = [q["kind"] for q in questions]
    assert len(questions) >= 10
    assert kinds.count("multiple") >= 1
    assert kinds.count("numeric") >= 2


@pytest.mark.parametrize("question", _keras_cases())
def test_keras_check_matches_the_real_model(question: dict):
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
    for path in QUIZ_FILES:
        for question in _questions(path):
            check = question.get("keras_check")
            if not check or check["quantity"] != "output_shape":
                continue
            shapes = [ast.literal_eval(choice["en"]) for choice in question["choices"]]
            assert all(isinstance(shape, tuple) for shape in shapes), question["id"]
            assert len(set(shapes)) == len(shapes), f"{question['id']}: repeated shape"
