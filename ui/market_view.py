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


def by_origin(figures: list[Figure]) -> list[tuple[list[Figure], pd.DataFrame]]:
    """Figures grouped by period, region and page, in file order. A group whose figures share
    one source gets a Figure/Value table (the source is said above it); otherwise each row
    carries its own Source."""
    groups: dict[tuple, list[Figure]] = {}
    for figure in figures:
        groups.setdefault((figure.period, figure.region, figure.url), []).append(figure)
    result = []
    for members in groups.values():
        table = {"Figure": [f.label for f in members], "Value": [f.display for f in members]}
        if len({f.source for f in members}) > 1:
            table["Source"] = [f.source for f in members]
        result.append((members, pd.DataFrame(table)))
    return result


def _figures_table(figures: list[Figure]) -> None:
    for members, table in by_origin(figures):
        first = members[0]
        parts = [] if "Source" in table.columns else [f"Source: {plain(first.source)}"]
        parts += [f"Period: {plain(first.period or 'not stated')}"]
        if first.region:
            parts.append(plain(first.region))
        if first.url:
            address = first.url if first.url.startswith("http") else "https://" + first.url
            parts.append(f"[source page]({address.replace(')', '%29').replace(' ', '%20')})")
        st.markdown(" · ".join(parts))
        for caveat in sorted({c for f in members for c in f.caveats}):
            st.markdown(f"Note: {plain(caveat)}")
        show_table(table)


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
