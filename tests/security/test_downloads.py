"""Files built on click check the session again when they are built: after sign-out, expiry,
a withdrawn invitation or a closed peer round, the click gets no file.

Streamlit keeps a download button's `data` callable and runs it when the button is clicked,
on its download thread, possibly long after the page ran. AppTest has no download thread, so
these tests record the callables a page registers and call them the way Streamlit would.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.elements.widgets import button

from tests.helpers import open_page
from tests.security.conftest import B_MARK
from toolkit import auth
from toolkit.store import AccessDenied, utcnow


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """{file name: the callable the page handed to st.download_button}, per run."""
    found: dict = {}
    original = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kw):
        if callable(data):
            found[file_name] = data
        return original(coordinates, data, proto, mimetype, file_name, **kw)

    monkeypatch.setattr(button, "marshall_file", record)
    return found


def _refused(data) -> None:
    with pytest.raises(AccessDenied, match="sign-in has ended|your own team"):
        data()


BLUEPRINT_FILES = ["riverton-blueprint.pdf", "riverton-brief.pdf", "riverton-blueprint.xlsx",
                   "riverton-blueprint.json"]


def test_blueprint_files_are_built_for_a_live_session_and_refused_after_sign_out(
        store, key, world, downloads):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    open_page(token, "pages/blueprint.py")
    assert sorted(downloads) == sorted(BLUEPRINT_FILES)
    files = {name: data() for name, data in downloads.items()}
    assert files["riverton-blueprint.pdf"].startswith(b"%PDF")
    assert files["riverton-blueprint.xlsx"].startswith(b"PK")
    assert B_MARK in json.loads(files["riverton-blueprint.json"])["documents"]["initiative"][
        "title"]
    auth.sign_out(store, token)
    for data in downloads.values():
        _refused(data)


def test_blueprint_files_are_refused_once_the_session_has_expired(store, key, world,
                                                                  downloads, monkeypatch):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    open_page(token, "pages/blueprint.py")
    later = utcnow() + dt.timedelta(hours=auth.SESSION_HOURS, minutes=1)
    monkeypatch.setattr(auth, "utcnow", lambda: later)
    for data in downloads.values():
        _refused(data)


def test_after_signing_out_and_joining_another_team_the_old_buttons_give_nothing(
        store, key, world, downloads):
    bea = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    at = open_page(bea, "pages/blueprint.py")
    old = dict(downloads)
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    downloads.clear()
    al = auth.sign_in_with_code(store, key, world.codes["lakeport"], "Al").token
    open_page(al, "pages/blueprint.py")
    for data in old.values():
        _refused(data)
    mine = downloads["lakeport-blueprint.json"]().decode()
    assert B_MARK not in mine and '"slug": "lakeport"' in mine


def test_a_guests_download_stops_when_the_invitation_is_withdrawn(store, key, world,
                                                                  downloads):
    code = auth.create_invite(store, world.facilitator, key, role="guest", name="Dr. X")
    token = auth.sign_in_with_code(store, key, code, "Dr. X").token
    open_page(token, "pages/blueprint.py")
    pdf = next(d for name, d in downloads.items() if name.endswith("blueprint.pdf"))
    assert pdf().startswith(b"%PDF")
    store.revoke_invite(world.facilitator, store.invites(world.facilitator)[-1]["id"])
    _refused(pdf)


def test_the_progress_report_rechecks_the_session(store, key, world, downloads):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    open_page(token, "pages/followup.py")
    report = downloads["riverton-progress-report.pdf"]
    assert report().startswith(b"%PDF")
    auth.sign_out(store, token)
    _refused(report)


def test_a_reviewers_copy_of_the_case_study_ends_with_the_peer_round(store, key, world,
                                                                     downloads):
    token = auth.sign_in_with_code(store, key, world.codes["mesa-verde"], "Mo").token
    open_page(token, "pages/peer.py")
    case_study = downloads["riverton-blueprint.pdf"]
    assert case_study().startswith(b"%PDF")
    store.close_peer_round(world.facilitator, world.round_id)
    _refused(case_study)


def test_the_zip_of_every_blueprint_needs_a_live_facilitator_session(store, world, downloads):
    token = auth.sign_in_facilitator(store, world.password, "Fran").token
    open_page(token, "pages/teams.py")
    zipped = next(d for name, d in downloads.items() if name.endswith("-blueprints.zip"))
    auth.sign_out(store, token)
    _refused(zipped)
