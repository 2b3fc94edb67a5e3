"""Pay, growth and the next career step, every figure with its source and period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness import charts
from readiness.content import Content
from readiness.outlook import ONET_ATTRIBUTION, Figure, career_path, growth_outlook, salary_outlook
from readiness.schema import RoleProfile
from ui.report_view import plain


def figure_rows(figures: list[Figure]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Figure": figure.label,
                "Value": figure.display,
                "Period": figure.period,
                "Region": figure.region,
                "Source": figure.source,
                "Link": figure.url,
                "Note": " ".join(figure.caveats),
            }
            for figure in figures
        ]
    )


def _figures_table(figures: list[Figure], key: str) -> None:
    st.dataframe(
        figure_rows(figures),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={"Link": st.column_config.LinkColumn("Link")},
    )


def render_market(content: Content, role: RoleProfile) -> None:
    st.subheader("Pay and outlook")
    salary = salary_outlook(content, role)
    if salary.rows.empty:
        st.markdown("No sourced salary figure is available for this role, so none is shown.")
    else:
        st.markdown(
            "Sources disagree, so each is shown on its own line with its period. The role has no "
            "official occupation code; figures for the closest occupations are labelled as such."
        )
        st.altair_chart(charts.salary_chart(salary.rows), width="stretch", key="salary_chart")
    for group in salary.groups:
        st.markdown(f"**{group.heading}**")
        if group.sourced:
            _figures_table(group.figures, key=f"salary_{group.market_role}")
        else:
            st.markdown(group.figures.message)

    st.markdown("**Employment growth**")
    growth = growth_outlook(content, role)
    figures = growth.figures
    if figures:
        _figures_table(figures, key="growth_table")
    else:
        st.markdown("No sourced growth figure is available for this role.")

    path = career_path(content, role)
    if path.steps:
        st.markdown("**Career path**: " + " → ".join(path.titles))
        for step in path.steps:
            st.markdown(plain(step.step.basis))
            if step.caveat:
                st.markdown(plain(step.caveat))
    st.markdown(plain(ONET_ATTRIBUTION))
