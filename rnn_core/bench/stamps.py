"""The server's own clock for a class: when each learner's request reached the app and when its
script finished, stamped inside the server process.

A class's browsers share the server's two cores at idle priority. Stamps taken in the browser
(its network layer's, through the DevTools protocol) came late there by seconds: in one class
of 30 they put the server's answer at p90 3.1 s where the server's own stamps, in the same run,
put every answer, trainings included, at p90 1.0 s. So the bench's server can be started
through this module::

    python -m rnn_core.bench.stamps STAMPS.jsonl run app.py --server.port …

It wraps two methods of Streamlit's session class, then runs Streamlit's own command line
unchanged: the app a learner sees is the same, only this server writes the log. One JSON array
per line: ``["asked", session, time]`` when a rerun request is handled, and
``["finished", session, time, status]`` when the script's "finished" message is queued for the
browser (its delivery, and the drawing, are the browser's side: the learners' own timings).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

Stamps = dict[str, list[tuple[str, float, int | None]]]  # session -> (kind, time, status)


def install(path: Path) -> None:
    """Stamp every rerun request and every script finish of this process into ``path``."""
    from streamlit.runtime.app_session import AppSession

    log = path.open("a", buffering=1, encoding="utf-8")
    lock = threading.Lock()  # sessions run in threads of their own

    def stamp(*row) -> None:
        with lock:
            log.write(json.dumps(row) + "\n")

    handle, enqueue = AppSession.handle_backmsg, AppSession._enqueue_forward_msg

    def handle_backmsg(self, msg) -> None:
        if msg.WhichOneof("type") == "rerun_script":
            stamp("asked", self.id, time.time())
        handle(self, msg)

    def enqueue_forward_msg(self, msg) -> None:
        enqueue(self, msg)
        if msg.WhichOneof("type") == "script_finished":
            stamp("finished", self.id, time.time(), msg.script_finished)

    AppSession.handle_backmsg = handle_backmsg
    AppSession._enqueue_forward_msg = enqueue_forward_msg


def read(path: Path) -> Stamps:
    """The log, by session (a line cut short by the server's end is skipped)."""
    stamps: Stamps = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            kind, session, at, *status = json.loads(line)
        except ValueError:
            continue
        stamps[session].append((kind, at, status[0] if status else None))
    return stamps


def answer(stamps: Stamps, sessions: Iterable[str], since: float, until: float) -> float | None:
    """Seconds from the first request of ``sessions`` in [since, until] to the last finish
    there that is not "finished early for a rerun" (a fragment's ``st.rerun()`` is followed by
    the page's run); None when the server saw no request then."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # the core imports no Streamlit

    rows = sorted((row for session in sessions for row in stamps.get(session, ())
                   if since <= row[1] <= until), key=lambda row: row[1])
    asked = next((at for kind, at, _ in rows if kind == "asked"), None)
    if asked is None:
        return None
    done = [at for kind, at, status in rows
            if kind == "finished" and status != ForwardMsg.FINISHED_EARLY_FOR_RERUN and at >= asked]
    return done[-1] - asked if done else None


def main() -> None:
    """``python -m rnn_core.bench.stamps STAMPS streamlit-arguments…``"""
    path, sys.argv = Path(sys.argv[1]), ["streamlit", *sys.argv[2:]]
    install(path)
    from streamlit.web.cli import main as streamlit_main

    streamlit_main()


if __name__ == "__main__":
    main()
