"""rnn-lab train-imdb / eval-imdb / predict / bench-imdb, end to end on tiny data and models."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("keras")

from rnn_core import cli
from rnn_core.sentiment import dataset, registry
from rnn_core.storage import REPO_ROOT
from tests.test_imdb_data import write_layout

SHIPPED = registry.manifests(registry.MODELS_DIR)
ARCHIVE = REPO_ROOT.parent / "shared" / "data" / dataset.ARCHIVE_NAME


def run_json(capsys, *argv: str) -> dict:
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One tiny GRU trained by the real command on a miniature dataset (a few seconds)."""
    root = tmp_path_factory.mktemp("cli")
    data = write_layout(root / "data")
    out = root / "models"
    code = cli.main(["train-imdb", "--data", str(data), "--cell", "gru", "--out", str(out),
                     "--vocab-size", "1000", "--max-len", "16", "--embedding-dim", "4",
                     "--units", "4", "--max-epochs", "2", "--batch-size", "2", "--json"])
    assert code == 0
    return data, out


def test_train_writes_model_and_complete_manifest(trained):
    _, out = trained
    manifest = json.loads((out / "gru.json").read_text())
    for key in ("cell", "hyperparameters", "vocabulary_size", "parameters", "file_bytes",
                "data_fingerprint", "epochs_run", "validation", "test", "wall_seconds",
                "hardware", "versions", "date", "misclassified_validation"):
        assert key in manifest, key
    assert manifest["file_bytes"] == (out / "gru.keras").stat().st_size
    assert manifest["hardware"]["device"] in ("CPU", "GPU") and manifest["hardware"]["name"]
    assert manifest["test"]["n"] == 2 and manifest["train_n"] + manifest["validation"]["n"] == 3


def test_eval_reproduces_the_manifest_accuracy(trained, capsys):
    data, out = trained
    result = run_json(capsys, "eval-imdb", "--data", str(data), "--models-dir", str(out))
    assert result["split"] == "test" and result["n"] == 2
    gru = result["models"]["gru"]
    assert gru["accuracy"] == gru["manifest_test_accuracy"] and gru["n"] == 2


def test_predict_prints_each_models_probability(trained, capsys):
    _, out = trained
    result = run_json(capsys, "predict", "great film", "awful film", "--models-dir", str(out))
    probabilities = result["probabilities"]["gru"]
    assert len(probabilities) == 2 and all(0 <= p <= 1 for p in probabilities)


def test_bench_reports_latency_and_memory(trained, capsys):
    _, out = trained
    result = run_json(capsys, "bench-imdb", "--models-dir", str(out), "--repeats", "3")
    gru = result["models"]["gru"]
    assert gru["page_p50_ms"] > 0 and gru["predict_p50_ms"] > 0 and gru["trajectory"] == "twin"
    assert result["rss_all_loaded_mib"] > 0


def test_missing_data_exits_2_with_a_message(tmp_path, capsys):
    code = cli.main(["eval-imdb", "--data", str(tmp_path / "missing"), "--json"])
    assert code == 2
    assert "not found" in capsys.readouterr().err


def test_unknown_model_is_refused(trained, capsys):
    data, out = trained
    assert cli.main(["eval-imdb", "--data", str(data), "--models-dir", str(out),
                     "--model", "transformer"]) == 2


@pytest.mark.slow
@pytest.mark.skipif(not (SHIPPED and ARCHIVE.is_file()),
                    reason="needs the shipped models and the full archive")
def test_shipped_models_reproduce_their_accuracy_on_a_test_slice(capsys):
    """200 test reviews per label: far quicker than 25,000, and close to the reported accuracy."""
    result = run_json(capsys, "eval-imdb", "--data", str(ARCHIVE), "--limit", "200")
    for name, figures in result["models"].items():
        assert abs(figures["accuracy"] - figures["manifest_test_accuracy"]) < 0.06, name
