"""The server these numbers run on: the one training slot per process (``concurrency``),
memory handed back to the operating system after a training or a session (``memory``), and
the machine every result, manifest and benchmark names as its source (``machine``)."""
