"""Your progress: quiz statistics per page, a personal link, backup to a file, restore, reset."""

import pandas as pd
import streamlit as st

from rnn_core import course
from rnn_core.study import progress, quiz, records
from rnn_ui.glossary import linked
from rnn_ui.session import (
    LEARNER,
    STORE_FAILED,
    answers,
    progress_secret,
    refresh_answers,
    replace_answers,
    restore_learner,
    translator,
)

t = translator()
KEY = "progress:"
FLASH = KEY + "flash"


def done(message_key: str) -> None:
    """Rerun so every section shows the new answers, with a confirmation on top."""
    st.session_state[FLASH] = message_key
    st.rerun()


def page_scores() -> dict[str, records.Score]:
    """Each page's score, graded again from this learner's records."""
    return {page: records.score(quiz.load_quiz(page), answers().get(page, {}))
            for page in course.quiz_pages()}


def scores_table(scores: dict[str, records.Score]) -> pd.DataFrame:
    """One row per page with a quiz: answered; right at the first try, right after retries,
    shown; predictions that came true; completion."""
    rows = [{
        t("progress.col_page"): t(f"nav.{page}"),
        t("progress.col_answered"): f"{score.answered} / {score.total}",
        t("progress.col_first_try"): score.first_try,
        t("progress.col_after_retries"): score.after_retries,
        t("progress.col_revealed"): score.revealed,
        t("progress.col_predictions"): f"{score.predicted_right} / {score.predicted}",
        t("progress.col_completion"): score.completion,
    } for page, score in scores.items()]
    return pd.DataFrame(rows)


def overall_completion(scores: dict[str, records.Score]) -> float:
    """Share of all the course's questions answered (not the mean of the pages' shares)."""
    total = sum(score.total for score in scores.values())
    return sum(score.answered for score in scores.values()) / total if total else 0.0


def scores_section() -> None:
    scores = page_scores()
    column = t("progress.col_completion")
    st.dataframe(scores_table(scores), hide_index=True, width="stretch", column_config={
        column: st.column_config.ProgressColumn(column, min_value=0.0, max_value=1.0,
                                                format="percent"),
    })
    overall = overall_completion(scores)
    st.progress(overall, text=t("progress.overall", percent=round(100 * overall)))
    totals = {field: sum(getattr(score, field) for score in scores.values())
              for field in ("first_try", "after_retries", "revealed", "predicted",
                            "predicted_right")}
    st.caption(t("progress.totals", **totals))


def link_section() -> None:
    st.subheader(t("progress.link_heading"))
    code = st.session_state[LEARNER]
    st.markdown(t("progress.link_text"))
    st.code(f"?learner={code}", language=None)
    with st.form(KEY + "restore", border=False):
        typed = st.text_input(t("progress.code_input"), max_chars=40)
        if st.form_submit_button(t("progress.code_button")):
            found = restore_learner(typed.strip())
            if found is None:
                st.error(t("progress.code_invalid"))
            else:
                done("progress.code_restored" if found else "progress.code_unused")


def file_section() -> None:
    st.subheader(t("progress.file_heading"))
    st.download_button(t("progress.download"), progress.to_json(answers(), progress_secret()),
                       file_name="rnn-lab-progress.json", mime="application/json",
                       icon=":material/download:")
    generation = st.session_state.get(KEY + "uploads", 0)  # a new key empties the uploader
    # No type or size filter on the widget: its refusals are Streamlit's, in English; the file
    # is checked (size, format, checksum) by progress.from_json with a translated reason.
    upload = st.file_uploader(t("progress.upload"), key=f"{KEY}upload:{generation}")
    if upload is None:
        return
    try:
        loaded = progress.from_json(upload.getvalue(), progress_secret())
    except progress.ProgressError as error:
        st.error(t(f"progress.err_{error.reason}"))
        return
    count = sum(len(page) for page in loaded.values())
    st.info(t("progress.upload_ready", count=count))
    if st.button(t("progress.upload_apply"), key=KEY + "apply"):
        replace_answers(loaded)
        st.session_state[KEY + "uploads"] = generation + 1
        done("progress.upload_done")


def reset_section() -> None:
    st.subheader(t("progress.reset_heading"))
    sure = st.checkbox(t("progress.reset_confirm"), key=KEY + "sure")
    st.button(t("progress.reset_button"), disabled=not sure, type="primary", on_click=_reset)


def _reset() -> None:
    """Runs before the rerun, so the confirmation box can still be unticked."""
    replace_answers({})
    st.session_state[KEY + "sure"] = False
    st.session_state[FLASH] = "progress.reset_done"


st.title(t("progress.title"))
st.markdown(linked(t("progress.intro")))
if FLASH in st.session_state:
    st.success(t(st.session_state.pop(FLASH)))
refresh_answers()  # what this learner's other tabs saved counts too
if st.session_state.get(STORE_FAILED):
    st.warning(t("progress.store_failed"))
scores_section()
link_section()
file_section()
reset_section()
