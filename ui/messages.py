"""Showing located problems to people: a short message and a table of file, line and field."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness.messages import Issue


def issues_table(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"File": issue.file, "Line": issue.line, "Field": issue.loc, "Problem": issue.message}
            for issue in issues
        ],
        columns=["File", "Line", "Field", "Problem"],
    )


def show_issues(issues: list[Issue], *, intro: str) -> None:
    noun = "problem" if len(issues) == 1 else "problems"
    st.error(
        f"{intro} {len(issues)} {noun}, listed with the line where each starts.",
        icon=":material/error:",
    )
    # Room for the field path and the message, which say what to fix; a cell shows the rest
    # of a longer one when hovered or opened.
    st.dataframe(
        issues_table(issues),
        hide_index=True,
        width="stretch",
        column_config={
            "Line": st.column_config.NumberColumn(width="small"),
            "Field": st.column_config.TextColumn(width="medium"),
            "Problem": st.column_config.TextColumn(width="large"),
        },
    )
