"""Keras checks that never hold a page back while TensorFlow loads.

A freshly started server imports TensorFlow in its warm-up thread (about 8 s on two cores, more
while learners' pages run). A page that asked Keras for a check meanwhile would wait on Python's
import lock, and its learner with it, although everything else on the page is plain NumPy.
``keras_ready()`` lets such a page draw the rest first: in the check's place it shows a note,
in a fragment that looks again every second and reruns the page once the import is done. The
same holds while the warm-up is yet to start its import (it waits for the learners' scripts to
be quiet: ``rnn_ui.background``), so the first learner's click never imports TensorFlow itself.
Where no import is under way or due (a server that has loaded TensorFlow, or AppTest without the
warm-up), it answers yes and the check imports Keras itself, as before.
"""

from __future__ import annotations

import sys

import streamlit as st

from rnn_ui.session import translator
from rnn_ui.warmup import tensorflow_pending

POLL_S = 1.0
IMPORTED_FOR_KERAS = ("keras", "tensorflow")  # `import keras` imports TensorFlow inside it


def keras_importing() -> bool:
    """Whether another thread is importing Keras or TensorFlow right now: Python keeps a
    module in ``sys.modules`` with ``__spec__._initializing`` set until its import is done."""
    for name in IMPORTED_FOR_KERAS:
        spec = getattr(sys.modules.get(name), "__spec__", None)
        if getattr(spec, "_initializing", False):
            return True
    return False


def keras_loading() -> bool:
    """Whether Keras is being imported, or is about to be by the warm-up."""
    return keras_importing() or tensorflow_pending()


@st.fragment(run_every=POLL_S)
def _waiting() -> None:
    if not keras_loading():
        st.rerun()  # the whole page, now with its check
    st.info(translator()("common.keras_loading"), icon=":material/hourglass_top:")


def keras_ready() -> bool:
    """True when a Keras check may run now; otherwise the waiting note is drawn instead."""
    if keras_loading():
        _waiting()
        return False
    return True
