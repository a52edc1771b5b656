"""The glossary: every term of the course in English and Japanese, searchable, each with the
page that teaches it. Terms in the course's text link here (``?term=<id>``)."""

import streamlit as st

from rnn_core import course, glossary
from rnn_core.i18n import LANGUAGE_NAMES
from rnn_ui.session import kept, translator

t = translator()
KEY = "glossary:"
OTHER = {"en": "ja", "ja": "en"}


def focused_term() -> glossary.Term | None:
    """The term a link asked for (``?term=``), if it names one."""
    wanted = st.query_params.get("term")
    try:
        return glossary.term(wanted) if isinstance(wanted, str) else None
    except KeyError:
        return None


def term_card(entry: glossary.Term) -> None:
    """One term as three elements (its names and definition, the other language's definition
    with the variants to avoid, the page that teaches it): a hundred cards of nine elements
    each made the browser take a second to draw the page."""
    other = OTHER[t.lang]
    with st.container(border=True):
        st.markdown(f"**{entry.name(t.lang)}** ・ {entry.name(other)}\n\n"
                    f"{entry.definition[t.lang]}")
        variants = [*entry.avoided_words(t.lang), *(f"{v} ({LANGUAGE_NAMES[other]})"
                                                    for v in entry.avoided_words(other))]
        avoid = ([t("glossary.avoid", variants=t("glossary.separator").join(variants))]
                 if variants else [])
        st.caption("  \n".join([entry.definition[other], *avoid]))
        st.page_link(course.page(entry.page).file, icon=":material/school:",
                     label=t("glossary.taught_on", page=t(f"nav.{entry.page}")))


st.title(t("glossary.title"))
st.markdown(t("glossary.intro", count=len(glossary.terms())))
focus = focused_term()
query = st.text_input(t("glossary.search"), key=kept(KEY + "search"),
                      placeholder=t("glossary.search_placeholder"), max_chars=60)
found = glossary.search(query, t.lang)
if focus is not None and not query.strip():
    st.info(t("glossary.linked_term"), icon=":material/link:")
    term_card(focus)
    found = [entry for entry in found if entry is not focus]
st.caption(t("glossary.found", count=len(found), total=len(glossary.terms())))
if not found:
    st.info(t("glossary.nothing_found"))
for entry in found:
    term_card(entry)
