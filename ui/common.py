"""What every page needs: the content, the store, the signed-in user and the candidate's session.

Resources are cached per process; the content cache is keyed by the files' modification times,
so an instructor's saved change is picked up on the next rerun without a restart.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from html import escape
from pathlib import Path
from typing import NoReturn, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from readiness import content as content_module
from readiness.answers import answers_of, answers_that_fit
from readiness.content import Content, load_content
from readiness.journey import steps
from readiness.scoring import ScoreResult, score_one
from readiness.storage import CandidateGone, Store, database_url

T = TypeVar("T")

TRUSTED_PROXY_VARIABLE = "READINESS_TRUSTED_PROXY"
SESSION_KEY = "candidate_session"
ANSWERS_KEY = "candidate_answers"
ANSWERS_REVISION_KEY = "candidate_answers_revision"
PER_ANSWERS_KEY = "candidate_per_answers"
USER_KEY = "staff_user"
MENU_KEY = "menu"  # app.py's pages, made for who is signed in: (role, pages)
USER_CHECKED_KEY = "staff_user_checked"
SIGNED_OUT_NOTICE = "signed_out_notice"  # the sidebar says why a session was ended
DELETED_NOTICE = "deleted_notice"  # the Start page says everything was deleted
GONE_KEY = "candidate_gone"  # a write found the candidate's data deleted
GONE_CHECKED_KEY = "candidate_gone_checked"
# How often an open page asks storage whether its candidate still exists (deleted on another
# device): a lookup on every rerun would cost each click more than the step it draws.
GONE_CHECK_SECONDS = 3.0
# Each character Markdown may read as formatting, with a backslash before it (a translation
# table: several times faster than a regular expression, on every label of every step).
# `&` too: Markdown would show `&amp;` and `&copy;` as the characters they name.
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:&"})
_WORD_JOINER = "\u2060"
_WWW = re.compile(r"(www)(?=\\\.)", re.IGNORECASE)
# Read once: the style is sent with every run, the file need not be.
PAGE_STYLE = (
    "<style>" + Path(__file__).with_name("page.css").read_text(encoding="utf-8") + "</style>"
)


# Content files are listed and stat'ed at most once a second per process, not on every rerun,
# and the loaded content is kept per root and signature (a plain dictionary: a rerun should not
# pay for hashing cache arguments).
CONTENT_CHECK_SECONDS = 1.0
_content_checks: dict[str, tuple[float, tuple]] = {}
_loaded: dict[str, tuple[tuple, Content]] = {}
_loading = threading.Lock()


def _content_signature(root) -> tuple:
    now = time.monotonic()
    last = _content_checks.get(str(root))
    if last is None or now - last[0] > CONTENT_CHECK_SECONDS:
        last = (now, content_module.signature(root))
        _content_checks[str(root)] = last
    return last[1]


def through_app_shell() -> None:
    """Run this page through app.py (its menu, sidebar and style); call it first on every page.

    A pages/ folder keeps a fresh Streamlit server in its older multipage mode until some run
    calls st.navigation. Until then a visitor who opens a page's own address (/results) before
    anyone opens / gets that page alone, with a menu of every file in pages/, staff pages
    included. Leave that mode for good, as st.navigation would, and run again through app.py.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def plain(text: str) -> str:
    """Text shown through Markdown exactly as written (O*NET, $60,000, [links], <tags>)."""
    escaped = text.translate(_MARKDOWN_ESCAPES)
    # Streamlit links bare addresses (http://..., www...., name@host) in the text it has
    # already unescaped; an invisible word joiner inside each keeps them text.
    if "://" in text:
        escaped = escaped.replace("\\://", _WORD_JOINER + "\\://")
    if "@" in text:
        escaped = escaped.replace("@", "@" + _WORD_JOINER)
    if "www" in text.lower():
        escaped = _WWW.sub(r"\1" + _WORD_JOINER, escaped)
    return escaped


def viewer_zone(name: str | None = None) -> tzinfo:
    """The reader's time zone, as their browser names it (`name`, else `st.context`); UTC when
    it names none the server knows."""
    name = st.context.timezone if name is None else name
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def shown_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A stored (UTC) moment as the reader's clock said it, zone named: "14 Mar 2026, 10:30 CET".
    The server's clock is not the reader's, and a time without its zone is read as local."""
    local = moment.astimezone(zone or viewer_zone())
    return f"{local:%d %b %Y, %H:%M} {local:%Z}"


def page_style() -> None:
    """The app's own CSS (for tables drawn as HTML). Style only, so it takes no room."""
    st.html(PAGE_STYLE)


def opened_panel(label: str, *, key: str):
    """A collapsed panel (an expander) whose content is drawn only while it is open: its
    container when open, else None. Opening or closing it reruns the page. For content most
    visits never open, which would still cost the browser time to draw."""
    panel = st.expander(label, key=key, on_change="rerun")
    return panel if panel.open else None


def once_per_upload(upload, check: Callable[[], T], *, key: str) -> T:
    """`check()` of an uploaded file, run once per upload and content revision: the file
    stays in its uploader, and the page reruns, until the candidate acts on it."""
    marker = (upload.file_id, content_revision())
    kept = st.session_state.get(key)
    if kept is None or kept[0] != marker:
        kept = (marker, check())
        st.session_state[key] = kept
    return kept[1]


def content_changed() -> None:
    """Call after writing content (the studio's Save): the next rerun reads it at once."""
    _content_checks.clear()


def get_content() -> Content:
    """The content root's valid content, reloaded whenever one of its files changes."""
    root = content_module.default_root()
    signature = _content_signature(root)
    loaded = _loaded.get(str(root))
    if loaded is None or loaded[0] != signature:
        with _loading:
            loaded = _loaded.get(str(root))
            if loaded is None or loaded[0] != signature:
                loaded = (signature, load_content(root))
                _loaded[str(root)] = loaded
    return loaded[1]


def content_revision() -> str:
    """Changes whenever a content file does: part of the cache key of anything drawn from it."""
    root = content_module.default_root()
    return f"{root}:{hash(_content_signature(root))}"


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    return _store_for(database_url())


def current_user():
    """The signed-in staff member; None once their account is removed or has a new password
    (asked of storage at most every few seconds, as for a candidate's deleted data)."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return None
    now = time.monotonic()
    if now - st.session_state.get(USER_CHECKED_KEY, -math.inf) >= GONE_CHECK_SECONDS:
        st.session_state[USER_CHECKED_KEY] = now
        user = get_store().signed_in_still(user)
        if user is None:
            st.session_state.pop(USER_KEY, None)
            st.session_state[SIGNED_OUT_NOTICE] = True
            return None
        st.session_state[USER_KEY] = user  # with any change of name or role
    return user


def candidate_session():
    return st.session_state.get(SESSION_KEY)


def set_candidate_session(session) -> None:
    st.session_state[SESSION_KEY] = session
    for key in (ANSWERS_KEY, ANSWERS_REVISION_KEY, PER_ANSWERS_KEY, GONE_KEY, GONE_CHECKED_KEY):
        st.session_state.pop(key, None)
    # Widget values belong to the previous candidate's answers.
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("q:")]:
        del st.session_state[key]


def page_to_continue(session) -> str:
    """Where a candidate carries on: their results once the attempt is finished, else the
    assessment at its saved step."""
    attempt = next(
        (
            a
            for a in get_store().attempts(session.candidate_id)
            if a.attempt_id == session.attempt_id
        ),
        None,
    )
    return "pages/results.py" if attempt is not None and attempt.finished else "pages/assessment.py"


def clear_candidate_session() -> None:
    set_candidate_session(None)
    st.session_state.pop(SESSION_KEY, None)


def require_candidate(title: str) -> tuple:
    """(session, content, role) of the candidate here, or a pointer to Start and a stop."""
    session = candidate_session()
    if session is not None and _deleted_since(session):
        leave_deleted_candidate()
    if session is None:
        st.title(title, anchor=False)
        st.info("Start or resume an assessment first.", icon=":material/info:")
        st.page_link("pages/start.py", label="Go to Start", icon=":material/home:")
        st.stop()
    content = get_content()
    role = content.roles.get(session.role_id)
    if role is None:
        st.title(title, anchor=False)
        st.error(
            f"The role {session.role_id!r} is no longer offered. Choose another role on the "
            "Start page and continue there; your answers are kept."
        )
        st.page_link("pages/start.py", label="Go to Start", icon=":material/home:")
        st.stop()
    return session, content, role


def leave_deleted_candidate() -> NoReturn:
    """The candidate's data is deleted (here, or on another device): forget it in this
    browser session too and go to Start, which says so."""
    clear_candidate_session()
    st.session_state[DELETED_NOTICE] = True
    st.switch_page("pages/start.py")


def _deleted_since(session) -> bool:
    """Whether the candidate's data has been deleted since this browser session began: known
    at once when a write found it gone, else asked of storage at most every few seconds (when
    answers given since in another tab or on another device are read too)."""
    if st.session_state.get(GONE_KEY):
        return True
    now = time.monotonic()
    if now - st.session_state.get(GONE_CHECKED_KEY, -math.inf) < GONE_CHECK_SECONDS:
        return False
    st.session_state[GONE_CHECKED_KEY] = now
    if not get_store().session_exists(session):
        return True
    _read_answers_given_elsewhere(session)
    return False


def _read_answers_given_elsewhere(session) -> None:
    """Take up the stored answers if they differ from those this browser session keeps
    (`_stored_answers`): the same code may be answering in another tab or on another device,
    and results, downloads and questions here must not leave those answers out."""
    kept = st.session_state.get(ANSWERS_KEY)
    if kept is None or kept[0] != session.attempt_id:
        return  # not read yet: read from storage when needed
    try:
        stored = answers_of(get_store().load_answer_set(session.attempt_id))
    except CandidateGone:  # deleted just now: the next check finds out
        return

    def given(answers: dict) -> dict:
        return {questionnaire: dict(values) for questionnaire, values in answers.items() if values}

    if given(stored) == given(kept[1]):
        return
    st.session_state[ANSWERS_KEY] = (session.attempt_id, stored)
    st.session_state[ANSWERS_REVISION_KEY] = st.session_state.get(ANSWERS_REVISION_KEY, 0) + 1
    # The question widgets show the stored answers anew (they are seeded only when absent).
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("q:")]:
        del st.session_state[key]


def candidate_answers(session) -> dict:
    """The attempt's answers that the current questions can take: everything the pages show,
    score and export works on these (see `stale_answers`)."""
    return _answers_that_fit(session)[0]


def stale_answers(session) -> list[tuple[str, str]]:
    """(questionnaire, question) of each stored answer the content has changed under (an
    option or scale value gone, a question removed): kept in storage, but not counted."""
    return _answers_that_fit(session)[1]


def note_stale_answers(session) -> None:
    """Say so when some stored answers no longer count (see `stale_answers`)."""
    count = len(stale_answers(session))
    if count == 1:
        text = (
            "One of your earlier answers no longer fits its question, which has changed since "
            "you answered: it does not count, and the question asks again."
        )
    elif count:
        text = (
            f"{count} of your earlier answers no longer fit their questions, which have changed "
            "since you answered: they do not count, and the questions ask again."
        )
    else:
        return
    st.info(text, icon=":material/update:")


def _answers_that_fit(session) -> tuple[dict, list[tuple[str, str]]]:
    return _per_answers(
        "fitting",
        session,
        None,
        lambda: answers_that_fit(get_content().catalog, _stored_answers(session)),
    )


def _stored_answers(session) -> dict:
    """The attempt's answers: read from storage once per browser session, then kept in step
    by `save_candidate_answer` (every answer is still written to storage as it is given)."""
    cached = st.session_state.get(ANSWERS_KEY)
    if cached is not None and cached[0] == session.attempt_id:
        return cached[1]
    try:
        answers = answers_of(get_store().load_answer_set(session.attempt_id))
    except CandidateGone:  # deleted since the page checked
        leave_deleted_candidate()
    st.session_state[ANSWERS_KEY] = (session.attempt_id, answers)
    return answers


def candidate_write(write: Callable[[], object]) -> bool:
    """`write()` to the candidate's stored data; False if that data is gone (deleted, perhaps
    on another device), and the page then leads back to Start. For widget callbacks, which
    run before the page checks the candidate is still there."""
    try:
        write()
    except CandidateGone:
        st.session_state[GONE_KEY] = True
        return False
    return True


def save_candidate_answer(session, questionnaire_id: str, question_id: str, value) -> None:
    version = get_content().questionnaires[questionnaire_id].version
    store = get_store()
    if not candidate_write(
        lambda: store.save_answer(session.attempt_id, questionnaire_id, version, question_id, value)
    ):
        return
    given = _stored_answers(session).setdefault(questionnaire_id, {})
    if value is None:
        given.pop(question_id, None)
    else:
        given[question_id] = value
    st.session_state[ANSWERS_REVISION_KEY] = st.session_state.get(ANSWERS_REVISION_KEY, 0) + 1


def _per_answers(name: str, session, role, compute):
    """`compute()`, done again only when the candidate's answers or the content change: a
    rerun for a click elsewhere on the page reuses it. Kept in the browser session and
    dropped with the candidate's session (`set_candidate_session`)."""
    key = (
        session.attempt_id,
        st.session_state.get(ANSWERS_REVISION_KEY, 0),
        content_revision(),
        role.id if role is not None else None,
    )
    cached = st.session_state.setdefault(PER_ANSWERS_KEY, {}).get(name)
    if cached is None or cached[0] != key:
        cached = (key, compute())
        st.session_state[PER_ANSWERS_KEY][name] = cached
    return cached[1]


def candidate_steps(session, role) -> list:
    """The assessment's steps for the current answers (skip logic needs the whole answer set
    evaluated)."""
    return _per_answers(
        "steps", session, role, lambda: steps(get_content(), role, candidate_answers(session))
    )


def candidate_result(session, role) -> ScoreResult:
    """The readiness result of the candidate's answers."""
    return _per_answers(
        "result",
        session,
        role,
        lambda: score_one(get_content(), role.id, candidate_answers(session)),
    )


def candidate_pace(session, role) -> tuple[float | None, int]:
    """Seconds from the first answer the candidate gave in this attempt to the last, and how
    many they gave (not those copied from the last attempt), for the answer-quality notes."""

    def pace() -> tuple[float | None, int]:
        first, last, given = get_store().answer_timestamps(session.attempt_id)
        return ((last - first).total_seconds() if first and last else None), given

    return _per_answers("pace", session, role, pace)


def client_key() -> str:
    """Who is asking, for rate limits.

    The browser's address as Streamlit sees it; behind a reverse proxy that address is the
    proxy's, so with READINESS_TRUSTED_PROXY=1 the address the proxy appends last to
    X-Forwarded-For is used instead (earlier entries are the client's to forge).
    """
    if os.environ.get(TRUSTED_PROXY_VARIABLE) == "1":
        forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    try:
        ip = st.context.ip_address
    except AttributeError:
        ip = None
    # Only an address string names a client: anything else (such as the stand-in AppTest
    # provides) would give every request a bucket of its own and disable the limit.
    return ip if isinstance(ip, str) and ip else "unknown"


def sidebar() -> None:
    """Who is here: the candidate's resume code and the signed-in staff member."""
    with st.sidebar:
        if st.session_state.pop(SIGNED_OUT_NOTICE, False):
            st.warning(
                "You were signed out: your password was changed or your account removed. "
                "Sign in again under Staff sign-in."
            )
        session = candidate_session()
        if session is not None:
            st.markdown(
                "**Your resume code** brings you back later. Keep it private: anyone with it "
                "can see your answers."
            )
            st.code(session.resume_code, language=None, wrap_lines=True)
        user = current_user()
        if user is not None:
            # HTML, not Markdown: Markdown turns any e-mail address into a mailto link.
            st.html(f"<p>Signed in as <strong>{escape(user.email)}</strong> ({user.role})</p>")
