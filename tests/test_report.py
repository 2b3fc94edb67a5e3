"""The PDF report: a real PDF with extractable text, and the `report` command that writes it."""

from __future__ import annotations

import copy
import io
import re
from dataclasses import replace
from datetime import date

import pytest
import yaml
from pypdf import PdfReader

from readiness import charts, report
from readiness.scoring import STATUS_WORDS, UNKNOWN, score_one
from tests.fixtures.cli import run_cli
from tests.fixtures.pdf import pdf_text
from tests.fixtures.sample import ROLE, SAMPLE_ANSWERS


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(content, result):
    pdf = report.build_pdf(
        result, content=content, role=ROLE, candidate_alias="Alex", taken_on=date(2026, 11, 25)
    )
    return pdf, flat(pdf_text(pdf))


def test_report_is_a_pdf_with_the_title_score_and_sources(rendered, result):
    pdf, text = rendered
    assert pdf.startswith(b"%PDF")
    assert "Readiness report: Physician liaison" in text
    assert f"Readiness score: {result.readiness} out of 100" in text
    assert f"Band: {result.band.label}" in text
    assert "Prepared for Alex" in text and "25 November 2026" in text
    # pay figures with their sources and periods
    assert "BLS OEWS May 2020, 27-3031 Public relations specialists" in text
    assert "$62,810" in text and "May 2020" in text
    # the all-occupations growth is shown with its caveat
    assert "Employment growth: +8% over 2020-2030" in text
    # employment, a count of jobs, is of its period, under the same heading as on screen
    assert "Employment and its growth" in text
    assert re.search(r"Employment: [\d,]+ jobs in May 20\d\d", text), text
    assert "projected for all occupations" in text
    # career step, method and attribution
    assert "Physician liaison \u2192 Director of physician relations" in text
    assert "How the score is computed" in text
    assert "O*NET OnLine by the U.S. Department of Labor" in text


def test_report_lists_competencies_must_haves_and_the_plan_in_order(rendered, result):
    _, text = rendered
    for competency in result.competencies:
        assert competency.title in text
    # Each must-have with its status in the report's words; willing-to-travel was not answered.
    assert UNKNOWN in {r.status for r in result.requirements}
    for requirement in result.requirements:
        title = flat(requirement.title)
        after_title = text[text.index(title) + len(title) :].lstrip()
        assert after_title.startswith(STATUS_WORDS[requirement.status]), requirement.title
    positions = [text.index(f"{n}. {step.title}") for n, step in enumerate(result.plan, 1)]
    assert positions == sorted(positions)
    first_action = result.plan[1].actions[0]
    assert flat(first_action) in text


def test_report_images_have_alternative_text(rendered):
    pdf, _ = rendered
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Readiness report: Physician liaison"
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2  # competency chart and pay chart
    assert b"/Alt" in pdf


def test_report_shows_the_change_since_last_time(content, result):
    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers["liaison-skills"]["explain-service"] = 1
    previous = score_one(content, ROLE, answers)
    pdf = report.build_pdf(
        result, content=content, role=ROLE, taken_on=date(2026, 11, 25), previous=previous
    )
    text = flat(pdf_text(pdf))
    assert "What changed since last time" in text
    assert f"Last time: {previous.readiness}" in text
    assert "Prepared for" not in text
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert images == 3  # competencies, change, pay


def test_report_without_dejavu_falls_back_to_latin1(monkeypatch, content, result):
    monkeypatch.setattr(report, "FONT_DIRS", ())
    pdf = report.build_pdf(result, content=content, role=ROLE, taken_on=date(2026, 11, 25))
    text = flat(pdf_text(pdf))
    assert "Readiness report: Physician liaison" in text
    assert "Physician liaison -> Director of physician relations" in text


@pytest.mark.skipif(
    report.font_paths() is None or report.fallback_font() is None,
    reason="needs DejaVu Sans and fonts-droid-fallback (scripts/test.sh installs them as root)",
)
def test_report_keeps_chinese_and_japanese_characters_dejavu_lacks(content, result):
    pdf = report.build_pdf(
        result,
        content=content,
        role=ROLE,
        candidate_alias="山田 たろう 王芳",
        taken_on=date(2026, 11, 25),
    )
    assert "Prepared for 山田 たろう 王芳" in flat(pdf_text(pdf))


@pytest.mark.parametrize("fonts", ["dejavu", "latin-1"])
def test_a_long_role_title_is_cut_short_in_the_footer(monkeypatch, content, result, fonts):
    if fonts == "latin-1":
        monkeypatch.setattr(report, "FONT_DIRS", ())
    long_title = "Senior regional physician liaison and community outreach " * 3
    role = content.roles[ROLE].model_copy(update={"title": long_title.strip()})
    pdf = report.build_pdf(result, content=content, role=role, taken_on=date(2026, 11, 25))
    for page in PdfReader(io.BytesIO(pdf)).pages:
        footer = page.extract_text().splitlines()[-1]
        assert footer.startswith("Readiness report: Senior regional"), footer
        assert ("\u2026" if fonts == "dejavu" else "...") in footer
        assert "taken on" not in footer and footer.endswith(
            f"of {len(PdfReader(io.BytesIO(pdf)).pages)}"
        )


def test_a_long_band_label_wraps_within_the_page(content, result):
    label = "Ready: you meet nearly every requirement of this role and could start applying " * 2
    band = result.band.model_copy(update={"label": label.strip()})
    pdf = report.build_pdf(replace(result, band=band), content=content, role=ROLE, taken_on=date(2026, 11, 25))  # fmt: skip
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Band: "))
    wrapped = next(
        lines[start:end] for end in range(start + 2, len(lines))
        if " ".join(lines[start:end]) == f"Band: {band.label}"
    )  # fmt: skip
    assert len(wrapped) >= 2  # a cell would have run it off the page on one line


def test_plain_keeps_lone_stars_and_drops_emphasis():
    assert report.plain("**Ready** for O*NET *now*\nnext line") == "Ready for O*NET now next line"
    assert report.plain("one\n\n two") == "one\n\ntwo"
    # A list keeps a line per item; other line breaks are spaces.
    assert report.plain("A list:\n\n- one\n- two\n  wrapped\n1. three") == (
        "A list:\n\n- one\n- two wrapped\n1. three"
    )
    # A heading is its text; a hash elsewhere stays.
    assert report.plain("# Next steps #\n\nRank #1") == "Next steps\n\nRank #1"
    # A table keeps a line per row, its cells apart, without the line under its header.
    table = "Where:\n\n| Skill | Where |\n|---|:--|\n| CRM | online |\n| Speaking | club |"
    assert report.plain(table) == "Where:\n\nSkill | Where\nCRM | online\nSpeaking | club"
    # Escapes and character references read as the characters they stand for, as on screen.
    assert report.plain(r"Q&amp;A \*starred\* 5 \< 6 &#169; AT&T \&amp;") == (
        "Q&A *starred* 5 < 6 © AT&T &amp;"
    )


# --- the command line -------------------------------------------------------------------------


def answers_file(tmp_path, answers) -> str:
    path = tmp_path / "answers.yaml"
    document = {
        "format": "answers/1",
        "role": ROLE,
        "questionnaires": {
            qid: {"version": "2026.11", "answers": values} for qid, values in answers.items()
        },
    }
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return str(path)


def test_cli_report_writes_a_pdf(tmp_path, result):
    out = tmp_path / "report.pdf"
    run = run_cli(
        "report",
        "--role",
        ROLE,
        answers_file(tmp_path, SAMPLE_ANSWERS),
        "--out",
        str(out),
        "--alias",
        "Sam",
        "--taken-on",
        "2026-11-20",
    )
    assert run.returncode == 0, run.stderr
    assert f"readiness {result.readiness}" in run.stdout
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf))
    assert "Physician liaison" in text and "Prepared for Sam" in text
    assert "20 November 2026" in text


def test_cli_report_rejects_a_bad_answers_file_with_a_located_message(tmp_path):
    bad = copy.deepcopy(SAMPLE_ANSWERS)
    bad["liaison-skills"]["explain-service"] = 9
    out = tmp_path / "report.pdf"
    run = run_cli("report", "--role", ROLE, answers_file(tmp_path, bad), "--out", str(out))
    assert run.returncode == 1
    assert "answers.yaml:" in run.stdout and "explain-service" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "nope"], 1, "no usable role profile 'nope'"),
        (["--role", ROLE, "--out-dir"], 2, "usage:"),
        (["--role", ROLE, "--taken-on", "yesterday"], 2, "YYYY-MM-DD"),
    ],
)
def test_cli_report_usage_and_role_errors(tmp_path, args, code, message):
    out = str(tmp_path / "report.pdf")
    run = run_cli("report", answers_file(tmp_path, SAMPLE_ANSWERS), "--out", out, *args)
    assert run.returncode == code
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_report_into_a_missing_folder(tmp_path):
    out = tmp_path / "missing" / "report.pdf"
    run = run_cli(
        "report", "--role", ROLE, answers_file(tmp_path, SAMPLE_ANSWERS), "--out", str(out)
    )
    assert run.returncode == 2  # wrong usage, as import-xlsx says of a missing folder
    assert "does not exist" in run.stderr


def test_a_role_without_pay_figures_says_so_and_nothing_more(tmp_path):
    from readiness.content import load_content
    from readiness.markup import NO_SALARY
    from readiness.scoring import score_one
    from tests.fixtures.content import write_root

    content = load_content(write_root(tmp_path))  # its role has no market figures
    role = content.roles["analyst"]
    result = score_one(content, "analyst", {"skills": {"presenting": 3}})
    text = flat(pdf_text(report.build_pdf(result, content=content, role=role, taken_on=date(2026, 11, 26))))  # fmt: skip
    assert NO_SALARY in text
    assert "Each figure is shown with its source" not in text


def test_figures_without_a_region_read_as_on_the_page(tmp_path):
    # The format lets `region` be empty: the PDF must not print "()" for it.
    from readiness.content import load_content
    from readiness.scoring import score_one
    from tests.fixtures.content import MARKET_HEADER, MINIMAL_ROLE, write_root

    role_text = (
        MINIMAL_ROLE
        + 'market: analyst\nrelated_occupations:\n  - {soc: "15-2041", title: Statisticians}\ncareer_steps:\n'
        + '  - {title: Lead analyst, soc: "15-2041", source: Test career source}\n'
    )
    market = (
        MARKET_HEADER
        + "analyst,growth_pct,5,percent,2024-2034,,Test growth source,,2026-11-26\n"
        + "lead,salary_median,90000,USD per year,2025,,BLS 15-2041 test source,,2026-11-26\n"
        + "lead,growth_pct,7,percent,2024-2034,,BLS 15-2041 test source,,2026-11-26\n"
    )
    content = load_content(
        write_root(tmp_path, roles={"analyst.yaml": role_text}, market={"m.csv": market})
    )
    result = score_one(content, "analyst", {"skills": {"presenting": 3}})
    text = flat(pdf_text(report.build_pdf(result, content=content, role="analyst", taken_on=date(2026, 11, 26))))  # fmt: skip
    assert "+5% over 2024-2034. Source: Test growth source" in text
    assert "Pay: median $90,000 a year (2025)." in text
    assert "()" not in text


def test_cli_report_into_a_folder_is_wrong_usage(tmp_path):
    run = run_cli(
        "report", "--role", ROLE, answers_file(tmp_path, SAMPLE_ANSWERS), "--out", str(tmp_path)
    )
    assert run.returncode == 2
    assert "it is a folder" in run.stderr and "Traceback" not in run.stderr


def control_root(tmp_path, competencies: int = 1):
    """A content root whose texts hold what YAML lets content hold: a bell, a tab, a line
    separator; and `competencies` competencies, each measured by a question."""
    from tests.fixtures.content import MARKET_HEADER, questionnaire_yaml, role_yaml, write_root

    titles = ['"Bell\\aand\\ttab"', '"Line\\Lseparator"'] + [
        f"Skill {n}" for n in range(2, competencies)
    ]
    role = role_yaml(
        "\n".join(
            f"- {{id: c{n}, title: {title}, target: 3, importance: 2, source: S}}"
            for n, title in enumerate(titles[:competencies])
        ),
        bands='- {at_least: 0, label: "Not\\e[31m yet"}',  # an escape a terminal obeys
        tail="market: analyst\n",
    )
    questions = "\n".join(
        f"- {{id: q{n}, type: rating, scale: five, prompt: P{n}, measures: c{n}}}"
        for n in range(competencies)
    )
    market = MARKET_HEADER + (
        'analyst,salary_median,60000,USD per year,2025,US,"Survey\x07with\u2028odd\tcharacters",,2026-11-26\n'
    )
    return write_root(
        tmp_path / "root",
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        roles={"analyst.yaml": role},
        market={"m.csv": market},
    )


def test_control_characters_in_content_do_not_stop_the_report(tmp_path):
    # The chart renderer refused them, and a refusal ended the process (on the server too).
    root = control_root(tmp_path, competencies=2)
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"format": "answers/1", "role": "analyst", "questionnaires": {"skills": {"version": "1", "answers": {"q0": 2}}}}))  # fmt: skip
    out = tmp_path / "report.pdf"
    run = run_cli("report", "--role", "analyst", str(answers), "--out", str(out), "--content", str(root))  # fmt: skip
    assert run.returncode == 0, run.stderr
    # The line saying what was written does not colour the counselor's terminal.
    assert "(Not [31m yet)" in run.stdout and run.stdout.rstrip("\n").isprintable()
    text = flat(pdf_text(out.read_bytes()))
    # A tab is a space between its words, as any other control character.
    assert "Bell and tab" in text and "Line separator" in text
    assert "Survey with odd characters" in text


def test_a_chart_of_many_rows_is_drawn_within_one_page(tmp_path):
    from readiness.content import load_content

    content = load_content(control_root(tmp_path, competencies=40))
    assert content.ok, content.issues
    result = score_one(content, "analyst", {"skills": {f"q{n}": 2 for n in range(40)}})
    pdf = report.build_pdf(result, content=content, role="analyst", taken_on=date(2026, 11, 26))
    pages = PdfReader(io.BytesIO(pdf)).pages
    # Every page holds more than its footer (none left blank before a chart that did not fit).
    assert all(len(page.extract_text().splitlines()) > 1 for page in pages)
    assert any("Skill 39" in page.extract_text() for page in pages)  # the table has every row
    # The chart itself fits below a section's first lines.
    page = report.ReportPDF("footer")
    image = page.render(charts.competency_chart(result))
    assert image.height <= page.eph - report.ROOM_ABOVE_CHART
    assert image.width <= page.epw
