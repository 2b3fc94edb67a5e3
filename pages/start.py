"""Start: choose a role, see what the assessment covers, then start, resume or restore."""

import streamlit as st

from readiness.journey import questionnaires_for
from readiness.messages import counted
from readiness.storage import TooManyAttempts
from ui import common
from ui.messages import show_issues

common.through_app_shell()
content = common.get_content()
store = common.get_store()

st.title("How ready are you for your next role?", anchor=False)
if st.session_state.pop(common.DELETED_NOTICE, False):
    st.success("Everything stored under your code has been deleted.", icon=":material/delete:")
st.markdown(
    "Rate your skills and background against what the job asks for. You get a readiness "
    "score, the gaps that matter most, the must-haves you still lack, an ordered plan, and what "
    "the job pays, with the source of every figure."
)

if not content.roles:
    st.error(
        "No role profile is available yet. An instructor can add one under data/roles/ "
        "and check it with `python -m readiness validate`."
    )
    st.stop()

role_ids = list(content.roles)
session = common.candidate_session()
default_role = role_ids.index(session.role_id) if session and session.role_id in role_ids else 0
role_id = st.selectbox(
    "Target role",
    role_ids,
    index=default_role,
    format_func=content.role_titles.get,
    key="start_role",
)
role = content.roles[role_id]
questionnaires = questionnaires_for(content, role)

left, right = st.columns([3, 2], gap="large")
with left:
    # Content titles are plain text: shown as written (not as Markdown), in their own case.
    st.header(f"The assessment for the role {common.plain(role.title)}", anchor=False)
    minutes = sum(q.estimated_minutes or 0 for q in questionnaires)
    for questionnaire in questionnaires:
        count = counted(len(questionnaire.questions()), "question")
        if questionnaire.asks_some_questions_only_after_certain_answers():
            count = f"up to {count}"
        time = (
            f", about {counted(questionnaire.estimated_minutes, 'minute')}"
            if questionnaire.estimated_minutes
            else ""
        )
        st.markdown(f"- {common.plain(questionnaire.title)}: {count}{time}")
    st.markdown(
        "Skills it compares with the job: "
        + ", ".join(common.plain(c.title) for c in role.competencies)
        + "."
        + (
            f" In all, about **{counted(minutes, 'minute')}**; you can stop at any point and come back."
            if minutes
            else ""
        )
    )
    described = [c for c in role.competencies if c.description]
    if described:
        with st.expander("What these skills mean"):
            # A description may run over several lines: indented, they stay in its item.
            st.markdown(
                "\n".join(
                    f"- **{common.plain(c.title)}**: " + c.description.replace("\n", "\n  ")
                    for c in described
                )
            )
    if role.summary:
        # The role's description and where its figures come from: long, so on request.
        with st.expander("About the role and the sources of its figures"):
            st.markdown(role.summary)
with right:
    st.markdown("**What is stored and who can see it**")
    st.markdown(
        "- Your answers are saved as you give them, under a resume code only you receive. "
        "No name or e-mail is asked.\n"
        "- Nobody else sees them unless you choose to share your results with a counselor, "
        "using the code they give you. You can withdraw that at any time.\n"
        "- You can download your answers and report, and delete everything stored under your code."
    )

st.divider()
if session is not None:
    st.info(
        f"You have an assessment in progress (resume code `{session.resume_code}`).",
        icon=":material/bookmark:",
    )
    # Its role may have been withdrawn since: it then goes on with the role chosen above.
    role_withdrawn = session.role_id not in content.roles
    if role_withdrawn:
        st.warning(
            "The role of that assessment is no longer offered. Choose a target role above, "
            "then continue: your answers are kept.",
            icon=":material/warning:",
        )
    if st.button("Continue where I left off", type="primary", key="continue"):
        if role_withdrawn:
            if not common.candidate_write(lambda: store.set_role(session.attempt_id, role_id)):
                common.leave_deleted_candidate()
            session.role_id = role_id
        st.switch_page(common.page_to_continue(session))

new_tab, resume_tab, restore_tab = st.tabs(
    ["Start new", "Resume with a code", "Restore from a file"]
)
with new_tab:
    st.markdown("Start a fresh assessment for the role above. You get a resume code right away.")
    if st.button("Start the assessment", type="primary", key="start_new"):
        common.set_candidate_session(store.start_candidate(role_id))
        st.switch_page("pages/assessment.py")

with resume_tab:
    with st.form("resume_form"):
        code = st.text_input(
            "Resume code",
            placeholder="for example: amber-canyon-tulip-orbit-meadow-quartz",
            key="resume_code_input",
        )
        resume = st.form_submit_button("Resume")
    if resume:
        try:
            resumed = store.resume(code, client=common.client_key())
        except TooManyAttempts as error:
            st.error(
                f"Too many codes tried. Please wait {error.wait} and try again.",
                icon=":material/timer:",
            )
        else:
            if resumed is None:
                st.error(
                    "No assessment has this code. Check the words and their order; capitals "
                    "and spaces do not matter.",
                    icon=":material/error:",
                )
            else:
                common.set_candidate_session(resumed)
                st.switch_page(common.page_to_continue(resumed))

with restore_tab:
    st.markdown(
        "Upload an answers file you downloaded earlier (JSON or YAML). It starts a new "
        "assessment with those answers; nothing already saved is changed."
    )
    upload = st.file_uploader("Answers file", type=["json", "yaml", "yml"], key="restore_upload")
    if upload is not None:
        from readiness.journey import read_uploaded_answers

        answer_set, issues = common.once_per_upload(
            upload,
            lambda: read_uploaded_answers(upload.getvalue(), upload.name, content),
            key="restore_checked",
        )
        if issues:
            show_issues(issues, intro=f"{common.plain(upload.name)} cannot be restored:")
            st.markdown(
                "Restore takes the answers file this app lets you download "
                "(readiness-answers.json), as it was downloaded. The table says what in this "
                "file is not as expected, and where, for whoever changed or made it."
            )
        else:
            target_role = answer_set.role if answer_set.role in content.roles else role_id
            # Said before the click: the role the file names may not be the one chosen above.
            if answer_set.role not in content.roles:
                st.info(
                    f"This file is for the role `{answer_set.role}`, which is no longer offered: "
                    f"its answers are restored for {common.plain(content.role_titles[role_id])}, "
                    "the role chosen above.",
                    icon=":material/info:",
                )
            elif target_role != role_id:
                st.info(
                    "This file is for "
                    f"{common.plain(content.role_titles[target_role])}: its answers are restored "
                    "for that role, not the one chosen above.",
                    icon=":material/info:",
                )
        if not issues and st.button("Restore these answers", type="primary", key="restore"):
            restored = store.import_answer_set(None, answer_set.model_dump())
            if restored.role_id != target_role:
                store.set_role(restored.attempt_id, target_role)
                restored.role_id = target_role
            common.set_candidate_session(restored)
            st.switch_page("pages/assessment.py")
