"""The report parts drawn as HTML: escaped, readable as tables, every figure with its source."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from readiness import markup, outlook
from readiness.content import Content
from readiness.messages import counted
from readiness.schema import Band, CareerStepSpec
from readiness.scoring import (
    MET,
    UNKNOWN,
    UNMET,
    CompetencyScore,
    PlanStep,
    RequirementResult,
    ScoreResult,
    score_one,
)
from tests.fixtures.html import heard, parse

ROLE = "physician-liaison"


def read_back(html: str) -> list[pd.DataFrame]:
    return pd.read_html(io.StringIO(html), keep_default_na=False)


def test_a_table_reads_back_as_the_frame_it_was_made_from() -> None:
    frame = pd.DataFrame(
        {
            "Competency": ["Communication", "CRM & technology"],
            "Level": [1.75, 3.0],
            "Gap": [0.5, 0.0],
        }
    )
    html = markup.html_table(frame, caption="Your level")
    (back,) = read_back(html)
    assert list(back.columns) == ["Competency", "Level", "Gap"]
    assert back["Competency"].tolist() == ["Communication", "CRM & technology"]
    assert back["Level"].tolist() == [1.75, 3] and back["Gap"].tolist() == [0.5, 0]
    assert "<caption>Your level</caption>" in html
    assert '<th scope="col" class="num">Level</th>' in html
    assert 'role="region" tabindex="0" aria-label="Your level"' in html


def test_levels_and_gaps_can_show_two_decimals_as_the_chart_does() -> None:
    frame = pd.DataFrame({"Competency": ["A"], "Level": [1.0], "Gap": [0.5], "Importance": [4.0]})
    html = markup.html_table(frame, two_decimals=("Level", "Gap"))
    cells = [td.text_content() for td in parse(html).xpath(".//td")]
    assert cells == ["A", "1.00", "0.50", "4"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        (True, "Yes"),
        (3.0, "3"),
        (1.755, "1.75"),  # rounded to 2 decimals, as everywhere the score is shown
        (4.1, "4.1"),
        (250000.0, "250000"),  # never 2.5e+05
        (7, "7"),
        ("as written", "as written"),
    ],
)
def test_cells_read_as_a_person_writes_them(value, shown: str) -> None:
    assert markup.cell_text(value) == shown


def test_text_from_content_files_cannot_become_markup() -> None:
    hostile = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(1)>'
    frame = pd.DataFrame({"Source <b>": [hostile]})
    html = markup.html_table(frame, label=hostile)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    (back,) = read_back(html)
    assert back.columns.tolist() == ["Source <b>"] and back.iloc[0, 0] == hostile


def test_source_links_are_only_web_addresses() -> None:
    html = markup.source_links(
        [
            "www.bls.gov/oes/",
            "https://a.example/x?y=1&z=2",
            "javascript:alert(1)",
            "www.bls.gov/oes/",
            "",
        ]
    )
    assert html.count("<a ") == 3  # the repeated page is linked once, the empty one not at all
    assert 'href="https://www.bls.gov/oes/"' in html
    assert 'href="https://a.example/x?y=1&amp;z=2"' in html
    assert 'href="javascript:' not in html
    # Each link says where it goes, even read out on its own.
    assert [a.text_content() for a in parse(html).xpath(".//a")] == [
        "bls.gov/oes", "a.example/x?y=1&z=2", "javascript:alert(1)"
    ]  # fmt: skip
    # They open in a new tab, and the line says so before them.
    assert heard(html).startswith("Source pages (each opens in a new tab): ")
    assert all(a.get("target") == "_blank" for a in parse(html).xpath(".//a"))


def test_market_figures_show_every_sourced_figure_with_its_source(content: Content) -> None:
    salary = outlook.salary_outlook(content, ROLE)
    growth = outlook.growth_outlook(content, ROLE)
    path = outlook.career_path(content, ROLE)
    html = markup.market_figures_html(salary, growth, path)
    tables = read_back(html)
    shown = pd.concat(tables, ignore_index=True)
    figures = salary.figures + growth.figures
    assert len(shown) == len(figures)
    assert shown["Value"].tolist() == [f.display for f in figures]
    # a source is written where it changes, so every source of the file appears
    assert set(shown["Source"]) - {""} == {f.source for f in figures}
    for group in salary.groups:
        assert f"<h3>{group.heading}</h3>" in html.replace("&amp;", "&")
    # Growth too under each occupation's heading: another's rate never reads as the role's.
    for group in growth.groups:
        assert f"<h3>{markup.GROWTH_HEADING}: {group.heading}</h3>" in html.replace("&amp;", "&")
    sourced = [group for group in growth.groups if group.sourced]
    assert len(sourced) > 1  # the role's own rate, and others'
    for table, group in zip(tables[-len(sourced) :], sourced, strict=True):
        assert table["Value"].tolist() == [f.display for f in group.figures]
    assert any(f.metric == "employment" for f in growth.figures)  # jobs, with their sources
    assert "Career path" in html and " → ".join(path.titles) in html


def test_market_figures_without_any_sourced_figure_say_so(content: Content) -> None:
    role = content.roles[ROLE].model_copy(
        update={"market": None, "id": "other", "career_steps": []}
    )
    bare = Content(root=Path("."), roles={"other": role}, market_records=[])
    html = markup.market_figures_html(
        outlook.salary_outlook(bare, role),
        outlook.growth_outlook(bare, role),
        outlook.career_path(bare, role),
    )
    assert "<table" not in html
    assert "O*NET" not in html  # its attribution comes only with its ratings
    assert "No sourced figure for salary of Physician liaison." in html
    assert markup.NO_GROWTH_FIGURE in html
    assert "Career path" not in html


def test_a_career_step_without_figures_says_so(content: Content) -> None:
    step = CareerStepSpec(title="Practice manager", soc="11-0000", source="A guess")
    role = content.roles[ROLE].model_copy(
        update={"market": None, "id": "other", "related_occupations": [], "career_steps": [step]}
    )
    bare = Content(root=Path("."), roles={"other": role}, market_records=[])
    path = outlook.career_path(bare, role)
    html = markup.market_figures_html(
        outlook.salary_outlook(bare, role), outlook.growth_outlook(bare, role), path
    )
    (shown,) = path.steps
    assert "Practice manager" in html
    for kind in (shown.salary, shown.growth):
        assert f"<p>{kind.message}</p>" in html


def test_the_pay_intro_says_only_what_is_true_of_the_figures(content: Content) -> None:
    # The liaison's figures: several sources, and related occupations under their headings.
    assert markup.market_intro(outlook.salary_outlook(content, ROLE)) == (
        "Sources disagree, so each is shown on its own line with its source and period. "
        "Figures of related occupations are listed under their own headings."
    )
    role = content.roles[ROLE].model_copy(
        update={"market": "own", "id": "own", "related_occupations": [], "career_steps": []}
    )
    row = {"role": "own", "metric": "salary_median", "value": 50000.0, "unit": "USD per year",
           "period": "2025", "region": "US", "source": "One survey", "url": "", "retrieved": "",
           "line": 2, "file": "m.csv"}  # fmt: skip
    one_source = Content(root=Path("."), roles={"own": role}, market_records=[row, row | {"metric": "salary_p90", "value": 70000.0}])  # fmt: skip
    assert markup.market_intro(outlook.salary_outlook(one_source, role)) == (
        "Each figure is shown with its source and period."
    )
    # Two sources giving different figures (a median, a 90th percentile) do not disagree.
    two_sources = Content(root=Path("."), roles={"own": role}, market_records=[row, row | {"metric": "salary_p90", "value": 70000.0, "source": "Another survey"}])  # fmt: skip
    assert markup.market_intro(outlook.salary_outlook(two_sources, role)) == (
        "Each figure is shown with its source and period."
    )
    # Two sources giving one figure differently do.
    differ = Content(root=Path("."), roles={"own": role}, market_records=[row, row | {"value": 52000.0, "source": "Another survey"}])  # fmt: skip
    assert markup.market_intro(outlook.salary_outlook(differ, role)).startswith("Sources disagree")


SMALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80.5"><text>A&amp;B</text></svg>'
)


def _images(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img [^>]*>", html)]


def test_a_chart_image_carries_its_svg_its_size_and_its_description_escaped() -> None:
    html = markup.chart_image(SMALL_SVG, 'Bars of "A" & <B>')
    assert html.startswith('<div class="readiness-chart">') and html.endswith("</div>")
    (image,) = _images(html)
    assert image["class"] == "readiness-chart-any"
    assert (image["width"], image["height"]) == ("120", "80.5")
    assert image["alt"] == "Bars of &quot;A&quot; &amp; &lt;B&gt;"
    prefix = "data:image/svg+xml;base64,"
    assert image["src"].startswith(prefix)
    assert base64.b64decode(image["src"][len(prefix) :]).decode() == SMALL_SVG


def test_a_chart_with_a_narrow_version_has_one_image_for_each_width() -> None:
    narrow = SMALL_SVG.replace('width="120"', 'width="60"')
    images = _images(markup.chart_image(SMALL_SVG, "Bars", narrow_svg=narrow))
    assert [(i["class"], i["width"], i["alt"]) for i in images] == [
        ("readiness-chart-wide", "120", "Bars"),
        ("readiness-chart-narrow", "60", "Bars"),
    ]


def test_the_page_style_shows_the_narrow_chart_only_in_a_narrow_column() -> None:
    css = (Path(__file__).parents[1] / "ui" / "page.css").read_text()
    assert ".readiness-chart .readiness-chart-narrow {\n  display: none;" in css
    query = css[css.index("@container (max-width: 600px)") :]
    assert ".readiness-chart .readiness-chart-wide {\n    display: none;" in query
    assert ".readiness-chart .readiness-chart-narrow {\n    display: block;" in query


# --- the report's sections ---------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"


def _result(**changes) -> ScoreResult:
    competency = CompetencyScore(
        id="communication", title="Communication", level=1.5, target=3, gap=1.5,
        importance=4, assessed=True, attainment=0.5,
    )  # fmt: skip
    result = ScoreResult(
        role_id="liaison",
        role_title="Physician liaison",
        readiness=50,
        readiness_exact=50.0,
        band=Band(at_least=50, label="Close", message="You are *close*."),
        competencies=[competency],
        requirements=[
            RequirementResult("licence", "Driver's licence", UNMET, "Get a licence.", "Article"),
            RequirementResult("degree", "Bachelor's degree", MET, "Study.", "Article"),
            RequirementResult("travel", "Travel", UNKNOWN, None, "Article, travel section"),
        ],
        plan=[
            PlanStep("requirement", "licence", "Driver's licence", UNMET, ["Get a licence."]),
            PlanStep("requirement", "travel", "Travel", UNKNOWN, []),
            PlanStep("competency", "communication", "Communication", "gap", ["Practise.", "Present."], gap=1.5),
        ],
    )  # fmt: skip
    return dataclasses.replace(result, **changes)


def test_the_score_shows_its_band_and_renders_the_band_message_as_markdown() -> None:
    html = markup.score_html(_result(), lead=", from your answers of this attempt.")
    assert heard(html) == (
        "Physician liaison, from your answers of this attempt. Readiness 50 / 100 Close "
        "You are close."
    )
    assert "<h2>Close</h2>" in html and "<em>close</em>" in html
    # Headings in the message come under the band's h2, one level at a time.
    band = _result().band.model_copy(update={"message": "# Next\n\n## Then\n\ntext"})
    html = markup.score_html(dataclasses.replace(_result(), band=band))
    assert "<h3>Next</h3>" in html and "<h4>Then</h4>" in html and "<h1>" not in html


def test_a_link_in_a_band_message_opens_in_a_new_tab() -> None:
    band = Band(at_least=0, label="Close", message="Join [AAPL](https://example.org/aapl).")
    html = markup.score_html(_result(band=band))
    assert '<a href="https://example.org/aapl" target="_blank" rel="noopener">AAPL</a>' in html


def test_the_band_message_cannot_carry_html_or_script_links() -> None:
    band = Band(at_least=0, label=HOSTILE, message=HOSTILE + " [x](javascript:alert(1))")
    html = markup.score_html(_result(band=band, role_title=HOSTILE), lead=HOSTILE)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert heard(html).count("<script>alert(1)</script>") == 4


def test_must_haves_say_their_status_in_words_with_what_to_do_and_the_source() -> None:
    html = markup.requirements_html(_result())
    items = parse(html).xpath(".//li")
    assert [heard(item) for item in items] == [
        "Driver's licence: Not yet. Get a licence. Source: Article",
        "Bachelor's degree: Met Source: Article",  # no action once met
        "Travel: Not answered Source: Article, travel section",
    ]
    # The marks beside the words are for the eye only.
    assert html.count('aria-hidden="true"') == 3


def test_a_role_without_must_haves_says_so() -> None:
    assert heard(markup.requirements_html(_result(requirements=[]))) == (
        f"Must-haves {markup.NO_MUST_HAVES}"
    )


def test_the_plan_is_an_ordered_list_in_plan_order_with_each_steps_actions() -> None:
    html = markup.plan_html(_result())
    steps = parse(html).xpath(".//ol[@class='readiness-plan']/li")
    assert [heard(step) for step in steps] == [
        "Driver's licence (must-have not met) Get a licence.",
        "Travel (must-have not answered yet)",
        "Communication (gap of 1.50 levels) Practise. Present.",
    ]
    assert heard(markup.plan_html(_result(plan=[]))).endswith(markup.NOTHING_TO_CLOSE)
    # A gap reads as everywhere else: rounded half up (0.125 is 0.13, not Python's 0.12).
    exact = PlanStep("competency", "communication", "Communication", "gap", [], gap=0.125)
    assert "(gap of 0.13 levels)" in heard(markup.plan_html(_result(plan=[exact])))


def test_report_sections_escape_every_text_from_content() -> None:
    hostile = _result(
        competencies=[],
        requirements=[RequirementResult("x", HOSTILE, UNMET, HOSTILE, HOSTILE)],
        plan=[PlanStep("requirement", "x", HOSTILE, UNMET, [HOSTILE])],
    )
    html = (
        markup.requirements_html(hostile)
        + markup.plan_html(hostile)
        + markup.section_html(HOSTILE, HOSTILE)
    )
    assert "<script" not in html and "<img" not in html
    assert heard(html).count("<script>alert(1)</script>") == 7


def test_the_skills_section_names_the_skills_no_answer_measured() -> None:
    result = _result()
    first = result.competencies[0]
    unanswered = dataclasses.replace(first, title="CRM & tools", assessed=False)
    never_asked = dataclasses.replace(first, title="Grants", assessed=False, asked=False)
    competencies = [first, unanswered, never_asked]
    html = markup.competencies_html(
        _result(competencies=competencies), chart="<div>c</div>", table=""
    )
    note = markup.not_assessed_note(competencies)
    assert heard(html).endswith(note)
    # Answering helps only where a question asks about the skill.
    assert note == (
        "Not assessed (no answer measured them, so they count as level 0): CRM & tools. "
        "Answering those questions gives a truer score. "
        "No question asks about these yet, so they count as level 0: Grants."
    )
    assert markup.not_assessed_note([first]) == ""
    assert "<div>c</div>" in html


def test_o_net_is_credited_only_for_a_role_that_draws_on_it(content: Content) -> None:
    role = content.roles[ROLE]
    assert outlook.uses_onet(role)
    own = [c.model_copy(update={"source": "Our hiring survey"}) for c in role.competencies]
    assert not outlook.uses_onet(role.model_copy(update={"competencies": own}))
    # On screen the credit follows the targets it is due for.
    result = score_one(content, ROLE, {})
    assert markup.ONET_ATTRIBUTION in markup.target_sources_html(result)
    for competency in result.competencies:
        competency.source = "Our hiring survey"
    assert "O*NET OnLine" not in markup.target_sources_html(result)


def test_every_target_and_importance_says_where_it_comes_from(content: Content) -> None:
    result = score_one(content, ROLE, {})
    html = markup.competencies_html(result, chart="", table="")
    folded = parse(html).xpath(".//details")
    assert len(folded) == 1
    assert folded[0].xpath("./summary")[0].text_content() == markup.TARGET_SOURCES_SUMMARY
    items = [li.text_content() for li in folded[0].xpath(".//li")]
    role = content.roles[ROLE]
    assert items == [f"{c.title}: {c.source}" for c in role.competencies]
    # Text from the profile is escaped like any other.
    result.competencies[0].source = HOSTILE
    assert "<script>" not in markup.target_sources_html(result)


def test_a_count_reads_with_its_noun_in_the_right_number() -> None:
    assert [counted(n, "question") for n in (1, 2, 0, 0.5, 1_000_000)] == [
        "1 question", "2 questions", "0 questions", "0.5 questions", "1000000 questions"
    ]  # fmt: skip
