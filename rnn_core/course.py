"""The course's pages, in order: one registry for the router, the home page, tests and benchmarks.

Plain data, no Streamlit: ``router.py`` turns each entry into an ``st.Page``; the home page lists
them; the browser tests and ``rnn-lab bench`` visit them by URL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoursePage:
    name: str  # URL path, translation prefix ("<name>.title") and quiz name
    icon: str  # Material icon shown in the navigation and on the home page

    @property
    def file(self) -> str:
        """The page script, relative to the repository root."""
        return f"views/{self.name}.py"

    @property
    def title_key(self) -> str:
        return "home.title" if self.name == "home" else f"{self.name}.title"


PAGES = (
    CoursePage("home", ":material/home:"),
    CoursePage("fundamentals", ":material/school:"),
    CoursePage("sine", ":material/show_chart:"),
    CoursePage("gates", ":material/memory:"),
    CoursePage("compare", ":material/compare_arrows:"),
    CoursePage("sentiment", ":material/reviews:"),
    CoursePage("glossary", ":material/menu_book:"),
    CoursePage("progress", ":material/checklist:"),
)
HOME = PAGES[0]


def page(name: str) -> CoursePage:
    """The course page called ``name`` (KeyError if there is none)."""
    for entry in PAGES:
        if entry.name == name:
            return entry
    raise KeyError(name)


def quiz_pages() -> tuple[str, ...]:
    """Pages with a quiz, in course order."""
    from rnn_core.study.quiz import available_quizzes

    have = set(available_quizzes())
    return tuple(page.name for page in PAGES if page.name in have)

LESSONS = tuple(page for page in PAGES if page is not HOME)  # what the home page lists
