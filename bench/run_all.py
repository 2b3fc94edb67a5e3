"""Every performance figure in one run, each measured against the stack's own floor.

    .venv/bin/python bench/run_all.py [--runs 40] [--candidates 10000] [--write docs/performance.md]

(a) an assessment step rerun in AppTest against a bare one-line page;
(b) a results page rerun against a page drawing the same kinds of Altair charts and tables from
    constant data;
(c) the counselor's cohort page with N shared candidates (seeded through the Store) and the
    vectorised against per-candidate scoring ratio (bench/bench_cohort.py);
(d) Chromium: navigating to the rendered results page against navigating to a bare page;
(e) loading and validating 100 questionnaires (bench/bench_core.py's generated root).

Medians of several runs. Prints one table (and writes it with the date and the machine to a
Markdown file with --write). No assertions: a missed target is reported in the table.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

import bench_cohort  # noqa: E402
import bench_core  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

from readiness import charts  # noqa: E402
from readiness.content import load_content  # noqa: E402
from readiness.journey import steps, to_answer_set  # noqa: E402
from readiness.scoring import score_one  # noqa: E402
from readiness.storage import DATABASE_URL_VARIABLE, Store  # noqa: E402

# AppTest outside a server logs "missing ScriptRunContext" for every cached call.
logging.getLogger("streamlit").setLevel(logging.ERROR)
for _name in list(logging.root.manager.loggerDict):
    if _name.startswith("streamlit"):
        logging.getLogger(_name).setLevel(logging.ERROR)

ROLE = "physician-liaison"
SETTLE_MS = 300  # idle time before each timed click in the browser
BATCHES = 4  # beside a ratio, the lowest and highest of this many consecutive slices of its runs
APP = REPO_ROOT / "app.py"
BARE_PAGE = 'import streamlit as st\nst.write("Hello")\n'
# The same kinds of elements as the results page, from constant data and nothing else.
CHARTS_FLOOR_PAGE = """
import altair as alt
import pandas as pd
import streamlit as st

skills = pd.DataFrame({"Skill": [f"Skill {i}" for i in range(8)],
                       "Level": [1.5 + (i % 3) for i in range(8)], "Target": [3.0] * 8})
pay = pd.DataFrame({"Source": ["A", "B", "C"], "Low": [48000, 52000, 55000],
                    "High": [72000, 80000, 91000]})
st.title("Your results")
st.metric("Readiness", "62 / 100")
bars = alt.Chart(skills).mark_bar().encode(x="Level:Q", y=alt.Y("Skill:N", sort=None))
ticks = alt.Chart(skills).mark_tick(color="black").encode(x="Target:Q", y=alt.Y("Skill:N", sort=None))
st.altair_chart(bars + ticks, width="stretch")
for _ in range(TABLES):
    st.dataframe(skills, hide_index=True, width="stretch")
for _ in range(STATIC_TABLES):
    st.table(skills, hide_index=True)
for _ in range(HTML_TABLES):
    st.html(skills.to_html(index=False))
st.altair_chart(alt.Chart(pay).mark_bar().encode(x="Low:Q", x2="High:Q", y="Source:N"),
                width="stretch")
for i in range(MARKDOWN):
    st.markdown(f"Paragraph {i} with **some** text.")
"""


# --- measuring -----------------------------------------------------------------------------


def median_time(function: Callable[[], Any], runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile(function: Callable[[], Any], lines: int = 15) -> str:
    """Where a rerun spends its time: AppTest runs the script in a thread of its own, so the
    profiler is switched on inside each thread started while `function` runs."""
    profiler = cProfile.Profile()

    def start_in_thread(*_: Any) -> None:
        sys.setprofile(None)
        profiler.enable()

    threading.setprofile(start_in_thread)
    try:
        function()
    finally:
        threading.setprofile(None)
    sections = []
    for title, order, pattern in (
        ("our code, by cumulative time", "cumulative", r"/(readiness|ui|pages)/|app\.py"),
        ("everything, by own time", "tottime", ""),
    ):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(pattern, lines)
        kept = [line for line in out.getvalue().splitlines() if line.strip()]
        start = next((i for i, line in enumerate(kept) if "ncalls" in line), 0)
        sections.append(f"-- {title}\n" + "\n".join(kept[start:]))
    site = str(Path(st.__file__).parents[1]) + "/"
    return "\n".join(sections).replace(site, "").replace(str(REPO_ROOT) + "/", "")


def share_compiled_scripts() -> None:
    """Compile each script once, as a server does.

    A server keeps one cache of compiled scripts for all sessions and reruns; AppTest makes a
    new one for every run, so each rerun would also pay for compiling app.py and the page
    file, which no user ever waits for. Both our pages and the floors get the shared cache.
    """
    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared
    local_script_runner.ScriptCache = lambda: shared


def routed_apptest(**session: Any) -> AppTest:
    """app.py under AppTest, routed through its st.navigation as on the server (a pages/
    folder otherwise makes AppTest run a page file on its own)."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in session.items():
        at.session_state[key] = value
    return at


def page_apptest(page: str, **session: Any) -> AppTest:
    """app.py routed to `page`, run once."""
    at = routed_apptest(**session)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def script_apptest(source: str) -> AppTest:
    at = AppTest.from_string(source, default_timeout=60)
    at.run()
    return at


class ScriptRunTimes:
    """Seconds each script run took in its own thread, from the script runner's start of the
    run to its end: the rerun without the test harness around it (starting that thread,
    polling it every millisecond, reading its elements back), which a server replaces with
    its own work (a websocket, serialising each element)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        original = ScriptRunner._run_script
        kept = self.seconds

        def timed(runner, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(runner, *args, **kwargs)
            finally:
                kept.append(time.perf_counter() - start)

        ScriptRunner._run_script = timed

    def last(self) -> float:
        return self.seconds[-1]


class Paired:
    """Median rerun seconds of our page and its floor, as AppTest sees them (`whole`) and of the
    script runs alone (`alone`), with the lowest and highest ratio of consecutive slices."""

    def __init__(
        self, whole: tuple[list[float], list[float]], alone: tuple[list[float], list[float]]
    ):
        self.whole = tuple(map(statistics.median, whole))
        self.alone = tuple(map(statistics.median, alone))
        slices = batch_ratios(*whole, BATCHES)
        self.spread = (min(slices), max(slices))


def paired_reruns(
    ours: AppTest, floor: AppTest, runs: int, script_runs: ScriptRunTimes, warmup: int = 2
) -> Paired:
    """Reruns of each, alternating so that a change in the machine's load falls on both alike."""
    whole: tuple[list[float], list[float]] = ([], [])
    alone: tuple[list[float], list[float]] = ([], [])
    for index in range(warmup + runs):
        for side, at in enumerate((ours, floor)):
            start = time.perf_counter()
            at.run()
            if index >= warmup:
                whole[side].append(time.perf_counter() - start)
                alone[side].append(script_runs.last())
    return Paired(whole, alone)


# --- the measurements ------------------------------------------------------------------------


class Row:
    def __init__(self, name, ours, floor, unit, target, met, note="", spread=None):
        self.name, self.ours, self.floor, self.unit = name, ours, floor, unit
        self.target, self.met, self.note = target, met, note
        self.spread = spread  # (lowest, highest) ratio of the run's batches, if measured so

    def cells(self) -> list[str]:
        def show(value):
            if value is None:
                return "–"
            return f"{value * 1000:.1f} ms" if self.unit == "s" else f"{value:,.0f}"

        ratio = self.ours / self.floor if self.floor else None
        return [
            self.name,
            show(self.ours),
            show(self.floor),
            ("–" if ratio is None else f"{ratio:.2f}×")
            + (f" ({self.spread[0]:.2f}–{self.spread[1]:.2f})" if self.spread else ""),
            self.target,
            {True: "met", False: "MISSED", None: "–"}[self.met],
        ]


def seed_candidates(store: Store, content, count: int, seed: int = 1) -> tuple[Any, Any]:
    """A counselor, a cohort and `count` candidates who shared one finished attempt each,
    written in one transaction straight into the Store's tables (one call per candidate
    would take minutes on SQLite and measure nothing of the page)."""
    import json
    from datetime import UTC, datetime, timedelta

    from readiness.demo import generate_answers
    from readiness.storage import tables

    counselor = store.add_user("bench-counselor@example.org", "bench-password-1", "counselor")
    cohort = store.create_cohort(counselor.id, "Bench cohort")
    rng = random.Random(seed)
    versions = {qid: q.version for qid, q in content.questionnaires.items()}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    candidates, attempts, questionnaires, answers, shares = [], [], [], [], []
    for number in range(1, count + 1):
        when = start + timedelta(minutes=number)
        candidates.append({"id": number, "resume_code_digest": f"bench-{number}", "alias": None, "created_at": when})  # fmt: skip
        attempts.append({"id": number, "candidate_id": number, "role_id": ROLE, "step": 0,
                         "started_at": when, "finished_at": when + timedelta(minutes=15)})  # fmt: skip
        for qid, given in generate_answers(content, ROLE, rng.random(), rng).items():
            questionnaires.append({"attempt_id": number, "questionnaire_id": qid, "version": versions[qid]})  # fmt: skip
            answers += [{"attempt_id": number, "questionnaire_id": qid, "question_id": question,
                         "value": json.dumps(value), "created_at": when, "updated_at": when,
                         "carried_over": False} for question, value in given.items()]  # fmt: skip
        shares.append({"candidate_id": number, "cohort_id": cohort.id, "alias": f"Candidate {number}", "shared_at": when})  # fmt: skip
    with store.engine.begin() as connection:
        for table, values in ((tables.candidates, candidates), (tables.attempts, attempts),
                              (tables.attempt_questionnaires, questionnaires),
                              (tables.answers, answers), (tables.shares, shares)):  # fmt: skip
            connection.execute(table.insert(), values)
    return counselor, cohort


def measure(args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    share_compiled_scripts()
    script_runs = ScriptRunTimes()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    os.environ[DATABASE_URL_VARIABLE] = f"sqlite:///{work / 'app.sqlite3'}"
    os.environ.pop("READINESS_CONTENT_DIR", None)
    content = load_content()
    role = content.roles[ROLE]
    store = Store(os.environ[DATABASE_URL_VARIABLE])

    # (a) assessment step: the largest step (most questions), answered half way.
    print("(a) assessment step rerun...", flush=True)
    session = store.start_candidate(ROLE)
    rng = random.Random(1)
    from readiness.demo import generate_answers

    answers = generate_answers(content, ROLE, 0.5, rng)
    all_steps = steps(content, role, answers)
    biggest = max(range(len(all_steps)), key=lambda i: len(all_steps[i].questions))
    store.save_step(session.attempt_id, biggest)
    session.step = biggest
    at = page_apptest("pages/assessment.py", candidate_session=session)
    step = paired_reruns(at, script_apptest(BARE_PAGE), args.runs, script_runs)
    (step_time, bare), questions = step.whole, len(all_steps[biggest].questions)
    rows.append(Row(f"(a) assessment step rerun ({questions} questions) vs bare page", step_time, bare, "s", "≤ 3×", step_time <= 3 * bare, spread=step.spread))  # fmt: skip
    rows.append(Row("(a) for scale: the same, the script runs alone", *step.alone, "s", "–", None))  # fmt: skip
    if step_time > 3 * bare:
        notes.append("(a) assessment step rerun, cumulative time:\n" + profile(at.run))

    # (b) results page, with a finished attempt.
    print("(b) results page rerun...", flush=True)
    finished = store.start_candidate(ROLE)
    store.save_answers(
        finished.attempt_id,
        {q: {"version": content.questionnaires[q].version, "answers": a} for q, a in answers.items()},
    )  # fmt: skip
    store.finish_attempt(finished.attempt_id)
    st.cache_data.clear()
    at = page_apptest("pages/results.py", candidate_session=finished)
    # Our charts are images inside HTML sections; the floor draws its two with Altair in the
    # browser. Its HTML tables match ours in number; a style-only block draws nothing.
    bodies = [h.proto.body for h in at.get("html") if not h.proto.body.startswith("<style")]
    chart_count = len(at.get("vega_lite_chart")) + sum(
        body.count('<div class="readiness-chart">') for body in bodies
    )
    tables = len(at.dataframe)
    static_tables = len(at.table)
    html_tables = sum(body.count("<table") for body in bodies)
    markdown = len(at.markdown)
    floor_page = (
        CHARTS_FLOOR_PAGE.replace("STATIC_TABLES", str(static_tables))
        .replace("HTML_TABLES", str(html_tables))
        .replace("TABLES", str(tables))
        .replace("MARKDOWN", str(markdown))
    )
    results = paired_reruns(at, script_apptest(floor_page), args.runs, script_runs)
    results_time, charts_floor = results.whole
    kinds = (
        f"{chart_count} charts + {tables + static_tables + html_tables} tables + {markdown} texts"
    )
    rows.append(Row(f"(b) results page rerun vs {kinds} from constants", results_time, charts_floor, "s", "≤ 1.5×", results_time <= 1.5 * charts_floor, spread=results.spread))  # fmt: skip
    rows.append(Row("(b) for scale: the same, the script runs alone", *results.alone, "s", "–", None))  # fmt: skip
    if results_time > 1.5 * charts_floor:
        notes.append("(b) results page rerun, cumulative time:\n" + profile(at.run))

    # (c) cohort page with many candidates, and vectorised vs per-candidate scoring.
    print(f"(c) seeding {args.candidates:,} candidates...", flush=True)
    cohort_url = f"sqlite:///{work / 'cohort.sqlite3'}"
    os.environ[DATABASE_URL_VARIABLE] = cohort_url
    cohort_store = Store(cohort_url)
    start = time.perf_counter()
    counselor, _ = seed_candidates(cohort_store, content, args.candidates)
    print(f"    seeded in {time.perf_counter() - start:.0f} s", flush=True)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = routed_apptest(staff_user=counselor)
    at.run()
    at.switch_page("pages/cohorts.py")
    start = time.perf_counter()
    at.run()
    first_load = time.perf_counter() - start
    assert not at.exception, at.exception
    cohort_rerun = median_time(at.run, max(3, args.runs // 3), warmup=0)
    # The gap charts are drawn when their tab is opened: the first time, their specs are built.
    at.session_state["cohort_tab"] = "Cohort gaps"
    start = time.perf_counter()
    at.run()
    gaps_first = time.perf_counter() - start
    assert not at.exception and at.get("vega_lite_chart"), at.exception
    rows.append(Row(f"(c) cohort page, {args.candidates:,} candidates: first load", first_load, None, "s", "< 1 s", first_load < 1.0))  # fmt: skip
    rows.append(Row(f"(c) cohort page, {args.candidates:,} candidates: rerun (median)", cohort_rerun, None, "s", "< 1 s", cohort_rerun < 1.0))  # fmt: skip
    rows.append(Row("(c) cohort page: first opening of the Cohort gaps tab (its charts)", gaps_first, None, "s", "< 1 s", gaps_first < 1.0))  # fmt: skip
    if max(first_load, cohort_rerun, gaps_first) >= 1.0:
        notes.append("(c) cohort page rerun, cumulative time:\n" + profile(at.run))
    cohort_store.dispose()

    print("(c) vectorised vs per-candidate scoring...", flush=True)
    sample_rows = bench_cohort.make_rows(content, args.candidates, 1)
    bench_cohort.vectorised(content, sample_rows[:50])
    fast = median_time(lambda: bench_cohort.vectorised(content, sample_rows), 3, warmup=0)
    loop_sample = [row for row in sample_rows if row[0] <= args.loop_sample]
    start = time.perf_counter()
    bench_cohort.per_candidate_loop(content, loop_sample)
    loop = (time.perf_counter() - start) * args.candidates / args.loop_sample
    rows.append(Row(f"(c) cohort scoring, {args.candidates:,} candidates: per-candidate loop vs vectorised", loop, fast, "s", "vectorised < 1 s", fast < 1.0, ""))  # fmt: skip

    # (d) Chromium navigation.
    print("(d) Chromium navigation...", flush=True)
    os.environ[DATABASE_URL_VARIABLE] = f"sqlite:///{work / 'browser.sqlite3'}"
    try:
        times = browser_navigation(work, content, answers, args.browser_runs, floor_page)
        results_nav, bare_nav, floor_nav = (statistics.median(times[name]) for name in ("results", "bare", "floor"))  # fmt: skip
        spread = batch_ratios(times["results"], times["bare"], BATCHES)
        rows.append(Row("(d) Chromium: click to rendered results vs to a bare page", results_nav, bare_nav, "s", "≤ 2×", results_nav <= 2 * bare_nav, spread=(min(spread), max(spread))))  # fmt: skip
        # Not a target: how far the stack itself is from the bare page, and ours from it.
        rows.append(Row(f"(d) for scale: the (b) floor page ({kinds}) vs a bare page", floor_nav, bare_nav, "s", "–", None))  # fmt: skip
        rows.append(Row("(d) for scale: results vs the (b) floor page", results_nav, floor_nav, "s", "–", None))  # fmt: skip
        # The images are cached per result: a new result's first view also renders its chart.
        chart = charts.competency_chart(score_one(content, ROLE, answers))
        render = median_time(lambda: charts.chart_svg(chart), 10, warmup=2)
        rows.append(Row("(d) for scale: first view of a new result, rendering its chart on the server", render, None, "s", "–", None))  # fmt: skip
    except Exception as error:  # noqa: BLE001 — report, do not stop the other figures
        notes.append(f"(d) Chromium navigation could not be measured: {error}")

    # (e) validate 100 questionnaires.
    print("(e) load and validate 100 questionnaires...", flush=True)
    root = work / "content100"
    bench_core.write_content(root)
    loaded = load_content(root)
    issues = len(loaded.issues)
    validate = median_time(lambda: load_content(root), max(3, args.runs // 3), warmup=1)
    rows.append(Row(f"(e) load + validate {bench_core.QUESTIONNAIRES} questionnaires × {bench_core.SECTIONS * bench_core.QUESTIONS_PER_SECTION} questions ({issues} issues)", validate, None, "s", f"< {bench_core.LOAD_TARGET_S:g} s", validate < bench_core.LOAD_TARGET_S))  # fmt: skip
    store.dispose()
    return rows, notes


def batch_ratios(ours: list[float], floor: list[float], batches: int) -> list[float]:
    """The ratio of medians in each of `batches` consecutive slices of paired runs: how much
    the one figure of a run could have moved with the machine's load."""
    size = max(1, len(ours) // batches)
    return [
        statistics.median(ours[start : start + size])
        / statistics.median(floor[start : start + size])
        for start in range(0, size * batches, size)
        if ours[start : start + size]
    ]


def browser_navigation(
    work: Path, content, answers, runs: int, floor_page: str
) -> dict[str, list[float]]:
    """Seconds from clicking a menu link to the whole page being drawn and idle, one per round
    (the warm-up round left out): our results page ("results"), the bare page ("bare"), and
    `floor_page` ("floor", the same kinds of elements from constants).

    One tab per app; the clicks rotate between them, so a change in the machine's load falls
    on all alike.
    """
    from playwright.sync_api import sync_playwright

    from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, launch_app_server

    def two_page_app(name: str, second_page: str) -> Path:
        folder = work / name
        (folder / "views").mkdir(parents=True)
        (folder / "views" / "one.py").write_text('import streamlit as st\nst.write("Page one")\n')
        (folder / "views" / "two.py").write_text(second_page + '\nst.write("Page two")\n')
        (folder / "app.py").write_text(
            "import streamlit as st\n"
            'st.navigation([st.Page("views/one.py", title="One", default=True),'
            ' st.Page("views/two.py", title="Two")]).run()\n'
        )
        return folder / "app.py"

    answer_file = work / "answers.json"
    import json

    answer_file.write_text(json.dumps(to_answer_set(content, ROLE, answers)))
    # Drawn: the address is the page's, its last text is there, every chart has its canvas
    # or its decoded image, and Streamlit shows no running script and no stale element.
    drawn = """([path, text]) => location.pathname.endsWith(path)
        && document.body.textContent.includes(text)
        && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
            .every(chart => chart.querySelector('canvas, svg'))
        && [...document.querySelectorAll('.readiness-chart img')]
            .every(image => image.complete && image.naturalWidth > 0)
        && !document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]')"""

    def click_and_wait(page, link: str, path: str, text: str) -> float:
        start = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"]').get_by_text(link, exact=True).click()
        page.wait_for_function(drawn, arg=[path, text], timeout=30_000)
        return time.perf_counter() - start

    servers = {
        "results": launch_app_server(work / "app-server"),
        "bare": launch_app_server(work / "bare-server", two_page_app("bare", "import streamlit as st")),
        "floor": launch_app_server(work / "floor-server", two_page_app("floor", floor_page)),
    }  # fmt: skip
    # There and back: (link, path, last text) of the measured page, then of the first page.
    visits = {
        "results": (("Results", "/results", "Keep or share your results"), ("Start", "/", "How ready are you")),
        "bare": (("Two", "/two", "Page two"), ("One", "/", "Page one")),
        "floor": (("Two", "/two", "Page two"), ("One", "/", "Page one")),
    }  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in servers}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tabs = {}
            for name, server in servers.items():
                tab = tabs[name] = browser.new_page(viewport={"width": 1280, "height": 800})
                # Leave Streamlit's first-session multipage mode before measuring.
                tab.bring_to_front()
                tab.goto(server.url)
                tab.wait_for_timeout(2500)
                tab.goto(server.url)
            for name in ("bare", "floor"):
                tabs[name].get_by_text("Page one").wait_for()
            ours = tabs["results"]
            ours.bring_to_front()
            ours.get_by_role("tab", name="Restore from a file").click()
            ours.locator('input[type="file"]').set_input_files(str(answer_file))
            ours.get_by_text("Restore these answers").click()
            ours.get_by_text("Step ").first.wait_for()
            # The first round warms the browser's caches: it is left out.
            for _ in range(runs + 1):
                for name, tab in tabs.items():
                    there, back = visits[name]
                    tab.bring_to_front()
                    # Let work left by the previous click (in any tab) finish first.
                    tab.wait_for_timeout(SETTLE_MS)
                    times[name].append(click_and_wait(tab, *there))
                    click_and_wait(tab, *back)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()

    return {name: runs[1:] for name, runs in times.items()}


# --- the report ------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"Streamlit {st.__version__}, {platform.system()} {platform.release()}"
    )


def table(rows: list[Row]) -> str:
    header = ["Measure", "Ours", "Floor", "Ratio", "Target", "Verdict"]
    body = [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="AppTest reruns per median")
    parser.add_argument("--browser-runs", type=int, default=40, help="navigations per median")
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--loop-sample", type=int, default=1_000, metavar="N",
                        help="time the per-candidate loop on N candidates and scale up")  # fmt: skip
    parser.add_argument("--write", type=Path, metavar="FILE.md", help="also write the table here")
    args = parser.parse_args()
    args.loop_sample = min(args.loop_sample, args.candidates)

    rows, notes = measure(args)
    rendered = table(rows)
    header = f"Measured {date.today():%Y-%m-%d} on {machine()}; load average {os.getloadavg()[0]:.1f}."  # fmt: skip
    print()
    print(header)
    print(rendered)
    for note in notes:
        print()
        print(note)
    if args.write:
        args.write.write_text(report(header, rendered, notes, args), encoding="utf-8")
        print(f"\nwritten to {args.write}")
    return 0


def report(header: str, rendered: str, notes: list[str], args: argparse.Namespace) -> str:
    parts = [
        "# Performance",
        "",
        "Each figure is set against the floor of the stack it runs on (a bare Streamlit page, a",
        "page drawing the same kinds of charts from constants), so the ratios say how much our",
        "own code adds. Medians; regenerate with",
        "",
        "    .venv/bin/python bench/run_all.py --write docs/performance.md",
        "",
        header,
        "",
        rendered,
        "",
        textwrap.dedent(f"""\
        - (a), (b): `AppTest` reruns of app.py routed to the page, {args.runs} each,
          alternating with the floor's; the bare page is `st.write("Hello")`. Beside each
          ratio, in brackets, the lowest and highest ratio of {BATCHES} consecutive slices of
          those runs. Scripts are compiled once and kept, as a server does (AppTest alone
          recompiles them every run). The targets are set on those figures. Their "script runs alone" rows time only the
          script's own thread in the same runs, without the harness around it (starting that
          thread, polling it every millisecond, reading its elements back), whose place a
          server takes with fixed work of its own (a websocket, serialising the elements):
          that ratio says how much processor time our code adds per rerun.
        - (c): a SQLite database with {args.candidates:,} candidates who shared a finished
          attempt, seeded through `Store`; the page's first load includes scoring every
          candidate. It opens on the Review tab; the Cohort gaps tab draws its charts when
          opened (its own row). The scoring ratio uses `bench/bench_cohort.py` (per-candidate loop timed on
          {args.loop_sample:,} candidates and scaled).
        - (d): Debian's Chromium, from clicking the menu link (from Start) to the whole
          results page being drawn (its last section there, every chart image decoded, the
          app idle), against the same click in a two-page bare app, and in a two-page app
          whose second page is the (b) floor (Altair charts drawn in the browser); the clicks
          rotate between the three ({args.browser_runs} runs each, after a warm-up round).
          Beside its ratio, in brackets, the lowest and highest ratio of {BATCHES}
          consecutive slices of those runs: the figure moves that much with the machine's load.
          The results page draws its report (score, skills, must-haves, plan, pay and
          outlook) as three HTML blocks rather than some twenty Streamlit elements, each of
          which costs the browser a render (about 2.4× the bare page before, for the same
          content). Its charts are SVG images rendered on the server and cached per result;
          the first view of a new result also waits for its chart's rendering (the "first
          view" row). Each timed click waits {SETTLE_MS} ms for work left by the one before (in
          any tab) to finish: without that pause the ratio moved by about 0.2 from run to
          run on 2 CPUs, with it by about 0.1.
        - (e): `load_content` of `bench/bench_core.py`'s generated root; it pauses Python's
          cycle collector while it reads (collections then took about 40% of the time and
          freed nothing)."""),
    ]
    if notes:
        parts += ["", "## Where the time goes", ""]
        for note in notes:
            title, _, body = note.partition("\n")
            parts += [title, ""] + (["```", body, "```", ""] if body else [])
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
