"""Staff sign-in for counselors and instructors; signed-in staff see their account here."""

import streamlit as st

from readiness.storage import TooManyAttempts
from ui import common

common.through_app_shell()
st.title("Staff sign-in")
user = common.current_user()

if user is not None:
    st.markdown(f"Signed in as **{user.email}** with the **{user.role}** role.")
    if st.button("Sign out", key="sign_out"):
        st.session_state.pop(common.USER_KEY, None)
        st.rerun()
    st.stop()

st.markdown("For counselors and instructors. Candidates do not need an account.")
with st.form("sign_in_form"):
    email = st.text_input("E-mail", key="sign_in_email", autocomplete="username")
    password = st.text_input(
        "Password", type="password", key="sign_in_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    store = common.get_store()
    try:
        signed_in = store.authenticate(email.strip(), password, client=common.client_key())
    except TooManyAttempts as error:
        st.error(
            f"Too many failed attempts. Sign-in is paused for {error.wait}.",
            icon=":material/timer:",
        )
    else:
        if signed_in is None:
            st.error("E-mail or password is not right.", icon=":material/error:")
        else:
            st.session_state[common.USER_KEY] = signed_in
            st.rerun()
