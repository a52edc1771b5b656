"""Links that open another course page at one of its sections, and the scroll that lands there.

``st.page_link`` moves to another page inside the session (no reload, answers kept) but opens it
at the top and cannot carry a ``#fragment``. So a section link carries ``?section=<anchor>``
beside the language, and the router calls ``scroll_to_section`` once the page has been drawn:
one small script scrolls that header into view, again for a few seconds while the charts above
it still grow (unless the learner scrolls first). The parameter is then dropped from the URL, so
a later rerun of the page does not scroll again.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from rnn_ui.session import LANG, LEARNER

SECTION = "section"  # the query parameter a section link sets
ANCHOR = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # a header anchor as the pages write them
SETTLE_MS = 4000  # how long the script keeps the header in view while the page above it grows
SCROLL_SCRIPT = """<script>
(() => {
  const anchor = %s, started = Date.now();
  let stopped = false;
  for (const name of ["wheel", "touchstart", "keydown", "mousedown"]) {
    window.addEventListener(name, () => { stopped = true; }, {once: true, passive: true});
  }
  const land = () => {
    if (stopped) return;
    const node = document.getElementById(anchor);
    if (node) {
      node.style.scrollMarginTop = "4rem";
      node.scrollIntoView({block: "start"});
    }
    if (Date.now() - started < %d) setTimeout(land, 250);
  };
  land();
})();
</script>"""


def section_params(anchor: str) -> dict[str, str]:
    """The query parameters of a link to section ``anchor``: the language (and learner code)
    stay, since ``st.page_link`` replaces every parameter with the ones it is given."""
    if not ANCHOR.fullmatch(anchor):
        raise ValueError(f"not a header anchor: {anchor!r}")
    params = {name: str(st.session_state[name]) for name in (LANG, LEARNER)
              if name in st.session_state}
    return {**params, SECTION: anchor}


def section_link(container, page_file: str, anchor: str, label: str, icon: str) -> None:
    """A link to the page script ``page_file`` that opens it at the header ``anchor``."""
    container.page_link(page_file, label=label, icon=icon, width="stretch",
                        query_params=section_params(anchor))


def requested_section() -> str | None:
    """The anchor a section link asked for, if the URL names a well-formed one (a visitor can
    type anything there: only ``[a-z0-9-]`` reaches the script, and JSON-quoted)."""
    wanted = st.query_params.get(SECTION)
    return wanted if isinstance(wanted, str) and ANCHOR.fullmatch(wanted) else None


def scroll_to_section() -> None:
    """After the page is drawn: scroll to the requested section once, then forget it."""
    anchor = requested_section()
    if SECTION in st.query_params:
        del st.query_params[SECTION]
    if anchor is not None:
        st.html(SCROLL_SCRIPT % (json.dumps(anchor), SETTLE_MS), unsafe_allow_javascript=True)
