"""Staff sign-in: the form of the sign-in page, also offered by a staff page opened by a visitor
(a reload or a new tab starts a new session, signed out)."""

from __future__ import annotations

import streamlit as st

from readiness.storage import NotAllowed, TooManyAttempts, User
from ui import common

SIGN_IN_TO_OPEN = (
    "Sign in to open this page. Staff stay signed in within one browser tab, so a reload or a "
    "new tab asks you to sign in again."
)


def sign_in_form() -> None:
    """E-mail and password; on success the session is signed in and the page runs again."""
    with st.form("sign_in_form"):
        email = st.text_input("E-mail", key="sign_in_email", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    try:
        signed_in = common.get_store().authenticate(
            email.strip(), password, client=common.client_key()
        )
    except TooManyAttempts as error:
        st.error(
            f"Too many failed attempts. Sign-in is paused for {error.wait}.",
            icon=":material/timer:",
        )
        return
    if signed_in is None:
        st.error("E-mail or password is not right.", icon=":material/error:")
        return
    st.session_state[common.USER_KEY] = signed_in
    st.rerun()


def still_signed_in(user: User) -> None:
    """For a download made at the click: NotAllowed once `user`'s session has ended (a new
    password, the account removed). The click runs no page, so `require_role` cannot tell."""
    stored = common.get_store().signed_in_still(user)
    if stored is None or stored.role != user.role:
        raise NotAllowed("this session has ended: sign in again")


def require_role(role: str, *, title: str) -> User:
    """The signed-in staff member if they have `role`; otherwise the page shows `title` and
    either the sign-in form or why it is not theirs, and stops (nothing else of it is drawn)."""
    user = common.current_user()
    if user is not None and user.role == role:
        return user
    st.title(title, anchor=False)
    if user is None:
        st.info(SIGN_IN_TO_OPEN, icon=":material/login:")
        sign_in_form()
    else:
        st.warning(f"This page is for {role}s; you are signed in as {user.role}.")
    st.stop()
