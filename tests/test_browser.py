"""The app in Chromium: a candidate's whole journey, a counselor's review, an instructor's upload,
staff pages refused to visitors, and accessibility and phone-width checks on every page.

Each test starts its own server (and so its own SQLite database) with `start_app_server`.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Download, Page, expect

from tests.fixtures.browser import (
    REPO_ROOT,
    AppServer,
    axe_violations,
    format_violations,
    save_screenshot,
)

pytestmark = pytest.mark.browser

ROLE = "Physician liaison"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Streamlit scrolls inside its own container, so a full capture needs a tall window.
TALL = 2400
PREFERRED_OPTIONS = ("Bachelor's degree", "Marketing", "Yes", "On my own")
RESUME_CODE = re.compile(r"\b[a-z]+(?:-[a-z]+){5}\b")
STATUS = '[data-testid="stStatusWidget"]'
SETTLED = """() => document.querySelectorAll(
    '[data-testid="stStatusWidget"], [data-stale="true"]').length"""
UNANSWERED_RADIOGROUPS = """() => [...document.querySelectorAll('[role="radiogroup"]')]
    .filter(group => !group.querySelector('input:checked'))
    .map(group => group.getAttribute('aria-label'))"""


# --- helpers -------------------------------------------------------------------------------


def settle(page: Page, timeout_ms: float = 15_000) -> None:
    """Wait for the rerun a widget change started to finish: no running indicator and no stale
    (greyed) element, twice in a row a moment apart."""
    quiet = 0
    for _ in range(int(timeout_ms / 100)):
        page.wait_for_timeout(100)
        busy = page.evaluate(SETTLED)
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return
    raise AssertionError("the app kept running")


def main_text(page: Page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def in_main(page: Page, text: str, timeout_ms: float = 20_000) -> None:
    """Wait until `text` shows in the page itself (not the menu) and the app is idle."""
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text(text).first.wait_for(state="visible", timeout=timeout_ms)
    settle(page)


def go(page: Page, server: AppServer, path: str, text: str) -> None:
    page.goto(f"{server.url}/{path}")
    in_main(page, text)


def nav(page: Page, label: str, text: str) -> None:
    """Follow a sidebar link (keeps the browser session, unlike typing a URL)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(label, exact=True).click()
    in_main(page, text)


def shoot(page: Page, name: str) -> None:
    """Desktop and phone captures of the current page, each as tall as its content."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({"width": size["width"], "height": TALL})
        settle(page)
        save_screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)
    settle(page)


def fits_phone(page: Page) -> None:
    """At 390 px wide nothing may stick out sideways."""
    page.set_viewport_size(PHONE)
    settle(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('[data-testid=\"stMain\"]')?.scrollWidth ?? 0]"
    )
    page.set_viewport_size(DESKTOP)
    settle(page)
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px window"
    assert widths[2] <= widths[1], f"main area is {widths[2]} px wide in a {widths[1]} px window"


def headings_heard(page: Page) -> list[str]:
    """The headings in Chromium's accessibility tree: what a screen reader can move between,
    wherever the page is scrolled."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [
        node.get("name", {}).get("value", "")
        for node in nodes
        if node.get("role", {}).get("value") == "heading" and not node.get("ignored")
    ]


def charts_shown(page: Page, size: dict[str, int]) -> list[str]:
    """The class of every chart image the reader sees in a window of this size, drawn."""
    page.set_viewport_size(size)
    settle(page)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.readiness-chart img')]
            .filter(image => image.offsetParent !== null)
            .map(image => image.complete && image.naturalWidth > 0
                 && image.getBoundingClientRect().right <= window.innerWidth
                 ? image.className : 'not drawn or cut: ' + image.className)"""
    )
    page.set_viewport_size(DESKTOP)
    settle(page)
    return shown


# The WCAG contrast of each element's text against the app's background, its colour's alpha
# and the element's opacity blended in. axe leaves text it cannot place on a background
# ("incomplete"), which is where Streamlit draws most of its text.
TEXT_CONTRASTS = """selector => {
    const rgba = text => text.match(/[\\d.]+/g).map(Number).concat([1]).slice(0, 4);
    const luminance = ([r, g, b]) => [r, g, b]
        .map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const app = document.querySelector('[data-testid="stApp"]');
    const background = rgba(getComputedStyle(app).backgroundColor);
    return [...document.querySelectorAll(selector)].map(element => {
        const style = getComputedStyle(element);
        const [r, g, b, a] = rgba(style.color);
        const alpha = a * Number(style.opacity);
        const text = [r, g, b].map((c, i) => c * alpha + background[i] * (1 - alpha));
        const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    });
}"""


def answer_step(page: Page) -> None:
    """Answer every visible question of the step, including ones that appear on the way."""
    chosen: set[str] = set()
    settle(page)
    for _ in range(40):
        groups = page.evaluate(UNANSWERED_RADIOGROUPS)
        if groups:
            group = page.get_by_role("radiogroup", name=groups[0], exact=True)
            options = group.locator('[data-testid="stRadioOption"]')
            texts = [t.strip() for t in options.all_inner_texts()]
            choice = next(
                (o for o in PREFERRED_OPTIONS if any(t.split("\n")[0] == o for t in texts)),
                texts[0].split("\n")[0],
            )
            group.locator('[data-testid="stRadioOption"]').filter(
                has=page.get_by_text(choice, exact=True)
            ).first.click()
            settle(page)
            continue
        filled = False
        for box in page.locator('[data-testid="stNumberInput"] input').all():
            if box.input_value() == "":
                box.fill("3")
                box.press("Enter")
                settle(page)
                filled = True
                break
        if filled:
            continue
        for select in page.locator('[data-testid="stMultiSelect"]').all():
            label = select.locator('[data-testid="stWidgetLabel"]').inner_text()
            if label not in chosen:
                chosen.add(label)
                select.locator("input").click()
                page.get_by_role("option").first.click()
                page.keyboard.press("Escape")
                settle(page)
                filled = True
                break
        if filled:
            continue
        for area in page.locator('[data-testid="stTextArea"] textarea').all():
            if area.input_value() == "":
                area.fill("Working as a physician liaison for a regional hospital.")
                area.press("Tab")
                settle(page)
                filled = True
                break
        if not filled:
            return
    raise AssertionError("the step kept asking for answers")


def step_number(page: Page) -> tuple[int, int]:
    found = re.search(r"Step (\d+) of (\d+)", main_text(page))
    assert found, main_text(page)
    return int(found[1]), int(found[2])


def next_step(page: Page) -> None:
    current, total = step_number(page)
    if current < total:
        button(page, "Next").click()
        in_main(page, f"Step {current + 1} of {total}")
    else:
        button(page, "See my results").click()
        in_main(page, "Your results")
        page.get_by_text("Readiness").first.wait_for()


def start_assessment(page: Page, server: AppServer) -> str:
    """Open the app, choose the role, start; return the resume code the page shows."""
    page.set_viewport_size(DESKTOP)
    go(page, server, "", "How ready are you")
    expect(page.get_by_text(ROLE).first).to_be_visible()
    button(page, "Start the assessment").click()
    in_main(page, "Step 1 of")
    found = RESUME_CODE.search(page.get_by_text("Your resume code is").inner_text())
    assert found, "no resume code on the first step"
    return found[0]


def button(page: Page, name: str):
    """One of the app's own buttons (not the "Open" toggles inside select boxes)."""
    return page.locator(
        '[data-testid="stButton"], [data-testid="stFormSubmitButton"],'
        ' [data-testid="stDownloadButton"]'
    ).get_by_role("button", name=name, exact=True)


def download(page: Page, name: str) -> Download:
    with page.expect_download() as info:
        button(page, name).click()
    return info.value


def sign_in(page: Page, server: AppServer, email: str, password: str) -> None:
    go(page, server, "sign_in", "Staff sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    button(page, "Sign in").click()
    in_main(page, f"Signed in as {email}")
    # The menu names the account as text, not as a mailto link.
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(f"Signed in as {email}")
    expect(page.locator('[data-testid="stSidebar"] a[href^="mailto:"]')).to_have_count(0)


def run_demo(server: AppServer, candidates: int = 20) -> dict[str, str]:
    """Fill the server's database with the demo cohort; return the printed codes and logins."""
    env = {**__import__("os").environ, "READINESS_DATABASE_URL": server.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "demo", "--candidates", str(candidates), "--seed", "1"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = done.stdout
    found = {
        "cohort_code": re.search(r"share code (\S+?),", out)[1],
        "counselor": re.search(r"counselor\s+(\S+)\s+password: (\S+)", out).groups(),
        "instructor": re.search(r"instructor\s+(\S+)\s+password: (\S+)", out).groups(),
    }
    return found


# --- candidate -----------------------------------------------------------------------------


def test_candidate_end_to_end(page: Page, start_app_server, tmp_path: Path) -> None:
    server = start_app_server()
    code = start_assessment(page, server)
    nav(page, "Start", "How ready are you")
    shoot(page, "start")
    button(page, "Continue where I left off").click()
    in_main(page, "Step 1 of")
    shoot(page, "assessment")
    # A question without help (its prompt is the widget's label) reads as one with help.
    label = page.locator('[class*="st-key-q-"] [data-testid="stWidgetLabel"] p').first
    assert label.evaluate("e => getComputedStyle(e).fontWeight") == "600"
    assert label.evaluate("e => getComputedStyle(e).fontSize") == "16px"

    reloaded = False
    while True:
        current, total = step_number(page)
        answer_step(page)
        if current == 3 and not reloaded:
            # A reload loses the browser session; the resume code brings the answers back.
            page.reload()
            in_main(page, "Start or resume an assessment first")
            go(page, server, "", "How ready are you")
            page.get_by_role("tab", name="Resume with a code").click()
            page.get_by_label("Resume code").fill(code.upper().replace("-", " "))
            button(page, "Resume").click()
            in_main(page, f"Step {current} of {total}")
            assert not page.evaluate(UNANSWERED_RADIOGROUPS), "answers were not kept"
            reloaded = True
        next_step(page)
        if current == total:
            break
    assert reloaded

    text = main_text(page)
    assert ROLE in text
    score = page.locator(".readiness-score").first
    expect(score).to_contain_text("Readiness")
    assert re.search(r"\d+ / 100", score.inner_text())
    # Each part of the report is a heading a screen reader can move to.
    for heading in ("Your skills against the job", "Must-haves", "Your action plan"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # The competency chart: an image of it, drawn, named by the chart's description.
    chart = page.get_by_role("img", name=re.compile("^Horizontal bar chart of your level"))
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
    # The competency table: a static table beside the chart.
    expect(page.get_by_role("table").first).to_contain_text("Your level")
    shoot(page, "results")

    pdf = download(page, "Download report (PDF)")
    path = tmp_path / "report.pdf"
    pdf.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    extracted = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert ROLE in extracted


# --- counselor -----------------------------------------------------------------------------


def test_counselor_reviews_a_shared_candidate(page: Page, start_app_server, tmp_path) -> None:
    server = start_app_server()
    demo = run_demo(server)
    alias = '=HYPERLINK("http://x")'

    start_assessment(page, server)
    answer_step(page)
    nav(page, "Results", "Your results")
    page.get_by_text("Share with a counselor").click()
    page.get_by_label("Cohort code").fill(demo["cohort_code"])
    page.get_by_label("Name or alias your counselor will see").fill(alias)
    page.get_by_text("I agree to share").click()
    button(page, "Share").click()
    in_main(page, "Shared with")

    page.context.clear_cookies()
    page.goto("about:blank")
    email, password = demo["counselor"]
    sign_in(page, server, email, password)
    nav(page, "Cohorts", "Share code for candidates")
    shoot(page, "cohorts")
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    assert "21 of 21 candidates" in main_text(page)

    page.get_by_role("tab", name="Cohort gaps").click()
    charts = page.locator('[data-testid="stVegaLiteChart"]:visible')
    expect(charts.first).to_be_visible()
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        expect(chart.locator("canvas, svg").first).to_be_visible()
        assert "Error" not in chart.inner_text()
    page.get_by_role("tab", name="Review").click()

    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Open a candidate")
    picker.locator("input").click()
    page.keyboard.type("HYPERLINK")
    page.get_by_role("option").filter(has_text="HYPERLINK").first.click()
    settle(page)
    button(page, "Open").click()
    in_main(page, "shared on")
    assert alias in main_text(page)
    shoot(page, "candidate")
    page.get_by_role("tab", name="Notes").click()
    page.get_by_label("New note").fill("Discussed the degree requirement.")
    button(page, "Add note").click()
    in_main(page, "Discussed the degree requirement.")

    nav(page, "Cohorts", "Share code for candidates")
    page.get_by_role("tab", name="Export").click()
    path = tmp_path / "cohort.csv"
    download(page, "Download cohort CSV").save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Alias" or "Alias" in rows[0], rows[0]
    assert "Readiness" in rows[0]
    assert len(rows) == 22
    aliases = [row[rows[0].index("Alias")] for row in rows[1:]]
    assert "'" + alias in aliases
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell


# --- instructor ----------------------------------------------------------------------------


def content_root(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    for folder in ("assessments", "data"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    return root


def broken_workbook(source: Path, target: Path) -> Path:
    from openpyxl import load_workbook

    workbook = load_workbook(source)
    survey = workbook["survey"]
    survey["A3"] = "rating no-such-scale"
    workbook.save(target)
    return target


def upload_in_studio(page: Page, path: Path) -> None:
    page.get_by_text("An uploaded file (YAML or spreadsheet)").click()
    settle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    settle(page)
    button(page, "Load the upload").click()
    settle(page)


def test_instructor_uploads_a_workbook(page: Page, start_app_server, tmp_path: Path) -> None:
    root = content_root(tmp_path)
    server = start_app_server(env={"READINESS_CONTENT_DIR": str(root)})
    demo = run_demo(server)
    workbooks = sorted((REPO_ROOT / "docs" / "examples").glob("*.xlsx"))
    if not workbooks:
        pytest.skip("no example workbook in docs/examples")
    good = workbooks[0]
    broken = broken_workbook(good, tmp_path / "broken.xlsx")

    page.set_viewport_size(DESKTOP)
    go(page, server, "", "How ready are you")
    assert "quick check" not in main_text(page)

    email, password = demo["instructor"]
    sign_in(page, server, email, password)
    nav(page, "Content studio", "Questionnaires and role profiles")
    shoot(page, "studio")
    page.get_by_role("tab", name="Edit or add").click()

    upload_in_studio(page, broken)
    in_main(page, "The uploaded file has")
    issues = page.locator('[data-testid="stDataFrame"]').filter(has_text="survey!A3")
    expect(issues.first).to_be_attached()
    listed = issues.first.text_content()
    assert "survey!A3" in listed and "no-such-scale" in listed, listed

    page.locator('[data-testid="stFileUploader"]').get_by_role(
        "button", name=re.compile("Remove|Delete")
    ).click()  # noqa: E501
    settle(page)
    upload_in_studio(page, good)
    in_main(page, "Valid questionnaire/1")
    assert "The uploaded file has" not in main_text(page)
    button(page, "Save").click()
    in_main(page, "Candidates see it from now on")
    saved = list((root / "assessments").glob("*quick-check*"))
    assert saved, list((root / "assessments").iterdir())

    go(page, server, "", "How ready are you")
    expect(page.get_by_text("Physician liaison quick check").first).to_be_visible()


# --- security ------------------------------------------------------------------------------


@pytest.mark.parametrize("warm", [False, True], ids=["first-visit", "after-a-visit"])
def test_staff_pages_need_sign_in(page: Page, start_app_server, warm: bool) -> None:
    # On a fresh server Streamlit's first session runs a typed page file without app.py
    # (the pages/ folder triggers its old multipage mode), so each page must guard itself.
    server = start_app_server()
    run_demo(server, candidates=3)
    if warm:
        go(page, server, "", "How ready are you")
    for path in ("cohorts", "candidate", "studio"):
        page.goto(f"{server.url}/{path}")
        page.get_by_text(re.compile("How ready are you|Sign in to open this page")).first.wait_for()
        settle(page)
        text = main_text(page)
        for staff_only in ("Share code", "Edit or add", "Review", "Notes", "Alias", "Dana"):
            assert staff_only not in text, f"/{path} showed {staff_only!r} to a visitor"


def test_reloading_a_staff_page_asks_to_sign_in_there(page: Page, start_app_server) -> None:
    # A reload starts a new session, signed out: the page says so and signs in where it is.
    server = start_app_server()
    email, password = run_demo(server, candidates=3)["counselor"]
    sign_in(page, server, email, password)
    nav(page, "Cohorts", "Share code for candidates")
    page.reload()
    in_main(page, "Sign in to open this page")
    assert page.url.endswith("/cohorts")
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    button(page, "Sign in").click()
    in_main(page, "Share code for candidates")
    assert page.url.endswith("/cohorts")


def test_a_first_visit_to_a_page_address_gets_the_apps_menu(page: Page, start_app_server) -> None:
    # Nobody has opened "/" on this fresh server: Streamlit's old multipage mode would serve
    # pages/results.py alone, with a menu of every file in pages/.
    server = start_app_server()
    page.goto(f"{server.url}/results")
    page.get_by_text("Your results").first.wait_for()
    settle(page)
    menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
    labels = [line for line in menu.splitlines() if line[:1].isupper()]  # not icon names
    assert labels == ["Start", "Assessment", "Results", "Staff sign-in"], menu
    # Each page has its own title, for tabs, history and screen readers.
    expect(page).to_have_title("Results · Job readiness")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Start", exact=True).click()
    expect(page).to_have_title("Start · Job readiness")


# The focused element and its accessible name (a radio's is its group's question).
FOCUSED = """() => { const a = document.activeElement;
    const group = a.closest('[role="radiogroup"]');
    const label = group ? group.getAttribute('aria-label')
        : a.labels && a.labels.length ? a.labels[0].textContent : a.textContent;
    return [a.tagName, label.trim()]; }"""


def test_keyboard_focus_follows_the_steps(page: Page, start_app_server) -> None:
    server = start_app_server()
    start_assessment(page, server)
    first = page.get_by_role("radiogroup").first.get_attribute("aria-label")
    # Next with nothing answered: focus goes to the first question that needs an answer.
    button(page, "Next").focus()
    page.keyboard.press("Enter")
    message = page.get_by_test_id("stAlertContentError").get_by_text(
        "This question needs an answer"
    )
    expect(message.first).to_be_visible()
    page.wait_for_function("document.activeElement.tagName === 'INPUT'")
    # The question's name, with its message: a screen reader says both.
    assert page.evaluate(FOCUSED) == [
        "INPUT",
        f"{first} This question needs an answer before you go on.",
    ]
    # Moved there by the keyboard, the focus is drawn plainly, not as Streamlit's faint tint.
    page.keyboard.press("ArrowDown")
    outline = "() => getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    page.wait_for_function(f"({outline})() === 'solid'")
    # Next after answering: focus on the new step's heading, and Tab reaches its first question.
    answer_step(page)
    button(page, "Next").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.tagName === 'H2'")
    # The heading takes focus as soon as it is drawn; the step's fields may still be coming.
    settle(page)
    assert step_number(page)[0] == 2
    assert page.evaluate(FOCUSED)[1] == page.locator('[data-testid="stMain"] h2').first.inner_text()  # fmt: skip
    page.keyboard.press("Tab")
    tag, name = page.evaluate(FOCUSED)
    assert tag in ("INPUT", "TEXTAREA") and name, (tag, name)


# --- accessibility and phone width -----------------------------------------------------------


def test_a_collapsed_menu_is_out_of_the_tab_order(page: Page, start_app_server) -> None:
    # On a phone the menu is collapsed off screen: Tab must not wander through it unseen.
    server = start_app_server()
    page.set_viewport_size(PHONE)
    go(page, server, "", "How ready are you")
    settle(page)
    for _ in range(8):
        page.keyboard.press("Tab")
        right = page.evaluate("() => document.activeElement.getBoundingClientRect().right")
        assert right > 0, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")


def test_pages_are_accessible_and_fit_a_phone(page: Page, start_app_server, tmp_path: Path) -> None:
    server = start_app_server()
    demo = run_demo(server)
    failures: list[str] = []

    def check(name: str) -> None:
        settle(page)
        # Moderate too: headings that skip a level (h1 to h3) leave a gap in a screen
        # reader's list of them.
        violations = axe_violations(page, impacts=("moderate", "serious", "critical"))
        if violations:
            failures.append(f"{name}:\n{format_violations(violations)}")
        try:
            fits_phone(page)
        except AssertionError as error:
            failures.append(f"{name}: {error}")

    start_assessment(page, server)
    check("assessment")
    # A step of ratings: each level's hint is a caption under its option.
    captions = '[data-testid="stRadioCaption"] [data-testid="stCaptionContainer"]'
    while settle(page) or not page.locator(captions).count():
        assert step_number(page)[0] < step_number(page)[1], "no step of ratings"
        answer_step(page)
        next_step(page)
    check("assessment, a step of ratings")
    for scheme in ("dark", "light"):
        page.emulate_media(color_scheme=scheme)
        settle(page)
        hints = page.evaluate(TEXT_CONTRASTS, captions)  # the 60% opacity is set here
        assert hints and min(hints) >= 4.5, f"{scheme} theme: rating hints at {min(hints):.1f}"
    nav(page, "Start", "How ready are you")
    check("start")
    nav(page, "Results", "Your results")
    page.get_by_text("Readiness").first.wait_for()
    check("results")
    # Every section is there for a screen reader, the ones below the first screen too.
    heard = headings_heard(page)
    for heading in (
        "Your results",
        "Your skills against the job",
        "Must-haves",
        "Your action plan",
        "Pay and outlook",
        "Keep or share your results",
    ):
        assert heading in heard, f"{heading!r} is not in the accessibility tree: {heard}"
    # Competency chart, then pay chart: one version of each for the window's width.
    assert charts_shown(page, DESKTOP) == ["readiness-chart-any", "readiness-chart-wide"]
    assert charts_shown(page, PHONE) == ["readiness-chart-any", "readiness-chart-narrow"]
    # A reader whose system is dark gets Streamlit's dark theme: the report's own styles
    # (muted source lines, table rules) must stay legible there too.
    for scheme in ("dark", "light"):
        page.emulate_media(color_scheme=scheme)
        settle(page)
        muted = page.evaluate(TEXT_CONTRASTS, ".readiness-source, .readiness-table td")
        assert muted and min(muted) >= 4.5, f"{scheme} theme: text contrast {min(muted):.1f}"
    page.emulate_media(color_scheme="dark")
    check("results, dark theme")
    page.emulate_media(color_scheme="light")

    page.context.clear_cookies()
    go(page, server, "sign_in", "Staff sign-in")
    check("sign-in")
    email, password = demo["counselor"]
    sign_in(page, server, email, password)
    nav(page, "Cohorts", "Share code for candidates")
    check("cohorts")
    page.get_by_role("tab", name="Cohort gaps").click()
    page.get_by_role("heading", name="Readiness distribution").wait_for()
    check("cohort gaps")

    go(page, server, "sign_in", "Staff sign-in")
    email, password = demo["instructor"]
    sign_in(page, server, email, password)
    nav(page, "Content studio", "Questionnaires and role profiles")
    check("studio")
    # A broken draft, one of its lines far wider than the window: shown with line numbers.
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: questionnaire/1\nid: wide\ntitle: " + "very long title " * 40 + "\nsections: 3\n")  # fmt: skip
    page.get_by_role("tab", name="Edit or add").click()
    upload_in_studio(page, broken)
    in_main(page, "Not saved yet")
    check("studio, a broken draft")
    assert not failures, "\n".join(failures)
