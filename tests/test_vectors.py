"""Word vectors: the shipped embeddings, their nearest neighbours, unknown words and the PCA map."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core.sentiment import registry, vectors

SHIPPED = registry.manifests(registry.MODELS_DIR)
pytestmark = pytest.mark.skipif(not SHIPPED, reason="no shipped IMDB models in models/imdb")


@pytest.fixture(scope="module")
def table() -> vectors.EmbeddingTable:
    name = vectors.DEFAULT_MODEL if vectors.DEFAULT_MODEL in SHIPPED else next(iter(SHIPPED))
    return vectors.EmbeddingTable.from_model(registry.load_all(None, [name])[name].model)


def test_the_table_is_the_embedding_layer_row_for_row(table):
    manifest = SHIPPED[vectors.DEFAULT_MODEL]
    hp = manifest["hyperparameters"]
    assert table.vectors.shape == (hp["vocab_size"], hp["embedding_dim"])
    assert table.vocabulary[:2] == ("", "[UNK]")
    assert "" not in table.index and "[UNK]" not in table.index
    assert table.index["good"] < 100  # a frequent word has a small id
    share = vectors.embedding_share(manifest)
    assert share == pytest.approx(hp["vocab_size"] * hp["embedding_dim"] / manifest["parameters"])
    assert share > 0.95


def test_neighbours_are_the_highest_cosines_by_brute_force(table):
    found = vectors.neighbours(table, "terrible", top=7)
    assert found.known and found.word == "terrible"
    row = table.vectors[found.word_id].astype(np.float64)
    matrix = table.vectors.astype(np.float64)
    cosines = matrix @ row / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(row) + 1e-30)
    cosines[[0, 1, found.word_id]] = -np.inf
    expected = np.argsort(-cosines)[:7]
    assert [w for w, _ in found.neighbours] == [table.vocabulary[i] for i in expected]
    assert [c for _, c in found.neighbours] == pytest.approx(cosines[expected], abs=1e-5)


def test_what_the_fine_tuned_vectors_learned(table):
    """Synonyms sit close: the nearest words to "awful" are other words for bad."""
    found = vectors.neighbours(table, "awful", top=5)
    assert {"horrible", "terrible"} <= {w for w, _ in found.neighbours}
    assert table.cosine("good", "great") > table.cosine("good", "awful")


@pytest.mark.parametrize(("query", "word", "ignored"), [
    ("Awful!", "awful", ()), ("<b>great</b>", "great", ()), ("don't", "dont", ()),
    ("boring movie", "boring", ("movie",)), ("x" * 500, "x" * vectors.MAX_QUERY_CHARS, ()),
])
def test_queries_are_cleaned_like_reviews(table, query, word, ignored):
    found = vectors.neighbours(table, query)
    assert found.word == word and found.ignored == ignored
    assert len(found.query) <= vectors.MAX_QUERY_CHARS


def test_an_unknown_word_has_no_neighbours_and_gets_spelling_suggestions(table):
    found = vectors.neighbours(table, "excelent")
    assert not found.known and found.word_id is None and found.neighbours == ()
    assert "excellent" in found.suggestions
    assert vectors.neighbours(table, "鬼").suggestions == ()  # nothing close: no suggestion


@pytest.mark.parametrize("query", ["", "   ", "!!!", "<br />"])
def test_nothing_to_look_up_is_said_so(table, query):
    found = vectors.neighbours(table, query)
    assert found.word == "" and not found.known and found.neighbours == ()


def test_the_map_is_the_pca_of_the_chosen_words(table):
    chosen = ["good", "bad", "great", "awful", "Movie!", "film", "qqqzzz", "good"]
    result = vectors.word_map(table, chosen)
    assert result.words == ("good", "bad", "great", "awful", "movie", "film")
    assert result.unknown == ("qqqzzz",)
    vectors_chosen = table.vectors[[table.index[w] for w in result.words]].astype(np.float64)
    centred = vectors_chosen - vectors_chosen.mean(axis=0)
    eigenvalues = np.linalg.eigvalsh(np.cov(centred.T))[::-1]
    # the two axes carry the two largest variances, in order, uncorrelated
    projected_variance = np.var(result.coordinates, axis=0, ddof=1)
    assert projected_variance == pytest.approx(eigenvalues[:2], rel=1e-5)
    assert abs(np.corrcoef(result.coordinates.T)[0, 1]) < 1e-6
    assert sum(result.explained) == pytest.approx(eigenvalues[:2].sum() / eigenvalues.sum())


def test_the_map_needs_enough_known_words(table):
    with pytest.raises(ValueError):
        vectors.word_map(table, ["good", "zzzqqq"])


def test_the_map_picture_prints_every_word_where_its_components_put_it():
    import re

    from rnn_core.sentiment.figures import word_map_svg

    words = ["good", "bad", "<b>&"]  # the last one is markup: it must stay text
    coordinates = np.array([[1.0, 0.5], [-1.0, -0.5], [0.2, 0.0]])
    picture = word_map_svg(words, coordinates)
    points = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"',
                                                          picture)]
    assert len(points) == len(words)
    assert points[0][0] > points[2][0] > points[1][0]  # first component to the right
    assert points[0][1] < points[1][1]  # second component upwards (SVG's y grows downwards)
    assert "&lt;b&gt;&amp;" in picture and "<b>" not in picture
    width, height = (float(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', picture).groups())
    assert all(0 < x < width and 0 < y < height for x, y in points)


def test_cli_neighbours(capsys):
    from tests.test_cli import run_json

    out = run_json(capsys, "neighbours", "Awful", "--top", "3")
    assert out["model"] == vectors.DEFAULT_MODEL and out["word"] == "awful"
    assert out["in_vocabulary"] and len(out["neighbours"]) == 3
    assert out["vocabulary_size"] == 20_000 and out["dim"] == 100
    out = run_json(capsys, "neighbours", "excelent", "--model", "lstm")
    assert out["model"] == "lstm" and not out["in_vocabulary"] and out["neighbours"] == []
    assert "excellent" in out["suggestions"] and out["reason"] == "out_of_vocabulary"
    assert out.get("id") is None
    for word, reason in (("映画", "non_english"), ("!!!", "empty"), ("great", None)):
        assert run_json(capsys, "neighbours", word)["reason"] == reason, word


def test_close_words_get_labels_that_do_not_overlap():
    """Three synonyms a few pixels apart (the default map's "great", "wonderful", "excellent")
    and a far word: every label keeps clear of the others and of the other points, inside the
    picture; a lone point keeps its label just above it."""
    from rnn_core.sentiment import figures

    dots = [(120.0, 150.0), (126.0, 156.0), (132.0, 152.0), (500.0, 300.0)]
    words = ["great", "wonderful", "excellent", "plot"]
    widths = [figures.label_width(word) for word in words]
    labels = figures.place_labels(dots, widths, figures.MAP_SIZE)
    boxes = [(x, y, w) for (x, y), w in zip(labels, widths, strict=True)]
    for i, box in enumerate(boxes):
        assert not any(figures._overlaps(box, other) for other in boxes[i + 1:]), words[i]
        assert figures.LABEL_HEIGHT <= box[1] <= figures.MAP_SIZE[1]
        for j, (dx, dy) in enumerate(dots):  # no label covers another point
            assert j == i or not (abs(dx - box[0]) < box[2] / 2
                                  and box[1] - figures.LABEL_HEIGHT < dy < box[1]), (i, j)
    assert labels[3] == (500.0, 300.0 - figures.LABEL_GAP)
