"""The web server: Streamlit's ASGI app plus the few plain HTTP routes a Streamlit script cannot do.

`isc serve` runs `streamlit run server.py`; Streamlit finds `app` below and serves app.py.
The routes set and clear the HttpOnly session cookie (see toolkit/auth.py for the hand-off)
and answer a health check.
"""

from __future__ import annotations

import os
import time

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route
from streamlit.runtime.media_file_manager import MediaFileMetadata
from streamlit.runtime.pages_manager import PagesManager

from exports import jobs
from toolkit import auth
from toolkit.store import Store, StoreError

# Pages are registered with st.navigation in app.py. Until st.navigation first runs, Streamlit
# would treat the pages/ folder as a legacy multipage app and could run a page script
# directly, without app.py's sign-in gate; switch that legacy mode off before any session.
PagesManager.uses_pages_directory = False

# A file built when a download button is clicked (the Blueprint, the brief...) belongs to no
# session, and Streamlit deletes such files on the second clean-up after it is built. Clean-up
# runs whenever any session's script finishes, so in a busy room the browser's request for
# the file could arrive after it was gone (the load script saw 404s). Keep an unreferenced
# download for a grace period before it may be deleted.
DOWNLOAD_GRACE_SECONDS = 120.0


def _mark_for_delete(self: MediaFileMetadata) -> None:
    now = time.monotonic()
    since = getattr(self, "_unreferenced_since", None)
    if since is None:
        self._unreferenced_since = now
    elif now - since >= DOWNLOAD_GRACE_SECONDS:
        self._is_marked_for_delete = True


MediaFileMetadata.mark_for_delete = _mark_for_delete
jobs.warm()


def _secure() -> bool:
    return os.environ.get("ISC_COOKIE_SECURE", "").lower() in ("1", "true", "yes")


def session_route(request: Request) -> RedirectResponse:
    """Swap a one-time ticket for the session cookie, then go to the app."""
    try:
        with Store() as store:
            token = auth.redeem_ticket(store, request.query_params.get("ticket"))
    except StoreError:
        token = None  # the database cannot save (disk full): back to the sign-in page
    response = RedirectResponse("/", status_code=303)
    if token:
        response.set_cookie(
            auth.COOKIE_NAME,
            token,
            max_age=auth.SESSION_HOURS * 3600,
            httponly=True,
            samesite="lax",
            secure=_secure(),
            path="/",
        )
    return response


def signout_route(request: Request) -> RedirectResponse:
    try:
        with Store() as store:
            auth.sign_out(store, request.cookies.get(auth.COOKIE_NAME))
    except StoreError:
        pass  # cannot record it (disk full): the browser still forgets the cookie below
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.COOKIE_NAME, path="/", httponly=True, samesite="lax")
    return response


def health_route(request: Request) -> JSONResponse:
    with Store() as store:
        ok = store.conn.execute("SELECT 1").fetchone()[0] == 1
    return JSONResponse({"ok": ok})


app = st.App(
    "app.py",
    routes=[
        Route("/auth/session", session_route),
        Route("/auth/signout", signout_route),
        Route("/healthz", health_route),
    ],
)
