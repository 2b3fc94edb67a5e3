"""Two app processes on one database: candidates answering on each at the same time lose
nothing, and when one process is killed its candidate carries on from the other.

The test starts two Streamlit servers with the same READINESS_DATABASE_URL (a fresh SQLite
file, then a fresh PostgreSQL database) and drives one Chromium page on each. An answer
counts as given once the app has acknowledged it: the rerun its widget started has finished
(Streamlit's `script_finished` message on the page's websocket, the moment the callback that
saved it has returned) and the running indicator has gone.
"""

from __future__ import annotations

import copy
import random
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from readiness.content import Content, load_content
from readiness.journey import Step, steps
from readiness.schema import Question
from readiness.storage import Store
from readiness.storage import tables as t
from tests.fixtures.browser import DATABASE_URL_VARIABLE, AppServer

pytestmark = pytest.mark.browser

ROLE = "physician-liaison"
# Candidate b's server is killed right after b's first answer on this step (0-based, the
# first page of ratings): the step's position is saved by then, and most of its answers are
# not given yet.
KILL_AT_STEP = 4
# Seeds under which both candidates name a degree and a CRM, so the follow-up questions
# those answers reveal (a radio group and a multiselect) are answered too.
SEEDS = {"a": 6, "b": 11}
TIMEOUT_MS = 30_000
STATUS = '[data-testid="stStatusWidget"]'
MAIN = '[data-testid="stMain"]'
RESUME_CODE = re.compile(r"\b[a-z]+(?:-[a-z]+){5}\b")
STEP = re.compile(r"Step (\d+) of (\d+)")
RADIO_KINDS = {"single_choice", "yes_no", "rating"}


# --- one candidate in one browser page -------------------------------------------------------


@dataclass
class Action:
    """The next thing a candidate does: answer `question` with `value`, or press Next."""

    step: Step
    question: Question | None = None
    value: Any = None


@dataclass
class Candidate:
    name: str
    server: AppServer
    page: Page
    rng: random.Random
    code: str = ""
    step: int = 0  # 0-based index of the step the page shows
    given: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs_finished: int = 0  # script runs the page's server reported as finished

    def watch(self, page: Page) -> None:
        """Count the script runs `page` hears finish (call before the page connects)."""
        self.page = page
        self.runs_finished = 0

        def on_websocket(socket: WebSocket) -> None:
            def on_frame(payload: bytes | str) -> None:
                if page is not self.page or not isinstance(payload, bytes):
                    return
                message = ForwardMsg.FromString(payload)
                if message.WhichOneof("type") == "script_finished" and (
                    message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                ):
                    self.runs_finished += 1

            socket.on("framereceived", on_frame)

        page.on("websocket", on_websocket)

    def answers_given(self) -> int:
        return _count(self.given)


def wait_for(page: Page, condition, what: str, timeout_ms: float = TIMEOUT_MS) -> None:
    """Poll `condition()` while Playwright dispatches events (frames of every page included)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(25)


def idle(page: Page) -> None:
    page.locator(STATUS).wait_for(state="hidden", timeout=TIMEOUT_MS)


def in_main(page: Page, text: str | re.Pattern[str]) -> None:
    page.locator(MAIN).get_by_text(text).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    idle(page)


def button(page: Page, name: str):
    return page.locator('[data-testid="stButton"], [data-testid="stFormSubmitButton"]').get_by_role(
        "button", name=name, exact=True
    )


def shown_step(page: Page) -> int:
    """The 0-based index of the step the page shows."""
    found = STEP.search(page.locator(MAIN).inner_text())
    assert found, page.locator(MAIN).inner_text()
    return int(found[1]) - 1


def label_of(question: Question) -> str:
    return question.prompt + ("" if question.is_required else " (optional)")


def radio_group(page: Page, question: Question):
    return page.get_by_role("radiogroup", name=label_of(question), exact=True)


def option_label(step: Step, question: Question, value: Any) -> str:
    if question.type == "yes_no":
        return "Yes" if value else "No"
    if question.type == "rating":
        scale = step.questionnaire.scales[question.scale]
        return next(entry.label for entry in scale if entry.value == value)
    return next(option.label for option in question.options if option.value == value)


def choose_value(candidate: Candidate, step: Step, question: Question) -> Any:
    rng = candidate.rng
    if question.type == "yes_no":
        return rng.choice([True, False])
    if question.type == "rating":
        return rng.choice([entry.value for entry in step.questionnaire.scales[question.scale]])
    if question.type == "single_choice":
        return rng.choice([option.value for option in question.options])
    if question.type == "multiple_choice":
        return [rng.choice(question.options).value]  # one pick: one rerun, one save
    if question.type == "number":
        return rng.randint(0, 12)
    return f"Candidate {candidate.name}: lead physician relations for a hospital group."


def next_action(content: Content, candidate: Candidate, last_step: int) -> Action | None:
    """Answer the step's next unanswered question, else go on, else None (at `last_step`)."""
    current = steps(content, content.roles[ROLE], candidate.given)
    step = current[candidate.step]
    given = candidate.given.get(step.questionnaire.id, {})
    for question in step.questions:
        if question.id not in given:
            return Action(step, question, choose_value(candidate, step, question))
    if candidate.step >= last_step or candidate.step + 1 >= len(current):
        return None
    return Action(step)


def perform(candidate: Candidate, action: Action) -> int:
    """Start the action in the page; return the finished-run count to wait beyond."""
    page, question, before = candidate.page, action.question, candidate.runs_finished
    if question is None:
        button(page, "Next").click()
    elif question.type in RADIO_KINDS:
        text = option_label(action.step, question, action.value)
        radio_group(page, question).locator('[data-testid="stRadioOption"]').filter(
            has=page.get_by_text(text, exact=True)
        ).first.click()
    elif question.type == "multiple_choice":
        (value,) = action.value
        text = next(option.label for option in question.options if option.value == value)
        select = page.locator('[data-testid="stMultiSelect"]').filter(has_text=question.prompt)
        select.locator("input").click()
        select.locator("input").press("ArrowDown")  # a click focuses; this opens the list
        page.get_by_role("option", name=text, exact=True).click()
        page.keyboard.press("Escape")
    elif question.type == "number":
        box = page.locator('[data-testid="stNumberInput"]').filter(has_text=question.prompt)
        box.locator("input").fill(str(action.value))
        box.locator("input").press("Enter")
    else:
        area = page.locator('[data-testid="stTextArea"]').filter(has_text=question.prompt)
        area.locator("textarea").fill(action.value)
        area.locator("textarea").press("Tab")
    return before


def confirm(candidate: Candidate, action: Action, before: int) -> None:
    """Wait until the app has acknowledged the action, then record it."""
    page = candidate.page
    wait_for(
        page,
        lambda: candidate.runs_finished > before,
        f"candidate {candidate.name}'s rerun to finish on {candidate.server.url}",
    )
    idle(page)
    if action.question is None:
        candidate.step += 1
        in_main(page, f"Step {candidate.step + 1} of")
        assert shown_step(page) == candidate.step
    else:
        questionnaire = action.step.questionnaire.id
        candidate.given.setdefault(questionnaire, {})[action.question.id] = action.value


def start(candidate: Candidate) -> None:
    page = candidate.page
    in_main(page, "How ready are you")
    button(page, "Start the assessment").click()
    in_main(page, "Step 1 of")
    found = RESUME_CODE.search(page.get_by_text("Your resume code is").inner_text())
    assert found, "no resume code on the first step"
    candidate.code = found[0]


def resume(candidate: Candidate, context: BrowserContext, server: AppServer) -> None:
    """Open `server` in a fresh browser session and resume with the candidate's code."""
    page = context.new_page()
    candidate.watch(page)
    candidate.server = server
    page.goto(server.url)
    in_main(page, "How ready are you")
    page.get_by_role("tab", name="Resume with a code").click()
    page.get_by_label("Resume code").fill(candidate.code)
    button(page, "Resume").click()
    in_main(page, STEP)


def shows_answers(content: Content, candidate: Candidate) -> None:
    """The step on screen shows every answer the candidate gave to its questions."""
    page = candidate.page
    step = steps(content, content.roles[ROLE], candidate.given)[candidate.step]
    given = candidate.given.get(step.questionnaire.id, {})
    for question in step.questions:
        if question.id not in given:
            continue
        value = given[question.id]
        if question.type in RADIO_KINDS:
            checked = radio_group(page, question).locator(
                '[data-testid="stRadioOption"]:has(input:checked)'
            )
            shown = checked.first.inner_text().split("\n")[0].strip()
            assert shown == option_label(step, question, value), question.id
        elif question.type == "multiple_choice":
            select = page.locator('[data-testid="stMultiSelect"]').filter(has_text=question.prompt)
            shown = select.inner_text()
            for option in question.options:
                assert (option.label in shown) == (option.value in value), question.id
        elif question.type == "number":
            box = page.locator('[data-testid="stNumberInput"]').filter(has_text=question.prompt)
            assert box.locator("input").input_value() == str(value), question.id
        else:
            area = page.locator('[data-testid="stTextArea"]').filter(has_text=question.prompt)
            assert area.locator("textarea").input_value() == value, question.id


def play(content: Content, candidates: list[Candidate], last_step: int, rounds: int) -> None:
    """Each round, every candidate starts one action, then all are confirmed: the servers
    handle their writes at the same time."""
    for _ in range(rounds):
        started = []
        for candidate in candidates:
            action = next_action(content, candidate, last_step)
            if action is not None:
                started.append((candidate, action, perform(candidate, action)))
        for candidate, action, before in started:
            confirm(candidate, action, before)
        if not started:
            return


def play_until(content: Content, candidates: list[Candidate], done, last_step: int) -> None:
    for _ in range(200):
        if done():
            return
        play(content, candidates, last_step, rounds=1)
    raise AssertionError("the candidates never got there")


def kill(server: AppServer) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=30)


# --- the test --------------------------------------------------------------------------------


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Four browser sessions: a page on each server, then a fresh one per resume."""
    opened = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(4)]
    for context in opened:
        context.set_default_timeout(TIMEOUT_MS)
    yield opened
    for context in opened:
        context.close()


def test_two_servers_one_database_lose_nothing_when_one_is_killed(
    database_url: str, start_app_server, contexts: list[BrowserContext]
) -> None:
    content = load_content()
    env = {DATABASE_URL_VARIABLE: database_url}
    servers = [start_app_server(env=env), start_app_server(env=env)]
    survivor, doomed = servers
    a = Candidate("a", survivor, contexts[0].new_page(), random.Random(SEEDS["a"]))
    b = Candidate("b", doomed, contexts[1].new_page(), random.Random(SEEDS["b"]))
    candidates = [a, b]
    for candidate in candidates:
        candidate.watch(candidate.page)
    # Both servers open the database (and bring its schema up to date) at the same time.
    for candidate in candidates:
        candidate.page.goto(candidate.server.url, wait_until="commit")
    for candidate in candidates:
        start(candidate)
    assert a.code != b.code

    # Answer side by side until b has given one answer on the step where its server dies.
    play_until(
        content,
        candidates,
        lambda: b.step == KILL_AT_STEP and _given_on_step(content, b),
        last_step=KILL_AT_STEP,
    )
    killed_at = b.step
    given_before_kill = copy.deepcopy(b.given)
    # a's next answer is on its way to the surviving server while the other one dies.
    action = next_action(content, a, KILL_AT_STEP)
    before = perform(a, action) if action else None
    kill(doomed)
    if action:
        confirm(a, action, before)
    play(content, [a], last_step=KILL_AT_STEP, rounds=50)
    assert a.step == KILL_AT_STEP and next_action(content, a, KILL_AT_STEP) is None

    # Through the surviving server, each code brings back the candidate where they were.
    a_step = a.step
    resume(a, contexts[2], survivor)
    assert shown_step(a.page) == a_step
    shows_answers(content, a)
    resume(b, contexts[3], survivor)
    assert shown_step(b.page) == killed_at, "b did not resume at the step where they were"
    shows_answers(content, b)
    store = Store(database_url)
    try:
        # Every answer acknowledged before the kill is in the database, and nothing else.
        saved_as_given(store, content, a)
        saved_as_given(store, content, b)
        # ... and b carries on where they were, on the other server.
        play(content, [b], last_step=KILL_AT_STEP, rounds=50)
        assert b.answers_given() > _count(given_before_kill)
        saved_as_given(store, content, b)
        counts = store.counts()
        assert counts["candidates"] == counts["attempts"] == 2
        assert counts["answers"] == a.answers_given() + b.answers_given()
    finally:
        store.dispose()
    assert survivor.process.poll() is None, survivor.log()
    assert "Traceback" not in survivor.log(), survivor.log()


def saved_as_given(store: Store, content: Content, candidate: Candidate) -> None:
    """The database holds exactly the answers the candidate gave, and where they are."""
    session = store.resume(candidate.code)
    assert session is not None, candidate.name
    assert session.step == candidate.step, candidate.name
    saved = store.load_answer_set(session.attempt_id)["questionnaires"]
    assert {q: entry["answers"] for q, entry in saved.items()} == candidate.given, candidate.name
    for questionnaire_id, entry in saved.items():
        assert entry["version"] == content.questionnaires[questionnaire_id].version
    assert _answer_rows(store, session.attempt_id) == candidate.answers_given(), candidate.name


def _given_on_step(content: Content, candidate: Candidate) -> bool:
    step = steps(content, content.roles[ROLE], candidate.given)[candidate.step]
    return bool(
        candidate.given.get(step.questionnaire.id, {}).keys() & {q.id for q in step.questions}
    )


def _answer_rows(store: Store, attempt_id: int) -> int:
    with store.engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count())
            .select_from(t.answers)
            .where(t.answers.c.attempt_id == attempt_id)
        ).scalar_one()


def _count(given: dict[str, dict[str, Any]]) -> int:
    return sum(len(answers) for answers in given.values())
