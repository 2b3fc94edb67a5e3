"""Entry point: the pages each visitor may see, and the shared sidebar."""

import streamlit as st

from ui import common
from ui.charts import warm_up_renderer_in_background

st.set_page_config(page_title="Job readiness", page_icon=":material/explore:", layout="wide")

user = common.current_user()
candidate_pages = [
    # The default page's address is the app's own ("/"): Streamlit ignores a url_path here.
    st.Page("pages/start.py", title="Start", icon=":material/home:", default=True),
    st.Page(
        "pages/assessment.py",
        title="Assessment",
        icon=":material/checklist:",
        url_path="assessment",
    ),
    st.Page("pages/results.py", title="Results", icon=":material/insights:", url_path="results"),
]
if user is None:
    staff_pages = [
        st.Page(
            "pages/sign_in.py", title="Staff sign-in", icon=":material/login:", url_path="sign-in"
        )
    ]
else:
    staff_pages = []
    if user.role == "counselor":
        staff_pages += [
            st.Page(
                "pages/cohorts.py", title="Cohorts", icon=":material/groups:", url_path="cohorts"
            ),
            st.Page(
                "pages/candidate.py",
                title="Candidate",
                icon=":material/person:",
                url_path="candidate",
            ),
        ]
    if user.role == "instructor":
        staff_pages.append(
            st.Page(
                "pages/studio.py",
                title="Content studio",
                icon=":material/edit_note:",
                url_path="studio",
            )
        )
    staff_pages.append(
        st.Page(
            "pages/sign_in.py",
            title="Account",
            icon=":material/account_circle:",
            url_path="sign-in",
        )
    )

# A flat list: Streamlit's sectioned sidebar puts headings straight inside its <ul>, which
# screen readers (and axe's list rules) reject.
navigation = st.navigation(candidate_pages + staff_pages)
# The chart renderer starts while a candidate answers, not when they first reach their results.
warm_up_renderer_in_background()
common.page_style()
common.sidebar()
navigation.run()
