"""Entry point: the pages each visitor may see, and the shared sidebar."""

import streamlit as st

from ui import common
from ui.charts import warm_up_renderer_in_background

st.set_page_config(page_title="Job readiness", page_icon=":material/explore:", layout="wide")

# Each page's address is its file's name: on a fresh server Streamlit serves the first visit
# by file name (see `common.through_app_shell`), and another address would be "not found".
user = common.current_user()
role = user.role if user is not None else None
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


def staff_page(script: str, title: str, icon: str, url_path: str, *, for_role: str) -> st.Page:
    # Listed only for its role. For anyone else it is there but hidden: its address (a reload
    # signs staff out) opens the page, which asks them to sign in, not "page not found".
    visibility = "visible" if role == for_role else "hidden"
    return st.Page(script, title=title, icon=icon, url_path=url_path, visibility=visibility)


staff_pages = [
    staff_page("pages/cohorts.py", "Cohorts", ":material/groups:", "cohorts", for_role="counselor"),
    staff_page(
        "pages/candidate.py", "Candidate", ":material/person:", "candidate", for_role="counselor"
    ),
    staff_page(
        "pages/studio.py", "Content studio", ":material/edit_note:", "studio", for_role="instructor"
    ),
]
if user is None:
    account = st.Page(
        "pages/sign_in.py", title="Staff sign-in", icon=":material/login:", url_path="sign_in"
    )
else:
    account = st.Page(
        "pages/sign_in.py", title="Account", icon=":material/account_circle:", url_path="sign_in"
    )

# A flat list: Streamlit's sectioned sidebar puts headings straight inside its <ul>, which
# screen readers (and axe's list rules) reject.
navigation = st.navigation(candidate_pages + staff_pages + [account])
# The chart renderer starts while a candidate answers, not when they first reach their results.
warm_up_renderer_in_background()
common.page_style()
common.sidebar()
navigation.run()
