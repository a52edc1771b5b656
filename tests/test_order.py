"""Why order matters: the shipped sentiment models on shuffled and reversed reviews."""

from __future__ import annotations

import re
import shlex
from collections import Counter

import numpy as np
import pytest

from rnn_core.fundamentals import order
from rnn_core.sentiment import dataset, registry, user_text

SHIPPED = registry.manifests(registry.MODELS_DIR)
needs_models = pytest.mark.skipif(not SHIPPED, reason="no shipped IMDB models in models/imdb")


@pytest.fixture(scope="module")
def explainers():
    from rnn_core.sentiment.explain import Explainer

    names = [name for name in ("gru", "bigru") if name in SHIPPED]
    return {name: Explainer(p) for name, p in registry.load_all(None, names).items()}


@pytest.mark.parametrize("variant", order.VARIANTS)
def test_every_order_keeps_exactly_the_same_words(variant):
    words = ["not", "bad", "at", "all", ",", "not", "bad", "at", "all"]
    reordered = order.reorder(words, variant, seed=4)
    assert Counter(reordered) == Counter(words)
    expected = {"original": words, "reversed": words[::-1]}.get(variant)
    if expected is not None:
        assert reordered == expected


def test_the_shuffle_is_seeded_and_changes_with_the_seed():
    values = list(range(30))
    assert order.reorder(values, "shuffled", 3) == order.reorder(values, "shuffled", 3)
    assert order.reorder(values, "shuffled", 3) != order.reorder(values, "shuffled", 4)
    assert order.reorder(values, "shuffled", 3) != values
    with pytest.raises(ValueError):
        order.reorder(values, "sorted")


@needs_models
def test_a_reading_is_the_model_itself_on_the_reordered_text(explainers):
    """The shuffled row the page shows, typed back as text, gets the same probability from
    the saved model end to end (raw string in): the experiment changes order and nothing else."""
    text = user_text.EXAMPLES["negation"]
    for explainer in explainers.values():
        reading = order.read_in_orders(explainer, text, seed=5)
        for variant in order.VARIANTS:
            as_text = " ".join(reading.words[variant])
            direct = explainer.predictor.probabilities([as_text])[0]
            assert reading.probabilities[variant] == pytest.approx(direct, abs=1e-5)
        assert reading.probabilities["original"] == pytest.approx(
            explainer.predictor.probabilities([text])[0], abs=1e-5)


@needs_models
def test_batched_measurement_matches_one_review_at_a_time(explainers):
    """Padding in a batch is masked, so measuring many reviews at once gives each review's own
    numbers (the CLI's 1,000-review figure is the page's reading, repeated)."""
    texts = list(order.readable_examples().values())
    explainer = explainers["gru"] if "gru" in explainers else next(iter(explainers.values()))
    table = order.order_probabilities(explainer, texts, seeds=(0, 2))
    for row, text in zip(table, texts, strict=True):
        for column, seed in ((2, 0), (3, 2)):
            single = order.read_in_orders(explainer, text, seed)
            assert row[column] == pytest.approx(single.probabilities["shuffled"], abs=1e-5)
        assert row[1] == pytest.approx(single.probabilities["reversed"], abs=1e-5)
        assert row[0] == pytest.approx(single.probabilities["original"], abs=1e-5)


@needs_models
def test_a_text_of_unknown_words_reads_the_same_in_every_order(explainers):
    reading = order.read_in_orders(next(iter(explainers.values())), user_text.EXAMPLES["japanese"])
    values = list(reading.probabilities.values())
    assert max(values) - min(values) < 1e-6  # every token is [UNK]: one sequence, three times


@needs_models
def test_an_empty_text_gives_nothing_to_compare(explainers):
    reading = order.read_in_orders(next(iter(explainers.values())), "   ")
    assert all(np.isnan(p) for p in reading.probabilities.values())


def test_summary_counts_flips_changes_and_accuracy():
    # columns: original, reversed, shuffle 0, shuffle 1
    table = np.array([[0.9, 0.8, 0.4, 0.7], [0.2, 0.1, 0.3, 0.6], [np.nan] * 4])
    summary = order.summarize(table, labels=[1, 0, 1])
    assert summary.reviews == 2 and summary.shuffles == 2
    assert summary.flip_share == {"shuffled": 0.5, "reversed": 0.0}
    assert summary.mean_abs_change["shuffled"] == pytest.approx((0.5 + 0.2 + 0.1 + 0.4) / 4)
    assert summary.mean_abs_change["reversed"] == pytest.approx(0.1)
    assert summary.accuracy == {"original": 1.0, "shuffled": 0.5, "reversed": 1.0}


def test_committed_measurement_is_complete_and_backs_the_page_text():
    results = order.load_order_results()
    assert results is not None, "results/order_experiment.json is missing"
    assert set(results["models"]) == set(SHIPPED)
    assert results["environment"]["cpu"] and results["data"]["split"] == "test"
    for row in results["models"].values():
        data = row["data"]
        assert data["reviews"] == results["data"]["reviews"] == 1000
        assert data["accuracy"]["original"] > data["accuracy"]["shuffled"] > 0.75
    drops = order.accuracy_drops(results)
    # the page reads "mostly which words occur" only while every drop stays under the bound
    assert max(drops.values()) < order.MOSTLY_WORDS_DROP
    assert min(drops.values()) > 0


@needs_models
@pytest.mark.slow
def test_cli_order_measures_the_sample(capsys, tmp_path):
    from tests.test_cli import run_json

    if dataset.sample_path() is None:
        pytest.skip("no IMDB sample next to the data")
    out = run_json(capsys, "order", "--model", "gru", "--limit", "10", "--seeds", "2",
                   "--text", user_text.EXAMPLES["tricky"], "--output", str(tmp_path / "o.json"))
    gru = out["models"]["gru"]
    assert gru["data"]["reviews"] == 20 and gru["data"]["shuffles"] == 2
    assert set(gru["text"]) == set(order.VARIANTS)
    assert order.load_order_results(tmp_path / "o.json")["models"]["gru"] == gru
    words = shlex.split(out["command"])  # every setting that made it, the text quoted
    assert words[:2] == ["rnn-lab", "order"] and words[-1] == "--json"
    for option, value in (("--model", "gru"), ("--limit", "10"), ("--seeds", "2"),
                          ("--split", "test"), ("--text", user_text.EXAMPLES["tricky"]),
                          ("--seed", "0"), ("--output", str(tmp_path / "o.json"))):
        assert words[words.index(option) + 1] == value, option


def test_the_committed_command_reproduces_the_committed_settings():
    """results/order_experiment.json's command, parsed by the real CLI, asks for what the file
    holds: its models, its split, all its reviews, its number of shuffles."""
    from rnn_core import cli

    results = order.load_order_results()
    words = shlex.split(results["command"])
    assert words[:2] == ["rnn-lab", "order"]
    args = cli.build_parser().parse_args(words[1:])
    assert args.model == list(results["models"]) and args.split == results["data"]["split"]
    assert args.seeds == len(results["seeds"]) and args.limit == 0 and args.data is None


def _reading(original: float, shuffled: float, reversed_: float) -> order.OrderReading:
    return order.OrderReading({v: [] for v in order.VARIANTS},
                              {"original": original, "shuffled": shuffled, "reversed": reversed_})


def test_the_verdicts_and_the_models_that_flipped():
    readings = {"a": _reading(0.8, 0.3, 0.7), "b": _reading(0.2, 0.25, 0.6),
                "c": _reading(0.9, 0.9, 0.9)}
    assert [order.verdict(p) for p in (0.5, 0.49)] == ["positive", "negative"]
    assert order.flipped_models(readings, "shuffled") == ["a"]
    assert order.flipped_models(readings, "reversed") == ["b"]


def test_the_reply_to_a_prediction_follows_what_this_text_measured():
    """One flip of three: "held", what "the probabilities move, but most verdicts stay"
    predicts; two of three in one order: "flipped"; nothing moved: "still"."""
    held = {"a": _reading(0.8, 0.3, 0.7), "b": _reading(0.2, 0.25, 0.3),
            "c": _reading(0.9, 0.6, 0.9)}
    assert order.outcome(held) == "held" == order.MATCHING_OUTCOME["some"]
    flipped = {**held, "b": _reading(0.2, 0.7, 0.3)}
    assert order.outcome(flipped) == "flipped" == order.MATCHING_OUTCOME["random"]
    still = {name: _reading(0.6, 0.605, 0.598) for name in "ab"}
    assert order.outcome(still) == "still" == order.MATCHING_OUTCOME["same"]
    nothing = {"a": _reading(float("nan"), float("nan"), float("nan"))}
    assert order.outcome(nothing) == "still"
    assert set(order.MATCHING_OUTCOME) == set(order.PREDICTIONS)


@needs_models
def test_the_window_the_order_texts_name_is_the_models():
    """order.experiment_intro ("800-word window") and read_mostly_words ("all 800 steps") give
    the shipped models' max_len, in both languages."""
    from rnn_core import i18n

    lengths = {m["hyperparameters"]["max_len"] for m in registry.manifests(registry.MODELS_DIR)
               .values()}
    assert len(lengths) == 1
    (max_len,) = lengths
    for lang in ("en", "ja"):
        intro = i18n.translate("order.experiment_intro", lang)
        reading = i18n.catalogue()["order.read_mostly_words"][lang]
        assert re.findall(r"\d{3,}", intro) == [str(max_len)], lang
        assert re.findall(r"\d{3,}", reading) == [str(max_len)], lang
