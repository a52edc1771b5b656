"""Every text a learner can read, as ``(where, lang, text)``: the catalogue, the quizzes (with
their predictions) and the glossary. The Japanese-text and vocabulary tests go over all of it.

Read from the YAML files directly, so these checks apply to any file a branch adds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from rnn_core import i18n
from tests.conftest import ROOT

LANGS = ("en", "ja")
QUIZ_DIR = ROOT / "rnn_core" / "study" / "quizzes"
GLOSSARY = ROOT / "rnn_core" / "glossary.yaml"
Text = tuple[str, str, str]


def _bilingual(where: str, texts: object) -> Iterator[Text]:
    if isinstance(texts, dict):
        for lang in LANGS:
            if isinstance(texts.get(lang), str):
                yield where, lang, texts[lang]


def catalogue_texts() -> Iterator[Text]:
    for key, texts in i18n.catalogue().items():
        yield from _bilingual(f"locale {key}", texts)


def _item_texts(where: str, item: dict) -> Iterator[Text]:
    for field in ("prompt", "explanation", "hint"):
        yield from _bilingual(f"{where}.{field}", item.get(field))
    for number, choice in enumerate(item.get("choices") or ()):
        yield from _bilingual(f"{where}.choices[{number}]", choice)
        yield from _bilingual(f"{where}.choices[{number}].why", choice.get("why"))
    for number, mistake in enumerate(item.get("mistakes") or ()):
        yield from _bilingual(f"{where}.mistakes[{number}].why", mistake.get("why"))


def quiz_texts(paths: list[Path] | None = None) -> Iterator[Text]:
    for path in paths or sorted(QUIZ_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("predictions", "questions"):
            for item in data.get(section) or ():
                yield from _item_texts(f"quiz {path.stem}:{item.get('id')}", item)


def glossary_texts() -> Iterator[Text]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    for term in data["terms"]:
        where = f"glossary {term['id']}"
        yield from _bilingual(f"{where}.name", {lang: term.get(lang) for lang in LANGS})
        yield from _bilingual(f"{where}.definition", term.get("definition"))


def all_texts() -> list[Text]:
    return [*catalogue_texts(), *quiz_texts(), *glossary_texts()]
