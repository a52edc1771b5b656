"""Server time of one rerun per learner action, measured with Streamlit's AppTest (warm).

AppTest always reruns the whole page (it has no fragment-scoped runs), so these are full-page
reruns; ``--profile NAME`` prints the functions that cost most for one action. After the warm
runs the heap is frozen as the server's warm-up does (``rnn_ui.warmup.freeze_heap``) unless
``--no-freeze``. Run from the repository root:
``python scripts/time_reruns.py [--repeats 10] [--only NAME ...] [--profile NAME]``.
Timings only, never asserted by a test.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_core.i18n import translate
from rnn_core.sentiment.user_text import EXAMPLES
from rnn_core.study.quiz import load_quiz
from rnn_ui.warmup import freeze_heap
from tests.apptest import button, open_app


def fundamentals_next(at, index):
    button(at, translate("fundamentals.next", "en") if index % 2 == 0 else
           translate("fundamentals.previous", "en")).click().run()


def fundamentals_quiz(at, index):
    question = load_quiz("fundamentals").questions[0]
    at.radio(key=f"quiz:fundamentals:{question.id}:input").set_value(
        (question.answer + 1 + index % 2) % len(question.choices))
    button(at, translate("quiz.check", "en")).click().run()


def weight_edit(at, index):
    """A full rerun with nothing changed: what a weight edit cost before fragments."""
    at.run()


def shapes_units(at, index):
    at.number_input(key="fund:U").set_value(60 + index % 5).run()


def sentiment_example(at, index):
    names = list(EXAMPLES)
    at.selectbox(key="sent:example").set_value(names[(index + 1) % len(names)]).run()


def rerun(at, index):
    """A full rerun with nothing changed: a page switch or a language switch, warm."""
    at.run()


ACTIONS = {
    "fundamentals_next": ("fundamentals", fundamentals_next),
    "fundamentals_quiz": ("fundamentals", fundamentals_quiz),
    "fundamentals_rerun": ("fundamentals", weight_edit),
    "shapes_units": ("fundamentals", shapes_units),
    "sentiment_example": ("sentiment", sentiment_example),
    **{f"page_{name}": (name, rerun) for name in ("home", "sine", "compare", "gates",
                                                   "sentiment", "progress", "glossary")},
}


@contextmanager
def _profiled_runs(profile: cProfile.Profile | None):
    """Profile the script runs (they happen in the script runner's own thread)."""
    if profile is None:
        yield
        return
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def profiled(self, rerun_data):
        profile.enable()
        try:
            return original(self, rerun_data)
        finally:
            profile.disable()

    ScriptRunner._run_script = profiled
    try:
        yield
    finally:
        ScriptRunner._run_script = original


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=list(ACTIONS))
    parser.add_argument("--profile", default=None)
    parser.add_argument("--no-freeze", action="store_true")
    args = parser.parse_args()
    for name in args.only:
        page, act = ACTIONS[name]
        at = open_app("en", page)
        for index in range(2):  # warm: caches filled, modules imported
            act(at, index)
        if not args.no_freeze:
            freeze_heap()
        profile = cProfile.Profile() if name == args.profile else None
        seconds = []
        with _profiled_runs(profile):
            for index in range(args.repeats):
                started = time.perf_counter()
                act(at, index)
                seconds.append(time.perf_counter() - started)
            assert not at.exception, [e.value for e in at.exception]
        print(f"{name:22s} median {statistics.median(seconds):.3f} s  "
              f"min {min(seconds):.3f}  max {max(seconds):.3f}  (n={len(seconds)})", flush=True)
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
