"""What machine a number was measured on: stored beside every result, manifest and benchmark."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def hardware() -> dict:
    """The device TensorFlow computes on: the first GPU if it sees one, else the CPU."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return {"device": "GPU", "name": details.get("device_name", gpus[0].name)}
    return {"device": "CPU", "name": cpu_model(), "cores": os.cpu_count()}


def run_environment() -> dict:
    """How and where a result was computed (CPU, platform, library versions), stored with it."""
    versions = {name: metadata.version(name) for name in ("tensorflow", "keras", "numpy")}
    device = hardware()
    return {
        "cpu": cpu_model(), "cpu_count": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), **versions,
        "accelerator": device["name"] if device["device"] == "GPU" else "none (CPU only)",
    }
