"""Pay, growth and the next career step, every figure with its source and period."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from readiness import charts
from readiness.content import Content
from readiness.markup import NO_SALARY, market_figures_html, market_intro, section_html
from readiness.outlook import career_path, growth_outlook, salary_outlook
from readiness.schema import RoleProfile
from ui.charts import chart_image_html


@dataclass(frozen=True)
class MarketView:
    salary_sourced: bool  # some salary figure is sourced, in whatever unit
    chart_rows: pd.DataFrame  # the salary chart's input; empty when it has nothing to draw
    figures_html: str
    intro: str


@st.cache_resource(show_spinner=False, max_entries=64)
def _market_view(revision: str, role_id: str, _content: Content) -> MarketView:
    # Market figures change only with the content files, not with answers.
    salary = salary_outlook(_content, role_id)
    growth = growth_outlook(_content, role_id)
    path = career_path(_content, role_id)
    return MarketView(
        not salary.rows.empty,
        charts.salary_chart_rows(salary.rows),
        market_figures_html(salary, growth, path),
        market_intro(salary),
    )


def render_market(content: Content, role: RoleProfile, *, revision: str) -> None:
    """`revision` names the content's state (`common.content_revision()`), for caching."""
    view = _market_view(revision, role.id, content)
    if not view.salary_sourced:
        st.html(section_html("Pay and outlook", NO_SALARY, view.figures_html))
        return
    if view.chart_rows.empty:  # figures in other units only: listed, not charted
        st.html(section_html("Pay and outlook", view.intro, view.figures_html))
        return
    chart = chart_image_html(
        f"salary:{role.id}:{revision}",
        lambda: charts.salary_chart(view.chart_rows),
        narrow=lambda: charts.salary_chart(view.chart_rows, narrow=True),
    )
    # One block: a page of many small elements is slow to draw.
    st.html(section_html("Pay and outlook", view.intro, chart, view.figures_html))
