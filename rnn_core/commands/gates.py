"""CLI command behind the trained models' gate view (sentiment page): ``gates``."""

from __future__ import annotations

import argparse

import numpy as np

from rnn_core.commands import Command, Result
from rnn_core.sentiment.gates import READABLE, TOP


def _gates_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="the review (quote it)")
    parser.add_argument("--model", choices=READABLE, default="lstm")
    parser.add_argument("--top", type=int, default=TOP, choices=range(1, 65), metavar="1..64",
                        help="how many units and words to list")
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")


def gates_command(args: argparse.Namespace) -> Result:
    """Per word of a review, a shipped model's mean gates and its top units' states; the units
    that follow the verdict and the words where most units let go (keep gate below
    0.5); units numbered from 1, as on the page."""
    from rnn_core.sentiment import gates, registry, user_text

    checked = user_text.check_review(args.text)
    predictor = registry.load_all(args.models_dir, [args.model])[args.model]
    reading = gates.GateReader(predictor.model).read(checked.text)
    followers = gates.verdict_followers(reading, args.top)
    top_units = [unit for unit, _ in followers]
    states = {"h": reading.hidden} | (
        {"c": reading.cell_state} if reading.cell_state is not None else {})
    words = []
    for t, word in enumerate(reading.words):
        words.append({
            "word": word, "known": reading.in_vocabulary[t],
            "p": round(float(reading.probabilities[t]), 4),
            "gates": {name: round(float(means[t]), 4)
                      for name, means in reading.gate_means.items()},
            "units": {f"{kind}{unit + 1}": round(float(values[t, unit]), 4)
                      for kind, values in states.items() for unit in top_units}})
    return {
        "model": args.model, "findings": list(checked.findings), "units": reading.units,
        "words_read": len(reading.words), "total_words": reading.total_words,
        "probability": round(float(reading.probabilities[-1]), 4) if reading.words else None,
        "words": words,
        "follow_verdict": [{"unit": unit + 1, "correlation": round(r, 4)}
                           for unit, r in followers],
        "letting_go": [{"position": t + 1, "word": word, "units_letting_go": round(share, 4),
                        "gate": round(mean, 4)}
                       for t, word, share, mean in gates.letting_go(reading, args.top)],
        "mean_gates": {name: round(float(np.mean(means)), 4) if len(means) else None
                       for name, means in reading.gate_means.items()},
    }


COMMANDS: list[Command] = [
    ("gates", _gates_arguments, gates_command),
]
