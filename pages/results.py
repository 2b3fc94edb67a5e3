"""Results: readiness, gaps, must-haves, plan, pay and outlook, and what to do with them."""

import pandas as pd
import streamlit as st

from readiness.answers import answers_of
from readiness.journey import answers_file_text, attempt_to_compare
from readiness.markup import html_table, section_html
from readiness.quality import quality_notes
from readiness.report import build_pdf
from readiness.scoring import compare_roles, score_one
from readiness.storage import CandidateGone
from ui import common
from ui.charts import show_chart_image
from ui.market_view import render_market
from ui.report_view import render_result, result_key

common.through_app_shell()
WITHDRAWN_NOTICE = "withdrawn_from"  # the cohort just withdrawn from, said once after the rerun
session, content, role = common.require_candidate("Your results")
store = common.get_store()
st.title("Your results", anchor=False)
common.note_stale_answers(session)
answers = common.candidate_answers(session)
result = common.candidate_result(session, role)

if not any(c.asked for c in result.competencies):
    st.info("No question asks about this role's skills yet, so every skill counts as level 0.")
elif not any(c.assessed for c in result.competencies):
    st.warning("You have not answered any skill question yet, so every skill counts as level 0.")
    st.page_link(
        "pages/assessment.py", label="Continue the assessment", icon=":material/checklist:"
    )

seconds_spent, answers_given = common.candidate_pace(session, role)
for note in quality_notes(content, answers, seconds_spent, answers_given):
    st.info(note, icon=":material/lightbulb:")

# Re-assessment: the change since the previous finished attempt with the same code.
previous = None
attempts = store.attempts(session.candidate_id)
earlier = attempt_to_compare(attempts, session.attempt_id, role.id)
if earlier:
    try:
        previous_answers = answers_of(store.load_answer_set(earlier.attempt_id))
    except CandidateGone:  # deleted since the page checked
        common.leave_deleted_candidate()
    previous = score_one(content, role.id, previous_answers)

lead = ", from your answers of this attempt."
if previous is not None:
    lead += f" Last time ({earlier.taken_on:%d %B %Y}): {previous.readiness}."
render_result(result, key="results", lead=lead)
if previous is not None:
    from readiness import charts

    st.header("Change since your last attempt", anchor=False)
    st.markdown(
        f"Readiness {previous.readiness} → {result.readiness} "
        f"(attempt of {earlier.taken_on:%d %B %Y})."
    )
    show_chart_image(
        "change:" + result_key(previous) + result_key(result),
        lambda: charts.change_since_last_chart(previous, result),
    )
    st.dataframe(charts.change_since_last_table(previous, result), hide_index=True, width="stretch")
render_market(content, role, revision=common.content_revision())

if len(content.roles) > 1:
    # A table that wraps long role titles: on a phone every column stays in view.
    comparison = html_table(
        pd.DataFrame(compare_roles(content, answers)), label="Readiness for each role"
    )
    st.html(section_html("The same answers against other roles", "", comparison))

st.html(
    section_html(
        "Keep or share your results",
        "Download your report or your answers, or take the assessment again: a new attempt "
        "with the same code, beginning from your current answers.",
        rule_above=True,
    )
)
actions = st.container(horizontal=True)
with actions:
    st.download_button(
        "Download report (PDF)",
        data=lambda: build_pdf(
            result,
            content=content,
            role=role,
            taken_on=next(a.taken_on for a in attempts if a.attempt_id == session.attempt_id),
            previous=previous,
        ),
        file_name=f"readiness-{role.id}.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        key="download_pdf",
    )
with actions:
    st.download_button(
        "Download answers (JSON)",
        data=lambda: answers_file_text(content, role.id, answers),
        file_name="readiness-answers.json",
        mime="application/json",
        on_click="ignore",
        key="download_answers_results",
    )
with actions:
    if st.button("Take it again", key="retake"):
        try:
            common.set_candidate_session(store.new_attempt(session, role.id))
        except CandidateGone:
            common.leave_deleted_candidate()
        st.switch_page("pages/assessment.py")

share_panel = common.opened_panel("Share with a counselor", key="share_panel")
if share_panel:
    with share_panel:
        st.markdown(
            "Your counselor gives you a cohort code. Sharing lets them see this report and your "
            "answers, and add notes. You can withdraw at any time."
        )
        with st.form("share_form"):
            cohort_code = st.text_input("Cohort code", key="share_code")
            alias = st.text_input(
                "Name or alias your counselor will see", max_chars=80, key="share_alias"
            )
            consent = st.checkbox(
                "I agree to share my results and answers with this cohort's counselor.",
                key="share_consent",
            )
            shared = st.form_submit_button("Share")
        if shared:
            if not consent:
                st.error("Tick the box to agree before sharing.")
            elif not cohort_code.strip() or not alias.strip():
                st.error("Enter both the cohort code and the name your counselor will see.")
            else:
                try:
                    cohort = store.share(session.candidate_id, cohort_code, alias.strip())
                except CandidateGone:
                    common.leave_deleted_candidate()
                if cohort is None:
                    st.error("No cohort has this code. Check it with your counselor.")
                else:
                    st.success(f"Shared with {common.plain(cohort.name)}.")
        withdrawn = st.session_state.pop(WITHDRAWN_NOTICE, None)
        if withdrawn:
            st.success(f"Withdrawn: {common.plain(withdrawn)} no longer sees your results.")
        for share in store.shares_of(session.candidate_id):
            cols = st.columns([4, 1])
            cols[0].text(f"Shared with {share.cohort_name} on {share.shared_at:%d %B %Y}")
            if cols[1].button("Withdraw", key=f"unshare_{share.cohort_id}"):
                store.unshare(session.candidate_id, share.cohort_id)
                st.session_state[WITHDRAWN_NOTICE] = share.cohort_name
                st.rerun()

delete_panel = common.opened_panel("Delete my data", key="delete_panel")
if delete_panel:
    with delete_panel:
        st.markdown(
            "This deletes every attempt and answer stored under your resume code, and withdraws it "
            "from any counselor. It cannot be undone."
        )
        confirm = st.checkbox("Yes, delete everything stored under my code.", key="delete_confirm")
        if st.button("Delete my data", disabled=not confirm, key="delete_data"):
            store.delete_candidate(session.candidate_id)
            common.leave_deleted_candidate()
