"""Outlook: every figure shown is a market row, with its source, period and caveats."""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness import outlook
from readiness.content import PROJECT_ROOT, Content, load_content
from readiness.market import METRICS, SALARY_METRICS, parse_market_csv

ROLE = "physician-liaison"


@pytest.fixture(scope="module")
def content():
    return load_content(PROJECT_ROOT)


def row_keys(market):
    return {
        (r.role, r.metric, float(r.value), str(r.period), str(r.source))
        for r in market.itertuples()
        if r.value == r.value  # not NaN
    }


def all_figures(content, role):
    salary = outlook.salary_outlook(content, role)
    growth = outlook.growth_outlook(content, role)
    path = outlook.career_path(content, role)
    figures = salary.figures + growth.figures
    for step in path.steps:
        for kind in (step.salary, step.growth):
            if not isinstance(kind, outlook.NoSourcedFigure):
                figures += kind
    return figures


def assert_every_figure_is_a_row(content, role):
    keys = row_keys(content.market)
    for figure in all_figures(content, role):
        key = (figure.market_role, figure.metric, figure.value, figure.period, figure.source)
        assert key in keys, key
        # the displayed text carries the row's number and no other
        shown = re.findall(r"-?\d+(?:\.\d+)?", figure.display.replace(",", ""))
        assert [float(n) for n in shown] == [figure.value]
        # caveats are words, never figures of their own
        assert not any(re.search(r"\d", caveat) for caveat in figure.caveats)


def test_salary_outlook_of_the_shipped_role(content):
    result = outlook.salary_outlook(content, ROLE)
    assert result.role.relation == outlook.THIS_ROLE and result.role.sourced
    assert [f.display for f in result.role.figures][:2] == ["$60,000 a year", "$100,000 a year"]
    assert all(f.source and f.period for f in result.figures)
    related = {g.market_role: g for g in result.related}
    assert set(related) == {"public-relations-specialists", "medical-health-services-managers"}
    director = related["medical-health-services-managers"]
    assert director.relation == outlook.CAREER_STEP and director.soc == "11-9111"
    assert director.heading == "Career step: Medical and Health Services Managers (11-9111)"
    assert related["public-relations-specialists"].relation == outlook.RELATED
    # the chart input holds exactly the salary rows of the groups
    assert set(result.rows["metric"]) <= set(SALARY_METRICS)
    assert len(result.rows) == len(result.figures)
    assert_every_figure_is_a_row(content, ROLE)


def test_growth_outlook_flags_the_all_occupations_rate(content):
    result = outlook.growth_outlook(content, ROLE)
    (own,) = result.role.figures
    assert (own.display, own.period) == ("+8%", "2020-2030")
    assert any("all occupations" in caveat for caveat in own.caveats)
    related = {g.market_role: g for g in result.related}
    pr = related["public-relations-specialists"].figures
    growth = [(f.display, f.period) for f in pr if f.metric == "growth_pct"]
    assert growth == [("+7%", "2019-2029"), ("+6%", "2023-2033")]
    # Employment, the spec's other outlook metric, with its own period and source.
    jobs = [(f.display, f.period) for f in pr if f.metric == "employment"]
    assert ("244,550 jobs", "May 2020") in jobs and ("308,000 jobs", "2023") in jobs
    assert not any(f.caveats for f in pr)


def test_an_old_edition_says_so_and_its_pay_is_in_dollars_of_its_year(content):
    source = "BLS OEWS May 2003 (archived copy; old edition), 41-4011 Sales representatives"
    records = [
        {"role": "sales", "metric": metric, "value": value, "unit": unit, "period": "May 2003",
         "region": "United States", "source": source, "url": "", "retrieved": "2026-11-26"}
        for metric, value, unit in (("employment", 390080, "jobs"), ("salary_median", 57120, "USD per year"))
    ]  # fmt: skip
    old = Content(root=Path("."), roles={ROLE: content.roles[ROLE]}, market_records=records)
    (group,) = outlook.salary_outlook(old, ROLE).related
    assert [f.caveats for f in group.figures] == [(outlook.OLD_EDITION, outlook.OLD_DOLLARS)]
    # No growth figure for this occupation, only its employment: shown, with its source, and
    # without talk of dollars.
    (group,) = outlook.growth_outlook(old, ROLE).related
    assert [(f.metric, f.caveats) for f in group.figures] == [
        ("employment", (outlook.OLD_EDITION,))
    ]


def test_career_path_of_the_shipped_role(content):
    path = outlook.career_path(content, ROLE)
    assert path.titles == ["Physician liaison", "Director of physician relations"]
    (step,) = path.steps
    assert step.occupation == "Medical and Health Services Managers (11-9111)"
    assert {(f.metric, f.period) for f in step.salary} >= {
        ("salary_median", "May 2019"),
        ("salary_median", "May 2023"),
    }
    assert [f.display for f in step.growth] == ["+29%"]
    assert "whole occupation" in step.caveat


def test_nothing_sourced_gives_markers_not_numbers(content):
    role = content.roles[ROLE].model_copy(
        update={"market": None, "id": "other", "career_steps": []}
    )
    bare = Content(root=Path("."), roles={"other": role}, market_records=[])
    salary = outlook.salary_outlook(bare, role)
    assert isinstance(salary.role.figures, outlook.NoSourcedFigure)
    assert salary.role.figures.message == "No sourced figure for salary of Physician liaison."
    assert salary.related == [] and salary.rows.empty
    assert isinstance(outlook.growth_outlook(bare, role).role.figures, outlook.NoSourcedFigure)
    assert outlook.career_path(bare, role).steps == []
    # the seed role's step, with no market rows, keeps the step and marks its figures
    seed = Content(root=Path("."), roles={ROLE: content.roles[ROLE]}, market_records=[])
    (step,) = outlook.career_path(seed, ROLE).steps
    assert isinstance(step.salary, outlook.NoSourcedFigure)
    assert isinstance(step.growth, outlook.NoSourcedFigure)
    assert step.caveat is None


# --- property: whatever the CSV holds, every returned number is one of its rows ----------------

SOURCES = st.sampled_from(
    [
        "BLS OEWS May 2020, 27-3031 Public relations specialists",
        "BLS OEWS May 2019, 11-9111 Medical and health services managers",
        "Article: growth for all occupations",
        "OEWS (old edition), 41-4011 Sales",
        "A survey of 2,000 liaisons",
        "Code 127-30312 is not a SOC code",
    ]
)
ROW = st.fixed_dictionaries(
    {
        "role": st.sampled_from(
            [ROLE, "public-relations-specialists", "medical-health-services-managers", "other"]
        ),
        "metric": st.sampled_from(METRICS),
        "value": st.one_of(
            st.integers(min_value=0, max_value=500_000).map(str),
            st.decimals(min_value=-5, max_value=40, places=1, allow_nan=False).map(str),
        ),
        "unit": st.sampled_from(["USD per year", "percent", "jobs", "USD per hour", ""]),
        "period": st.sampled_from(["May 2020", "2019-2029", "undated", ""]),
        "source": SOURCES,
    }
)


def market_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["role", "metric", "value", "unit", "period", "region", "source", "url", "retrieved"])  # fmt: skip
    for row in rows:
        writer.writerow([row["role"], row["metric"], row["value"], row["unit"], row["period"], "US", row["source"], "", "2026-11-25"])  # fmt: skip
    return out.getvalue()


@functools.cache
def seed_role():
    return load_content(PROJECT_ROOT).roles[ROLE]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW, max_size=25))
def test_outlook_never_returns_a_number_that_is_not_in_the_csv(rows):
    # rows the parser rejects (a negative salary) are left out, as when the app loads them
    parsed = parse_market_csv(market_text(rows), "market.csv")
    generated = Content(root=Path("."), roles={ROLE: seed_role()}, market_records=parsed.records)
    assert_every_figure_is_a_row(generated, ROLE)
    salary = outlook.salary_outlook(generated, ROLE)
    growth = outlook.growth_outlook(generated, ROLE)
    for group in salary.groups + growth.groups:
        # a group is either backed by rows or says that nothing is sourced
        assert group.sourced == (len(group.rows) > 0)
    for figure in growth.figures:
        assert ("all occupations" in figure.source) == any(
            "all occupations" in c for c in figure.caveats
        )
    # a related group appears only when its rows name a related occupation's code
    for group in salary.related:
        assert group.soc in " ".join(
            generated.market.loc[generated.market["role"] == group.market_role, "source"]
        )


def test_a_figure_shows_its_number_as_the_source_gives_it():
    def shown(metric: str, value: float, unit: str) -> str:
        return outlook.Figure("r", metric, value, unit, "2024", "US", "S", "", "").display

    assert shown("salary_median", 72000.5, "USD per year") == "$72,000.50 a year"
    assert shown("salary_median", 23.5, "USD per hour") == "$23.50 per hour"
    assert shown("growth_pct", 8.5, "percent") == "+8.5%"
    assert shown("employment", 244550, "jobs") == "244,550 jobs"
    assert shown("salary_p90", 0, "") == "0 (unit not given)"  # as the PDF says it
