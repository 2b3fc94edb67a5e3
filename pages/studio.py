"""Content studio (instructors): open, upload or paste a questionnaire or role, check it with
located messages, preview it as a candidate sees it, and save it when it is valid.
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from readiness.answers import answers_that_fit
from readiness.content import WHERE_CONTENT_GOES, files_not_read
from readiness.journey import opens_questionnaire, questionnaire_steps
from readiness.messages import Issue, counted
from readiness.schema import distinct_titles
from readiness.scoring import score_one
from readiness.studio import (
    check_draft,
    excerpt,
    path_in_root,
    questionnaire_overview,
    role_preview,
    save,
)
from readiness.xlsform import workbook_to_questionnaire
from readiness.yamlsafe import decode_text
from ui import common, staff
from ui.common import plain
from ui.messages import show_issues
from ui.questions import render_step
from ui.report_view import render_result

common.through_app_shell()
PREVIEW_ANSWERS = "studio_preview_answers"
DRAFT_TEXT = "studio_draft_text"
DRAFT_NAME = "studio_draft_name"  # what problems call the draft: the file it was opened from
DRAFT_OPENED = "studio_draft_opened"  # (path, text) of the file the draft was opened from
DRAFT_LOADED = "studio_draft_loaded"  # text last opened, loaded or saved: edits after are unsaved
SAVED_NOTICE = "studio_saved_to"

user = staff.require_role("instructor", title="Content studio")
content = common.get_content()
store = common.get_store()

st.title("Content studio", anchor=False)
st.markdown(
    "Questionnaires and role profiles are YAML files in the content root "
    f"(`{content.root}`). Open one, upload or paste a file, check it, preview it, and save it "
    "when it has no problems. The authoring guide (docs/authoring.md) describes every key."
)


def shown_path(path) -> str:
    return "" if path is None else path_in_root(path, content.root)


overview, edit, history = st.tabs(["Content", "Edit or add", "History"])

with overview:
    rows = [
        {"Kind": "Questionnaire", "Id": q.id, "Title": q.title, "Version": q.version,
         "File": shown_path(content.file_of("questionnaire", q.id))}
        for q in content.questionnaires.values()
    ] + [
        {"Kind": "Role", "Id": r.id, "Title": r.title, "Version": "",
         "File": shown_path(content.file_of("role", r.id))}
        for r in content.roles.values()
    ]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="content_table")
    if content.issues:
        show_issues(content.issues, intro="Some files are not offered to candidates:")
    else:
        st.success("Every file in the content root is valid.", icon=":material/check_circle:")
    unread = files_not_read(content.root)
    if unread:
        # Else a file saved in the wrong place just never shows, and nothing says why.
        st.warning(
            "The app does not read "
            + ", ".join(plain(shown_path(path)) for path in unread)
            + f": {WHERE_CONTENT_GOES}."
        )

# Before the editor: it stops the page while the draft is empty or has problems.
with history:
    changes = store.content_history(limit=50)
    if not changes:
        st.markdown("No change has been saved from the studio yet.")
    else:
        rows = [
            {"When": common.shown_time(change.created_at), "Who": change.user_email or "(removed account)",
             "Change": change.action, "Kind": change.kind, "Id": change.item_id,
             "Version": change.version or "", "File": shown_path(Path(change.path))}
            for change in changes
        ]  # fmt: skip
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="history_table")


def load_into_editor(text: str, name: str, opened_from=None) -> None:
    """Put `text` in the editor; its problems are reported under `name`, the file it came from.
    A draft `opened_from` a content file may replace that file, and only that one."""
    st.session_state[DRAFT_TEXT] = text
    st.session_state[DRAFT_NAME] = name
    st.session_state[DRAFT_OPENED] = (opened_from, text) if opened_from else None
    st.session_state[DRAFT_LOADED] = text
    st.session_state.pop(PREVIEW_ANSWERS, None)


def may_replace_draft(key: str) -> bool:
    """Whether loading a file may replace the editor's text: at once when nothing in it is
    unsaved, else only once the instructor says so (an hour's edits are one click from lost)."""
    text = st.session_state.get(DRAFT_TEXT, "")
    if not text.strip() or text == st.session_state.get(DRAFT_LOADED):
        return True
    return st.checkbox("Replace the unsaved changes in the editor", key=key)


with edit:
    source = st.radio(
        "Start from",
        ["An existing file", "An uploaded file (YAML or spreadsheet)", "A blank page"],
        horizontal=True,
        key="studio_source",
    )
    if source == "An existing file":
        files = {
            f"{kind}:{item_id}": path for (kind, item_id), path in sorted(content.sources.items())
        }
        chosen = st.selectbox("File", list(files), key="studio_file") if files else None
        if chosen and st.button(
            "Open in the editor",
            key="studio_open",
            disabled=not may_replace_draft("studio_open_replaces"),
        ):
            path = files[chosen]
            load_into_editor(path.read_text(encoding="utf-8"), shown_path(path), opened_from=path)
    elif source.startswith("An uploaded"):
        upload = st.file_uploader(
            "Questionnaire or role file", type=["yaml", "yml", "xlsx"], key="studio_upload"
        )
        if upload is not None and st.button(
            "Load the upload",
            key="studio_load_upload",
            disabled=not may_replace_draft("studio_upload_replaces"),
        ):
            if upload.name.lower().endswith(".xlsx"):
                converted, sheet_issues = workbook_to_questionnaire(
                    upload.getvalue(), content_root=content.root, name=upload.name
                )
                if sheet_issues:
                    st.session_state["studio_sheet_issues"] = sheet_issues
                else:
                    st.session_state.pop("studio_sheet_issues", None)
                    load_into_editor(converted, f"{upload.name} (converted)")
            else:
                # As validate reads files: text that is not UTF-8 is a problem, not "Caf�".
                text_or_issue = decode_text(upload.getvalue(), upload.name)
                if isinstance(text_or_issue, Issue):
                    st.session_state["studio_sheet_issues"] = [text_or_issue]
                else:
                    st.session_state.pop("studio_sheet_issues", None)
                    load_into_editor(text_or_issue, upload.name)
        if st.session_state.get("studio_sheet_issues"):
            show_issues(st.session_state["studio_sheet_issues"], intro="The uploaded file has")

    text = st.text_area(
        "YAML", height=380, key=DRAFT_TEXT, placeholder="format: questionnaire/1\nid: ...",
        help="Edit here, then check. Nothing is saved until you press Save.",
    )  # fmt: skip
    if not text.strip():
        st.stop()

    opened_from, opened_text = st.session_state.get(DRAFT_OPENED) or (None, None)
    draft = check_draft(
        content.root,
        text,
        st.session_state.get(DRAFT_NAME, "draft.yaml"),
        content,
        opened_from=opened_from,
        opened_text=opened_text,
    )
    if draft.issues:
        show_issues(draft.issues, intro="Not saved yet: the draft has")
        for issue in draft.issues[:20]:
            # The field as text: a backquote in a key would end a code span early.
            st.markdown(
                f"**Line {issue.line}**, {plain(issue.loc or 'file')}: {plain(issue.message)}"
            )
            st.code(excerpt(text, issue.line), language=None, wrap_lines=True)
        with st.expander("The draft with line numbers", expanded=True):
            # Wrapped: a block that scrolls sideways cannot be scrolled from the keyboard.
            # Plain, as the excerpts above: the code theme's colours on its grey are too faint
            # to read (2.8:1 for keys and strings).
            st.code(text, language=None, line_numbers=True, wrap_lines=True)
        st.stop()

    st.success(
        f"Valid {draft.format}: {draft.item_id}"  # an id: letters, digits and -
        + (f", version {plain(draft.version)}" if draft.version else ""),
        icon=":material/check_circle:",
    )
    preview = draft.preview
    if draft.format == "questionnaire/1":
        questionnaire = preview.questionnaires[draft.item_id]
        with st.expander("Every question at a glance, hidden ones included"):
            st.dataframe(questionnaire_overview(questionnaire), hide_index=True, width="stretch")
        st.header("Preview as a candidate", anchor=False)
        given = st.session_state.setdefault(PREVIEW_ANSWERS, {})

        def remember(questionnaire_id: str, question_id: str, value) -> None:
            given.setdefault(questionnaire_id, {})[question_id] = value

        # Only answers the draft's questions can take: an edit since (a rating made a
        # multiple choice, an option gone) leaves the others behind, as for candidates.
        answers, _ = answers_that_fit(preview.catalog, given)
        steps = questionnaire_steps(preview, [questionnaire], answers)
        names = distinct_titles(step.section for step in steps)  # two sections may share one
        titles = [plain(names[step.section.id]) for step in steps]
        position = st.radio("Section", range(len(steps)), format_func=titles.__getitem__,
                            horizontal=True, key="studio_section")  # fmt: skip
        shown = min(position, len(steps) - 1)
        render_step(steps[shown], answers, remember, prefix="preview",
                    opens_questionnaire=opens_questionnaire(steps, shown))  # fmt: skip
        if preview.roles:
            st.header("Scoring preview", anchor=False)
            role_id = st.selectbox("Score against", list(preview.roles),
                                   format_func=preview.role_titles.get, key="studio_role")  # fmt: skip
            result = score_one(preview, role_id, answers)
            render_result(result, key="studio")
    else:
        role = preview.roles[draft.item_id]
        tables = role_preview(preview, role, saved=content)
        st.header(f"Preview: {plain(role.title)}", anchor=False)
        if role.summary:
            st.markdown(role.summary)
        if tables.unmeasured:
            st.warning(
                "No question measures "
                + ", ".join(plain(t) for t in tables.unmeasured)
                + ": every candidate gets level 0 there, as the scoring rules say.",
                icon=":material/warning:",
            )
        for heading, table in (
            ("Competencies", tables.competencies),
            ("Must-haves", tables.requirements),
            ("Bands", tables.bands),
        ):
            st.markdown(f"**{heading}**")
            if table.empty:
                st.caption(f"This role lists no {heading.lower()}.")
            else:
                st.dataframe(table, hide_index=True, width="stretch")
        if tables.market_figures:
            st.caption(
                f"Pay and outlook: {counted(tables.market_figures, 'figure')} in data/market/*.csv under "
                f"the role `{role.market}`."
            )
        else:
            why = (
                f"No row of data/market/*.csv has the role `{role.market}`"
                if role.market
                else "The role has no `market` key"
            )
            st.info(
                f"{why}, so candidates are told that no pay figure is sourced for it.",
                icon=":material/info:",
            )

    saved_to = st.session_state.pop(SAVED_NOTICE, None)
    if saved_to:
        st.success(f"Saved to {plain(str(saved_to))}. Candidates see it from now on.")
    if draft.breaks:
        show_issues(draft.breaks, intro="Saving this draft would give other files")
        st.caption("Candidates are not offered a file with problems until it is fixed.")
    # One confirmation per draft text: a later draft asks again.
    confirmed = not draft.breaks or st.checkbox(
        "Save anyway: I will fix those files next.",
        key=f"studio_save_breaking:{hash(draft.text)}",
    )
    if draft.changed_since_opened:
        st.warning(
            f"{plain(shown_path(draft.target))} was saved by someone else, or changed on disk, "
            "since you opened it. Saving would undo that change, so Save is not offered: copy "
            "what you need from your draft, open the file again, and make your change there.",
            icon=":material/sync_problem:",
        )
    elif draft.unchanged:
        st.info("This is the same as the saved file: nothing to save.")
    elif st.button("Save", type="primary", key="studio_save", disabled=not confirmed):
        try:
            target = save(draft, store, user.id)
        except OSError as error:
            # The file on disk is unchanged (it is replaced in one step or not at all).
            reason = error.strerror or str(error)
            st.error(
                f"Could not save to {plain(str(draft.target))}: {plain(reason)}. "
                "The saved file is unchanged; your draft is still in the editor."
            )
        else:
            common.content_changed()
            st.session_state[SAVED_NOTICE] = str(target)
            # The draft is the file now: it may be saved again, changed, over this save.
            st.session_state[DRAFT_OPENED] = (target, draft.text)
            st.session_state[DRAFT_LOADED] = draft.text
            st.rerun()  # so the History tab, drawn above, lists this change
