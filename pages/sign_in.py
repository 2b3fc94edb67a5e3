"""Staff sign-in for counselors and instructors; signed-in staff see their account here."""

from html import escape

import streamlit as st

from ui import common, staff

common.through_app_shell()
user = common.current_user()

if user is not None:
    st.title("Account", anchor=False)
    # HTML, not Markdown: Markdown makes the address a mailto link, as if to write to oneself.
    st.html(
        f"<p>Signed in as <strong>{escape(user.email)}</strong> with the "
        f"<strong>{user.role}</strong> role.</p>"
    )
    if st.button("Sign out", key="sign_out"):
        st.session_state.pop(common.USER_KEY, None)
        st.rerun()
    st.stop()

st.title("Staff sign-in", anchor=False)
st.markdown("For counselors and instructors. Candidates do not need an account.")
staff.sign_in_form()
