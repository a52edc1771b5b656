"""The disk cache of trained models: keys, round trip, atomicity, bound, corruption, restarts."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from rnn_core.forecasting import experiment
from rnn_core.forecasting.series import SineSettings, noisy_sine
from rnn_core.forecasting.training import TrainConfig, build_model
from rnn_core.forecasting.weight_cache import WeightCache, cache_key
from tests.conftest import ROOT

SETTINGS = {"config": TrainConfig(units=2).as_dict(), "scaling": "standardize"}


@pytest.fixture
def cache(tmp_path):
    return WeightCache(tmp_path / "models", max_entries=3)


def small_model():
    return build_model(TrainConfig(units=2, seed=5))


def test_key_changes_with_every_setting_and_the_data():
    data = np.arange(10.0)
    key = cache_key(SETTINGS, data)
    assert key == cache_key(dict(reversed(SETTINGS.items())), data.copy())
    for field, value in [("units", 3), ("learning_rate", 0.02), ("seed", 1), ("cell", "gru")]:
        changed = {**SETTINGS, "config": {**SETTINGS["config"], field: value}}
        assert cache_key(changed, data) != key, field
    assert cache_key({**SETTINGS, "scaling": "difference"}, data) != key
    assert cache_key(SETTINGS, data + 1e-9) != key
    assert cache_key(SETTINGS, data[:-1]) != key


def test_round_trip_gives_a_new_model_with_the_same_predictions(cache):
    model = small_model()
    key = cache_key(SETTINGS, np.zeros(3))
    cache.save(key, model, {"history": {"loss": [1.0]}})
    loaded, meta = cache.load(key)
    assert loaded is not model and meta["history"] == {"loss": [1.0]}
    x = np.random.default_rng(0).normal(size=(2, 10, 1)).astype("float32")
    np.testing.assert_allclose(loaded.predict_on_batch(x), model.predict_on_batch(x), rtol=1e-6)
    assert not [p for p in cache.root.iterdir() if p.name.startswith(".tmp")]


def test_cache_is_bounded_and_evicts_the_least_recently_used(cache):
    model = small_model()
    keys = [cache_key(SETTINGS, np.full(3, float(i))) for i in range(4)]
    for key in keys[:3]:
        cache.save(key, model, {})
        time.sleep(0.02)
    os.utime(cache.root / f"{keys[0]}.keras")  # keys[0] used recently
    cache.save(keys[3], model, {})
    assert set(cache.keys()) == {keys[0], keys[2], keys[3]}
    assert not (cache.root / f"{keys[1]}.json").exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage_meta", "foreign_meta"])
def test_a_corrupt_entry_is_discarded_and_reported_as_a_miss(cache, damage):
    key = cache_key(SETTINGS, np.zeros(3))
    cache.save(key, small_model(), {})
    model_path, meta_path = cache.root / f"{key}.keras", cache.root / f"{key}.json"
    if damage == "truncate":
        model_path.write_bytes(model_path.read_bytes()[:100])
    elif damage == "garbage_meta":
        meta_path.write_text("{not json")
    else:
        meta_path.write_text('{"key": "someone else"}')
    assert cache.load(key) is None
    assert not model_path.exists() and not meta_path.exists()


def test_a_corrupt_entry_is_retrained_by_fit_or_load(cache):
    _, values = noisy_sine(SineSettings())
    problem = experiment.prepare(values, TrainConfig(units=2, epochs=1), "standardize")
    experiment.fit_or_load(problem, cache=cache)
    [key] = cache.keys()
    (cache.root / f"{key}.keras").write_bytes(b"PK\x03\x04 not a zip")
    trained = experiment.fit_or_load(problem, cache=cache)
    assert not trained.from_cache and trained.history.epochs == 1
    assert experiment.fit_or_load(problem, cache=cache).from_cache  # stored again


def test_a_stopped_run_is_not_cached(cache):
    _, values = noisy_sine(SineSettings())
    problem = experiment.prepare(values, TrainConfig(units=2, epochs=3), "standardize")
    trained = experiment.new_model(problem)
    trained.history.loss.append(1.0)
    trained.history.stopped_early = True
    assert not experiment.store(trained, problem, cache) and cache.keys() == []


@pytest.mark.slow
def test_the_cache_survives_a_restart(tmp_path):
    """A model cached by this process loads in a brand-new Python process from disk alone."""
    _, values = noisy_sine(SineSettings())
    problem = experiment.prepare(values, TrainConfig(units=2, epochs=1), "standardize")
    trained = experiment.fit_or_load(problem, cache=WeightCache(tmp_path / "models"))
    expected = float(trained.model.predict_on_batch(problem.windows.x_val)[0, -1, 0])
    script = (
        "from pathlib import Path\n"
        "from rnn_core.forecasting import experiment\n"
        "from rnn_core.forecasting.series import SineSettings, noisy_sine\n"
        "from rnn_core.forecasting.training import TrainConfig\n"
        "from rnn_core.forecasting.weight_cache import WeightCache\n"
        "_, v = noisy_sine(SineSettings())\n"
        "p = experiment.prepare(v, TrainConfig(units=2, epochs=1), 'standardize')\n"
        f"t = experiment.load_cached(p, WeightCache(Path({str(tmp_path / 'models')!r})))\n"
        "print(t.from_cache, float(t.model.predict_on_batch(p.windows.x_val)[0, -1, 0]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=300, check=True)
    loaded, prediction = result.stdout.split()[-2:]
    assert loaded == "True" and float(prediction) == pytest.approx(expected, rel=1e-6)
