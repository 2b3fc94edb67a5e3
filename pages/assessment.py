"""Assessment: one section per step, answers saved as they are given."""

import streamlit as st

from readiness.journey import (
    answers_file_text,
    missing_required,
    opens_questionnaire,
)
from readiness.messages import counted
from ui import common
from ui.questions import FOCUS_FIRST_MISSING, FOCUS_STEP_HEADING, move_focus, render_step

common.through_app_shell()
MISSING_KEY = "missing_required"
FOCUS_KEY = "assessment_focus"  # where the keyboard goes once the step is drawn

session, content, role = common.require_candidate("Assessment")
store = common.get_store()


def save_answer(questionnaire_id: str, question_id: str, value) -> None:
    common.save_candidate_answer(session, questionnaire_id, question_id, value)


def go_to(step_index: int) -> None:
    if not common.candidate_write(lambda: store.save_step(session.attempt_id, step_index)):
        return
    session.step = step_index
    st.session_state.pop(MISSING_KEY, None)
    st.session_state[FOCUS_KEY] = FOCUS_STEP_HEADING


def go_next(current_steps, index: int) -> None:
    missing = missing_required(current_steps[index], common.candidate_answers(session))
    if missing:
        st.session_state[MISSING_KEY] = (current_steps[index].key, set(missing))
        st.session_state[FOCUS_KEY] = FOCUS_FIRST_MISSING
        return
    if index + 1 >= len(current_steps):
        if not common.candidate_write(lambda: store.finish_attempt(session.attempt_id)):
            return
        go_to(index)
        st.session_state.pop(FOCUS_KEY)  # the results page comes next, not this step
        st.session_state["go_to_results"] = True
        return
    go_to(index + 1)


answers = common.candidate_answers(session)
assessment_steps = common.candidate_steps(session, role)
if not assessment_steps:
    # Content may define a role no questionnaire asks about yet.
    st.title(f"Assessment: {common.plain(role.title)}", anchor=False)
    st.info("No questionnaire asks about this role yet, so there is nothing to answer.")
    if st.button("See what the results can tell", type="primary", key="see_results"):
        if not common.candidate_write(lambda: store.finish_attempt(session.attempt_id)):
            common.leave_deleted_candidate()
        st.switch_page("pages/results.py")
    st.stop()
index = min(max(session.step, 0), len(assessment_steps) - 1)
step = assessment_steps[index]

if st.session_state.pop("go_to_results", False):
    st.switch_page("pages/results.py")

st.title(f"Assessment: {common.plain(role.title)}", anchor=False)
common.note_stale_answers(session)
if index == 0:
    st.info(
        f"Your resume code is `{session.resume_code}`. Copy it (it is also in the menu) to come "
        "back later on any device: every answer is saved as you give it.",
        icon=":material/bookmark:",
    )
st.progress(
    (index + 1) / len(assessment_steps),
    text=f"Step {index + 1} of {len(assessment_steps)}: "
    + common.plain(f"{step.questionnaire.title}, {step.section.title}"),
)

flagged_key, flagged = st.session_state.get(MISSING_KEY, (None, set()))
missing_now = flagged if flagged_key == step.key else set()
# Answered since the warning: stop flagging those.
missing_now = {qid for qid in missing_now if qid in missing_required(step, answers)}
render_step(
    step,
    answers,
    save_answer,
    prefix=str(session.attempt_id),
    missing=missing_now,
    opens_questionnaire=opens_questionnaire(assessment_steps, index),
)
if missing_now:
    count = len(missing_now)
    st.warning(
        f"{counted(count, 'question')} above still need{'s' if count == 1 else ''} an answer."
    )

back, forward, _ = st.columns([1, 2, 3])
with back:
    st.button(
        "Back", disabled=index == 0, on_click=go_to, args=(index - 1,), key="back", width="stretch"
    )
with forward:
    last = index + 1 >= len(assessment_steps)
    st.button(
        "See my results" if last else "Next",
        type="primary",
        on_click=go_next,
        args=(assessment_steps, index),
        key="next",
        width="stretch",
    )

st.divider()
st.download_button(
    "Download my answers (JSON)",
    data=lambda: answers_file_text(content, role.id, answers),  # built when clicked
    file_name="readiness-answers.json",
    mime="application/json",
    on_click="ignore",
    key="download_answers",
)

focus = st.session_state.pop(FOCUS_KEY, None)
if focus:
    move_focus(focus)
