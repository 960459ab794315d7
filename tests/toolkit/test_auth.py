import datetime as dt
import math
import re

import pytest

from toolkit import auth
from toolkit.store import SYSTEM, utcnow


def test_join_codes_carry_at_least_sixty_bits_and_avoid_look_alike_letters():
    assert len(auth.ALPHABET) ** auth.JOIN_CODE_LENGTH >= 2**60
    assert math.log2(len(auth.ALPHABET)) * auth.JOIN_CODE_LENGTH >= 60
    assert not set("ILOU") & set(auth.ALPHABET)
    codes = {auth.new_join_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}", c) for c in codes)


def test_people_can_type_a_code_loosely():
    assert auth.normalize_code(" 7kq2 m9xd-4tprw ") == "7KQ2M9XD4TPRW"
    assert auth.normalize_code("OIL") == "011"


def test_join_codes_are_stored_as_digests_not_in_the_clear(store, demo):
    dump = "\n".join(store.conn.iterdump())
    for code in demo.values():
        assert code not in dump
        assert auth.normalize_code(code) not in dump


def test_a_facilitator_can_read_a_sealed_code_back_with_the_server_key(store, key, demo):
    team = store.find_team(SYSTEM, "riverton")
    assert auth.unseal(key, team.join_sealed) == demo["riverton"]
    assert auth.unseal(b"0" * 32, team.join_sealed) is None


def test_joining_with_a_code_signs_the_person_into_that_team_only(store, key, demo, teams):
    signed = auth.sign_in_team(store, key, demo["lakeport"].lower(), "  Lee   Park ", "10.0.0.9")
    assert signed.session.team_id == teams["lakeport"].id
    assert signed.session.name == "Lee Park"
    assert auth.session_for_token(store, signed.token).actor.can_read(teams["lakeport"].id)
    assert not auth.session_for_token(store, signed.token).actor.can_read(teams["riverton"].id)


@pytest.mark.parametrize(
    ("code", "name", "message"),
    [
        ("", "Lee", "Type the join code"),
        ("AAAA-BBBB-CCCCC", "Lee", "does not match any team"),
        ("whatever", "", "Type your name"),
        ("whatever", "x" * 61, "60 characters or fewer"),
    ],
)
def test_bad_sign_ins_get_a_plain_message(store, key, demo, code, name, message):
    with pytest.raises(auth.SignInError, match=message):
        auth.sign_in_team(store, key, code, name)


def test_failed_sign_ins_are_audited_with_utc_time_and_no_secret(store, key, demo):
    with pytest.raises(auth.SignInError):
        auth.sign_in_team(store, key, "WRON-GCOD-E1234", "Mallory", "10.0.0.66")
    entry = store.audit_entries(SYSTEM)[0]
    assert (entry["event"], entry["outcome"], entry["client"]) == ("join", "failed", "10.0.0.66")
    assert dt.datetime.fromisoformat(entry["at"]).utcoffset() == dt.timedelta(0)
    assert "WRON" not in repr(entry)


def test_ten_failures_from_one_client_in_five_minutes_lock_it_out(store, key, demo):
    for n in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError):
            auth.sign_in_team(store, key, f"BAD0-CODE-{n:05d}", "Mallory", "10.0.0.66")
    with pytest.raises(auth.Throttled, match="Wait five minutes"):
        auth.sign_in_team(store, key, demo["riverton"], "Mallory", "10.0.0.66")
    # Someone else in the room is not locked out by Mallory.
    assert auth.sign_in_team(store, key, demo["riverton"], "Ana", "10.0.0.7").session.team_id


def test_the_facilitator_password_is_an_argon2_hash_and_throttled(store):
    password = auth.ensure_facilitator_password(store)
    assert password and store.get_setting(auth.PASSWORD_SETTING).startswith("$argon2")
    assert auth.ensure_facilitator_password(store) is None  # printed once only
    assert auth.sign_in_facilitator(store, password).session.role == "facilitator"
    for _ in range(auth.THROTTLE_LIMIT):
        with pytest.raises(auth.SignInError, match="not right"):
            auth.sign_in_facilitator(store, "guess", client="10.0.0.5")
    with pytest.raises(auth.Throttled):
        auth.sign_in_facilitator(store, password, client="10.0.0.5")


def test_a_password_from_the_environment_is_used_and_not_returned(store, monkeypatch):
    monkeypatch.setenv("ISC_FACILITATOR_PASSWORD", "correct horse battery")
    assert auth.ensure_facilitator_password(store) is None
    assert auth.sign_in_facilitator(store, "correct horse battery").session.role == "facilitator"


def test_sessions_expire_and_sign_out_revokes_them(store, key, demo):
    signed = auth.sign_in_team(store, key, demo["riverton"], "Ana")
    later = utcnow() + dt.timedelta(hours=auth.SESSION_HOURS, minutes=1)
    assert store.session_by_digest(auth._digest(signed.token), later) is None
    auth.sign_out(store, signed.token)
    assert auth.session_for_token(store, signed.token) is None


def test_a_ticket_is_swapped_for_the_session_once(store, key, demo):
    signed = auth.sign_in_team(store, key, demo["riverton"], "Ana")
    ticket = auth.issue_ticket(store, signed)
    assert auth.redeem_ticket(store, ticket) == signed.token
    assert auth.redeem_ticket(store, ticket) is None
    assert auth.redeem_ticket(store, "made-up") is None
    assert signed.token not in "\n".join(store.conn.iterdump())


def test_an_expired_ticket_does_not_sign_anyone_in(store, key, demo):
    signed = auth.sign_in_team(store, key, demo["riverton"], "Ana")
    ticket = auth.issue_ticket(store, signed)
    too_late = utcnow() + dt.timedelta(seconds=auth.TICKET_SECONDS + 1)
    assert store.redeem_ticket(auth._digest(ticket), too_late) is None
