"""Cohorts (counselors): share codes, the review table, the cohort's gaps, and the CSV export."""

import functools

import streamlit as st

from readiness import charts
from readiness.cohort import (
    IN_PROGRESS,
    STATUS,
    TOP_GAPS_COLUMN,
    cohort_csv,
    cohort_summary,
    cohort_table,
    export_table,
    filter_table,
    score_cohort,
)
from readiness.markup import NO_MUST_HAVES
from readiness.messages import counted, distinct_labels
from ui import common, staff
from ui.charts import show_chart
from ui.report_view import show_table

common.through_app_shell()
COHORT_TAB_KEY = "cohort_tab"


@st.cache_data(show_spinner="Scoring the cohort…", max_entries=16)
def cohort_view(owner_id: int, cohort_id: int, role_id: str, revision: str):
    """The review table and the cohort summary; recomputed only when the cohort's data or the
    content changes (`revision` names both, as part of the cache key)."""
    rows = common.get_store().cohort_answer_sets(owner_id, cohort_id)
    content = common.get_content()
    # One vectorised scoring of every attempt feeds both the table and the summary.
    scores = score_cohort(content, role_id, rows)
    return (
        cohort_table(content, role_id, rows, scores=scores),
        cohort_summary(content, role_id, rows, scores=scores),
    )


user = staff.require_role("counselor", title="Cohorts")
content = common.get_content()
store = common.get_store()

st.title("Cohorts", anchor=False)

with st.expander("Create a cohort", expanded=not store.cohorts_of(user.id)):
    with st.form("create_cohort"):
        name = st.text_input(
            "Cohort name", max_chars=80, placeholder="e.g. Spring 2027 evening group"
        )
        if st.form_submit_button("Create"):
            if name.strip():
                cohort = store.create_cohort(user.id, name.strip())
                st.success(
                    f"Created. Candidates share their results with the code `{cohort.code}`."
                )
            else:
                # A click that does nothing would leave the counselor guessing why.
                st.warning("Give the cohort a name first: a cohort without one is not created.")

cohorts = store.cohorts_of(user.id)
if not cohorts:
    st.info("You have no cohort yet. Create one and give its code to your candidates.")
    st.stop()

by_id = {c.id: c for c in cohorts}
# Two cohorts may share a name: their codes tell them apart.
cohort_names = distinct_labels((c.id, c.name, c.code) for c in cohorts)
cohort_id = st.selectbox("Cohort", list(by_id), format_func=cohort_names.get, key="cohort_pick")
cohort = by_id[cohort_id]
st.markdown(f"Share code for candidates: `{cohort.code}`")
role_id = st.selectbox(
    "Score against role",
    list(content.roles),
    format_func=content.role_titles.get,
    key="cohort_role",
)

revision = (
    f"{cohort.id}:{role_id}:{common.content_revision()}:{store.cohort_revision(user.id, cohort.id)}"
)
table, summary = cohort_view(user.id, cohort.id, role_id, revision)
if table.empty:
    st.info("No candidate has shared results with this cohort yet.")
    st.stop()

# The gap charts are drawn only while their tab is open (opening it reruns the page): for a
# large cohort they cost the first view about a tenth of a second (docs/performance.md, (c)).
# The other tabs are light, and drawn always: the review filters keep their values.
review, gaps, export = st.tabs(
    ["Review", "Cohort gaps", "Export"], key=COHORT_TAB_KEY, on_change="rerun"
)
with review:
    role = content.roles[role_id]
    filters = st.columns(3)
    band_labels = list(dict.fromkeys(b.label for b in role.bands))  # two bands may share one
    bands = filters[0].multiselect("Band", band_labels, key="filter_band")
    must_have = filters[1].selectbox(
        "Missing must-have",
        ["(any)", *role.requirement_titles().values()],
        key="filter_must_have",
    )
    below = filters[2].selectbox(
        "Below target in",
        ["(any)", *role.competency_titles().values()],
        key="filter_competency",
    )
    shown = filter_table(
        table,
        bands=bands,
        missing=None if must_have == "(any)" else must_have,
        below=None if below == "(any)" else below,
    )
    st.markdown(
        f"{len(shown)} of {len(table)} candidates, best readiness first. A column's header "
        "sorts by it; the filters above narrow the list."
    )
    st.dataframe(
        shown.drop(columns=["candidate_id"]),
        hide_index=True,
        width="stretch",
        key="review_table",
        column_config={
            "Date": st.column_config.DatetimeColumn("Date", format="D MMM YYYY"),
            # The gaps that matter most: room for their names, not an ellipsis.
            TOP_GAPS_COLUMN: st.column_config.TextColumn(width="large"),
        },
    )
    if len(shown):
        # Two candidates may choose one alias: the date they shared tells them apart (written
        # out only for them: a cohort may list thousands).
        dates = shown["Date"]

        def shared_on(row: int) -> str:
            return f"{dates.iloc[row]:%d %b %Y}"

        names = distinct_labels(
            (candidate, alias, functools.partial(shared_on, row))
            for row, (candidate, alias) in enumerate(
                zip(shown["candidate_id"].tolist(), shown["Alias"].tolist(), strict=True)
            )
        )
        picked = st.selectbox(
            "Open a candidate", list(names), format_func=names.get, key="open_candidate"
        )
        if st.button("Open", key="open_candidate_button"):
            st.session_state["selected_candidate"] = int(picked)
            st.switch_page("pages/candidate.py")

with gaps:
    if gaps.open:
        st.header("Readiness distribution", anchor=False)
        # Each candidate's latest finished attempt, else their answers so far: say how many are
        # the latter, or a candidate who has answered little reads as one with little skill.
        unfinished = int((table[STATUS] == IN_PROGRESS).sum())
        if unfinished:
            who = (
                "No candidate has finished an attempt yet"
                if unfinished == len(table)
                else f"{unfinished} of the {counted(len(table), 'candidate')} "
                f"{'has' if unfinished == 1 else 'have'} not finished an attempt yet"
            )
            st.markdown(
                f"{who}: these figures count their answers so far, and a skill they have not "
                "answered about as level 0."
            )
        show_chart(
            f"histogram:{revision}",
            lambda: charts.readiness_histogram(summary.readiness),
            key="histogram",
        )
        # Tables of the app's own: read cell by cell and wrapped, where an interactive grid
        # shows a screen reader only what is scrolled into view.
        show_table(
            charts.readiness_histogram_table(summary.readiness),
            label="Candidates per readiness range",
        )
        st.header("Mean gap per competency", anchor=False)
        show_chart(
            f"mean_gap:{revision}", lambda: charts.mean_gap_chart(summary.mean_gaps), key="mean_gap"
        )
        show_table(
            charts.mean_gap_table(summary.mean_gaps),
            label="Mean gap to target, by competency",
            two_decimals=["Mean gap"],
        )
        st.header("Candidates missing each must-have", anchor=False)
        missing_table = charts.requirement_missing_table(summary.missing)
        if missing_table.empty:
            st.markdown(NO_MUST_HAVES)
        elif not (missing_table["Unmet"] + missing_table["Unknown"]).any():
            st.markdown("Every candidate meets every must-have.")
        else:
            show_chart(
                f"missing:{revision}",
                lambda: charts.requirement_missing_chart(summary.missing),
                key="missing",
            )
        if not missing_table.empty:
            show_table(missing_table, label="Candidates missing each must-have")
        if not summary.changes.empty:
            st.header("Change between first and latest attempt", anchor=False)
            st.markdown(
                f"The {counted(len(summary.candidate_changes), 'candidate')} who finished the "
                "assessment more than once, not the whole cohort."
            )
            show_chart(
                f"changes:{revision}", lambda: charts.change_chart(summary.changes), key="changes"
            )
            show_table(
                charts.change_table(summary.changes),
                label="Mean level at the first and the latest attempt",
                two_decimals=[charts.FIRST, charts.LATEST, "Change"],
            )

with export:
    st.markdown("One row per candidate (latest attempt). Cells are made safe for spreadsheets.")

    def current_csv() -> bytes:
        # Read at the click, not when the page was drawn: a candidate who has withdrawn or
        # deleted their data since is left out, and a session ended since gets nothing.
        staff.still_signed_in(user)
        rows = store.cohort_answer_sets(user.id, cohort.id)
        table = cohort_table(content, role_id, rows)
        return cohort_csv(export_table(table, content.role_titles[role_id]))

    st.download_button(
        "Download cohort CSV",
        data=current_csv,
        file_name=f"cohort-{cohort.id}-{role_id}.csv",
        mime="text/csv",
        on_click="ignore",
        key="export_csv",
    )
