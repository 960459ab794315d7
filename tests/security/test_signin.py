"""Sign-in: throttling of join codes, invitation codes and the facilitator password, the audit
trail, session expiry (the clock is moved, never slept on), sign-out, withdrawn invitations
and new join codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import as_read
from toolkit import auth
from toolkit import workshop as ws
from toolkit.store import SYSTEM, utcnow

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def clock(monkeypatch):
    """Move sign-in's clock: clock(hours=14) makes every later check happen 14 hours on."""

    def move(**delta):
        moved = utcnow() + dt.timedelta(**delta)
        monkeypatch.setattr(auth, "utcnow", lambda: moved)

    return move


def _wrong(n: int) -> str:
    return f"BAD0-CODE-{n:05d}"


def _app(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["token"] = token
    return at.run()


def _invite(store, key, role="guest", name="Dr. Expert") -> tuple[str, int]:
    code = auth.create_invite(store, SYSTEM, key, role=role, name=name)
    return code, store.invites(SYSTEM)[-1]["id"]


# --- throttling -------------------------------------------------------------------------


def test_ten_wrong_tries_of_one_code_from_anywhere_lock_that_code(store, key, world):
    for n in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError, match="does not match"):
            auth.sign_in_with_code(store, key, "AAAA-BBBB-CCCCC", "Mallory", f"10.0.1.{n}")
    with pytest.raises(auth.Throttled, match="Wait five minutes"):
        auth.sign_in_with_code(store, key, "aaaa bbbb ccccc", "Mallory", "10.0.2.1")
    # Other codes and other people are not locked out by it.
    assert auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea", "10.0.2.1")


def test_a_client_locked_out_for_guessing_cannot_go_on_with_invitation_codes(store, key,
                                                                               world):
    code, _ = _invite(store, key)
    for n in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError):
            auth.sign_in_with_code(store, key, _wrong(n), "Mallory", "10.0.0.66")
    with pytest.raises(auth.Throttled):
        auth.sign_in_with_code(store, key, code, "Mallory", "10.0.0.66")
    assert auth.sign_in_with_code(store, key, code, "Dr. Expert", "10.0.0.7").session.role == \
        "guest"


def test_the_lock_lifts_when_the_five_minutes_are_over(store, key, world, clock):
    for n in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError):
            auth.sign_in_with_code(store, key, _wrong(n), "Mallory", "10.0.0.66")
    with pytest.raises(auth.Throttled):
        auth.sign_in_with_code(store, key, world.codes["lakeport"], "Al", "10.0.0.66")
    clock(minutes=5, seconds=1)
    assert auth.sign_in_with_code(store, key, world.codes["lakeport"], "Al", "10.0.0.66")


def test_ten_wrong_passwords_lock_facilitator_sign_in_for_five_minutes(store, world, clock):
    for n in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError, match="not right"):
            auth.sign_in_facilitator(store, f"guess {n}", client=f"10.0.3.{n}")
    # The password is one code: the right one is refused too until the window passes.
    with pytest.raises(auth.Throttled):
        auth.sign_in_facilitator(store, world.password, client="10.0.9.9")
    clock(minutes=5, seconds=1)
    assert auth.sign_in_facilitator(store, world.password, client="10.0.9.9")


def test_the_join_form_says_when_a_code_is_locked_out(store, key, world):
    for n in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError):
            auth.sign_in_with_code(store, key, _wrong(0), "Mallory", f"10.0.4.{n}")
    at = AppTest.from_file(APP, default_timeout=30).run()
    next(w for w in at.text_input if w.label == "Join code").input(_wrong(0))
    next(w for w in at.text_input if w.label == "Your name").input("Mallory")
    next(b for b in at.button if b.label == "Join").click()
    at.run()
    assert not at.exception
    assert "Too many attempts" in at.error[0].value
    assert "token" not in at.session_state


# --- the audit trail ----------------------------------------------------------------------


def test_every_attempt_is_audited_in_utc_and_never_with_the_secret_typed(store, key, world):
    invite, _ = _invite(store, key)
    typed = [_wrong(1), world.codes["riverton"], world.codes["riverton"].lower().replace(
        "-", " "), invite, "not the password", world.password]
    for code in typed[:4]:
        try:
            auth.sign_in_with_code(store, key, code, "Someone", "10.0.0.5")
        except auth.SignInError:
            pass
    for password in typed[4:]:
        try:
            auth.sign_in_facilitator(store, password, "Fran", "10.0.0.5")
        except auth.SignInError:
            pass
    for n in range(auth.THROTTLE_LIMIT + 1):  # up to and past the lock
        try:
            auth.sign_in_with_code(store, key, _wrong(n), "Mallory", "10.0.0.66")
        except auth.SignInError:
            pass
    rows = [dict(r) for r in store._all("SELECT * FROM audit_log ORDER BY id")]
    outcomes = {(r["event"], r["outcome"]) for r in rows}
    assert {("join", "failed"), ("join", "ok"), ("invite", "ok"), ("join", "throttled"),
            ("facilitator", "failed"), ("facilitator", "ok")} <= outcomes
    for row in rows:
        assert dt.datetime.fromisoformat(row["at"]).utcoffset() == dt.timedelta(0)
    dump = repr(rows)
    for secret in typed:
        for form in (secret, auth.normalize_code(secret), secret.upper()):
            assert form not in dump, "a typed code or password reached the audit log"


def test_withdrawing_an_invitation_and_issuing_a_new_code_are_audited(store, key, world):
    _, invite_id = _invite(store, key)
    store.revoke_invite(world.facilitator, invite_id)
    ws.new_join_code_for(store, world.facilitator, key, world.b.id)
    events = [(e["event"], e["outcome"]) for e in store.audit_entries(SYSTEM)[:2]]
    assert events == [("join-code", "reissued"), ("invite", "withdrawn")]


# --- sessions -----------------------------------------------------------------------------


def test_a_session_lasts_the_workshop_day_and_ends_after_fourteen_hours(store, key, world,
                                                                       clock):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    clock(hours=13, minutes=59)
    assert auth.session_for_token(store, token) is not None
    clock(hours=14, seconds=1)
    assert auth.session_for_token(store, token) is None


def test_the_app_asks_to_sign_in_again_once_the_session_has_expired(store, key, world, clock):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    at = _app(token)
    assert at.title[0].value.startswith("Riverton")
    clock(hours=14, seconds=1)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Sign in to ISC Blueprint"
    assert "Your sign-in has ended" in at.info[0].value


def test_signing_out_revokes_the_session_on_the_server(store, key, world):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    at = _app(token)
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert not at.exception
    assert auth.session_for_token(store, token) is None
    # The token is dead everywhere, e.g. in a second tab that still holds it.
    other_tab = _app(token)
    assert other_tab.title[0].value == "Sign in to ISC Blueprint"


def test_withdrawing_an_invitation_signs_out_everyone_who_joined_with_it(store, key, world):
    guest_code, _ = _invite(store, key, "guest", "Dr. Expert")
    cofac_code, _ = _invite(store, key, "facilitator", "Co Fac")
    guest = auth.sign_in_with_code(store, key, guest_code, "Dr. Expert").token
    guest_tab_two = auth.sign_in_with_code(store, key, guest_code, "Dr. Expert").token
    cofac = auth.sign_in_with_code(store, key, cofac_code, "Co Fac").token
    member = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    guest_app = _app(guest)
    assert guest_app.title[0].value == "Clinic review"

    facilitator = _app(auth.sign_in_facilitator(store, world.password, "Fran").token)
    facilitator.switch_page("pages/teams.py").run()
    withdraw = [b for b in facilitator.button if b.label == "Withdraw"]
    withdraw[-2].click().run()  # the guest's invitation (they are listed in order)
    assert not facilitator.exception
    assert "2 signed-in sessions ended" in as_read(facilitator.success[0].value)

    for token in (guest, guest_tab_two):
        assert auth.session_for_token(store, token) is None
    guest_app.run()
    assert guest_app.title[0].value == "Sign in to ISC Blueprint"
    with pytest.raises(auth.SignInError):
        auth.sign_in_with_code(store, key, guest_code, "Dr. Expert")
    # Nobody else is signed out.
    assert auth.session_for_token(store, cofac).role == "facilitator"
    assert auth.session_for_token(store, member).team_id == world.b.id


def test_a_new_join_code_stops_the_old_one_but_keeps_the_team_signed_in(store, key, world):
    token = auth.sign_in_with_code(store, key, world.codes["riverton"], "Bea").token
    new = ws.new_join_code_for(store, world.facilitator, key, world.b.id)
    assert auth.session_for_token(store, token).team_id == world.b.id
    with pytest.raises(auth.SignInError, match="does not match"):
        auth.sign_in_with_code(store, key, world.codes["riverton"], "Mallory")
    assert auth.sign_in_with_code(store, key, new, "Ben").session.team_id == world.b.id
