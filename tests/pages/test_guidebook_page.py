"""The guidebook page through app.py: search, save, contribute, moderate, import."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from toolkit import auth
from toolkit import guidebook as gb
from toolkit.store import SYSTEM, Actor, utcnow

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SEARCH = "Search by name, topic, place or what they help with"


def shown(text: str) -> str:
    """What a person reads: markdown escapes and zero-width breaks taken out."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


def _page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    at.switch_page("pages/guidebook.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _labels(at: AppTest) -> list[str]:
    return [shown(e.label) for e in at.expander]


@pytest.fixture
def teams_ready(store, teams):
    gb.seed_guidebook(store)
    gb.load_demo(store, teams["lakeport"].id)
    return teams


@pytest.fixture
def lakeport(store, key, demo, teams_ready):
    return auth.sign_in_team(store, key, demo["lakeport"], "Lee").token


@pytest.fixture
def riverton(store, key, demo, teams_ready):
    return auth.sign_in_team(store, key, demo["riverton"], "Ana").token


@pytest.fixture
def facilitator(store, demo, teams_ready):
    return auth.sign_in_facilitator(store, auth.ensure_facilitator_password(store)).token


def test_the_page_has_one_title_and_the_team_tabs(lakeport):
    at = _page(lakeport)
    assert [t.value for t in at.title] == ["5. Resource guidebook"]
    assert [t.label for t in at.tabs] == ["Search", "Who we will call (4)",
                                          "Suggested for your plan", "Add an entry"]


def test_searching_for_a_word_lists_the_best_match_first(lakeport):
    at = _page(lakeport)
    at.text_input(key="gb_query").input("solar").run()
    _ok(at)
    assert _labels(at)[0].startswith("SolarAPP+ · Program or tool")
    assert any("entry matches, best match first" in c.value or "entries match, best match"
               in c.value for c in at.caption)


def test_a_topic_filter_shows_only_entries_with_that_topic(lakeport):
    at = _page(lakeport)
    at.selectbox(key="gb_topic").set_value("permitting").run()
    _ok(at)
    results = [label for label in _labels(at) if "·" in label][:2]
    assert results == [
        "Lakeport Small Business Alliance · Organization · Lakeport, MN · Waiting for a "
        "facilitator's review",
        "SolarAPP+ · Program or tool · on your list",
    ]


def test_a_search_with_no_match_says_what_to_try(lakeport):
    at = _page(lakeport)
    at.text_input(key="gb_query").input("qqqxxyzz").run()
    assert any("Nothing matches" in i.value for i in at.info)


def test_saving_an_entry_with_a_note_puts_it_on_the_teams_list(store, teams_ready, lakeport):
    at = _page(lakeport)
    at.text_input(key="gb_query").input("finance officers").run()
    gfoa = next(e for e in store.guide_search(SYSTEM, "gfoa").entries)
    at.text_area(key=f"note:search:{gfoa.id}").input("Ask for a multi-year plan template")
    _button(at, "Save to Who we will call").click().run()
    _ok(at)
    saved = store.guide_saved(SYSTEM, teams_ready["lakeport"].id)
    assert (saved[-1].entry_id, saved[-1].note) == (gfoa.id, "Ask for a multi-year plan template")
    assert any("Saved Government Finance Officers Association" in shown(s.value)
               for s in at.success)
    assert at.tabs[1].label == "Who we will call (5)"


def test_removing_an_entry_from_the_list(store, teams_ready, lakeport):
    at = _page(lakeport)
    at.button(key=f"unsave:{store.guide_saved(SYSTEM, teams_ready['lakeport'].id)[0].entry_id}"
              ).click().run()
    _ok(at)
    assert len(store.guide_saved(SYSTEM, teams_ready["lakeport"].id)) == 3


def _fill_contribution(at: AppTest, **values) -> None:
    form = f"contribute:{at.session_state['gb_form_n'] if 'gb_form_n' in at.session_state else 0}"
    fields = {"name": "Northern Permit Collaborative", "help": "Shares a one-page intake form.",
              "web": "https://permits.example.org", "topics": ["permitting"], **values}
    for name, value in fields.items():
        if name == "topics":
            at.multiselect(key=f"{form}:topics").set_value(value)
        elif name == "kind":
            at.selectbox(key=f"{form}:kind").set_value(value)
        elif name == "consent":
            at.checkbox(key=f"{form}:consent").set_value(value)
        elif name == "help":
            at.text_area(key=f"{form}:help").input(value)
        else:
            at.text_input(key=f"{form}:{name}").input(value)


def test_contributing_an_entry_adds_it_for_review_and_clears_the_form(store, teams_ready,
                                                                     lakeport):
    at = _page(lakeport)
    _fill_contribution(at)
    _button(at, "Add to the guidebook").click().run()
    _ok(at)
    [entry] = store.guide_search(SYSTEM, "northern permit collaborative").entries
    assert (entry.status, entry.contributed_by_team_id, entry.created_by) == (
        "pending", teams_ready["lakeport"].id, "Lee")
    assert any("after a facilitator approves it" in shown(s.value) for s in at.success)
    assert at.text_input(key="contribute:1:name").value == ""


def test_a_javascript_link_is_refused_with_a_message_and_the_typing_is_kept(store, lakeport):
    at = _page(lakeport)
    _fill_contribution(at, web="javascript:alert(1)")
    _button(at, "Add to the guidebook").click().run()
    _ok(at)
    assert any(shown(e.value).startswith("Website: a web address must start with https://")
               for e in at.error)
    assert at.text_input(key="contribute:0:name").value == "Northern Permit Collaborative"
    assert "Northern Permit Collaborative" not in [
        e.name for e in store.guide_search(SYSTEM, limit=500).entries]


def test_a_person_without_the_consent_tick_is_refused(store, lakeport):
    at = _page(lakeport)
    _fill_contribution(at, kind="person", name="Pat Example")
    _button(at, "Add to the guidebook").click().run()
    assert any("agree" in shown(e.value) for e in at.error)
    _fill_contribution(at, kind="person", name="Pat Example", consent=True)
    _button(at, "Add to the guidebook").click().run()
    _ok(at)
    assert store.guide_search(SYSTEM, "pat example").total == 1


def test_a_duplicate_contribution_names_the_existing_entry(lakeport):
    at = _page(lakeport)
    _fill_contribution(at, name="Code for America", web="https://cfa-copy.example.org")
    _button(at, "Add to the guidebook").click().run()
    assert any('"Code for America"' in shown(e.value) for e in at.error)


def test_markup_in_an_entry_is_shown_as_text(store, teams_ready, lakeport):
    team = Actor("team", "Lee", teams_ready["lakeport"].id)
    gb.contribute(store, team, {"kind": "organization", "name": "Zed <b>bold</b> **group**",
                                "topics": ["data"], "contact": "<script>x</script>",
                                "help_with": ":red[Red] and :material/home: and [a](b)"})
    at = _page(lakeport)
    at.text_input(key="gb_query").input("zed bold group").run()
    _ok(at)
    assert _labels(at)[0].startswith("Zed <b>bold</b> **group** · Organization")
    texts = [t.value for t in at.text]
    assert ":red[Red] and :material/home: and [a](b)" in texts
    assert "<script>x</script>" in texts
    assert not any(":red[" in m.value and "\\" not in m.value for m in at.markdown)


def test_another_teams_pending_entry_is_not_shown(riverton):
    at = _page(riverton)
    at.text_input(key="gb_query").input("small business alliance").run()
    assert not any("Lakeport Small Business Alliance" in label for label in _labels(at))


def test_the_suggestions_say_why_each_topic_is_suggested(riverton):
    at = _page(riverton)
    headings = [shown(s.value) for s in at.subheader]
    assert "Public safety" in headings
    assert any("Your initiative is about" in shown(c.value) for c in at.caption)


def test_a_team_member_has_no_moderation_tab(lakeport):
    assert not any(t.label.startswith("Moderation") for t in _page(lakeport).tabs)


def test_a_facilitator_approves_a_pending_entry(store, facilitator):
    at = _page(facilitator)
    assert "Moderation (1)" in [t.label for t in at.tabs]
    [pending] = store.guide_search(SYSTEM, statuses=("pending",)).entries
    at.button(key=f"approve:{pending.id}").click().run()
    _ok(at)
    assert store.guide_entry(SYSTEM, pending.id).status == "approved"
    assert "Moderation (0)" in [t.label for t in at.tabs]


def test_a_facilitator_rejects_with_a_reason_that_the_team_then_sees(store, facilitator,
                                                                    lakeport):
    at = _page(facilitator)
    [pending] = store.guide_search(SYSTEM, statuses=("pending",)).entries
    at.text_input(key=f"reason:{pending.id}").input("Please name who vouched for them.")
    _button(at, "Reject").click().run()
    _ok(at)
    assert store.guide_entry(SYSTEM, pending.id).reject_reason == (
        "Please name who vouched for them.")
    team_view = _page(lakeport)
    assert any("Please name who vouched for them." in shown(w.value) for w in team_view.warning)


def test_a_reject_without_a_reason_is_refused(store, facilitator):
    at = _page(facilitator)
    _button(at, "Reject").click().run()
    assert any("Give a reason" in shown(e.value) for e in at.error)
    assert store.guide_search(SYSTEM, statuses=("pending",)).total == 1


def test_a_facilitator_imports_a_csv_and_sees_the_problems_by_row(store, facilitator):
    at = _page(facilitator)
    data = (b"kind,name,topics,help_with,website\n"
            b"organization,Harbor Data Collaborative,data,Shares open data tools.,"
            b"https://harbor.example.org\n"
            b"organization,Bad Link Group,data,Shares open data tools.,javascript:alert(1)\n"
            b"organization,Code for America,data,Already listed.,https://cfa.example.org\n")
    at.file_uploader(key="gb_upload").set_value(("cohort.csv", data, "text/csv")).run()
    _ok(at)
    problems, duplicates = (table.value for table in at.dataframe)
    assert list(problems["Row"]) == [3]
    assert list(duplicates["Row"]) == [4]
    assert '"Code for America"' in duplicates["Why"][0]
    _button(at, "Add 1 entry").click().run()
    _ok(at)
    assert store.guide_search(SYSTEM, "harbor data").total == 1
    assert any("Added 1 entry" in s.value for s in at.success)


def test_a_csv_without_the_needed_columns_is_refused_plainly(facilitator):
    at = _page(facilitator)
    at.file_uploader(key="gb_upload").set_value(
        ("cohort.csv", b"name,website\nX,https://x.example\n", "text/csv")).run()
    assert any("missing these columns: kind, topics, help_with" in shown(e.value)
               for e in at.error)


def test_a_facilitator_edits_an_entry_and_history_records_it(store, facilitator):
    at = _page(facilitator)
    [pending] = store.guide_search(SYSTEM, statuses=("pending",)).entries
    at.button(key=f"edit:moderation:{pending.id}").click().run()
    form = f"editform:moderation:{pending.id}"
    at.text_input(key=f"{form}:source").input("Lakeport team; checked by Fran")
    _button(at, "Save changes").click().run()
    _ok(at)
    entry = store.guide_entry(SYSTEM, pending.id)
    assert (entry.source, entry.status) == ("Lakeport team; checked by Fran", "pending")
    assert [h.action for h in store.guide_history(SYSTEM, pending.id)][:1] == ["edited"]


@pytest.fixture
def guest(store, demo, teams_ready):
    token = secrets.token_urlsafe(32)
    store.create_session(token_digest=hashlib.sha256(token.encode()).hexdigest(), role="guest",
                         name="Expert guest", team_id=None,
                         expires_at=utcnow() + dt.timedelta(hours=1))
    return token


def test_a_guest_reads_entries_with_contact_but_cannot_save_or_add(guest):
    at = _page(guest)
    assert not any(b.label == "Save to Who we will call" for b in at.button)
    assert not any(b.label == "Add to the guidebook" for b in at.button)
    assert any("You can read the guidebook but not add to it." in i.value for i in at.info)
    assert not any(t.label.startswith("Moderation") for t in at.tabs)
    assert not any(b.label in ("Edit this entry", "Withdraw this entry") for b in at.button)
