"""ISC Blueprint entry point: page config, the sign-in gate and role-based navigation."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

import streamlit as st
from streamlit.errors import FragmentHandledException

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


# Every page: its address (url path), script, title and icon. The tools come from content.
_TOOL_ICONS = {"budget": "payments", "action_plan": "checklist", "questions": "quiz",
               "engagement": "groups", "guidebook": "menu_book"}


def _pages() -> dict[str, tuple[str, str, str]]:
    tools = {t.id.replace("_", "-"): (f"pages/{t.id}.py", f"{t.number}. {t.name}",
                                      _TOOL_ICONS[t.id]) for t in ws.tools()}
    return {
        "workshop": ("pages/workshop.py", "Workshop", "co_present"),
        "teams": ("pages/teams.py", "Teams", "diversity_3"),
        "clinic": ("pages/clinic.py", "Clinic review", "rate_review"),
        "peer-round": ("pages/peer_round.py", "Peer round", "sync_alt"),
        "present": ("pages/present.py", "Present", "present_to_all"),
        "follow-up-admin": ("pages/followup_admin.py", "Webinars and help", "event"),
        "home": ("pages/home.py", "Team home", "home"),
        "assessment": ("pages/assessment.py", "Self-assessment", "radar"),
        "feedback": ("pages/feedback.py", "Feedback", "forum"),
        "peer-review": ("pages/peer.py", "Peer review", "sync_alt"),
        **tools,
        "blueprint": ("pages/blueprint.py", "Blueprint", "picture_as_pdf"),
        "follow-up": ("pages/followup.py", "Follow-up", "trending_up"),
    }


def _navigation(sections: dict[str, list[str]], start: str) -> dict[str, list[st.Page]]:
    """Build the menu; `start` is the page "/" opens.

    Streamlit serves the start page at "/" only and answers its own address (a bookmark, a
    link someone shared) with a "Page not found" dialog. So the start page gets an internal
    address and a hidden page at its real one switches to it.
    """
    table = _pages()
    built: dict[str, list[st.Page]] = {}
    start_page = None
    for section, paths in sections.items():
        built[section] = []
        for path in paths:
            script, title, icon = table[path]
            page = st.Page(script, title=title, icon=f":material/{icon}:",
                           url_path=f"{path}-start" if path == start else path,
                           default=path == start)
            start_page = page if path == start else start_page
            built[section].append(page)
    built[next(iter(built))].append(
        st.Page(lambda: st.switch_page(start_page), title=start_page.title, url_path=start,
                visibility="hidden"))
    return built


def _signin_navigation() -> list[st.Page]:
    """Whatever address a signed-out person opens (a bookmark), they see the sign-in page."""
    return [st.Page("pages/signin.py", title="Sign in", icon=":material/login:",
                    url_path="signin", default=True),
            *[st.Page("pages/signin.py", title="Sign in", url_path=path, visibility="hidden")
              for path in _pages()]]


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
            # A database that cannot save (disk full) cannot record the sign-out; the
            # browser still forgets the session, as /auth/signout clears the cookie anyway.
            with contextlib.suppress(StoreError):
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
        found = common.signed_in(store, token, facilitator_edits=bool(
            st.session_state.get("facilitator_edits")))
        if found is None:
            if st.session_state.pop("token", None):
                st.session_state["signin_notice"] = "Your sign-in has ended. Please sign in again."
            st.session_state.pop("_ctx", None)
            nav = st.navigation(_signin_navigation(), position="hidden")
            nav.run()
            return
        st.session_state["token"] = token
        session, actor = found
        common.take_unsaved(token, session.team_id)
        c = common.Context(store=store, session=session, key=common.server_key(path),
                           actor=actor)
        st.session_state["_ctx"] = c
        st.html(_READABLE_DISABLED_CSS)  # style only: Streamlit adds it without a gap
        team_work = ["home", "assessment", *[t.id.replace("_", "-") for t in ws.tools()],
                     "blueprint"]
        if c.is_facilitator:
            pages = _navigation({"Facilitate": ["workshop", "teams", "clinic", "peer-round",
                                                "present", "follow-up-admin"],
                                 "Team work": [*team_work, "follow-up"]}, start="workshop")
        elif c.session.role == "guest":
            pages = _navigation({"Clinic": ["clinic"], "Case study": team_work}, start="clinic")
        else:
            pages = _navigation({"Your team": ["home", "assessment", "feedback", "peer-review",
                                               "follow-up"],
                                 "The five tools": team_work[2:-1], "Take home": ["blueprint"]},
                                start="home")
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
except FragmentHandledException:
    raise  # Streamlit already showed a fragment's error and needs this to pass
except Exception:
    if os.environ.get("ISC_RAISE_PAGE_ERRORS"):
        raise  # the test suite: AppTest reports the exception and the test fails
    # Never a traceback on screen (showErrorDetails is off too): the log gets it, the person
    # gets what to do. Every save is immediate, so what was saved before this is safe.
    logging.getLogger("isc.app").exception("A page failed")
    st.error(common.ERROR_MESSAGE, icon=":material/error:")
