"""The readiness report on screen: the same view for the candidate and their counselor."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from readiness import charts
from readiness.markup import (
    competencies_html,
    html_table,
    plan_html,
    requirements_html,
    score_html,
)
from readiness.scoring import ScoreResult, round_half_up
from ui.charts import chart_image_html
from ui.common import opened_panel


def show_table(
    table: pd.DataFrame, *, label: str | None = None, two_decimals: Iterable[str] = ()
) -> None:
    """A small table as one block of escaped HTML: far lighter to draw than st.table (a
    Markdown element per cell), and read by screen readers cell by cell. `two_decimals`
    columns show 0.50, as the chart beside them labels it, not 0.5."""
    st.html(html_table(table, label=label, two_decimals=two_decimals))


def result_key(result: ScoreResult) -> str:
    """Everything the competency chart and table of this result show, as text: a cache key."""
    return json.dumps(
        [result.role_title]
        + [
            [c.id, c.title, c.level, c.target, c.gap, c.importance, c.assessed]
            for c in result.competencies
        ]
    )


@st.cache_data(show_spinner=False, max_entries=512)
def _competency_table(cache_key: str, _result: ScoreResult) -> str:
    # `cache_key` is `result_key(_result)`: everything the table shows.
    return html_table(
        charts.competency_table(_result),
        label="Your level and the job's target, by skill",
        two_decimals=("Your level", "Gap"),
    )


def computation_table(result: ScoreResult) -> pd.DataFrame:
    rows = []
    for competency in result.competencies:
        if not competency.evidence:
            rows.append(
                {
                    "Competency": competency.title,
                    "Question": "(no answer measured it)",
                    "Answer": "",
                    "Level": 0.0,
                    "Weight": "",
                }
            )
        for evidence in competency.evidence:
            rows.append(
                {
                    "Competency": competency.title,
                    "Question": evidence.prompt,
                    "Answer": evidence.answer_text,
                    "Level": float(round_half_up(evidence.level, 2)),
                    # As written: 0.001 rounded to two decimals would read as "counts for 0".
                    "Weight": f"{evidence.weight:g}",
                }
            )
    return pd.DataFrame(rows)


def render_computation(result: ScoreResult, *, key: str) -> None:
    # The answer-by-answer table is long, and most readers never open it.
    panel = opened_panel("How is this computed?", key=f"{key}_computation")
    if panel is None:
        return
    with panel:
        st.markdown(
            "1. Each answer that measures a skill gets a level from 0 to 4: a rating scales its "
            "value to 0–4, a choice has the level the role's author gave it, several choices add "
            "up (at most 4), yes counts as the question's yes level, a number takes the level of "
            "the highest threshold it reaches. Hidden questions do not count.\n"
            "2. A skill's level is the weighted mean of those answers' levels.\n"
            "3. Its gap is the target minus your level (never below 0); its attainment is your "
            "level divided by the target, at most 1.\n"
            "4. Readiness is 100 × the sum of importance × attainment over the sum of importance, "
            "rounded half up."
        )
        show_table(computation_table(result), label="The answers that counted, by skill")
        weighted = sum(c.importance * c.attainment for c in result.competencies)
        total = sum(c.importance for c in result.competencies)
        terms = " + ".join(f"{c.importance:g}×{c.attainment:.3f}" for c in result.competencies)
        st.markdown(
            f"Readiness = 100 × ({terms}) / {total:g} = 100 × {weighted:.3f} / {total:g} "
            f"= {result.readiness_exact:.2f}, rounded to **{result.readiness}**."
        )


def render_result(result: ScoreResult, *, key: str, lead: str | None = None) -> None:
    """Score, skills, must-haves, plan and the arithmetic, in the order a reader needs them;
    `lead` follows the role's title above the score (see `markup.score_html`)."""
    cache_key = result_key(result)
    chart = chart_image_html("competency:" + cache_key, lambda: charts.competency_chart(result))
    # One block for all but the arithmetic: a page of many small elements is slow to draw.
    st.html(
        score_html(result, lead=lead)
        + competencies_html(result, chart=chart, table=_competency_table(cache_key, result))
        + requirements_html(result)
        + plan_html(result)
    )
    render_computation(result, key=key)
