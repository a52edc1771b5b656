"""Shared test set-up: a private state folder, quiet TensorFlow, the repository root."""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Before anything imports rnn_core: progress and caches go to a throw-away folder.
os.environ["RNN_LAB_HOME"] = tempfile.mkdtemp(prefix="rnn-lab-test-")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
