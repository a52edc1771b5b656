"""What RNN Lab's web server does around Streamlit (``app.py`` passes these to ``st.App``).

* ``PathsToPages``: Streamlit answers any unknown URL with its page shell, whose scripts are
  linked relative to the URL, so below a second path segment (``/sine/extra/path``,
  ``/views/sine``) they resolve to missing files and the learner sees a blank page; an unknown
  single segment gets Streamlit's own English "page not found" dialog. Instead, a browser asking
  for a path that is not a course page is redirected: below a page, to that page; anywhere else,
  to the start page, which says (in the learner's language) that the address had no page.
* ``lifespan``: once per process, in the background, the warm-up of what every learner needs
  (``rnn_ui.warmup``), so the first visitor of a fresh server does not wait for TensorFlow.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode

from rnn_core import course

MISSING_PARAM = "missing"  # the start page names the address that had no page
# What Streamlit 1.67 serves itself, by the path's first segments: its API and websocket
# (/_stcore/...), the front end's assets (/static/...), media files (/media/...), components
# (/component/...) and the app's own static files (/app/static/...); each with something below it.
STREAMLIT_ROUTES: tuple[tuple[str, ...], ...] = (("_stcore",), ("static",), ("media",),
                                                 ("component",), ("app", "static"))
STREAMLIT_FILES = frozenset({"favicon.png", "manifest.json"})  # files at the root
MAX_SHOWN_PATH = 80  # characters of an unknown address quoted back to the learner


def streamlit_route(segments: list[str]) -> bool:
    """Whether a path (its non-empty segments) is one Streamlit answers itself. The front end
    also asks its API below the page it was opened on (/sine/_stcore/host-config)."""
    if segments in ([name] for name in STREAMLIT_FILES):
        return True
    if len(segments) > 2 and segments[1] == "_stcore" and segments[0] in _page_names():
        return True
    return any(len(segments) > len(route) and tuple(segments[:len(route)]) == route
               for route in STREAMLIT_ROUTES)


def redirect_target(path: str, query: str) -> str | None:
    """Where a browser asking for ``path`` should go instead, or ``None`` to let it through:
    only the start page, a course page and Streamlit's own routes (at the start of the path,
    never a segment anywhere: ``/x/static`` is no asset) reach Streamlit."""
    segments = [part for part in path.split("/") if part]
    if streamlit_route(segments):
        return None
    suffix = f"?{query}" if query else ""
    if not segments:
        return None if path in ("", "/") else "/" + suffix
    if segments[0] in _page_names():
        canonical = f"/{segments[0]}"
        return None if path == canonical else canonical + suffix
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != MISSING_PARAM]
    params.append((MISSING_PARAM, "/".join(segments)[:MAX_SHOWN_PATH]))
    return "/?" + urlencode(params)


def _page_names() -> set[str]:
    return {page.name for page in course.PAGES}


class PathsToPages:
    """ASGI middleware: GET requests for paths that are not pages are redirected (see above)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            root = scope.get("root_path", "")
            path = scope["path"][len(root):] if scope["path"].startswith(root) else scope["path"]
            target = redirect_target(path, scope.get("query_string", b"").decode("latin-1"))
            if target is not None:
                from starlette.responses import RedirectResponse

                await RedirectResponse(root + target, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(PathsToPages)]


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Start the warm-up and the memory janitor in daemon threads; the server answers at once,
    never waiting for them (the warm-up itself waits for the first page to be drawn)."""
    from rnn_core.runtime import memory
    from rnn_ui import warmup

    threading.Thread(target=warmup.run, kwargs={"after": warmup.FIRST_PAGE},
                     name="rnn-lab-warmup", daemon=True).start()
    stop = threading.Event()
    threading.Thread(target=memory.janitor, args=(stop,), kwargs={"rewarm": warmup.eager_kernels},
                     name="rnn-lab-janitor", daemon=True).start()
    try:
        yield
    finally:
        stop.set()
