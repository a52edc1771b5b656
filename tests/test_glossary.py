"""The glossary: complete entries, real pages, links from the text, and search."""

import re

import pytest

from rnn_core import course, glossary
from tests.texts import all_texts

HREF = "./glossary?term={}"


def _href(term: glossary.Term) -> str:
    return HREF.format(term.id)


def test_the_glossary_holds_every_field_for_at_least_sixty_terms():
    terms = glossary.terms()
    assert len(terms) >= 60
    ids = [term.id for term in terms]
    assert len(ids) == len(set(ids))
    pages = {page.name for page in course.LESSONS}
    for term in terms:
        assert all(term.names[lang].strip() for lang in glossary.LANGS), term.id
        assert all(term.definition.get(lang, "").strip() for lang in glossary.LANGS), term.id
        assert "\n" not in "".join(term.definition.values()), f"{term.id}: one line"
        assert term.page in pages, f"{term.id}: taught on {term.page!r}, not a course page"


@pytest.mark.parametrize("lang", glossary.LANGS)
def test_one_form_names_one_term(lang):
    owners: dict[str, str] = {}
    for term in glossary.terms():
        for form in term.forms(lang):
            key = form.casefold()
            assert owners.setdefault(key, term.id) == term.id, (form, owners[key], term.id)


def test_a_term_never_avoids_a_form_it_or_another_term_uses():
    forms = {form.casefold() for term in glossary.terms() for lang in glossary.LANGS
             for form in term.forms(lang)}
    avoided = {v.casefold() for term in glossary.terms() for lang in glossary.LANGS
               for v in term.avoid[lang]}
    assert not forms & avoided, forms & avoided


def test_the_seed_vocabulary_is_in_the_glossary():
    """TERMS.md's table: the course's one Japanese term for each concept."""
    expected = {"accuracy": "正解率", "seed": "シード", "memory_task": "記憶タスク",
                "chance_level": "チャンスレベル", "hidden_state": "隠れ状態",
                "cell_state": "セル状態", "time_step": "タイムステップ", "padding": "パディング",
                "flatten": "平坦化", "oov": "未知語", "residual_connection": "残差接続",
                "attention": "アテンション", "one_step_ahead": "1 ステップ先予測",
                "teacher_forcing": "教師強制", "closed_loop": "閉ループ予測",
                "cosine_similarity": "コサイン類似度", "parameter": "パラメータ"}
    for term_id, ja in expected.items():
        assert glossary.term(term_id).names["ja"] == ja


def test_the_terms_the_course_leans_on_are_in_the_glossary():
    expected = {"gradient": "勾配", "kernel": "カーネル", "softmax": "ソフトマックス",
                "one_hot": "ワンホット", "activation_function": "活性化関数",
                "backpropagation": "誤差逆伝播法", "cnn": "畳み込みニューラルネットワーク",
                "eigenvalue": "固有値", "norm": "ノルム", "latency": "レイテンシ"}
    for term_id, ja in expected.items():
        assert glossary.term(term_id).names["ja"] == ja


def test_what_the_gates_page_steps_through_is_taught_there():
    for term_id in ("gate", "cell_state", "forget_gate", "input_gate", "output_gate",
                    "update_gate", "reset_gate", "candidate", "sigmoid"):
        assert glossary.term(term_id).page == "gates", term_id


@pytest.mark.parametrize(("text", "variant"), [
    ("学習済みの重みを共有する双子のモデルが系列を読みます。", "双子"),
    ("**惜しい、不正解です。** 解説：", "惜しい"),
    ("tanh で押しつぶします。", "押しつぶ"), ("tanh で押しつぶす。", "押しつぶ"),
])
def test_the_literal_translations_the_issue_named_cannot_come_back(text, variant):
    problems = glossary.avoided_variants([("locale x.y", "ja", text)])
    assert len(problems) == 1 and repr(variant) in problems[0], problems


def test_an_avoided_stem_is_matched_as_a_stem_and_shown_as_a_word():
    tanh = glossary.term("tanh")
    assert tanh.avoid["ja"] == ("押しつぶ", "押し込")
    assert tanh.avoided_words("ja") == ("押しつぶす", "押し込む")
    assert glossary.term("accuracy").avoided_words("ja") == ("精度",)  # a word is shown as is


def test_the_first_mention_of_each_term_links_to_it():
    text = "The hidden state is an RNN's memory; the hidden state again, and a forget gate."
    linked = glossary.link_terms(text, "en", _href)
    assert linked.count(HREF.format("hidden_state")) == 1
    assert "[forget gate](./glossary?term=forget_gate)" in linked  # the longest form wins
    assert "[RNN](./glossary?term=rnn)" in linked


def test_links_never_go_into_code_formulas_links_or_placeholders():
    text = ("`hidden state` and $\\text{hidden state}$, [hidden state](https://x.org) and "
            "{hidden_state}; SimpleRNN is not RNN's prefix")
    linked = glossary.link_terms(text, "en", _href)
    assert linked.count("./glossary?") == 2  # SimpleRNN and RNN, both whole words
    assert "`hidden state`" in linked and "$\\text{hidden state}$" in linked
    japanese = glossary.link_terms("SimpleRNN の隠れ状態と `隠れ状態`", "ja", _href)
    assert japanese.count(HREF.format("hidden_state")) == 1
    assert HREF.format("simple_rnn") in japanese


def test_a_bold_term_keeps_its_bold_inside_its_link():
    """**[term](…)** followed by Japanese prints its stars; [**term**](…) is bold."""
    linked = glossary.link_terms("前の情報は**隠れ状態**を通ります。", "ja", _href)
    assert f"[**隠れ状態**]({HREF.format('hidden_state')})" in linked
    assert "**[" not in linked


def test_linking_leaves_every_shipped_text_readable():
    """Linking only adds [..](..) around words: removing the links gives the text back."""
    link = re.compile(r"\[([^\]]*)\]\(\./glossary\?term=[a-z0-9_]+\)")
    for where, lang, text in all_texts():
        linked = glossary.link_terms(text, lang, _href)
        assert link.sub(r"\1", linked) == text, where


@pytest.mark.parametrize(("query", "lang", "first"), [
    ("hidden state", "en", "hidden_state"), ("隠れ状態", "ja", "hidden_state"),
    ("忘却", "en", "forget_gate"), ("FORGET GATE", "ja", "forget_gate"),
])
def test_search_finds_a_term_in_either_language(query, lang, first):
    assert glossary.search(query, lang)[0].id == first


def test_search_finds_words_inside_definitions_and_nothing_for_junk():
    assert glossary.term("vanishing_gradient") in glossary.search("geometrically", "en")
    assert glossary.search("zzzz-no-such-term", "en") == []
    assert len(glossary.search("  ", "en")) == len(glossary.terms())


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", ["fundamentals", "gates", "compare", "sentiment"])
def test_each_sections_introduction_links_its_terms_to_the_glossary(page, lang):
    """Not only the page's first paragraph: every section opens with its terms linked (the
    forecasting page's sections open once a model is trained)."""
    from tests.apptest import open_app

    at = open_app(lang, page)
    linked = [m.value for m in at.markdown if "](./glossary?term=" in m.value]
    assert len(linked) >= 2, (page, lang, len(linked))  # the page's and a section's
