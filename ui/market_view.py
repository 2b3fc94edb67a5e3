"""Pay, growth and the next career step, every figure with its source and period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness import charts
from readiness.content import Content
from readiness.outlook import ONET_ATTRIBUTION, Figure, career_path, growth_outlook, salary_outlook
from readiness.schema import RoleProfile
from ui.charts import show_chart
from ui.report_view import plain, show_table


def figures_table(figures: list[Figure]) -> pd.DataFrame:
    """One row per figure; a source or period is written only where it changes from the row
    above, so a table of one source reads as one block."""
    rows, previous = [], None
    for figure in figures:
        origin = (figure.source, figure.period, figure.region)
        same = origin == previous
        rows.append(
            {
                "Figure": figure.label,
                "Value": figure.display,
                "Period": "" if same else ", ".join(p for p in (figure.period, figure.region) if p),
                "Source": "" if same else figure.source,
                "Note": "" if same else " ".join(figure.caveats),
            }
        )
        previous = origin
    table = pd.DataFrame(rows)
    return table.drop(columns=["Note"]) if not table["Note"].any() else table


def _figures_table(figures: list[Figure]) -> None:
    show_table(figures_table(figures))
    pages = list(dict.fromkeys(f.url for f in figures if f.url))
    if pages:
        links = [
            f"[{index}]({(url if url.startswith('http') else 'https://' + url).replace(')', '%29').replace(' ', '%20')})"
            for index, url in enumerate(pages, start=1)
        ]
        st.markdown("Source pages: " + " · ".join(links))


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
            _figures_table(group.figures)
        else:
            st.markdown(group.figures.message)

    st.markdown("**Employment growth**")
    figures = growth.figures
    if figures:
        _figures_table(figures)
    else:
        st.markdown("No sourced growth figure is available for this role.")

    if path.steps:
        st.markdown("**Career path**: " + " → ".join(path.titles))
        for step in path.steps:
            st.markdown(plain(step.step.basis))
            if step.caveat:
                st.markdown(plain(step.caveat))
    st.markdown(plain(ONET_ATTRIBUTION))
