"""Every page through app.py, as a member of team A trying to reach team B through every knob
a page reads, as an expert guest, and as a reviewing team; no page element may carry
another team's words or any secret (join codes, the password or its hash, the server key,
sealed codes, session tokens).

No page reads query parameters (`st.query_params` appears nowhere); the knobs are the
session-state keys pages read (the facilitator's team picker, the projector's choice) and
widget keys that carry a team id. Every element of a run is read through its protobuf
message, so labels, values, markdown, captions, dataframe cells and chart specs all count.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.elements.widgets import button
from streamlit.testing.v1 import AppTest

from tests.security.conftest import B_MARK, C_MARK, World
from toolkit import auth
from toolkit.store import SYSTEM, Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES_DIR = ROOT / "pages"
NOT_PAGES = {"__init__.py", "common.py", "budget_financing.py", "signin.py"}

# Every page file, by who may open it. A new page fails the first test until it is here.
MEMBER_PAGES = ["home", "assessment", "feedback", "peer", "followup", "budget", "action_plan",
                "questions", "engagement", "guidebook", "blueprint"]
GUEST_PAGES = ["clinic", "home", "assessment", "budget", "action_plan", "questions",
               "engagement", "guidebook", "blueprint"]
STAFF_ONLY = ["workshop", "teams", "clinic", "peer_round", "present", "followup_admin"]

# Widgets a guest may use on a case study's pages: they change the view, never the work.
VIEW_CONTROLS = {"Team to view", "Sign out", "Round", "Group by", "Department", "Scenario",
                 "Search departments, categories and funds", "Meeting", "Whose answers", "For",
                 "Read more about a tactic", "Sections to include", "Kind", "Topic", "State",
                 "City", "Search by name, topic, place or what they help with"}
CHANGES_WORK = ("TextInput", "TextArea", "NumberInput", "DateInput", "TimeInput", "Checkbox",
                "Toggle", "FileUploader", "Slider", "SelectSlider", "ColorPicker", "Multiselect",
                "Selectbox", "Radio", "Button", "ButtonGroup")


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _text(at: AppTest) -> str:
    """Everything the run sent to the browser, as text."""
    return "\n".join(str(n.proto) for n in _walk(at._tree) if getattr(n, "proto", None))


def _run(token: str, page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def secrets(store: Store, key: bytes, world: World, *tokens: str) -> list[str]:
    found = [world.password, store.get_setting(auth.PASSWORD_SETTING), *tokens,
             *(auth._digest(t) for t in tokens), key.hex(), base64.urlsafe_b64encode(key).decode(),
             auth.key_path(store.path).read_text().strip()]
    for code in [*world.codes.values(), world.invite_code]:
        found += [code, auth.normalize_code(code)]
    found += [t.join_sealed for t in store.list_teams(SYSTEM)]
    found += [i["sealed"] for i in store.invites(SYSTEM)]
    return [s for s in found if s]


def _no_secret(text: str, known: list[str]) -> None:
    for secret in known:
        assert secret not in text, f"a secret reached the page: {secret[:6]}…"


def test_every_page_file_is_classified_by_who_may_open_it():
    files = {p.stem for p in PAGES_DIR.glob("*.py") if p.name not in NOT_PAGES}
    assert files == set(MEMBER_PAGES) | set(GUEST_PAGES) | set(STAFF_ONLY), (
        "a page was added or removed: list it in tests/security/test_pages_access.py")


@pytest.fixture
def intruder_token(store, key, world) -> str:
    return auth.sign_in_with_code(store, key, world.codes["lakeport"], "Al").token


def _knobs(world: World) -> dict:
    """Everything a page reads that could point at another team, set to team B."""
    b = world.b.id
    return {"viewed_team_id": b, "present_choice": b, "facilitator_edits": True,
            f"assess_round:{b}": "x", f"scenario_pick:{b}": "x", f"q_meeting:{b}": "x",
            f"restore:{b}": None}


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_a_team_member_sees_only_its_own_work_on_every_page(store, key, world, intruder_token,
                                                            page):
    at = _run(intruder_token, page, **_knobs(world))
    text = _text(at)
    assert B_MARK not in text and C_MARK not in text
    assert "Riverton" not in at.title[0].value
    _no_secret(text, secrets(store, key, world, intruder_token))


@pytest.mark.parametrize("page", STAFF_ONLY)
def test_facilitator_pages_do_not_exist_for_a_team_member(world, intruder_token, page):
    at = _run(intruder_token, **_knobs(world))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"pages/{page}.py")


@pytest.mark.parametrize("page", sorted(set(MEMBER_PAGES + STAFF_ONLY) - set(GUEST_PAGES)))
def test_an_expert_guest_cannot_open_team_or_facilitator_only_pages(store, key, world, page):
    token = auth.sign_in_with_code(store, key, world.invite_code, "Dr. Expert").token
    at = _run(token)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"pages/{page}.py")


def _state(store: Store) -> tuple:
    """What a refused change must leave as it was: every team's work and shared lists."""
    return store.conn.execute(
        "SELECT (SELECT count(*) FROM revisions), (SELECT count(*) FROM budget_imports), "
        "(SELECT count(*) FROM guide_saved), (SELECT count(*) FROM guide_entries), "
        "(SELECT group_concat(status) FROM feedback), (SELECT count(*) FROM peer_reviews "
        "WHERE saved_at IS NOT NULL)").fetchone()


@pytest.mark.parametrize("page", GUEST_PAGES)
def test_a_guest_reads_every_case_study_page_read_only(store, key, world, page):
    token = auth.sign_in_with_code(store, key, world.invite_code, "Dr. Expert").token
    at = _run(token, page, viewed_team_id=world.b.id)
    text = _text(at)
    _no_secret(text, secrets(store, key, world, token))
    if page == "clinic":
        return  # a guest's own work: ratings and feedback
    assert page != "home" or B_MARK in text, "the guest reads team B's case study"
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        kind = type(node).__name__
        if kind in CHANGES_WORK and not getattr(proto, "disabled", True):
            assert proto.label in VIEW_CONTROLS or proto.label.startswith("Show more"), (
                f"{kind} '{proto.label}' is open to a guest on {page}")


@pytest.mark.parametrize("page", ["home", "assessment"])
def test_a_value_sent_for_a_read_only_field_changes_nothing(store, key, world, page):
    """The browser draws these fields disabled; a hand-made message could still send a value.
    Streamlit discards it, and the store would refuse it anyway."""
    guest = auth.sign_in_with_code(store, key, world.invite_code, "Dr. Expert").token
    facilitator = auth.sign_in_facilitator(store, world.password, "Fran").token
    for token in (guest, facilitator):
        at = _run(token, page, viewed_team_id=world.b.id)
        before = _state(store)
        fields = [w for w in [*at.text_input, *at.text_area] if w.disabled]
        assert fields, "the page has read-only fields"
        for field in fields:
            field._value = f"forged {field.label}"  # what set_value does, minus its check
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert _state(store) == before


def test_an_edit_sent_as_a_facilitator_turns_editing_off_is_refused(store, world):
    """Both changes arrive in one message: the edit's callback runs after the switch, as a
    read-only facilitator, so it is refused with a plain message."""
    token = auth.sign_in_facilitator(store, world.password, "Fran").token
    at = _run(token, "home", viewed_team_id=world.b.id, facilitator_edits=True)
    before = _state(store)
    next(t for t in at.sidebar.toggle if t.label == "Edit the team's work").set_value(False)
    next(w for w in at.text_input if w.label == "Initiative title").set_value("Changed")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _state(store) == before
    assert any("not change it" in e.value for e in at.error)


def test_a_reviewing_team_sees_the_case_study_but_not_its_clinic_feedback(store, key, world,
                                                                          monkeypatch):
    built: dict = {}
    original = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kw):
        if callable(data):
            built[file_name] = data
        return original(coordinates, data, proto, mimetype, file_name, **kw)

    monkeypatch.setattr(button, "marshall_file", record)
    token = auth.sign_in_with_code(store, key, world.codes["mesa-verde"], "Mo").token
    at = _run(token, "peer", **_knobs(world))
    text = _text(at)
    assert f"Initiative {B_MARK}" in text
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        built["riverton-blueprint.pdf"]())).pages)
    assert f"Initiative {B_MARK}" in pdf
    for private in ("Feedback", "Reply", "Rating", "Takeaway"):
        assert f"{private} {B_MARK}" not in text, private
        assert f"{private} {B_MARK}" not in pdf, private
    _no_secret(text, secrets(store, key, world, token))
    for page in ("home", "feedback", "blueprint"):  # its own pages stay its own
        assert B_MARK not in _text(_run(token, page, **_knobs(world))), page
