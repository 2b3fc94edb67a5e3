"""One candidate (counselors): the report they see, their answers and attempts, and notes."""

import pandas as pd
import streamlit as st

from readiness.answers import answers_of
from readiness.cohort import score_attempts, shown_attempt
from readiness.journey import answer_rows
from readiness.report import build_pdf
from readiness.storage import NotAllowed
from ui import common, staff
from ui.report_view import render_result, show_table

common.through_app_shell()
NOTE_KEY = "note_text"
user = staff.require_role("counselor", title="Candidate")
content = common.get_content()
store = common.get_store()

st.title("Candidate", anchor=False)
candidate_id = st.session_state.get("selected_candidate")
view = store.candidate_for_staff(user.id, candidate_id) if candidate_id is not None else None
if view is None:
    if candidate_id is not None and st.session_state.get(NOTE_KEY, "").strip():
        # The candidate withdrew (or deleted their data) while a note was being written.
        st.warning(
            "Your note was not added: this candidate no longer shares their results with you. "
            "Here it is, to keep elsewhere if you need it:"
        )
        st.text(st.session_state[NOTE_KEY])
    # Also what a guessed id of someone else's candidate gets: nothing.
    st.info("Choose a candidate from the review table on the Cohorts page.")
    st.page_link("pages/cohorts.py", label="Go to Cohorts", icon=":material/groups:")
    st.stop()

st.text(f"{view.alias}: shared on {view.shared_at:%d %B %Y}")
attempts = view.attempts
role_ids = [a.role_id for a in attempts if a.role_id in content.roles]
if not role_ids:
    st.warning("This candidate's role is no longer offered, so their answers cannot be scored.")
    st.stop()

# From the view, read with its attempts in one go: a candidate deleted since has no answers
# left to read.
scored = score_attempts(
    content, attempts, lambda attempt_id: answers_of(view.answer_sets[attempt_id])
)
shown = shown_attempt(scored)
latest, role = shown.result, content.roles[shown.attempt.role_id]
in_progress = shown.attempt.finished_at is None

report, answers_tab, attempts_tab, notes_tab = st.tabs(["Report", "Answers", "Attempts", "Notes"])
with report:
    # The report speaks to the candidate ("your skills"); the lead says whose and for what.
    lead = (
        ", from the candidate's attempt in progress (not finished yet)."
        if in_progress
        else ", from the candidate's latest finished attempt."
    )
    render_result(latest, key="candidate", lead=lead)

    def report_pdf() -> bytes:
        # Checked at the click, not when the page was drawn: the candidate may have withdrawn,
        # or the counselor's session ended (a new password).
        staff.still_signed_in(user)
        if store.candidate_for_staff(user.id, candidate_id) is None:
            raise NotAllowed("the candidate no longer shares their results with you")
        return build_pdf(
            latest,
            content=content,
            role=role,
            candidate_alias=view.alias,
            taken_on=shown.attempt.taken_on,
        )

    st.download_button(
        "Download this report (PDF)",
        data=report_pdf,
        file_name=f"readiness-{role.id}-candidate-{candidate_id}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key="candidate_pdf",
    )

with answers_tab:
    # Wrapped, not cut: questions and typed answers run long, and are read in full.
    show_table(pd.DataFrame(answer_rows(content, shown.stored)), label="The candidate's answers")

with attempts_tab:
    show_table(
        pd.DataFrame(
            [
                {
                    "Started": common.shown_time(each.attempt.started_at),
                    "Finished": (
                        common.shown_time(each.attempt.finished_at)
                        if each.attempt.finished_at
                        else "not yet"
                    ),
                    "Role": content.roles[each.attempt.role_id].title,
                    "Readiness": each.result.readiness,
                    "Band": each.result.band.label,
                }
                for each in scored
            ]
        ),
        label="The candidate's attempts, oldest first",
    )

with notes_tab:
    with st.form("note_form", clear_on_submit=True):
        text = st.text_area("New note", max_chars=4000, key=NOTE_KEY)
        if st.form_submit_button("Add note"):
            if text.strip():
                store.add_note(user.id, candidate_id, text.strip())
                st.success("Note added.")
            else:
                st.warning("Write the note first: an empty note is not added.")
    for note in store.notes(user.id, candidate_id):
        with st.container(border=True):
            # Notes are shown as plain text, never as Markdown or HTML.
            st.text(f"{note.author_email}, {common.shown_time(note.created_at)}")
            st.text(note.text)
