"""Every page driven in-process with AppTest from app.py, as candidates and staff use them.

Each test gets its own SQLite database (and, for the studio, its own copy of the content), set
through the environment before the first AppTest is created.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
import yaml
from streamlit.proto.LabelVisibility_pb2 import LabelVisibility
from streamlit.testing.v1 import AppTest

from readiness import charts, markup
from readiness.answers import answers_of
from readiness.content import PROJECT_ROOT, WHERE_CONTENT_GOES, Content, load_content
from readiness.journey import (
    questionnaires_for,
    read_uploaded_answers,
    steps,
    to_answer_set,
    visible_answers,
)
from readiness.messages import ErrorCode
from readiness.schema import ANSWERS_FORMAT
from readiness.scoring import score_one
from readiness.storage import CandidateGone, NotAllowed, Session, Store, User
from tests.fixtures.apptest import (
    APP_TIMEOUT,
    PASSWORD,
    answer_for,
    answer_visible,
    block_holding,
    chart_images,
    html_headings,
    open_page,
    open_panel,
    project_content,
    question_keys,
    readiness_scores,
    report_leads,
    section_items,
    sign_in,
    stay_on,
    submit,
    texts,
    widget_by_key,
)
from tests.fixtures.pdf import pdf_text
from ui.common import content_changed, plain
from ui.staff import SIGN_IN_TO_OPEN

ROLE = "physician-liaison"
BACKGROUND, SKILLS = "liaison-background", "liaison-skills"
PAGES = ["start", "assessment", "results", "sign_in", "cohorts", "candidate", "studio"]
STAFF_PAGES = ["cohorts", "candidate", "studio"]
USER_KEY = "staff_user"  # where ui.common keeps the signed-in staff member
STAFF_WIDGETS = {
    "cohort_pick", "cohort_role", "filter_band", "filter_must_have", "filter_competency",
    "open_candidate", "open_candidate_button", "export_csv", "note_text", "candidate_pdf",
    "studio_source", "studio_file", "studio_open", "studio_draft_text", "studio_save",
}  # fmt: skip
URL_PATHS = {"start": ""}  # a page's address when not its file name
STAFF_TITLES = {"cohorts": "Cohorts", "candidate": "Candidate", "studio": "Content studio"}
NO_SUCH_CODE = "No assessment has this code."
COUNSELOR, OTHER_COUNSELOR, INSTRUCTOR = (
    "counselor@example.org",
    "other.counselor@example.org",
    "instructor@example.org",
)
SCRIPT_ALIAS = "<script>alert(1)</script>"
LINK_NOTE = "[x](http://evil) **not bold** <b>not html</b>"
LINK_ALIAS = "Robin [x](http://evil)"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _caches(fresh_streamlit_caches) -> None:
    """Streamlit caches outlive a test: every test starts and ends with them empty."""


@pytest.fixture(scope="module")
def content() -> Content:
    loaded = project_content()
    assert loaded.ok, loaded.issues
    return loaded


@pytest.fixture
def staff(app_store: Store) -> dict[str, Any]:
    """Two counselors (the first owns a cohort) and an instructor."""
    counselor = app_store.add_user(COUNSELOR, PASSWORD, "counselor", name="Casey Counselor")
    other = app_store.add_user(OTHER_COUNSELOR, PASSWORD, "counselor")
    instructor = app_store.add_user(INSTRUCTOR, PASSWORD, "instructor")
    cohort = app_store.create_cohort(counselor.id, "Evening group")
    return {"counselor": counselor, "other": other, "instructor": instructor, "cohort": cohort}


# Helpers -----------------------------------------------------------------------------------


def complete_answers(content: Content, strong: bool) -> dict[str, dict[str, Any]]:
    """Every visible question of the role answered, all strong or all weak (skip logic kept)."""
    role = content.roles[ROLE]
    answers: dict[str, dict[str, Any]] = {}
    while True:  # an answer may reveal further questions
        added = False
        for step in steps(content, role, answers):
            given = answers.setdefault(step.questionnaire.id, {})
            for question in step.questions:
                if question.id not in given:
                    given[question.id] = answer_for(
                        content, step.questionnaire.id, question.id, strong=strong
                    )
                    added = True
        if not added:
            return visible_answers(content, answers)


def stored_candidate(store: Store, content: Content, strong: bool = True) -> Session:
    """A candidate who answered everything, saved the way a restored file is."""
    answer_set = to_answer_set(content, ROLE, complete_answers(content, strong))
    return store.import_answer_set(None, answer_set)


def resume(at: AppTest, code: str, *, finished: bool = False) -> AppTest:
    """Resume with a code on the Start page; on success the app opens the assessment, or the
    results of a `finished` attempt."""
    open_page(at, "start")
    at.text_input(key="resume_code_input").set_value(code)
    submit(at, "resume_form")
    if "candidate_session" in at.session_state:
        if finished:
            assert [t.value for t in at.title] == ["Your results"]
            stay_on(at, "results")
        else:
            assert at.title[0].value.startswith("Assessment: ")
            stay_on(at, "assessment")
    return at


def raising(error: Exception) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    return fail


def open_cohort_gaps(at: AppTest) -> AppTest:
    """Open the cohort page's Cohort gaps tab, which draws its charts only when open."""
    at.session_state["cohort_tab"] = "Cohort gaps"
    at.run()
    assert not at.exception, at.exception
    return at


def keep_download_makers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """The function each download button makes its file with (`data=`), by key, as drawn."""
    makers: dict[str, Callable[[], Any]] = {}
    real = st.download_button

    def keep_maker(label, data, *args, key=None, **kwargs):
        if callable(data):
            makers[key] = data
        return real(label, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", keep_maker)
    return makers


def progress_text(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The tables the page draws as HTML, read back as a browser shows them."""
    bodies = [node.proto.body for node in nodes(at) if getattr(node, "type", None) == "html"]
    return [
        frame
        for body in bodies
        if "<table" in body
        for frame in pd.read_html(io.StringIO(body), keep_default_na=False)
    ]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table (interactive or drawn as HTML) on the page that has this column."""
    tables = [frame.value for frame in at.dataframe] + html_tables(at)
    found = [f for f in tables if column in f.columns]
    assert len(found) == 1, f"{len(found)} tables with a {column!r} column"
    return found[0]


def headings(at: AppTest) -> list[str]:
    """Section headings, whether drawn as st.subheader, a Markdown `###` line or in HTML."""
    found = [s.value for s in at.header]
    for text in texts(at, "markdown"):
        found += [line[4:] for line in text.splitlines() if line.startswith("### ")]
    return found + html_headings(at)


def nodes(at: AppTest):
    """Every element and block of the page, main area and sidebar."""
    pending = [at.main, at.sidebar]
    while pending:
        node = pending.pop()
        yield node
        pending += list(getattr(node, "children", {}).values())


def widget_keys(at: AppTest) -> set[str]:
    return {node.key for node in nodes(at) if getattr(node, "key", None)}


def page_dump(at: AppTest) -> str:
    """Everything the page sent to the browser, as text (also inside tables' bytes)."""
    return "\n".join(str(node.proto) for node in nodes(at) if getattr(node, "proto", None))


def cites_its_targets(at: AppTest) -> bool:
    """The report says where each target and importance comes from, with O*NET's credit."""
    shown = page_dump(at)
    return markup.TARGET_SOURCES_SUMMARY in shown and markup.ONET_ATTRIBUTION in shown


def has_competency_chart(at: AppTest) -> bool:
    """The chart of the candidate's level against the target, per competency, is on the page:
    an image of it, named by the chart's own description."""
    return any(
        image.svg.startswith("<svg")
        and "Your level and the job's target" in image.svg
        and image.alt.startswith("Horizontal bar chart of your level")
        for image in chart_images(at)
    )


def issue_rows(at: AppTest) -> list[tuple[str, int, str, str]]:
    table = table_with(at, "Problem")
    return [
        (row.File, int(row.Line), row.Field, row.Problem) for row in table.itertuples(index=False)
    ]


def template_start(code: ErrorCode) -> str:
    """The fixed words a message of this code starts with."""
    return code.value.split("{")[0]


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# Every page, anyone -------------------------------------------------------------------------


def page_alone(page: str, user: User | None = None, **state: Any) -> AppTest:
    """A page's script run on its own, outside app.py's menu, by `user` (None: a visitor).

    The menu already leaves staff pages out for others; this checks that each page refuses on
    its own too, should it ever be reached without the menu.
    """
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=APP_TIMEOUT)
    if user is not None:
        at.session_state[USER_KEY] = user
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def menu(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The pages each run of app.py lists in its menu (hidden ones left out), latest last."""
    runs: list[list[str]] = []
    real = st.navigation

    def recording(pages, *args, **kwargs):
        listed = {p.url_path for p in pages if p.visibility == "visible"}
        runs.append([page for page in PAGES if URL_PATHS.get(page, page) in listed])
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    return runs


def asks_to_sign_in(at: AppTest, title: str) -> bool:
    """The staff page shows its title, says why it cannot open, and offers the sign-in form."""
    return (
        [t.value for t in at.title] == [title]
        and [i.value for i in at.info] == [SIGN_IN_TO_OPEN]
        and {"sign_in_email", "sign_in_password"} <= widget_keys(at)
    )


def staff_role(email: str) -> str:
    return "instructor" if email == INSTRUCTOR else "counselor"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_a_visitor(new_app, menu, page: str) -> None:
    at = open_page(new_app(), page)
    if page in STAFF_PAGES:
        assert page not in menu[-1]  # the menu does not offer it
        # Its address (a reload signs staff out) asks to sign in, as does the page alone.
        assert asks_to_sign_in(at, STAFF_TITLES[page])
        assert asks_to_sign_in(page_alone(page), STAFF_TITLES[page])
    else:
        assert at.title


@pytest.mark.parametrize(
    ("email", "offered", "refused"),
    [
        (None, ["start", "assessment", "results", "sign_in"], STAFF_PAGES),
        (COUNSELOR, ["start", "results", "sign_in", "cohorts", "candidate"], ["studio"]),
        (INSTRUCTOR, ["start", "results", "sign_in", "studio"], ["cohorts", "candidate"]),
    ],
)
def test_the_menu_offers_staff_pages_by_role(
    new_app, staff, menu, email: str | None, offered: list[str], refused: list[str]
) -> None:
    at = sign_in(new_app(), email) if email else new_app().run()
    assert set(offered) <= set(menu[-1]) and not set(refused) & set(menu[-1])
    for page in offered:
        open_page(at, page)
    for page in refused:
        open_page(at, page)
        if email is None:
            assert asks_to_sign_in(at, STAFF_TITLES[page])
        else:
            role = staff_role(email)
            needed = "instructor" if page == "studio" else "counselor"
            assert [w.value for w in at.warning] == [
                f"This page is for {needed}s; you are signed in as {role}."
            ]
            assert not widget_keys(at) & STAFF_WIDGETS
    if email:
        assert f"<p>Signed in as <strong>{email}</strong> ({staff_role(email)})</p>" in [
            h.proto.body for h in at.get("html")
        ]
        open_page(at, "sign_in")  # the Account page names the address as text too
        assert (
            f"<p>Signed in as <strong>{email}</strong> with the <strong>{staff_role(email)}"
            "</strong> role.</p>" in [h.proto.body for h in at.get("html")]
        )


@pytest.mark.parametrize(
    ("who", "page"),
    [
        (None, "cohorts"),
        (None, "candidate"),
        (None, "studio"),
        ("counselor", "studio"),
        ("instructor", "cohorts"),
        ("instructor", "candidate"),
    ],
)
def test_staff_pages_show_nothing_to_anyone_else(
    app_store: Store, content: Content, staff, who: str | None, page: str
) -> None:
    candidate = stored_candidate(app_store, content)
    app_store.share(candidate.candidate_id, staff["cohort"].code, "Zephyr Quill")
    app_store.add_note(staff["counselor"].id, candidate.candidate_id, "Private remark 7731")
    user = staff[who] if who else None
    at = page_alone(page, user, selected_candidate=candidate.candidate_id)  # a guessed id

    if user is None:
        assert asks_to_sign_in(at, STAFF_TITLES[page])
    else:
        assert [w.value for w in at.warning] == [
            f"This page is for {'instructor' if page == 'studio' else 'counselor'}s; "
            f"you are signed in as {user.role}."
        ]
    assert not widget_keys(at) & STAFF_WIDGETS
    assert not at.dataframe and not at.get("vega_lite_chart") and not readiness_scores(at)
    dump = page_dump(at)
    for secret in ("Zephyr Quill", "Private remark 7731", "Evening group", staff["cohort"].code):
        assert secret not in dump


def test_a_staff_page_opened_signed_out_signs_in_where_it_is(new_app, staff) -> None:
    # What a counselor gets after reloading /cohorts: the page asks, and then opens.
    at = open_page(new_app(), "cohorts")
    assert asks_to_sign_in(at, "Cohorts")
    at.text_input(key="sign_in_email").set_value(COUNSELOR)
    at.text_input(key="sign_in_password").set_value(PASSWORD)
    submit(at, "sign_in_form")
    assert at.session_state[USER_KEY].email == COUNSELOR
    assert [t.value for t in at.title] == ["Cohorts"] and "cohort_pick" in widget_keys(at)


def test_sign_in_with_a_wrong_password_is_refused(new_app, staff) -> None:
    at = sign_in(new_app(), COUNSELOR, "not the password at all")
    assert [e.value for e in at.error] == ["E-mail or password is not right."]
    assert USER_KEY not in at.session_state


def test_a_new_password_or_a_removed_account_ends_open_sessions(
    new_app, app_store: Store, staff, menu, monkeypatch
) -> None:
    from ui import common

    monkeypatch.setattr(common, "GONE_CHECK_SECONDS", 0.0)  # ask storage on every run
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    assert [t.value for t in counselor.title] == ["Cohorts"]
    counselor.run()
    assert USER_KEY in counselor.session_state  # an unchanged account stays signed in

    app_store.set_password(COUNSELOR, "a brand new password")
    counselor.run()
    assert USER_KEY not in counselor.session_state
    assert asks_to_sign_in(counselor, "Cohorts")  # and nothing of the cohort
    assert not widget_keys(counselor) & STAFF_WIDGETS
    assert any("You were signed out" in w.value for w in counselor.sidebar.warning)
    assert "cohorts" not in menu[-1]

    # A session opened with the new password stays open.
    again = open_page(sign_in(new_app(), COUNSELOR, "a brand new password"), "cohorts")
    again.run()
    assert [t.value for t in again.title] == ["Cohorts"]


# The candidate's journey --------------------------------------------------------------------


def test_candidate_answers_every_step_and_sees_results(
    new_app, app_store: Store, content: Content
) -> None:
    at = new_app()
    at.button(key="start_new").click().run()
    assert not at.exception
    session: Session = at.session_state["candidate_session"]
    prefix = f"q:{session.attempt_id}"
    education = f"{prefix}:{BACKGROUND}:education"
    field_of_study = f"{prefix}:{BACKGROUND}:field-of-study"
    total = len(steps(content, content.roles[ROLE], {}))
    assert progress_text(at).startswith(f"Step 1 of {total}: ")
    assert question_keys(at) == [education]
    assert session.resume_code in texts(at, "code")  # the sidebar keeps it in view
    assert at.button(key="back").disabled

    # Next with a blank: the message sits with the question, and the step stays.
    at.button(key="next").click().run()
    assert progress_text(at).startswith("Step 1 of")
    holder = block_holding(at, education)
    assert [e.value for e in holder.error] == ["This question needs an answer before you go on."]
    assert [w.value for w in at.warning] == ["1 question above still needs an answer."]
    # A screen reader hears the message with the question: it is in the widget's name.
    prompt = content.questionnaires[BACKGROUND].question("education").prompt
    assert widget_by_key(at, education).label == (
        f"{prompt} This question needs an answer before you go on."
    )

    # Skip logic: the field of study is asked only of someone with a degree.
    widget_by_key(at, education).set_value("high-school").run()
    assert field_of_study not in question_keys(at)
    assert not at.error  # answered: no longer flagged
    assert widget_by_key(at, education).label == prompt
    assert widget_by_key(at, education).value == "high-school"
    widget_by_key(at, education).set_value("bachelor").run()
    assert field_of_study in question_keys(at)
    at.button(key="next").click().run()
    assert progress_text(at).startswith("Step 1 of")
    assert not block_holding(at, education).error
    assert [e.value for e in block_holding(at, field_of_study).error] == [
        "This question needs an answer before you go on."
    ]
    widget_by_key(at, education).set_value("high-school").run()
    assert field_of_study not in question_keys(at)
    at.button(key="next").click().run()
    assert progress_text(at).startswith(f"Step 2 of {total}: ")
    assert at.button(key="back").disabled is False

    # Back shows the earlier answers again.
    second = answer_visible(at, content)
    at.button(key="next").click().run()
    assert progress_text(at).startswith("Step 3 of")
    at.button(key="back").click().run()
    assert progress_text(at).startswith("Step 2 of")
    for key, value in second.items():
        assert widget_by_key(at, key).value == value
    at.button(key="next").click().run()

    given = {education: "high-school"} | second
    for number in range(3, total + 1):
        assert progress_text(at).startswith(f"Step {number} of {total}: ")
        given |= answer_visible(at, content)
        at.button(key="next").click().run()
        assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Your results"]

    # Every answer given was saved, numbers as the author wrote them (3, not 3.0).
    saved = app_store.load_answer_set(session.attempt_id)["questionnaires"]
    for key, value in given.items():
        _, _, questionnaire_id, question_id = key.split(":")
        assert saved[questionnaire_id]["answers"][question_id] == value
    assert app_store.attempts(session.candidate_id)[-1].finished_at is not None

    answers = {qid: entry["answers"] for qid, entry in saved.items()}
    result = score_one(content, ROLE, answers)
    assert readiness_scores(at) == [f"{result.readiness} / 100"]
    assert result.band.label in headings(at)
    assert has_competency_chart(at) and cites_its_targets(at)
    pd.testing.assert_frame_equal(
        table_with(at, "Your level"), charts.competency_table(result), check_dtype=False
    )
    for heading in ("Your skills against the job", "Must-haves", "Your action plan"):
        assert heading in headings(at)
    must_haves = section_items(at, "Must-haves")
    assert len(must_haves) == len(result.requirements)
    assert any(item.startswith("Bachelor's degree: Not yet. ") for item in must_haves)
    plan = section_items(at, "Your action plan")
    assert len(plan) == len(result.plan)
    assert plan[0].startswith("Bachelor's degree (must-have not met)")
    downloads = {button.key: button for button in at.get("download_button")}
    assert downloads["download_pdf"].proto.label == "Download report (PDF)"


def test_results_draw_charts_as_images_and_the_arithmetic_on_request(
    new_app, app_store: Store, content: Content
) -> None:
    at = resume(new_app(), stored_candidate(app_store, content, strong=False).resume_code)
    open_page(at, "results")
    result = score_one(content, ROLE, complete_answers(content, strong=False))

    # The pay chart comes in two sizes (a phone shows the narrow one), both the same chart.
    pay = [i for i in chart_images(at) if i.alt.startswith("Dot plot of") and "salary" in i.alt]
    assert [i.screens for i in pay] == ["wide", "narrow"]
    assert pay[0].alt == pay[1].alt
    # Short: the sources are read out from the table beside it, not all over again here.
    assert pay[0].alt.endswith("are in the table beside the chart.") and len(pay[0].alt) < 500
    assert all("Salary figures by source" in i.svg for i in pay)
    assert pay[0].svg != pay[1].svg

    # The arithmetic is drawn only once its panel is opened.
    assert not any(line.startswith("Readiness = 100 × (") for line in texts(at, "markdown"))
    open_panel(at, "results_computation")
    arithmetic = [line for line in texts(at, "markdown") if line.startswith("Readiness = 100 × (")]
    assert len(arithmetic) == 1
    assert arithmetic[0].endswith(f"rounded to **{result.readiness}**.")
    assert f"= {result.readiness_exact:.2f}," in arithmetic[0]
    assert "Question" in table_with(at, "Weight").columns


def test_a_question_with_help_shows_the_question_before_its_help(new_app, content: Content) -> None:
    at = new_app()
    at.button(key="start_new").click().run()
    session: Session = at.session_state["candidate_session"]
    answer_visible(at, content, {"education": "master"})  # shows field-of-study
    question = next(
        q for q in content.questionnaires[BACKGROUND].questions() if q.id == "field-of-study"
    )
    widget = widget_by_key(at, f"q:{session.attempt_id}:{BACKGROUND}:field-of-study")
    # The widget keeps the question as its (screen-reader) name; the page shows it in bold,
    # above the help, instead of the widget's small label under the help.
    assert widget.label == question.prompt
    assert widget.proto.label_visibility.value == LabelVisibility.COLLAPSED
    shown = [text for text in texts(at, "markdown") if question.help in text]
    assert shown == [f"**{plain(question.prompt)}**\n\n{question.help}"]


def test_resume_after_a_restart_restores_step_and_answers(
    new_app, app_store: Store, content: Content
) -> None:
    at = new_app()
    at.button(key="start_new").click().run()
    session: Session = at.session_state["candidate_session"]
    first = answer_visible(at, content, {"education": "master", "field-of-study": "marketing"})
    at.button(key="next").click().run()
    years = f"q:{session.attempt_id}:{BACKGROUND}:years-sales"
    widget_by_key(at, years).set_value(7).run()
    assert progress_text(at).startswith("Step 2 of")

    # The server restarts: caches are gone, a new browser session opens on the same database.
    st.cache_resource.clear()
    st.cache_data.clear()
    again = new_app()
    assert "candidate_session" not in again.session_state
    code = "  " + session.resume_code.upper().replace("-", " ") + " "  # forgiving to type
    resume(again, code)
    restored: Session = again.session_state["candidate_session"]
    assert (restored.candidate_id, restored.attempt_id) == (
        session.candidate_id,
        session.attempt_id,
    )
    assert progress_text(again).startswith("Step 2 of")
    assert widget_by_key(again, years).value == 7
    for key in question_keys(again):
        if key != years:
            assert widget_by_key(again, key).value in (None, [])  # not answered before
    again.button(key="back").click().run()
    for key, value in first.items():
        assert widget_by_key(again, key).value == value


def test_wrong_resume_codes_are_refused_then_rate_limited(new_app, app_store: Store) -> None:
    real = app_store.start_candidate(ROLE)
    at = new_app()
    wrong = ["amber canyon tulip orbit meadow quartz", "not a code at all"]
    for number in range(Store.resume_limit.failures):
        resume(at, wrong[number % 2])
        assert len(at.error) == 1 and at.error[0].value.startswith(NO_SUCH_CODE)
        assert "candidate_session" not in at.session_state

    resume(at, wrong[0])
    assert len(at.error) == 1
    # The lockout's own length, in whole minutes (not one more).
    locked = f"{Store.resume_limit.lockout // 60:g} minutes"
    assert at.error[0].value == f"Too many codes tried. Please wait {locked} and try again."
    # While locked out, even the right code is not looked up.
    resume(at, real.resume_code)
    assert at.error[0].value.startswith("Too many codes tried")
    assert "candidate_session" not in at.session_state


# Restoring from a downloaded answers file ---------------------------------------------------

GOOD_FILE = {
    "format": ANSWERS_FORMAT,
    "role": ROLE,
    "questionnaires": {
        BACKGROUND: {"version": "2026.11", "answers": {"education": "master", "travel": True}},
        SKILLS: {"version": "2026.11", "answers": {"explain-service": 3}},
    },
}


@pytest.mark.parametrize(
    ("name", "text", "expected"),  # expected: (line, loc, code, a fragment of the message)
    [
        pytest.param(
            "answers.yaml",
            "format: answers/1\nrole: physician-liaison\nquestionnaires: {liaison-skills: [\n",
            [(4, "", ErrorCode.YAML_SYNTAX, "did not find expected node content")],
            id="malformed-yaml",
        ),
        pytest.param(
            "answers.yaml",
            "format: answers/2\nrole: physician-liaison\nquestionnaires: {}\n",
            [(1, "format", ErrorCode.FORMAT_NEWER, "format 'answers/2' is newer than this app")],
            id="newer-format",
        ),
        pytest.param(
            # A questionnaire picked by mistake: no folder to move it to, as a content file has.
            "liaison-skills.yaml",
            (PROJECT_ROOT / "assessments" / "liaison-skills.yaml").read_text(encoding="utf-8"),
            [(1, "format", ErrorCode.NOT_ANSWERS, "says format 'questionnaire/1'")],
            id="a-questionnaire",
        ),
        pytest.param(
            "answers.yaml",
            "format: answers/1\n"
            "role: physician-liaison\n"
            "questionnaires:\n"
            "  liaison-skills:\n"
            '    version: "2026.11"\n'
            "    answers:\n"
            "      explain-service: 3\n"
            "      juggling: 4\n",
            [
                (
                    8,
                    "questionnaires.liaison-skills.answers.juggling",
                    ErrorCode.ANSWER_UNKNOWN_QUESTION,
                    "'juggling'",
                )
            ],
            id="unknown-question",
        ),
        pytest.param(
            "answers.json",
            json.dumps(
                {
                    "format": "answers/1",
                    "role": ROLE,
                    "questionnaires": {
                        SKILLS: {"version": "2026.11", "answers": {"explain-service": 9}}
                    },
                },
                indent=2,
            ),
            [
                (
                    8,
                    "questionnaires.liaison-skills.answers.explain-service",
                    ErrorCode.ANSWER_BAD_VALUE,
                    "9 is not a valid answer to 'explain-service'",
                )
            ],
            id="bad-value",
        ),
    ],
)
def test_a_bad_answers_file_is_refused_with_located_issues(
    app_store: Store, content: Content, name: str, text: str, expected: list
) -> None:
    existing = stored_candidate(app_store, content)
    before = app_store.counts()
    kept = app_store.load_answer_set(existing.attempt_id)

    answer_set, issues = read_uploaded_answers(text.encode(), name, content)

    assert answer_set is None
    assert [(i.file, i.line, i.loc, i.code) for i in issues] == [
        (name, line, loc, code) for line, loc, code, _ in expected
    ]
    for issue, (*_, fragment) in zip(issues, expected, strict=True):
        assert issue.message.startswith(template_start(issue.code))
        assert fragment in issue.message
    assert app_store.counts() == before
    assert app_store.load_answer_set(existing.attempt_id) == kept


def test_a_good_answers_file_starts_a_new_attempt_and_changes_nothing_else(
    app_store: Store, content: Content
) -> None:
    existing = stored_candidate(app_store, content)
    kept = app_store.load_answer_set(existing.attempt_id)
    before = app_store.counts()

    answer_set, issues = read_uploaded_answers(
        json.dumps(GOOD_FILE).encode(), "answers.json", content
    )
    assert issues == []
    assert app_store.counts() == before  # reading alone writes nothing
    restored = app_store.import_answer_set(None, answer_set.model_dump())

    assert restored.candidate_id != existing.candidate_id
    assert app_store.load_answer_set(existing.attempt_id) == kept
    saved = app_store.load_answer_set(restored.attempt_id)["questionnaires"]
    assert saved[BACKGROUND]["answers"] == {"education": "master", "travel": True}
    after = app_store.counts()
    assert (after["candidates"], after["attempts"], after["answers"]) == (
        before["candidates"] + 1,
        before["attempts"] + 1,
        before["answers"] + 3,
    )


def test_restore_from_an_uploaded_file_on_the_start_page(
    new_app, app_store: Store, content: Content
) -> None:
    at = new_app()
    before = app_store.counts()
    upload = at.file_uploader[0]
    upload.set_value(("answers.yaml", b"format: answers/2\nrole: x\n", "application/yaml")).run()
    assert not at.exception
    assert issue_rows(at) == [
        (
            "answers.yaml",
            1,
            "format",
            ErrorCode.FORMAT_NEWER.format(got="answers/2", expected="answers/1"),
        )
    ]
    assert "restore" not in widget_keys(at)
    assert app_store.counts() == before
    # Said for a candidate first: which file the restore takes.
    assert [e.value for e in at.error][0].startswith(f"{plain('answers.yaml')} cannot be restored")
    assert any("(readiness-answers.json)" in m for m in texts(at, "markdown"))

    at.file_uploader[0].set_value(
        ("answers.json", json.dumps(GOOD_FILE).encode(), "application/json")
    ).run()
    assert not at.dataframe
    at.button(key="restore").click().run()
    assert not at.exception
    session: Session = at.session_state["candidate_session"]
    assert progress_text(at).startswith("Step 1 of")
    assert widget_by_key(at, f"q:{session.attempt_id}:{BACKGROUND}:education").value == "master"
    assert app_store.counts()["candidates"] == before["candidates"] + 1


def test_a_restored_download_keeps_its_emoji_and_half_a_character_is_refused(
    new_app, app_store: Store, content: Content
) -> None:
    """JSON writes 😀 as the escaped pair \\ud83d\\ude00, which YAML (reading JSON too) leaves
    in halves; one half alone is no character, and used to end in a traceback and an empty
    attempt."""
    downloaded = json.loads(json.dumps(GOOD_FILE))
    downloaded["questionnaires"][BACKGROUND]["answers"]["goals"] = "Meet doctors 😀"
    at = new_app()
    before = app_store.counts()
    broken = json.dumps(downloaded).replace("\\ud83d\\ude00", "\\ud83d")
    at.file_uploader[0].set_value(("answers.json", broken.encode(), "application/json")).run()
    assert not at.exception
    assert issue_rows(at) == [
        (
            "answers.json",
            1,
            f"questionnaires.{BACKGROUND}.answers.goals",
            ErrorCode.HALF_CHARACTER.format(escape="\\ud83d"),
        )
    ]
    assert "restore" not in widget_keys(at)

    at.file_uploader[0].set_value(
        ("answers.json", json.dumps(downloaded).encode(), "application/json")
    ).run()
    at.button(key="restore").click().run()
    assert not at.exception
    session: Session = at.session_state["candidate_session"]
    saved = app_store.load_answer_set(session.attempt_id)["questionnaires"][BACKGROUND]
    assert saved["answers"]["goals"] == "Meet doctors 😀"
    assert app_store.counts()["candidates"] == before["candidates"] + 1


def test_an_answers_file_is_read_once_per_upload_and_a_large_one_not_at_all(
    new_app, content: Content, monkeypatch
) -> None:
    from readiness import journey

    reads = []
    real = journey.read_uploaded_answers
    monkeypatch.setattr(journey, "read_uploaded_answers", lambda *a: reads.append(1) or real(*a))
    at = new_app()
    good = json.dumps(GOOD_FILE).encode()
    at.file_uploader[0].set_value(("answers.json", good, "application/json")).run()
    at.run()
    at.run()
    assert len(reads) == 1 and "restore" in widget_keys(at)

    padded = good[:-1] + b', "padding": "' + b"x" * journey.MAX_ANSWERS_BYTES + b'"}'
    at.file_uploader[0].set_value(("big.json", padded, "application/json")).run()
    assert [row[3] for row in issue_rows(at)] == [
        ErrorCode.ANSWERS_TOO_LARGE.format(size=len(padded), limit=journey.MAX_ANSWERS_BYTES)
    ]


# Sharing with a counselor -------------------------------------------------------------------


def share_from_results(at: AppTest, code: str, alias: str, consent: bool = True) -> AppTest:
    open_panel(open_page(at, "results"), "share_panel")
    at.text_input(key="share_code").set_value(code)
    at.text_input(key="share_alias").set_value(alias)
    at.checkbox(key="share_consent").set_value(consent)
    return submit(at, "share_form")


def test_share_then_counselor_reviews_filters_opens_and_notes(
    new_app, app_store: Store, content: Content, staff
) -> None:
    cohort = staff["cohort"]
    candidate = stored_candidate(app_store, content, strong=True)
    weaker = stored_candidate(app_store, content, strong=False)
    app_store.share(weaker.candidate_id, cohort.code, LINK_ALIAS)

    # The candidate shares from their results page, after two refused tries.
    person = resume(new_app(), candidate.resume_code)
    share_from_results(person, cohort.code, SCRIPT_ALIAS, consent=False)
    assert [e.value for e in person.error] == ["Tick the box to agree before sharing."]
    share_from_results(person, "WRONG-CODE", SCRIPT_ALIAS)
    assert [e.value for e in person.error] == [
        "No cohort has this code. Check it with your counselor."
    ]
    share_from_results(person, cohort.code.lower(), SCRIPT_ALIAS)
    assert [s.value for s in person.success] == ["Shared with Evening group."]
    assert any(t.startswith("Shared with Evening group on ") for t in texts(person, "text"))

    # The counselor's review table lists both, and the filters narrow it.
    counselor = sign_in(new_app(), COUNSELOR)
    open_page(counselor, "cohorts")
    assert f"Share code for candidates: `{cohort.code}`" in texts(counselor, "markdown")
    review = table_with(counselor, "Alias")
    assert sorted(review["Alias"]) == sorted([SCRIPT_ALIAS, LINK_ALIAS])
    assert "candidate_id" not in review.columns
    strong_band = review.set_index("Alias").loc[SCRIPT_ALIAS, "Band"]
    weak_band = review.set_index("Alias").loc[LINK_ALIAS, "Band"]
    assert strong_band != weak_band

    counselor.multiselect(key="filter_band").set_value([weak_band]).run()
    assert list(table_with(counselor, "Alias")["Alias"]) == [LINK_ALIAS]
    assert any(
        t.startswith("1 of 2 candidates, best readiness first.")
        for t in texts(counselor, "markdown")
    )
    counselor.multiselect(key="filter_band").set_value([strong_band]).run()
    assert list(table_with(counselor, "Alias")["Alias"]) == [SCRIPT_ALIAS]
    counselor.multiselect(key="filter_band").set_value([])
    counselor.selectbox(key="filter_must_have").set_value("Bachelor's degree").run()
    assert list(table_with(counselor, "Alias")["Alias"]) == [LINK_ALIAS]
    counselor.selectbox(key="filter_must_have").set_value("(any)")
    counselor.selectbox(key="filter_competency").set_value("Communication").run()
    assert list(table_with(counselor, "Alias")["Alias"]) == [LINK_ALIAS]
    counselor.selectbox(key="filter_competency").set_value("(any)").run()
    assert len(table_with(counselor, "Alias")) == 2
    assert sorted(counselor.selectbox(key="open_candidate").options) == sorted(
        [SCRIPT_ALIAS, LINK_ALIAS]
    )
    downloads = {button.key for button in counselor.get("download_button")}
    assert "export_csv" in downloads
    assert not counselor.get("vega_lite_chart")  # drawn when their tab is opened
    open_cohort_gaps(counselor)
    # Beside each chart its table, drawn as HTML: read whole, cell by cell.
    assert table_with(counselor, "Candidates")["Candidates"].sum() == 2
    assert not any(
        frame.value.columns.isin(["Candidates", "Mean gap"]).any() for frame in counselor.dataframe
    )
    cohort_charts = [json.loads(chart.proto.spec) for chart in counselor.get("vega_lite_chart")]
    assert cohort_charts, "the cohort charts are missing"
    # Drawn as white figures with every colour stated, legible in the light and dark theme.
    for chart, spec in zip(counselor.get("vega_lite_chart"), cohort_charts, strict=True):
        assert chart.proto.theme == "" and spec["background"] == "white"
        assert spec["config"]["axis"]["labelColor"] == spec["config"]["title"]["color"] == "#000000"

    # Open the candidate: the report, and a note shown as plain text.
    counselor.selectbox(key="open_candidate").set_value(candidate.candidate_id).run()
    counselor.button(key="open_candidate_button").click().run()
    assert not counselor.exception, counselor.exception
    assert [t.value for t in counselor.title] == ["Candidate"]
    stay_on(counselor, "candidate")
    assert any(t.startswith(f"{SCRIPT_ALIAS}: shared on ") for t in texts(counselor, "text"))
    answers = {
        qid: entry["answers"]
        for qid, entry in app_store.load_answer_set(candidate.attempt_id)["questionnaires"].items()
    }
    assert readiness_scores(counselor) == [f"{score_one(content, ROLE, answers).readiness} / 100"]
    # Imported from a file and not finished: the report says so.
    assert report_leads(counselor) == [
        "Physician liaison, from the candidate's attempt in progress (not finished yet)."
    ]
    assert has_competency_chart(counselor) and cites_its_targets(counselor)
    submit(counselor, "note_form")  # nothing written yet: said, and nothing added
    assert [w.value for w in counselor.warning] == [
        "Write the note first: an empty note is not added."
    ]
    assert app_store.notes(staff["counselor"].id, candidate.candidate_id) == []
    counselor.text_area(key="note_text").set_value(LINK_NOTE)
    submit(counselor, "note_form")
    assert [m.value for m in counselor.success] == ["Note added."]
    assert LINK_NOTE in texts(counselor, "text")
    (written,) = app_store.notes(staff["counselor"].id, candidate.candidate_id)
    # Its time with its zone: UTC here, where no browser names the reader's.
    assert f"{COUNSELOR}, {written.created_at:%d %b %Y, %H:%M} UTC" in texts(counselor, "text")
    assert [
        note.text for note in app_store.notes(staff["counselor"].id, candidate.candidate_id)
    ] == [LINK_NOTE]
    # Candidate-written and note text never goes through Markdown or HTML.
    for line in texts(counselor, "markdown", "caption", "info", "success", "warning", "error"):
        assert SCRIPT_ALIAS not in line and "[x](http://evil)" not in line
    open_page(counselor, "cohorts")
    for line in texts(counselor, "markdown", "caption", "info", "success", "warning", "error"):
        assert SCRIPT_ALIAS not in line and "[x](http://evil)" not in line
    assert not any(element.proto.allow_html for element in counselor.markdown)
    assert not any(element.proto.allow_html for element in counselor.markdown)

    # Another counselor sees nothing of it, even with the candidate's id guessed.
    other = sign_in(new_app(), OTHER_COUNSELOR)
    open_page(other, "cohorts")
    assert "Evening group" not in page_dump(other)
    other.session_state["selected_candidate"] = candidate.candidate_id
    open_page(other, "candidate")
    assert [i.value for i in other.info] == [
        "Choose a candidate from the review table on the Cohorts page."
    ]
    assert (
        not other.dataframe
        and not readiness_scores(other)
        and "note_text" not in widget_keys(other)
    )
    dump = page_dump(other)
    assert "alert(1)" not in dump and "http://evil" not in dump


def test_a_counselor_sees_the_finished_attempt_while_a_new_one_is_in_progress(
    new_app, app_store: Store, content: Content, staff
) -> None:
    first = stored_candidate(app_store, content, strong=True)
    app_store.finish_attempt(first.attempt_id)
    again = app_store.new_attempt(first, ROLE)  # begins from a copy
    weak = complete_answers(content, strong=False)
    for questionnaire_id, given in weak.items():
        version = content.questionnaires[questionnaire_id].version
        for question_id, value in given.items():
            app_store.save_answer(again.attempt_id, questionnaire_id, version, question_id, value)
    app_store.share(first.candidate_id, staff["cohort"].code, "Robin")

    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    finished = score_one(content, ROLE, complete_answers(content, strong=True)).readiness
    assert table_with(counselor, "Alias")["Readiness"].tolist() == [finished]
    counselor.selectbox(key="open_candidate").set_value(first.candidate_id).run()
    counselor.button(key="open_candidate_button").click().run()
    stay_on(counselor, "candidate")
    assert readiness_scores(counselor) == [f"{finished} / 100"]  # as in the table
    assert report_leads(counselor) == ["Physician liaison, from the candidate's latest finished attempt."]  # fmt: skip
    # The Answers tab reads as the candidate chose: labels, not stored values.
    answers = table_with(counselor, "Answer")
    question = content.questionnaires[BACKGROUND].question("education")
    education = answers.set_index("Question").loc[question.prompt, "Answer"]
    chosen = complete_answers(content, strong=True)[BACKGROUND]["education"]
    assert education == next(o.label for o in question.options if o.value == chosen)


def test_two_candidates_of_one_alias_can_each_be_opened(
    new_app, app_store: Store, content: Content, staff
) -> None:
    strong = stored_candidate(app_store, content, strong=True)
    weak = stored_candidate(app_store, content, strong=False)
    for candidate in (strong, weak):
        app_store.finish_attempt(candidate.attempt_id)
        app_store.share(candidate.candidate_id, staff["cohort"].code, "Sam")

    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    picker = counselor.selectbox(key="open_candidate")
    assert len(set(picker.options)) == 2 and all(o.startswith("Sam (") for o in picker.options)
    for candidate, strength in ((weak, False), (strong, True)):
        counselor.selectbox(key="open_candidate").set_value(candidate.candidate_id).run()
        counselor.button(key="open_candidate_button").click().run()
        stay_on(counselor, "candidate")
        expected = score_one(content, ROLE, complete_answers(content, strong=strength))
        assert readiness_scores(counselor) == [f"{expected.readiness} / 100"]
        open_page(counselor, "cohorts")


def test_the_cohort_must_haves_say_so_when_there_is_nothing_to_chart(
    new_app, app_store: Store, content: Content, staff, studio_root: Path
) -> None:
    """A role without must-haves, then one every candidate meets: words, not an empty chart."""
    role_file = studio_root / "data" / "roles" / "physician-liaison.yaml"
    role = yaml.safe_load(role_file.read_text())
    candidate = stored_candidate(app_store, content, strong=True)
    app_store.share(candidate.candidate_id, staff["cohort"].code, "Ana")

    def must_have_section() -> tuple[list[str], list[str]]:
        counselor = open_cohort_gaps(open_page(sign_in(new_app(), COUNSELOR), "cohorts"))
        charts = [json.loads(c.proto.spec).get("description", "") for c in counselor.get("vega_lite_chart")]  # fmt: skip
        return texts(counselor, "markdown"), [d for d in charts if "must-have" in d]

    role["requirements"] = [r for r in role["requirements"] if r["id"] == "drivers-license"]
    role_file.write_text(yaml.safe_dump(role, sort_keys=False))
    words, must_have_charts = must_have_section()
    assert "Every candidate meets every must-have." in words and must_have_charts == []

    del role["requirements"]
    role_file.write_text(yaml.safe_dump(role, sort_keys=False))
    content_changed()  # as the studio does on saving: at once, not at the next check
    words, must_have_charts = must_have_section()
    assert markup.NO_MUST_HAVES in words and must_have_charts == []


def test_the_cohort_gaps_say_which_candidates_each_figure_counts(
    new_app, app_store: Store, content: Content, staff
) -> None:
    """A candidate still answering counts with the answers so far (readiness 0 for none yet),
    and the change covers only who took it again: both said, not left for a reader to guess."""
    again = stored_candidate(app_store, content, strong=False)
    app_store.finish_attempt(again.attempt_id)
    app_store.finish_attempt(app_store.new_attempt(again, ROLE).attempt_id)
    answering = app_store.start_candidate(ROLE)  # nothing answered yet
    for candidate, alias in ((again, "Sam"), (answering, "Robin")):
        app_store.share(candidate.candidate_id, staff["cohort"].code, alias)

    counselor = open_cohort_gaps(open_page(sign_in(new_app(), COUNSELOR), "cohorts"))
    said = texts(counselor, "markdown")
    assert any(t.startswith("1 of the 2 candidates has not finished an attempt yet") for t in said)
    assert "The 1 candidate who finished the assessment more than once, not the whole cohort." in said  # fmt: skip
    # The tables beside the charts give their figures as the charts label them: 0.50, not 0.5.
    for label in ("Mean gap to target, by competency", "Mean level at the first and the latest attempt"):  # fmt: skip
        (table,) = [h.proto.body for h in counselor.get("html") if f'aria-label="{label}"' in h.proto.body]  # fmt: skip
        figures = re.findall(r'<td class="num">([^<]*)</td>', table)
        assert figures and all(re.fullmatch(r"-?\d+\.\d\d", f) for f in figures), figures

    app_store.unshare(again.candidate_id, staff["cohort"].id)  # only one still answering
    counselor = open_cohort_gaps(open_page(sign_in(new_app(), COUNSELOR), "cohorts"))
    assert any(
        t.startswith("No candidate has finished an attempt yet: these figures count")
        for t in texts(counselor, "markdown")
    )


def test_a_cohort_without_a_name_is_refused_with_a_reason(new_app, app_store: Store, staff) -> None:
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    name = next(field for field in counselor.text_input if field.label == "Cohort name")
    name.set_value("   ")
    submit(counselor, "create_cohort")
    assert [w.value for w in counselor.warning] == [
        "Give the cohort a name first: a cohort without one is not created."
    ]
    assert len(app_store.cohorts_of(staff["counselor"].id)) == 1


def test_a_cohort_name_is_shown_as_the_counselor_typed_it(
    new_app, app_store: Store, content: Content, staff
) -> None:
    name = "**Spring** _group_ [x](http://e.vil)"
    cohort = app_store.create_cohort(staff["counselor"].id, name)
    person = resume(new_app(), stored_candidate(app_store, content).resume_code)
    share_from_results(person, cohort.code, "Robin")
    assert [s.value for s in person.success] == [f"Shared with {plain(name)}."]


def test_withdrawing_a_share_removes_the_candidate_from_the_cohort(
    new_app, app_store: Store, content: Content, staff
) -> None:
    cohort = staff["cohort"]
    candidate = stored_candidate(app_store, content)
    person = share_from_results(resume(new_app(), candidate.resume_code), cohort.code, "Sam Q")
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    assert list(table_with(counselor, "Alias")["Alias"]) == ["Sam Q"]

    open_page(person, "results")
    person.button(key=f"unshare_{cohort.id}").click().run()
    assert not person.exception
    assert f"unshare_{cohort.id}" not in widget_keys(person)
    assert [m.value for m in person.success] == [
        f"Withdrawn: {plain(cohort.name)} no longer sees your results."
    ]
    assert app_store.shares_of(candidate.candidate_id) == []

    open_page(counselor, "cohorts")
    assert [i.value for i in counselor.info] == [
        "No candidate has shared results with this cohort yet."
    ]
    assert "Sam Q" not in page_dump(counselor)
    counselor.session_state["selected_candidate"] = candidate.candidate_id
    open_page(counselor, "candidate")
    assert "Sam Q" not in page_dump(counselor) and not readiness_scores(counselor)


def test_downloads_on_an_open_counselor_page_leave_out_who_has_withdrawn_since(
    new_app, app_store: Store, content: Content, staff, monkeypatch
) -> None:
    """The CSV and the PDF are made at the click, from what is shared then, not from what the
    page showed when it was drawn."""
    makers = keep_download_makers(monkeypatch)
    cohort = staff["cohort"]
    stays, leaves = (stored_candidate(app_store, content) for _ in range(2))
    app_store.share(stays.candidate_id, cohort.code, "Stays")
    app_store.share(leaves.candidate_id, cohort.code, "Leaves")
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    counselor.session_state["selected_candidate"] = leaves.candidate_id
    open_page(counselor, "candidate")
    assert makers["candidate_pdf"]().startswith(b"%PDF")

    app_store.unshare(leaves.candidate_id, cohort.id)
    csv_text = makers["export_csv"]()  # bytes (UTF-8 with a BOM, for Excel)
    assert b"Stays" in csv_text and b"Leaves" not in csv_text
    with pytest.raises(NotAllowed):
        makers["candidate_pdf"]()


def test_downloads_on_an_open_counselor_page_stop_once_the_password_is_changed(
    new_app, app_store: Store, content: Content, staff, monkeypatch
) -> None:
    """A click on a download runs no page, so the page's own check that the session is still
    valid never sees it: a reset after a lost password must stop the downloads too."""
    makers = keep_download_makers(monkeypatch)
    candidate = stored_candidate(app_store, content)
    app_store.share(candidate.candidate_id, staff["cohort"].code, "Robin")
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    counselor.session_state["selected_candidate"] = candidate.candidate_id
    open_page(counselor, "candidate")
    assert b"Robin" in makers["export_csv"]()
    assert makers["candidate_pdf"]().startswith(b"%PDF")

    app_store.set_password(COUNSELOR, "a brand new password")
    for download in ("export_csv", "candidate_pdf"):
        with pytest.raises(NotAllowed):
            makers[download]()


def test_the_cohort_csv_names_the_role_its_figures_were_scored_against(
    new_app, app_store: Store, content: Content, staff, monkeypatch
) -> None:
    """Readiness, band and gaps depend on the role picked on the page: the file must say
    which, as two exports against two roles are otherwise alike."""
    makers = keep_download_makers(monkeypatch)
    candidate = stored_candidate(app_store, content)
    app_store.share(candidate.candidate_id, staff["cohort"].code, "Robin")
    open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    text = makers["export_csv"]().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Alias", "Scored against", "Date"]
    assert [row[:2] for row in rows] == [["Robin", content.role_titles[ROLE]]]


def test_a_candidate_deleted_while_their_page_is_drawn_shows_no_traceback(
    new_app, app_store: Store, content: Content, staff, monkeypatch
) -> None:
    candidate = stored_candidate(app_store, content)
    app_store.share(candidate.candidate_id, staff["cohort"].code, "Robin")
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    counselor.session_state["selected_candidate"] = candidate.candidate_id

    def deleted_since(self, attempt_id):  # the candidate deleted their data a moment ago
        raise CandidateGone(attempt_id)

    monkeypatch.setattr(Store, "load_answer_set", deleted_since)
    open_page(counselor, "candidate")
    assert not counselor.exception
    assert "Robin: shared on" in texts(counselor, "text")[0]


def test_both_pdfs_are_dated_by_the_attempt_not_by_the_download(
    new_app, app_store: Store, content: Content, staff, monkeypatch
) -> None:
    makers = keep_download_makers(monkeypatch)
    candidate = stored_candidate(app_store, content)
    finished_on = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    Store(app_store.url, clock=lambda: finished_on, migrate=False).finish_attempt(
        candidate.attempt_id
    )
    resume(new_app(), candidate.resume_code, finished=True)  # weeks later
    assert "Taken on 14 March 2026." in pdf_text(makers["download_pdf"]())

    app_store.share(candidate.candidate_id, staff["cohort"].code, "Robin")
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    counselor.session_state["selected_candidate"] = candidate.candidate_id
    open_page(counselor, "candidate")
    assert "Prepared for Robin. Taken on 14 March 2026." in pdf_text(makers["candidate_pdf"]())


def test_both_answers_downloads_give_the_same_file_with_text_as_written(
    new_app, app_store: Store, content: Content, monkeypatch
) -> None:
    makers = keep_download_makers(monkeypatch)
    candidate = stored_candidate(app_store, content)
    background = content.questionnaires["liaison-background"]
    goals = "Travailler à l'hôpital; 病院で働く"
    app_store.save_answer(candidate.attempt_id, background.id, background.version, "goals", goals)
    at = resume(new_app(), candidate.resume_code)
    open_page(at, "results")
    from_results = makers["download_answers_results"]()
    open_page(at, "assessment")
    assert makers["download_answers"]() == from_results
    assert goals in from_results  # not escaped to \u sequences
    assert json.loads(from_results)["questionnaires"][background.id]["answers"]["goals"] == goals


def test_delete_my_data_removes_everything(
    new_app, app_store: Store, content: Content, staff
) -> None:
    cohort = staff["cohort"]
    candidate = stored_candidate(app_store, content)
    person = share_from_results(resume(new_app(), candidate.resume_code), cohort.code, "Dana D")
    app_store.add_note(staff["counselor"].id, candidate.candidate_id, "Call on Monday")
    assert app_store.counts()["notes"] == 1

    open_page(person, "results")
    assert candidate.resume_code in texts(person, "code")  # the sidebar
    assert "delete_data" not in widget_keys(person)  # drawn only once its panel is opened
    open_panel(person, "delete_panel")
    assert person.button(key="delete_data").disabled
    person.checkbox(key="delete_confirm").check().run()
    person.button(key="delete_data").click().run()
    assert not person.exception, person.exception
    assert [s.value for s in person.success] == [
        "Everything stored under your code has been deleted."
    ]
    assert "candidate_session" not in person.session_state
    assert candidate.resume_code not in texts(person, "code")
    counts = app_store.counts()
    assert {name: counts[name] for name in ("candidates", "attempts", "answers", "shares", "notes")} == {
        "candidates": 0, "attempts": 0, "answers": 0, "shares": 0, "notes": 0,
    }  # fmt: skip

    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    assert "Dana D" not in page_dump(counselor)
    counselor.session_state["selected_candidate"] = candidate.candidate_id
    open_page(counselor, "candidate")
    assert "Dana D" not in page_dump(counselor) and "Call on Monday" not in page_dump(counselor)

    again = resume(new_app(), candidate.resume_code)
    assert again.error[0].value.startswith(NO_SUCH_CODE)
    assert "candidate_session" not in again.session_state


# The content studio -------------------------------------------------------------------------

NEW_QUESTIONNAIRE = """\
format: questionnaire/1
id: territory-planning
title: Territory planning
version: "1"
scales:
  frequency:
    - {value: 1, label: Never}
    - {value: 2, label: Sometimes}
    - {value: 3, label: Often}
sections:
  - id: planning
    title: Planning your visits
    questions:
      - id: plan-route
        type: rating
        scale: frequency
        prompt: How often do you plan a week of visits ahead?
        measures: relationship-building
      - id: map-tool
        type: yes_no
        prompt: Do you use a map tool to plan routes?
"""

BROKEN_DRAFTS = [
    pytest.param(
        "format: questionnaire/1\nid: broken\ntitle: [unclosed\nversion: '1'\n",
        [(3, "", ErrorCode.YAML_SYNTAX)],
        id="syntax",
    ),
    pytest.param(
        "format: questionnaire/1\nid: broken\ntitle: T\n\tversion: '1'\n",
        [(4, "", ErrorCode.YAML_TAB)],
        id="tab",
    ),
    pytest.param(
        "format: questionnaire/1\nid: broken\ntitle: T\ntitle: U\nversion: '1'\nsections: []\n",
        [(4, "title", ErrorCode.DUPLICATE_KEY)],
        id="duplicate-key",
    ),
    pytest.param(
        "format: quiz/1\nid: broken\n", [(1, "format", ErrorCode.FORMAT_UNKNOWN)], id="format"
    ),
    pytest.param(
        NEW_QUESTIONNAIRE.replace(
            "scale: frequency\n", "scale: frequency\n        weight: -1\n"
        ).replace(
            "      - id: map-tool\n        type: yes_no\n",
            "      - id: map-tool\n        type: single_choice\n",
        ),
        [
            (17, "sections[0].questions[0].weight", ErrorCode.OUT_OF_RANGE),
            (20, "sections[0].questions[1].options", ErrorCode.MISSING),
        ],
        id="schema",
    ),
    pytest.param(
        NEW_QUESTIONNAIRE.replace("measures: relationship-building", "measures: no-such-skill"),
        [(18, "sections[0].questions[0].measures", ErrorCode.UNKNOWN_COMPETENCY)],
        id="unknown-competency",
    ),
]


def open_studio(new_app) -> AppTest:
    return open_page(sign_in(new_app(), INSTRUCTOR), "studio")


def test_the_studio_names_files_the_app_does_not_read(new_app, staff, studio_root: Path) -> None:
    at = open_studio(new_app)
    assert not at.warning
    stray = studio_root / "assessments" / "old" / "skills-v1.yaml"
    stray.parent.mkdir()
    stray.write_text((studio_root / "assessments" / f"{SKILLS}.yaml").read_text())
    content_changed()
    at.run()
    assert [w.value for w in at.warning] == [
        f"The app does not read {plain('assessments/old/skills-v1.yaml')}: {WHERE_CONTENT_GOES}."
    ]


def set_draft(at: AppTest, text: str) -> AppTest:
    at.text_area(key="studio_draft_text").set_value(text).run()
    assert not at.exception, at.exception
    return at


def test_studio_messages_show_the_drafts_own_words_as_written(
    new_app, staff, studio_root: Path
) -> None:
    draft = (
        "format: questionnaire/1\nid: quick\ntitle: Quick\nversion: '[v2](https://e.org) **1**'\n"
        "sections:\n  - id: s\n    title: S\n    questions:\n      - {id: a, type: yes_no, prompt: A}\n"
    )
    at = set_draft(open_studio(new_app), draft)
    assert f"Valid questionnaire/1: quick, version {plain('[v2](https://e.org) **1**')}" in [
        m.value for m in at.success
    ]
    at = set_draft(at, draft.replace("prompt: A}", "prompt: A, 'x`**y**': 1}"))
    located = [t for t in texts(at, "markdown") if t.startswith("**Line 9**")]
    assert located and all("`" not in t.replace("\\`", "") for t in located), located


@pytest.mark.parametrize(("text", "expected"), BROKEN_DRAFTS)
def test_studio_shows_located_issues_and_writes_nothing(
    new_app, staff, studio_root: Path, text: str, expected: list
) -> None:
    before = file_hashes(studio_root)
    at = set_draft(open_studio(new_app), text)

    rows = issue_rows(at)
    assert [(file, line, field) for file, line, field, _ in rows] == [
        ("draft.yaml", line, field) for line, field, _ in expected
    ]
    for (*_, problem), (_, _, code) in zip(rows, expected, strict=True):
        assert problem.startswith(template_start(code)), problem
    assert at.error[0].value.startswith("Not saved yet: the draft has ")
    assert "studio_save" not in widget_keys(at)
    assert file_hashes(studio_root) == before


def test_studio_previews_saves_and_candidates_see_a_new_questionnaire(
    new_app, app_store: Store, staff, studio_root: Path
) -> None:
    before = file_hashes(studio_root)
    at = set_draft(open_studio(new_app), NEW_QUESTIONNAIRE)
    assert [s.value for s in at.success][
        -1
    ] == "Valid questionnaire/1: territory-planning, version 1"
    headings = [s.value for s in at.header]
    assert "Preview as a candidate" in headings and "Scoring preview" in headings
    assert question_keys(at) == ["q:preview:territory-planning:plan-route",
                                 "q:preview:territory-planning:map-tool"]  # fmt: skip
    widget_by_key(at, "q:preview:territory-planning:plan-route").set_value(3).run()
    assert not at.exception
    assert has_competency_chart(at)
    assert file_hashes(studio_root) == before  # checking and previewing write nothing

    at.button(key="studio_save").click().run()
    assert not at.exception, at.exception
    target = studio_root / "assessments" / "territory-planning.yaml"
    assert target.read_text(encoding="utf-8") == NEW_QUESTIONNAIRE
    assert f"Saved to {plain(str(target))}. Candidates see it from now on." in [
        s.value for s in at.success
    ]
    assert "This is the same as the saved file: nothing to save." in [i.value for i in at.info]
    assert set(file_hashes(studio_root)) - set(before) == {"assessments/territory-planning.yaml"}
    assert not (PROJECT_ROOT / "assessments" / "territory-planning.yaml").exists()

    history = table_with(at, "Change")
    assert list(
        history[["Id", "Change", "Version", "Who", "File"]].itertuples(index=False, name=None)
    ) == [("territory-planning", "added", "1", INSTRUCTOR, "assessments/territory-planning.yaml")]
    # When, as the reader's clock says it (UTC where the browser names no zone), not the file.
    assert history["When"][0].endswith(" UTC") and "text" not in history

    open_page(at, "start")
    assert "- Territory planning: 2 questions" in texts(at, "markdown")

    # Another time, with nothing in the editor: the History tab still lists the change.
    later = open_studio(new_app)
    assert later.text_area(key="studio_draft_text").value == ""
    history = table_with(later, "Change")
    assert list(history[["Id", "Change"]].itertuples(index=False, name=None)) == [
        ("territory-planning", "added")
    ]


def open_in_studio(new_app, file: str) -> AppTest:
    at = open_studio(new_app)
    at.selectbox(key="studio_file").set_value(file).run()
    at.button(key="studio_open").click().run()
    assert not at.exception, at.exception
    return at


def test_studio_does_not_save_over_a_change_made_since_the_file_was_opened(
    new_app, staff, studio_root: Path
) -> None:
    path = studio_root / "assessments" / f"{SKILLS}.yaml"
    mine, theirs = (open_in_studio(new_app, f"questionnaire:{SKILLS}") for _ in range(2))
    original = path.read_text(encoding="utf-8")
    set_draft(theirs, original.replace('version: "2026.11"', 'version: "2027.01"', 1))
    theirs.button(key="studio_save").click().run()
    assert 'version: "2027.01"' in path.read_text(encoding="utf-8")

    # The other instructor's editor, changed or not, would undo that save.
    for draft in (original, original.replace('version: "2026.11"', 'version: "2027.02"', 1)):
        set_draft(mine, draft)
        assert "studio_save" not in widget_keys(mine)
        assert any("since you opened it" in w.value for w in mine.warning)
    assert 'version: "2027.01"' in path.read_text(encoding="utf-8")
    # Saved by this editor, the file may be saved again from it.
    set_draft(theirs, original.replace('version: "2026.11"', 'version: "2027.03"', 1))
    theirs.button(key="studio_save").click().run()
    assert 'version: "2027.03"' in path.read_text(encoding="utf-8")


def test_studio_asks_before_opening_a_file_over_unsaved_edits(
    new_app, staff, studio_root: Path
) -> None:
    at = open_in_studio(new_app, f"questionnaire:{SKILLS}")
    # Opened and not edited: another file opens at once.
    at.selectbox(key="studio_file").set_value(f"role:{ROLE}").run()
    assert not at.button(key="studio_open").disabled
    at.button(key="studio_open").click().run()
    role_text = at.text_area(key="studio_draft_text").value
    assert role_text == (studio_root / "data" / "roles" / f"{ROLE}.yaml").read_text("utf-8")

    edited = role_text + "# an hour of edits\n"
    set_draft(at, edited)
    at.selectbox(key="studio_file").set_value(f"questionnaire:{SKILLS}").run()
    assert at.button(key="studio_open").disabled
    assert at.text_area(key="studio_draft_text").value == edited

    at.checkbox(key="studio_open_replaces").check().run()
    at.button(key="studio_open").click().run()
    skills = (studio_root / "assessments" / f"{SKILLS}.yaml").read_text(encoding="utf-8")
    assert at.text_area(key="studio_draft_text").value == skills

    # An upload asks the same once the opened file is edited.
    set_draft(at, skills + "# more edits\n")
    at.radio(key="studio_source").set_value("An uploaded file (YAML or spreadsheet)").run()
    upload = ("new.yaml", NEW_QUESTIONNAIRE.encode(), "application/yaml")
    at.file_uploader(key="studio_upload").set_value(upload).run()
    assert at.button(key="studio_load_upload").disabled
    at.checkbox(key="studio_upload_replaces").check().run()
    at.button(key="studio_load_upload").click().run()
    assert at.text_area(key="studio_draft_text").value == NEW_QUESTIONNAIRE


def test_studio_asks_before_saving_a_draft_that_breaks_other_files(
    new_app, staff, studio_root: Path
) -> None:
    at = open_in_studio(new_app, f"role:{ROLE}")
    data = yaml.safe_load(at.text_area(key="studio_draft_text").value)
    data["competencies"] = [c for c in data["competencies"] if c["id"] != "presentation-education"]
    set_draft(at, yaml.safe_dump(data, sort_keys=False))
    assert [row[0] for row in issue_rows(at)] == [f"assessments/{SKILLS}.yaml"] * len(
        issue_rows(at)
    )
    assert at.button(key="studio_save").disabled
    confirm = next(c for c in at.checkbox if c.key.startswith("studio_save_breaking"))
    confirm.check().run()
    assert not at.button(key="studio_save").disabled


def test_studio_refuses_a_changed_questionnaire_under_its_old_version(
    new_app, app_store: Store, staff, studio_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_hashes(studio_root)
    at = open_studio(new_app)
    at.selectbox(key="studio_file").set_value(f"questionnaire:{SKILLS}").run()
    at.button(key="studio_open").click().run()
    original = at.text_area(key="studio_draft_text").value
    assert original == (studio_root / "assessments" / f"{SKILLS}.yaml").read_text(encoding="utf-8")
    assert "This is the same as the saved file: nothing to save." in [i.value for i in at.info]

    changed = original.replace("in about two minutes", "in about three minutes")
    assert changed != original
    set_draft(at, changed)
    message = ErrorCode.VERSION_NOT_CHANGED.format(
        id=SKILLS, version="2026.11", suggestion="2026.11.1"
    )
    # Named as the instructor knows the file they opened.
    assert issue_rows(at) == [(f"assessments/{SKILLS}.yaml", 4, "version", message)]
    assert "studio_save" not in widget_keys(at)
    assert file_hashes(studio_root) == before

    set_draft(at, changed.replace('version: "2026.11"', 'version: "2026.11.1"', 1))
    # A content root that cannot be written: a message, the file as it was, the draft kept.
    with monkeypatch.context() as patch:
        patch.setattr(
            "readiness.studio.write_atomically",
            raising(OSError(errno.EROFS, "Read-only file system")),
        )
        at.button(key="studio_save").click().run()
    assert not at.exception, at.exception
    target = studio_root / "assessments" / f"{SKILLS}.yaml"
    assert [e.value for e in at.error] == [
        f"Could not save to {plain(str(target))}: {plain('Read-only file system')}. "
        "The saved file is unchanged; your draft is still in the editor."
    ]
    assert file_hashes(studio_root) == before
    assert "in about three minutes" in at.text_area(key="studio_draft_text").value

    at.button(key="studio_save").click().run()
    assert not at.exception, at.exception
    assert "in about three minutes" in (studio_root / "assessments" / f"{SKILLS}.yaml").read_text()
    assert app_store.content_version("questionnaire", SKILLS, "2026.11") == original
    history = table_with(at, "Change")
    assert list(history[["Id", "Change", "Version"]].itertuples(index=False, name=None)) == [
        (SKILLS, "changed", "2026.11.1")
    ]


def test_studio_previews_a_role_as_the_file_says_it(new_app, staff, studio_root: Path) -> None:
    at = open_studio(new_app)
    at.selectbox(key="studio_file").set_value(f"role:{ROLE}").run()
    at.button(key="studio_open").click().run()
    assert not at.exception, at.exception
    original = at.text_area(key="studio_draft_text").value
    role = yaml.safe_load(original)

    competencies = table_with(at, "Measured by")
    assert competencies["Competency"].tolist() == [c["title"] for c in role["competencies"]]
    assert competencies["Description"].tolist() == [c.get("description", "") for c in role["competencies"]]  # fmt: skip
    assert competencies["Actions"].tolist() == ["\n".join(c.get("actions", [])) for c in role["competencies"]]  # fmt: skip
    assert all(competencies["Measured by"]), "every liaison competency is asked about"
    assert f"{SKILLS}.handle-objection" in competencies["Measured by"].str.cat(sep=", ")
    must_haves = table_with(at, "Met when")
    assert must_haves["Must-have"].tolist() == [r["title"] for r in role["requirements"]]
    assert must_haves["Met when"].tolist()[:2] == [
        f'{BACKGROUND}.education is one of "bachelor", "master", "doctorate"',
        f"{BACKGROUND}.years-sales is at least 1 or {BACKGROUND}.years-marketing is at least 1"
        f" or {BACKGROUND}.years-healthcare is at least 1",
    ]
    assert table_with(at, "From score")["Band"].tolist() == [b["label"] for b in role["bands"]]
    assert not at.warning
    assert [i.value for i in at.info] == ["This is the same as the saved file: nothing to save."]
    (figures,) = [c.value for c in at.caption if c.value.startswith("Pay and outlook: ")]
    assert figures.endswith(f"figures in data/market/*.csv under the role `{role['market']}`.")

    # A competency nothing asks about scores 0 for everyone: the preview says so.
    unasked = original.replace(
        "competencies:\n",
        "competencies:\n  - {id: unasked, title: Unasked skill, target: 2, importance: 3, source: S}\n",
        1,
    )
    set_draft(at, unasked)
    assert [w.value for w in at.warning] == [
        "No question measures Unasked skill: every candidate gets level 0 there, as the scoring "
        "rules say."
    ]
    assert table_with(at, "Measured by")["Measured by"].tolist()[0] == ""

    set_draft(at, unasked.replace(f"market: {role['market']}", "market: nowhere"))
    assert [i.value for i in at.info] == [
        "No row of data/market/*.csv has the role `nowhere`, so candidates are told that no pay "
        "figure is sourced for it."
    ]


def test_studio_lists_every_question_with_what_shows_it(new_app, staff, studio_root: Path) -> None:
    at = open_studio(new_app)
    # A section shown only to drivers, so its question depends on two conditions.
    draft = NEW_QUESTIONNAIRE.replace(
        "    questions:\n      - id: plan-route",
        "    questions:\n      - id: drives\n        type: yes_no\n        prompt: Do you drive?\n"
        "  - id: routes\n    title: Routes\n    show_if: {question: drives, equals: true}\n"
        "    questions:\n      - id: plan-route",
    ).replace(
        "        prompt: Do you use a map tool to plan routes?\n",
        "        prompt: Do you use a map tool to plan routes?\n"
        "        show_if: {not: {question: plan-route, at_most: 1}}\n",
    )
    set_draft(at, draft)
    assert not at.exception, at.exception
    overview = table_with(at, "Shown if")
    assert overview[["Question", "Shown if", "Measures", "Required"]].values.tolist() == [
        ["drives", "always", "", "yes"],
        ["plan-route", "drives is true", "relationship-building", "yes"],
        ["map-tool", "drives is true and not (plan-route is at most 1)", "", "yes"],
    ]
    # The candidate's preview shows only what is visible: the second section needs "yes".
    assert question_keys(at) == ["q:preview:territory-planning:drives"]
    # Section titles are plain text, also in the section picker.
    set_draft(at, draft.replace("title: Planning your visits", "title: Planning *your* visits"))
    assert at.radio(key="studio_section").options == [plain("Planning *your* visits")]


def test_studio_tells_apart_two_sections_of_one_title(new_app, staff, studio_root: Path) -> None:
    at = open_studio(new_app)
    second = (
        "  - id: visits\n    title: Planning your visits\n    questions:\n"
        "      - id: visit-count\n        type: number\n        prompt: Visits a week?\n"
    )
    set_draft(at, NEW_QUESTIONNAIRE + second)
    assert not at.exception, at.exception
    picker = at.radio(key="studio_section")
    assert picker.options == [plain("Planning your visits (planning)"), plain("Planning your visits (visits)")]  # fmt: skip
    # Each can be previewed: a picker of two alike would take the last for either.
    picker.set_value(0).run()
    assert question_keys(at) == [
        "q:preview:territory-planning:plan-route",
        "q:preview:territory-planning:map-tool",
    ]
    at.radio(key="studio_section").set_value(1).run()
    assert question_keys(at) == ["q:preview:territory-planning:visit-count"]


def test_studio_preview_leaves_behind_answers_an_edit_no_longer_fits(
    new_app, staff, studio_root: Path
) -> None:
    at = set_draft(open_studio(new_app), NEW_QUESTIONNAIRE)
    rating = widget_by_key(at, "q:preview:territory-planning:plan-route")
    rating.set_value(3).run()
    # The rated question becomes a multiple choice: the rating cannot be its answer.
    draft = NEW_QUESTIONNAIRE.replace(
        "        type: rating\n        scale: frequency\n",
        "        type: multiple_choice\n        options:\n"
        "          - {value: car, label: Car, level: 2}\n"
        "          - {value: map, label: Map, level: 2}\n",
    )
    set_draft(at, draft)
    assert widget_by_key(at, "q:preview:territory-planning:plan-route").value == []


def test_studio_loads_an_uploaded_workbook_and_locates_a_broken_one(
    new_app, staff, studio_root: Path
) -> None:
    at = open_studio(new_app)
    at.radio(key="studio_source").set_value("An uploaded file (YAML or spreadsheet)").run()
    at.file_uploader(key="studio_upload").set_value(
        ("my-sheet.xlsx", b"PK\x03\x04 not really a workbook", XLSX_TYPE)
    ).run()
    at.button(key="studio_load_upload").click().run()
    assert not at.exception, at.exception
    rows = issue_rows(at)
    assert rows and all(file == "my-sheet.xlsx" for file, *_ in rows), rows
    assert at.text_area(key="studio_draft_text").value == ""

    workbook = (PROJECT_ROOT / "docs" / "examples" / "liaison-quick-check.xlsx").read_bytes()
    at.file_uploader(key="studio_upload").set_value(("quick-check.xlsx", workbook, XLSX_TYPE)).run()
    at.button(key="studio_load_upload").click().run()
    assert not at.exception, at.exception
    draft = at.text_area(key="studio_draft_text").value
    assert "id: liaison-quick-check" in draft
    assert not [frame for frame in at.dataframe if "Problem" in frame.value.columns]
    assert "studio_save" in widget_keys(at)
    assert "Preview as a candidate" in [s.value for s in at.header]


def test_studio_refuses_an_uploaded_file_that_is_not_utf8(
    new_app, staff, studio_root: Path
) -> None:
    at = open_studio(new_app)
    at.radio(key="studio_source").set_value("An uploaded file (YAML or spreadsheet)").run()
    latin = NEW_QUESTIONNAIRE.replace("Territory planning", "Café visits").encode("cp1252")
    at.file_uploader(key="studio_upload").set_value(("cafe.yaml", latin, "application/yaml")).run()
    at.button(key="studio_load_upload").click().run()
    assert not at.exception, at.exception
    ((file, line, _, problem),) = issue_rows(at)
    assert (file, line) == ("cafe.yaml", 3)  # where the first byte that is not UTF-8 is
    assert problem.startswith(template_start(ErrorCode.NOT_UTF8)), problem
    assert at.text_area(key="studio_draft_text").value == ""  # nothing garbled to save


def test_signing_out_takes_the_staff_pages_out_of_the_menu(new_app, staff, menu) -> None:
    at = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    open_page(at, "sign_in")
    at.button(key="sign_out").click().run()
    assert not at.exception
    assert USER_KEY not in at.session_state
    assert "cohorts" not in menu[-1] and "candidate" not in menu[-1]
    assert "sign_in_email" in widget_keys(at)


def test_taking_it_again_shows_the_change_since_the_last_attempt(
    new_app, app_store: Store, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    makers = keep_download_makers(monkeypatch)
    weak = stored_candidate(app_store, content, strong=False)
    app_store.finish_attempt(weak.attempt_id)
    weak_started = app_store.attempts(weak.candidate_id)[0].started_at
    at = resume(new_app(), weak.resume_code, finished=True)  # a finished attempt: its results
    assert "Change since your last attempt" not in [s.value for s in at.header]
    at.button(key="retake").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Assessment: ")
    stay_on(at, "assessment")
    retake: Session = at.session_state["candidate_session"]
    assert retake.candidate_id == weak.candidate_id and retake.attempt_id != weak.attempt_id
    # The new attempt starts from the previous answers; raise one skill.
    explain = f"q:{retake.attempt_id}:{SKILLS}:explain-service"
    assert app_store.load_answer_set(retake.attempt_id)["questionnaires"][SKILLS]["answers"][
        "explain-service"
    ] == answer_for(content, SKILLS, "explain-service", strong=False)
    app_store.save_answer(retake.attempt_id, SKILLS, "2026.11", "explain-service", 4)
    assert explain not in question_keys(at)  # step 1 is about education

    open_page(at, "results")
    assert "Change since your last attempt" in [s.value for s in at.header]
    answers = {
        q: e["answers"]
        for q, e in app_store.load_answer_set(weak.attempt_id)["questionnaires"].items()
    }
    before = score_one(content, ROLE, answers).readiness
    assert any(line.startswith(f"Readiness {before} → ") for line in texts(at, "markdown"))
    # Beside the score too, where a returning candidate looks first.
    (lead,) = report_leads(at)
    assert lead.endswith(f"of this attempt. Last time ({weak_started:%d %B %Y}): {before}.")
    change = [i for i in chart_images(at) if i.alt.startswith("Dot plot comparing your level")]
    assert len(change) == 1 and change[0].svg.startswith("<svg")
    # The downloaded report shows the change too.
    assert f"Last time: {before} (" in pdf_text(makers["download_pdf"]())

    # An attempt begun and left half done is skipped: the next one is compared with the
    # latest finished attempt.
    app_store.finish_attempt(retake.attempt_id)
    finished = answers_of(app_store.load_answer_set(retake.attempt_id))
    half_done = app_store.new_attempt(retake, ROLE)
    app_store.save_answer(half_done.attempt_id, SKILLS, "2026.11", "explain-service", 0)
    latest = app_store.new_attempt(half_done, ROLE)
    latest_answers = answers_of(app_store.load_answer_set(latest.attempt_id))
    last_finished = score_one(content, ROLE, finished).readiness
    assert score_one(content, ROLE, latest_answers).readiness != last_finished
    at.session_state["candidate_session"] = latest
    open_page(at, "results")
    assert any(line.startswith(f"Readiness {last_finished} → ") for line in texts(at, "markdown"))


HOSTILE_TEXTS = {
    "markdown image": "Kim ![pixel](http://evil/track.png)",
    "right-to-left": "\u202emaerts\u202c مرحبا بالعالم",
    "emoji": "Ana 🙂👩🏽‍⚕️ $100 *not bold*",
    "very long": "L" * 300 + " :red[not red] <img src=x onerror=alert(1)>",
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_candidate_and_note_text_is_shown_exactly_as_typed(
    new_app, app_store: Store, content: Content, staff, text: str
) -> None:
    candidate = stored_candidate(app_store, content)
    app_store.share(candidate.candidate_id, staff["cohort"].code, text)
    # Aliases are kept to a bounded length; notes whole.
    (kept,) = {
        row.alias for row in app_store.cohort_answer_sets(staff["counselor"].id, staff["cohort"].id)
    }
    assert text.startswith(kept) and len(kept) >= min(len(text), 80)
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    assert list(table_with(counselor, "Alias")["Alias"]) == [kept]

    counselor.selectbox(key="open_candidate").set_value(candidate.candidate_id).run()
    counselor.button(key="open_candidate_button").click().run()
    stay_on(counselor, "candidate")
    counselor.text_area(key="note_text").set_value(text)
    submit(counselor, "note_form")
    assert not counselor.exception
    shown = texts(counselor, "text")
    assert text in shown and any(line.startswith(f"{kept}: shared on ") for line in shown)
    for line in texts(counselor, "markdown", "info", "success", "warning", "error"):
        assert text not in line and kept not in line


def test_a_note_written_as_the_candidate_withdraws_is_given_back(
    new_app, app_store: Store, content: Content, staff
) -> None:
    candidate = stored_candidate(app_store, content)
    app_store.share(candidate.candidate_id, staff["cohort"].code, "Robin")
    counselor = open_page(sign_in(new_app(), COUNSELOR), "cohorts")
    counselor.session_state["selected_candidate"] = candidate.candidate_id
    open_page(counselor, "candidate")
    counselor.text_area(key="note_text").set_value("Call on Tuesday about the CHBC course.")
    app_store.unshare(candidate.candidate_id, staff["cohort"].id)
    submit(counselor, "note_form")
    assert not counselor.exception
    assert [w.value for w in counselor.warning] == [
        "Your note was not added: this candidate no longer shares their results with you. "
        "Here it is, to keep elsewhere if you need it:"
    ]
    assert "Call on Tuesday about the CHBC course." in texts(counselor, "text")
    assert app_store.notes(staff["counselor"].id, candidate.candidate_id) == []


def start_page_for_new_role(
    new_app,
    root: Path,
    role_id: str,
    title: str,
    competency_id: str,
    competency_title: str,
    description: str | None = None,
) -> AppTest:
    """The start page with a role of one competency added to the content and chosen."""
    role = {
        "format": "role/1",
        "id": role_id,
        "title": title,
        "competencies": [
            {
                "id": competency_id,
                "title": competency_title,
                "target": 2,
                "importance": 1,
                "source": "S",
            }
            | ({"description": description} if description else {})
        ],  # fmt: skip
        "bands": [{"at_least": 0, "label": "Any"}],
    }
    (root / "data" / "roles" / f"{role_id}.yaml").write_text(yaml.safe_dump(role), encoding="utf-8")
    content_changed()  # as the studio's Save does: seen at once, not after the next check
    at = new_app()
    return at.selectbox(key="start_role").select(role_id).run()


def test_a_role_no_questionnaire_asks_about_has_nothing_to_answer(
    new_app, app_store: Store, studio_root: Path
) -> None:
    at = start_page_for_new_role(new_app, studio_root, "lonely", "Lonely role", "unasked", "Unasked")  # fmt: skip
    at.button(key="start_new").click().run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [
        "No questionnaire asks about this role yet, so there is nothing to answer."
    ]
    at.button(key="see_results").click().run()
    stay_on(at, "results")
    assert not at.exception, at.exception
    assert "Your results" in [t.value for t in at.title]
    # Nothing to go back and answer: the page says so rather than send the candidate there.
    assert [i.value for i in at.info][0] == (
        "No question asks about this role's skills yet, so every skill counts as level 0."
    )
    assert not at.warning and not at.get("page_link")
    assert "No question asks about these yet, so they count as level 0: Unasked." in page_dump(at)


def test_restore_says_which_role_the_answers_go_to_before_the_click(
    new_app, app_store: Store, studio_root: Path
) -> None:
    at = start_page_for_new_role(new_app, studio_root, "analyst", "Data analyst", "communication", "Communication")  # fmt: skip

    def upload(role: str) -> list[str]:
        text = json.dumps({**GOOD_FILE, "role": role}).encode()
        at.file_uploader(key="restore_upload").set_value(("a.json", text, "application/json"))
        at.run()
        assert "restore" in widget_keys(at)
        return [i.value for i in at.info]

    assert "This file is for Physician liaison: its answers are restored for that role, not the one chosen above." in upload(ROLE)  # fmt: skip
    assert "This file is for the role `retired`, which is no longer offered: its answers are restored for Data analyst, the role chosen above." in upload("retired")  # fmt: skip
    assert not any(i.startswith("This file is for") for i in upload("analyst"))
    at.button(key="restore").click().run()
    session: Session = at.session_state["candidate_session"]
    assert app_store.load_answer_set(session.attempt_id)["role"] == "analyst"


def test_an_assessment_whose_role_was_withdrawn_continues_with_another_role(
    new_app, app_store: Store, studio_root: Path
) -> None:
    at = start_page_for_new_role(new_app, studio_root, "retired", "Retired role", "communication", "Communication")  # fmt: skip
    at.button(key="start_new").click().run()
    session: Session = at.session_state["candidate_session"]
    widget_by_key(at, f"q:{session.attempt_id}:{SKILLS}:explain-service").set_value(3).run()
    (studio_root / "data" / "roles" / "retired.yaml").unlink()
    content_changed()

    back = new_app()
    back.text_input(key="resume_code_input").set_value(session.resume_code)
    submit(back, "resume_form")
    assert [e.value for e in back.error][0].startswith("The role 'retired' is no longer offered.")
    # The Start page it points to must offer a way on, not lead back to the same message.
    open_page(back, "start")
    assert back.warning[0].value.startswith("The role of that assessment is no longer offered.")
    back.selectbox(key="start_role").select(ROLE).run()
    back.button(key="continue").click().run()
    assert not back.exception, back.exception
    assert [t.value for t in back.title] == ["Assessment: Physician liaison"]
    saved = app_store.load_answer_set(session.attempt_id)
    assert saved["role"] == ROLE
    assert saved["questionnaires"][SKILLS]["answers"] == {"explain-service": 3}


def test_a_questionnaire_description_comes_before_its_first_section(
    new_app, content: Content
) -> None:
    at = new_app()
    at.button(key="start_new").click().run()
    session: Session = at.session_state["candidate_session"]
    first = steps(content, content.roles[ROLE], {})[0].questionnaire
    assert first.description and first.description in texts(at, "markdown")
    widget_by_key(at, f"q:{session.attempt_id}:{first.id}:education").set_value("high-school").run()
    at.button(key="next").click().run()
    assert progress_text(at).startswith("Step 2 of")
    assert first.description not in texts(at, "markdown")


def test_content_titles_on_the_start_page_are_shown_as_written(new_app, studio_root: Path) -> None:
    at = start_page_for_new_role(new_app, studio_root, "sql", "SQL *Developer*", "communication", "Talk `code` [x](y)")  # fmt: skip
    assert not at.exception, at.exception
    assert [s.value for s in at.header][0] == "The assessment for the role SQL \\*Developer\\*"
    compared = next(t for t in texts(at, "markdown") if t.startswith("Skills it compares"))
    assert "Talk \\`code\\` \\[x\\]\\(y\\)" in compared


def test_the_start_page_counts_one_question_and_one_minute_in_the_singular(
    new_app, studio_root: Path
) -> None:
    questionnaire = {
        "format": "questionnaire/1",
        "id": "filing-check",
        "title": "Filing check",
        "version": "1",
        "estimated_minutes": 1,
        "sections": [
            {
                "id": "main",
                "title": "Main",
                "questions": [
                    {"id": "files", "type": "yes_no", "prompt": "Filed?", "measures": "filing"}
                ],
            }
        ],
    }
    (studio_root / "assessments" / "filing-check.yaml").write_text(
        yaml.safe_dump(questionnaire), encoding="utf-8"
    )
    at = start_page_for_new_role(new_app, studio_root, "clerk", "Clerk", "filing", "Filing")
    assert not at.exception, at.exception
    shown = texts(at, "markdown")
    assert "- Filing check: 1 question, about 1 minute" in shown
    assert any("In all, about **1 minute**;" in text for text in shown)


def test_the_start_page_gives_the_most_questions_where_some_depend_on_answers(
    new_app, content: Content
) -> None:
    shown = texts(new_app(), "markdown")
    for questionnaire in questionnaires_for(content, content.roles[ROLE]):
        count = len(questionnaire.questions())
        depends = questionnaire.asks_some_questions_only_after_certain_answers()
        expected = f": {'up to ' if depends else ''}{count} questions,"
        line = next(
            line for line in shown if line.startswith("- ") and f" {count} questions," in line
        )
        assert expected in line, line
    assert any(" up to " in line for line in shown)  # the background's CRM questions


def test_the_start_page_says_what_each_skill_means(
    new_app, content: Content, studio_root: Path
) -> None:
    meanings = next(
        t for t in texts(new_app(), "markdown") if t.startswith("- **Communication**: ")
    )
    assert meanings.splitlines() == [
        f"- **{plain(c.title)}**: {c.description}" for c in content.roles[ROLE].competencies
    ]

    # A description of several Markdown lines stays one item of the list.
    at = start_page_for_new_role(new_app, studio_root, "lines", "Lines", "talk", "Talk", "Speak.\n\nAnd *write*.")  # fmt: skip
    assert "- **Talk**: Speak.\n\n  And *write*." in texts(at, "markdown")
    at = start_page_for_new_role(new_app, studio_root, "bare", "Bare", "talk", "Talk")
    assert not any(t.startswith("- **Talk**") for t in texts(at, "markdown"))


def test_two_roles_of_one_title_are_told_apart_and_each_can_be_chosen(
    new_app, app_store: Store, content: Content, studio_root: Path
) -> None:
    # Only ids must be unique. A picker that showed both alike would also let Streamlit take
    # the last of them for either.
    at = start_page_for_new_role(new_app, studio_root, "liaison-copy", "Physician liaison", "unasked", "Unasked")  # fmt: skip
    picker = at.selectbox(key="start_role")
    assert sorted(picker.options) == ["Physician liaison (liaison-copy)", "Physician liaison (physician-liaison)"]  # fmt: skip
    picker.select(ROLE).run()
    assert at.selectbox(key="start_role").value == ROLE
    at.button(key="start_new").click().run()
    assert not at.exception, at.exception
    assert at.session_state["candidate_session"].role_id == ROLE

    # The results' comparison names them as the picker does.
    at = resume(new_app(), stored_candidate(app_store, content).resume_code)
    open_page(at, "results")
    compared = table_with(at, "Must-haves not met")
    assert compared["Role"].tolist() == picker.options


def test_results_compare_the_same_answers_against_every_role(
    new_app, app_store: Store, content: Content, studio_root: Path
) -> None:
    at = resume(new_app(), stored_candidate(app_store, content).resume_code)
    open_page(at, "results")
    assert "The same answers against other roles" not in headings(
        at
    )  # one role: nothing to compare

    start_page_for_new_role(new_app, studio_root, "scribe", "Medical scribe", "unasked", "Unasked")
    open_page(at, "results")
    assert not at.exception, at.exception
    assert "The same answers against other roles" in headings(at)
    compared = table_with(at, "Must-haves not met")
    answers = complete_answers(content, strong=True)
    liaison = score_one(content, ROLE, answers)
    unmet = sum(r.status == "unmet" for r in liaison.requirements)
    assert compared.values.tolist() == [
        ["Physician liaison", liaison.readiness, liaison.band.label, unmet],
        ["Medical scribe", 0, "Any", 0],  # its one skill is asked by no question: level 0
    ]


def test_answers_the_content_changed_under_do_not_count_and_say_so(
    new_app, app_store: Store, content: Content, studio_root: Path
) -> None:
    candidate = stored_candidate(app_store, content, strong=True)
    skills = studio_root / "assessments" / f"{SKILLS}.yaml"
    # The top of the scale moves from 4 to 5: every "Expert" answer stored as 4 is off it.
    text = skills.read_text(encoding="utf-8")
    assert text.count("- {value: 4, label:") == 1
    skills.write_text(text.replace("- {value: 4, label:", "- {value: 5, label:"), encoding="utf-8")
    content_changed()
    stored = answers_of(app_store.load_answer_set(candidate.attempt_id))
    off_scale = [qid for qid, value in stored[SKILLS].items() if value == 4]
    assert off_scale

    at = resume(new_app(), candidate.resume_code)
    notice = f"{len(off_scale)} of your earlier answers no longer fit their questions"
    assert any(i.value.startswith(notice) for i in at.info), [i.value for i in at.info]
    open_page(at, "results")
    assert any(i.value.startswith(notice) for i in at.info)
    # Scored without them, as the score command scores the answers that fit.
    fitting = {SKILLS: {q: v for q, v in stored[SKILLS].items() if q not in off_scale}}
    fitting[BACKGROUND] = stored[BACKGROUND]
    expected = score_one(load_content(studio_root), ROLE, fitting)
    assert readiness_scores(at) == [f"{expected.readiness} / 100"]
    # Kept in storage: answering again replaces them.
    assert answers_of(app_store.load_answer_set(candidate.attempt_id)) == stored


@pytest.mark.parametrize("button", ["next", "back", "finish"])
def test_moving_through_steps_after_the_data_was_deleted_elsewhere_leads_to_start(
    new_app, app_store: Store, content: Content, button: str
) -> None:
    candidate = stored_candidate(app_store, content)
    if button == "finish":
        last = len(steps(content, content.roles[ROLE], complete_answers(content, True))) - 1
        app_store.save_step(candidate.attempt_id, last)
    here = resume(new_app(), candidate.resume_code)
    if button == "back":
        here.button(key="next").click().run()
    app_store.delete_candidate(candidate.candidate_id)
    # Pressed within the interval the page waits between its own checks: the write finds out.
    here.button(key="back" if button == "back" else "next").click().run()
    assert not here.exception, here.exception
    stay_on(here, "start")
    assert [s.value for s in here.success] == [
        "Everything stored under your code has been deleted."
    ]


def test_data_deleted_on_another_device_leaves_this_one_too(
    new_app, app_store: Store, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate = stored_candidate(app_store, content)
    here = resume(new_app(), candidate.resume_code)
    there = resume(new_app(), candidate.resume_code)
    open_page(there, "results")
    open_panel(there, "delete_panel")
    there.checkbox(key="delete_confirm").check().run()
    there.button(key="delete_data").click().run()
    stay_on(there, "start")

    # An answer given here after the deletion: no error, and this device leaves too.
    question = next(k for k in widget_keys(here) if k.startswith("q:"))
    widget_by_key(here, question).set_value(widget_by_key(here, question).options[0]).run()
    assert not here.exception, here.exception
    stay_on(here, "start")
    assert [s.value for s in here.success] == [
        "Everything stored under your code has been deleted."
    ]
    assert "candidate_session" not in here.session_state

    # A page merely left open finds out at its next rerun after the check interval.
    third = stored_candidate(app_store, content)
    open_page(idle := resume(new_app(), third.resume_code), "results")
    app_store.delete_candidate(third.candidate_id)
    monkeypatch.setattr("ui.common.GONE_CHECK_SECONDS", 0.0)
    idle.run()
    stay_on(idle, "start")
    assert not readiness_scores(idle)


def test_answers_given_in_another_tab_are_seen_here_too(
    new_app, app_store: Store, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate = app_store.start_candidate(ROLE)
    here = resume(new_app(), candidate.resume_code)
    there = resume(new_app(), candidate.resume_code)
    given = answer_visible(there, content, {"education": "master"})
    there.button(key="next").click().run()
    answer_visible(there, content)  # years of experience: these count towards the score

    # This tab read the answers before they were given: at its next check of storage it
    # reads them again, or its results, downloads and questions would leave them out.
    monkeypatch.setattr("ui.common.GONE_CHECK_SECONDS", 0.0)
    here.run()
    for key, value in given.items():
        assert widget_by_key(here, key).value == value
    open_page(here, "results")
    open_page(there, "results")
    assert readiness_scores(there) != ["0 / 100"]
    assert readiness_scores(here) == readiness_scores(there)
