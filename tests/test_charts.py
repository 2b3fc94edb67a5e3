"""Chart builders: the chart's data is its accessible table, in the promised order."""

from __future__ import annotations

import copy
import html
import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from readiness import charts
from readiness.market import COLUMNS, figures_for
from readiness.scoring import score_answer_maps, score_one
from tests.fixtures.sample import ROLE, SAMPLE_ANSWERS

OKABE_ITO = {
    charts.BLUE,
    charts.ORANGE,
    charts.GREEN,
    charts.SKY,
    charts.VERMILLION,
    charts.PURPLE,
    charts.BLACK,
}
NEUTRALS = {"#E4E4E4", "#666666", "#555555", "#333333", "white"}


@pytest.fixture(scope="module")
def previous(content):
    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers["liaison-skills"]["explain-service"] = 1
    answers["liaison-skills"]["listen-needs"] = 4
    return score_one(content, ROLE, answers)


@pytest.fixture(scope="module")
def cohort(content):
    rng = np.random.default_rng(7)
    first, latest = [], []
    for _ in range(40):
        answers = copy.deepcopy(SAMPLE_ANSWERS)
        for question in answers["liaison-skills"]:
            answers["liaison-skills"][question] = int(rng.integers(0, 5))
        answers["liaison-background"]["drivers-license"] = bool(rng.random() < 0.7)
        first.append(answers)
        later = copy.deepcopy(answers)
        for question in later["liaison-skills"]:
            later["liaison-skills"][question] = min(4, later["liaison-skills"][question] + 1)
        latest.append(later)
    return score_answer_maps(content, ROLE, first), score_answer_maps(content, ROLE, latest)


# The cohort view's inputs (readiness.cohort builds the same frames from stored attempts).
def mean_gaps(batch) -> pd.DataFrame:
    titles = [c.title for c in batch.role.competencies]
    return pd.DataFrame({"competency": titles, "mean_gap": batch.gaps.mean(axis=0)})


def missing_counts(batch) -> pd.DataFrame:
    status = batch.requirement_status
    return pd.DataFrame(
        {
            "requirement": [r.title for r in batch.role.requirements],
            "unmet": (status == "unmet").sum(axis=0),
            "unknown": (status == "unknown").sum(axis=0),
            "candidates": batch.size,
        }
    )


def level_change(first, latest) -> pd.DataFrame:
    titles = [c.title for c in latest.role.competencies]
    before, after = first.levels.mean(axis=0), latest.levels.mean(axis=0)
    return pd.DataFrame({"competency": titles, "before": before, "after": after})


def chart_data(chart: alt.TopLevelMixin, columns) -> pd.DataFrame:
    return chart.data[list(columns)].reset_index(drop=True)


def assert_accessible(chart: alt.TopLevelMixin) -> dict:
    """A title, a description, axis titles where there are axes, and only palette colours."""
    spec = chart.to_dict()  # also validates the spec against the Vega-Lite schema
    assert spec["description"].strip()
    assert spec["title"]["text"]
    text = json.dumps(spec)
    colours = set(re.findall(r'"(#[0-9A-Fa-f]{6})"', text))
    assert colours <= OKABE_ITO | NEUTRALS, colours - OKABE_ITO - NEUTRALS
    for layer in spec.get("layer", [spec]):
        mark = layer.get("mark", {})
        if isinstance(mark, dict) and mark.get("type") == "text":
            # Labels repeat what the marks' own descriptions say: a screen reader hears it once.
            assert mark.get("aria") is False, mark
        for channel in ("x", "y"):
            axis = layer.get("encoding", {}).get(channel, {}).get("axis")
            if axis and channel == "x" and layer["encoding"][channel]["type"] == "quantitative":
                assert axis.get("title"), f"{channel} axis without a title"
    return spec


# --- competency chart -------------------------------------------------------------------------


def test_competency_table_has_the_promised_columns_and_order(result):
    table = charts.competency_table(result)
    assert list(table.columns) == [
        "Competency",
        "Your level",
        "Target",
        "Gap",
        "Importance",
        "Assessed",
    ]
    by_title = {c.title: c for c in result.competencies}
    weights = [by_title[t].importance * by_title[t].gap for t in table["Competency"]]
    assert weights == sorted(weights, reverse=True)
    assert len(table) == len(result.competencies)
    # the competencies of the plan appear in the same order as in the chart
    plan = [s.title for s in result.plan if s.kind == "competency"]
    assert [t for t in table["Competency"] if t in plan] == plan


def test_competency_chart_data_is_the_table(result):
    table = charts.competency_table(result)
    chart = charts.competency_chart(result)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    spec = assert_accessible(chart)
    assert spec["layer"][0]["encoding"]["y"]["sort"] == list(table["Competency"])


def test_unassessed_competencies_are_labelled_not_only_coloured(result):
    chart = charts.competency_chart(result)
    unassessed = chart.data[chart.data["Assessed"] == "No"]
    assert set(unassessed["Competency"]) == {
        "Negotiation and problem resolution",
        "Presentations and education events",
    }
    assert all(label.startswith("not assessed") for label in unassessed["Label"])
    assert "not assessed" not in " ".join(chart.data.loc[chart.data["Assessed"] == "Yes", "Label"])
    assert "Negotiation and problem resolution" in chart.to_dict()["description"]


def test_chart_builders_are_pure(result):
    before = copy.deepcopy(result)
    first = charts.competency_chart(result).to_dict()
    assert charts.competency_chart(result).to_dict() == first
    assert result == before


# --- salary chart -----------------------------------------------------------------------------


def test_salary_table_lists_every_salary_row_with_source_and_period(content):
    rows = figures_for(content.market, ROLE)
    table = charts.salary_table(rows)
    assert list(table.columns) == ["Figure", "Amount", "Period", "Source"]
    salary_rows = rows[rows["metric"].str.startswith("salary_")]
    assert len(table) == len(salary_rows) == 6
    assert set(table["Amount"]) == {f"${v:,.0f}" for v in salary_rows["value"]}
    assert table["Source"].str.len().min() > 0
    first = table.iloc[0]
    assert (first["Figure"], first["Amount"], first["Period"]) == (
        "Low end of range",
        "$60,000",
        "undated (typical range), United States",  # where it applies, as on the page
    )


def test_figures_of_two_regions_are_two_rows_of_the_chart(content):
    rows = figures_for(content.market, ROLE)
    median = rows[rows["metric"] == "salary_entry"].iloc[[0]]
    two = pd.concat([median, median.assign(region="Texas", value=51_000.0)], ignore_index=True)
    labels = charts.salary_chart(two).to_dict()["layer"][0]["encoding"]["y"]["sort"]
    assert len(labels) == 2 and labels[1].replace("\n", " ").endswith("Texas")
    assert list(charts.salary_table(two)["Period"].str.endswith(("United States", "Texas")))


def test_salary_chart_data_is_the_table_with_one_row_per_source_and_period(content):
    table = charts.salary_table(content.market)
    chart = charts.salary_chart(content.market)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    spec = assert_accessible(chart)
    rows = spec["layer"][0]["encoding"]["y"]["sort"]
    assert len(rows) == 7  # 3 article rows, 4 BLS source/periods
    assert rows[3].replace("\n", " ") == "BLS OEWS May 2020, 27-3031 Public relations specialists"
    assert any("2019" in row for row in rows)
    tooltips = {t["field"] for t in spec["layer"][1]["encoding"]["tooltip"]}
    assert {"Source", "Period", "Amount", "Figure"} <= tooltips
    shorts = set(chart.data["Short"])
    assert {"p10", "median", "mean", "p90", "low", "high", "entry", "senior"} <= shorts


def test_salary_chart_ignores_non_salary_rows_and_handles_none(content):
    growth_only = content.market[content.market["metric"] == "growth_pct"]
    assert charts.salary_table(growth_only).empty
    charts.salary_chart(growth_only).to_dict()


# --- cohort charts ----------------------------------------------------------------------------


def test_readiness_histogram_counts_every_candidate_once():
    readiness = pd.Series([0, 9, 10, 55, 59, 60, 99, 100, np.nan])
    table = charts.readiness_histogram_table(readiness)
    assert list(table.columns) == ["Readiness", "Candidates"]
    assert table["Candidates"].sum() == 8
    counts = dict(zip(table["Readiness"], table["Candidates"], strict=True))
    assert counts["0\u20139"] == 2 and counts["50\u201359"] == 2 and counts["90\u2013100"] == 2
    chart = charts.readiness_histogram(readiness)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    assert "8 candidates" in assert_accessible(chart)["description"]


def test_readiness_histogram_names_every_range_of_a_tie_as_most_common():
    # Two candidates in 50-59 and two in 70-79: neither range is more common than the other.
    description = charts.readiness_histogram(pd.Series([55, 58, 71, 77, 95])).description
    assert "the most common ranges are 50\u201359 and 70\u201379." in description
    one = charts.readiness_histogram(pd.Series([55, 58, 71])).description
    assert "the most common range is 50\u201359." in one


def test_mean_gap_chart_is_sorted_largest_first(cohort):
    first, _ = cohort
    df = mean_gaps(first)
    table = charts.mean_gap_table(df)
    assert list(table.columns) == ["Competency", "Mean gap"]
    assert list(table["Mean gap"]) == sorted(table["Mean gap"], reverse=True)
    chart = charts.mean_gap_chart(df)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    assert assert_accessible(chart)["layer"][0]["encoding"]["y"]["sort"] == list(
        table["Competency"]
    )
    # Named above each bar with its figure, so a phone keeps the width for the bars.
    assert_every_row_is_named(chart, [f"{c}: {g:.2f}" for c, g in table.itertuples(index=False)])


def test_requirement_missing_chart_counts_unmet_and_unknown(cohort):
    first, _ = cohort
    df = missing_counts(first)
    table = charts.requirement_missing_table(df)
    assert list(table.columns) == ["Requirement", "Unmet", "Unknown", "Missing (%)"]
    licence = table.set_index("Requirement").loc["Valid driver's license"]
    assert licence["Unmet"] == int((first.requirement_status[:, 2] == "unmet").sum()) > 0
    travel = table.set_index("Requirement").loc["Willing to travel frequently"]
    assert travel["Unknown"] == 40 and travel["Missing (%)"] == 100.0
    missing = table["Unmet"] + table["Unknown"]
    assert list(missing) == sorted(missing, reverse=True)
    chart = charts.requirement_missing_chart(df)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    assert_accessible(chart)
    # Each must-have named above its bar, its counts on the line below the name.
    assert_every_row_is_named(chart, table["Requirement"])
    assert_every_row_is_named(chart, [f"{u} unmet, {k} unknown" for u, k in zip(table["Unmet"], table["Unknown"], strict=True)])  # fmt: skip


def test_change_chart_reports_the_cohorts_change(cohort):
    first, latest = cohort
    df = level_change(first, latest)
    table = charts.change_table(df)
    assert list(table.columns) == ["Competency", "First attempt", "Latest attempt", "Change"]
    assert (table["Change"] >= 0).all()
    assert np.allclose(table["Change"], table["Latest attempt"] - table["First attempt"])
    chart = charts.change_chart(df)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    assert_accessible(chart)
    assert_every_row_is_named(chart, table["Competency"])


def test_change_since_last_chart(previous, result):
    table = charts.change_since_last_table(previous, result)
    assert list(table.columns) == ["Competency", "Last time", "This time", "Change", "Target"]
    assert list(table["Competency"]) == list(charts.competency_table(result)["Competency"])
    row = table.set_index("Competency").loc["Communication"]
    assert (row["Last time"], row["This time"], row["Change"]) == (2.0, 2.67, 0.67)
    chart = charts.change_since_last_chart(previous, result)
    pd.testing.assert_frame_equal(chart_data(chart, table.columns), table)
    labels = dict(zip(chart.data["Competency"], chart.data["Label"], strict=True))
    assert labels["Communication"] == "+0.67"
    assert labels["Relationship building"] == "\u22120.33"
    assert labels["Negotiation and problem resolution"] == "not assessed"
    description = assert_accessible(chart)["description"]
    assert f"from {previous.readiness} to {result.readiness}" in description
    assert_every_row_is_named(chart, table["Competency"])


def assert_every_row_is_named(chart, names) -> None:
    """Each row's competency is written in the drawn chart (its y axis is hidden)."""
    drawn = charts.chart_svg(chart)
    for name in names:
        assert f">{html.escape(name, quote=False)}<" in drawn, name


def test_cohort_charts_of_an_empty_cohort():
    empty_changes = pd.DataFrame(columns=["competency", "before", "after"])
    assert charts.change_table(empty_changes).empty
    charts.change_chart(empty_changes).to_dict()
    charts.readiness_histogram(pd.Series([], dtype="int64")).to_dict()
    no_gaps = pd.DataFrame({"competency": ["Communication"], "mean_gap": [0.0]})
    charts.mean_gap_chart(no_gaps).to_dict()
    none_missing = pd.DataFrame(
        {"requirement": ["Degree"], "unmet": [0], "unknown": [0], "candidates": [0]}
    )
    table = charts.requirement_missing_table(none_missing)
    assert table["Missing (%)"].tolist() == [0.0]
    charts.requirement_missing_chart(none_missing).to_dict()


# --- every chart renders ----------------------------------------------------------------------


def test_every_chart_renders_to_png_and_svg_without_its_marks_aria(
    content, result, previous, cohort
):
    pytest.importorskip("vl_convert")
    first, latest = cohort
    built = [
        charts.competency_chart(result),
        charts.salary_chart(content.market),
        charts.salary_chart(content.market, narrow=True),
        charts.readiness_histogram(pd.Series(first.readiness)),
        charts.mean_gap_chart(mean_gaps(first)),
        charts.requirement_missing_chart(missing_counts(first)),
        charts.change_chart(level_change(first, latest)),
        charts.change_since_last_chart(previous, result),
    ]
    for chart in built:
        assert charts.chart_png(chart, scale=1).startswith(b"\x89PNG")
        svg = charts.chart_svg(chart)
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        # an image's text alternative is the chart's description: marks carry no labels
        assert set(re.findall(r'role="graphics-symbol" aria-roledescription="([^"]+)"', svg)) <= {
            "title",
            "subtitle",
        }
        assert charts.description_of(chart).endswith("in the table beside the chart.")


def test_the_narrow_salary_chart_is_the_same_chart_with_shorter_lines(content):
    wide, narrow = (charts.salary_chart(content.market, narrow=n) for n in (False, True))
    assert charts.description_of(wide) == charts.description_of(narrow)
    wide_rows, narrow_rows = (chart.data["Row"].tolist() for chart in (wide, narrow))
    assert [r.replace("\n", " ") for r in wide_rows] == [r.replace("\n", " ") for r in narrow_rows]
    assert max(len(line) for r in narrow_rows for line in r.split("\n")) <= max(
        charts.NARROW_LABEL_CHARS, *(len(word) for r in narrow_rows for word in r.split())
    )
    assert narrow.width == charts.NARROW_CHART_WIDTH < wide.width
    (width,) = re.findall(r'<svg[^>]* width="([\d.]+)"', charts.chart_svg(narrow))
    assert float(width) <= 390  # fits a phone held upright without shrinking


def test_pay_in_another_unit_is_listed_with_its_unit_and_kept_off_the_dollar_axis():
    rows = pd.DataFrame(
        [
            ("r", "salary_median", 65360.0, "USD per year", "2023", "US", "BLS", "", ""),
            ("r", "salary_median", 32000.0, "GBP per year", "2024", "UK", "ONS", "", ""),
            ("r", "salary_p10", 11.44, "GBP per hour", "2024", "UK", "ONS", "", ""),
            ("r", "salary_median", 3800.0, "EUR per month", "2024", "DE", "BA", "", ""),
            ("r", "salary_median", 30.5, "USD per hour", "2024", "US", "X", "", ""),
        ],
        columns=COLUMNS,
    )
    assert list(charts.salary_table(rows)["Amount"]) == [
        "$65,360",
        "32,000 GBP per year",
        "11.44 GBP per hour",
        "3,800 EUR per month",
        "$30.50 (USD per hour)",
    ]
    assert list(charts.salary_chart_rows(rows)["value"]) == [65360.0]
    drawn = charts.salary_chart(rows).to_dict(validate=False)
    assert [row["Value"] for row in drawn["datasets"][next(iter(drawn["datasets"]))]] == [65360.0]


def test_a_long_name_is_cut_to_the_chart_not_the_chart_widened(content) -> None:
    import dataclasses

    result = score_one(content, ROLE, SAMPLE_ANSWERS)
    long_title = "Coordinating referral pathways across several hospital systems " * 4
    longer = dataclasses.replace(
        result,
        competencies=[dataclasses.replace(result.competencies[0], title=long_title.strip())]
        + result.competencies[1:],
    )
    width = re.compile(r'<svg[^>]*\bwidth="([\d.]+)"')
    short_svg, long_svg = (charts.chart_svg(charts.competency_chart(r)) for r in (result, longer))
    assert width.search(long_svg)[1] == width.search(short_svg)[1]
    assert "Coordinating referral pathways" in long_svg and "…" in long_svg
    # The table beside the chart keeps the whole name.
    assert long_title.strip() in set(charts.competency_table(longer)["Competency"])


def test_pay_figures_are_listed_as_their_source_gives_them_not_rounded():
    rows = pd.DataFrame(
        [
            ("r", "salary_median", 72000.5, "USD per year", "2024", "US", "A", "", ""),
            ("r", "salary_low", 45000.25, "USD per year", "2024", "US", "A", "", ""),
            ("r", "salary_p90", 0.5, "USD per year", "2024", "US", "A", "", ""),
        ],
        columns=COLUMNS,
    )
    assert list(charts.salary_table(rows)["Amount"]) == ["$72,000.50", "$45,000.25", "$0.50"]


def test_the_pay_chart_says_sources_differ_only_when_it_has_more_than_one():
    def subtitle(sources: list[str]) -> str:
        rows = pd.DataFrame(
            [("r", "salary_median", 50000.0 + i, "USD per year", "2024", "US", s, "", "")
             for i, s in enumerate(sources)],
            columns=COLUMNS,
        )  # fmt: skip
        title = charts.salary_chart(rows).to_dict(validate=False)["title"]
        return (
            " ".join(title["subtitle"])
            if isinstance(title["subtitle"], list)
            else title["subtitle"]
        )

    assert "differ" not in subtitle(["One survey"])
    assert "Figures differ between sources." in subtitle(["One survey", "Another survey"])
