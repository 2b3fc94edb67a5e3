"""Pay, growth and the next career step, every figure with its source and period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness import charts
from readiness.content import Content
from readiness.outlook import ONET_ATTRIBUTION, Figure, career_path, growth_outlook, salary_outlook
from readiness.schema import RoleProfile
from ui.charts import show_chart
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


@st.cache_resource(show_spinner=False, max_entries=64)
def _outlooks(revision: str, role_id: str, _content: Content):
    # Market figures change only with the content files, not with answers.
    return (
        salary_outlook(_content, role_id),
        growth_outlook(_content, role_id),
        career_path(_content, role_id),
    )


def render_market(content: Content, role: RoleProfile, *, revision: str) -> None:
    """`revision` names the content's state (`common.content_revision()`), for caching."""
    st.subheader("Pay and outlook")
    salary, growth, path = _outlooks(revision, role.id, content)
    if salary.rows.empty:
        st.markdown("No sourced salary figure is available for this role, so none is shown.")
    else:
        st.markdown(
            "Sources disagree, so each is shown on its own line with its period. The role has no "
            "official occupation code; figures for the closest occupations are labelled as such."
        )
        show_chart(
            f"salary:{role.id}:{revision}",
            lambda: charts.salary_chart(salary.rows),
            key="salary_chart",
        )
    for group in salary.groups:
        st.markdown(f"**{group.heading}**")
        if group.sourced:
            _figures_table(group.figures, key=f"salary_{group.market_role}")
        else:
            st.markdown(group.figures.message)

    st.markdown("**Employment growth**")
    figures = growth.figures
    if figures:
        _figures_table(figures, key="growth_table")
    else:
        st.markdown("No sourced growth figure is available for this role.")

    if path.steps:
        st.markdown("**Career path**: " + " → ".join(path.titles))
        for step in path.steps:
            st.markdown(plain(step.step.basis))
            if step.caveat:
                st.markdown(plain(step.caveat))
    st.markdown(plain(ONET_ATTRIBUTION))
