"""ISC Blueprint entry point: page config, the sign-in gate and role-based navigation."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import streamlit as st

from pages import common
from toolkit import auth
from toolkit import workshop as ws
from toolkit.content import ContentError
from toolkit.store import Store, StoreError, db_path

st.set_page_config(
    page_title="ISC Blueprint",
    # A local file: a material-icon favicon would be fetched from a font server.
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)


@st.cache_resource(show_spinner=False)
def _migrated(path: str) -> bool:
    # A flag, not a connection: migrations run once per process; connections open per run.
    Store(path).close()
    return True


# Streamlit draws disabled widgets at 40% opacity, under the WCAG 4.5:1 contrast ratio.
# Facilitators read teams' work through disabled (read-only) widgets, so labels and values
# keep full text colour; the grey field background still says "read-only".
_READABLE_DISABLED_CSS = """<style>
[data-testid="stWidgetLabel"] p, [data-testid="stWidgetLabel"],
input:disabled, textarea:disabled, [aria-disabled="true"] div {
  color: inherit !important; -webkit-text-fill-color: currentColor !important; opacity: 1 !important;
}
</style>"""


def _redirect(url: str) -> None:
    """Send the browser to one of server.py's routes (cookies can only be set there)."""
    st.html(f"<script>window.location.replace({json.dumps(url)});</script>",
            unsafe_allow_javascript=True)
    st.caption(f"One moment… If nothing happens, [continue]({url}).")


def _page(path: str, title: str, icon: str, **kw) -> st.Page:
    return st.Page(path, title=title, icon=f":material/{icon}:", **kw)


def _tool_pages() -> list[st.Page]:
    icons = {"budget": "payments", "action_plan": "checklist", "questions": "quiz",
             "engagement": "groups", "guidebook": "menu_book"}
    return [_page(f"pages/{t.id}.py", f"{t.number}. {t.name}", icons[t.id],
                  url_path=t.id.replace("_", "-")) for t in ws.tools()]


def _sidebar(c: common.Context) -> None:
    with st.sidebar:
        role = {"facilitator": "Facilitator", "guest": "Expert guest (reads and comments)",
                "team": "Team member"}[c.session.role]
        st.markdown(f"**{common.md(c.session.name)}**"
                    + (f"  \n{role}" if c.session.name != role else ""))
        if c.is_facilitator:
            st.toggle("Edit the team's work", key="facilitator_edits",
                      help="Teams' pages open read-only for facilitators, so a look never "
                           "changes anything. Turn this on to edit.")
        if c.session.role in ("facilitator", "guest"):
            teams = c.store.list_teams(c.actor)
            if teams:
                st.selectbox(
                    "Team to view",
                    [t.id for t in teams],
                    format_func={t.id: f"{t.city or t.slug}, {t.state}".strip(", ")
                                 for t in teams}.get,
                    key="viewed_team_id",
                )
        if st.button("Sign out", icon=":material/logout:"):
            auth.sign_out(c.store, st.session_state.get("token"))
            st.session_state.clear()
            st.session_state["pending_redirect"] = "/auth/signout"
            st.rerun()


def main() -> None:
    path = str(db_path())
    _migrated(path)
    with Store(path, migrate=False) as store:
        if url := st.session_state.pop("pending_redirect", None):
            _redirect(url)
            return
        token = st.session_state.get("token") or st.context.cookies.get(auth.COOKIE_NAME)
        token = token if isinstance(token, str) else None
        session = auth.session_for_token(store, token)
        if session is None:
            if st.session_state.pop("token", None):
                st.session_state["signin_notice"] = "Your sign-in has ended. Please sign in again."
            st.session_state.pop("_ctx", None)
            nav = st.navigation([_page("pages/signin.py", "Sign in", "login")], position="hidden")
            nav.run()
            return
        st.session_state["token"] = token
        common.take_unsaved(token, session.team_id)
        actor = store.actor_for(session)
        if session.role == "facilitator" and not st.session_state.get("facilitator_edits"):
            actor = dataclasses.replace(actor, read_only=True)
        c = common.Context(store=store, session=session, key=common.server_key(path),
                           actor=actor)
        st.session_state["_ctx"] = c
        st.html(_READABLE_DISABLED_CSS)  # style only: Streamlit adds it without a gap
        home = _page("pages/home.py", "Team home", "home", url_path="home",
                     default=c.session.role == "team")
        blueprint = _page("pages/blueprint.py", "Blueprint", "picture_as_pdf",
                          url_path="blueprint")
        assessment = _page("pages/assessment.py", "Self-assessment", "radar",
                           url_path="assessment")
        clinic = _page("pages/clinic.py", "Clinic review", "rate_review", url_path="clinic",
                       default=c.session.role == "guest")
        followup = _page("pages/followup.py", "Follow-up", "trending_up", url_path="follow-up")
        if c.is_facilitator:
            pages = {
                "Facilitate": [
                    _page("pages/workshop.py", "Workshop", "co_present", url_path="workshop",
                          default=True),
                    _page("pages/teams.py", "Teams", "diversity_3", url_path="teams"),
                    clinic,
                    _page("pages/peer_round.py", "Peer round", "sync_alt",
                          url_path="peer-round"),
                    _page("pages/present.py", "Present", "present_to_all",
                          url_path="present"),
                    _page("pages/followup_admin.py", "Webinars and help", "event",
                          url_path="follow-up-admin"),
                ],
                "Team work": [home, assessment, *_tool_pages(), blueprint, followup],
            }
        elif c.session.role == "guest":
            pages = {"Clinic": [clinic], "Case study": [home, assessment, *_tool_pages(),
                                                         blueprint]}
        else:
            feedback = _page("pages/feedback.py", "Feedback", "forum", url_path="feedback")
            peer = _page("pages/peer.py", "Peer review", "sync_alt", url_path="peer-review")
            pages = {"Your team": [home, assessment, feedback, peer, followup],
                     "The five tools": _tool_pages(), "Take home": [blueprint]}
        nav = st.navigation(pages, position="top")
        _sidebar(c)
        common.session_watch()
        nav.run()
        if st.session_state.pop("_rerun_after_page", False):
            st.rerun()  # autosave found text the browser kept across a lost session


try:
    main()
except ContentError as exc:
    # A content file was edited badly: say which file and field, keep everyone's work safe.
    st.error(f"The app's content has a problem, so this page cannot open. {exc}",
             icon=":material/error:")
except StoreError as exc:
    st.error(str(exc), icon=":material/block:")
