"""Sign in: a team member joins with the code on the team's card; a facilitator uses the password."""

import streamlit as st

from pages.common import hand_over_unsaved, md, server_key, show_unsaved
from toolkit import auth
from toolkit.store import Store, StoreUnavailable, db_path

st.title("Sign in to ISC Blueprint")
st.write(
    "ISC Blueprint is the workspace of the Mayors Leadership Institute on Smart Cities. "
    "Your team builds its plan here with five tools and takes home a Blueprint."
)
if notice := st.session_state.pop("signin_notice", None):
    st.info(notice)
show_unsaved(signed_in=False)


def _cannot_save(exc: StoreUnavailable) -> None:
    # A sign-in is a write (the session, the sign-in log), so it waits until the database
    # can save again; sessions already open only read to check who is signed in.
    st.error(exc.explain("Signing in needs to save, so nobody can sign in until that is "
                         "fixed; people already signed in can keep reading"))


def _finish(store: Store, signed_in: auth.SignedIn) -> None:
    st.session_state["token"] = signed_in.token
    hand_over_unsaved(signed_in.token)
    ticket = auth.issue_ticket(store, signed_in)
    st.session_state["pending_redirect"] = f"/auth/session?ticket={ticket}"
    st.rerun()


client = st.context.ip_address if isinstance(st.context.ip_address, str) else ""
join_tab, facilitator_tab = st.tabs(["Join your team", "Facilitator"])

with join_tab, st.form("join", enter_to_submit=True):
    st.header("Join your team")
    code = st.text_input("Join code", placeholder="7KQ2-M9XD-4TPRW", max_chars=40,
                         help="It is printed on your team's card (or in your invitation, for "
                              "co-facilitators and expert guests). Dashes and case do not "
                              "matter.")
    name = st.text_input("Your name", max_chars=auth.NAME_MAX,
                         help="Your teammates see who saved each change.")
    if st.form_submit_button("Join", type="primary"):
        with Store(db_path(), migrate=False) as store:
            try:
                _finish(store, auth.sign_in_with_code(store, server_key(str(db_path())), code, name,
                                                 client))
            except auth.SignInError as exc:
                st.error(md(exc))
            except StoreUnavailable as exc:
                _cannot_save(exc)

with facilitator_tab, st.form("facilitator", enter_to_submit=True):
    st.header("Facilitator sign-in")
    fname = st.text_input("Your name", value="Facilitator", max_chars=auth.NAME_MAX)
    password = st.text_input("Facilitator password", type="password", max_chars=200)
    if st.form_submit_button("Sign in", type="primary"):
        with Store(db_path(), migrate=False) as store:
            try:
                _finish(store, auth.sign_in_facilitator(store, password, fname, client))
            except auth.SignInError as exc:
                st.error(md(exc))
            except StoreUnavailable as exc:
                _cannot_save(exc)
