"""Entry point: the pages each visitor may see, and the shared sidebar."""

import streamlit as st

from ui import common
from ui.charts import warm_up_renderer_in_background

st.set_page_config(page_title="Job readiness", page_icon=":material/explore:", layout="wide")


def menu(role: str | None) -> list[st.Page]:
    """Every page of the app, in menu order, for a staff `role` (None: anyone else).

    Each page's address is its file's name: on a fresh server Streamlit serves the first visit
    by file name (see `common.through_app_shell`), and another address would be "not found".
    """
    candidate_pages = [
        # The default page's address is the app's own ("/").
        st.Page("pages/start.py", title="Start", icon=":material/home:", default=True),
        st.Page("pages/assessment.py", title="Assessment", icon=":material/checklist:"),
        st.Page("pages/results.py", title="Results", icon=":material/insights:"),
    ]

    def staff_page(script: str, title: str, icon: str, *, for_role: str) -> st.Page:
        # Listed only for its role. For anyone else it is there but hidden: its address (a
        # reload signs staff out) opens the page, which asks to sign in, not "page not found".
        visibility = "visible" if role == for_role else "hidden"
        return st.Page(script, title=title, icon=icon, visibility=visibility)

    staff_pages = [
        staff_page("pages/cohorts.py", "Cohorts", ":material/groups:", for_role="counselor"),
        staff_page("pages/candidate.py", "Candidate", ":material/person:", for_role="counselor"),
        staff_page(
            "pages/studio.py", "Content studio", ":material/edit_note:", for_role="instructor"
        ),
    ]
    if role is None:
        account = st.Page("pages/sign_in.py", title="Staff sign-in", icon=":material/login:")
    else:
        account = st.Page("pages/sign_in.py", title="Account", icon=":material/account_circle:")
    # A flat list: Streamlit's sectioned sidebar puts headings straight inside its <ul>, which
    # screen readers (and axe's list rules) reject.
    return candidate_pages + staff_pages + [account]


user = common.current_user()
role = user.role if user is not None else None
# Made again only when who is signed in changes: st.Page looks its file up on disk each time
# it is made, which every rerun of a questionnaire step would pay (docs/performance.md, (a)).
made_for = st.session_state.get(common.MENU_KEY)
if made_for is None or made_for[0] != role:
    made_for = st.session_state[common.MENU_KEY] = (role, menu(role))
navigation = st.navigation(made_for[1])
# Each page's own title first, so that tabs, history and screen readers tell pages apart.
st.set_page_config(page_title=f"{navigation.title} · Job readiness")
# The chart renderer starts while a candidate answers, not when they first reach their results.
warm_up_renderer_in_background()
common.page_style()
common.sidebar()
navigation.run()
