"""The Resource Guidebook: search, moderation, visibility, CSV, vCard, suggestions, demo."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import time

import pytest
import textstat

from tests.helpers import FACILITATOR, GUEST, member
from toolkit import engagement
from toolkit import guidebook as gb
from toolkit.store import (
    SYSTEM,
    AccessDenied,
    Conflict,
    DuplicateEntry,
    InvalidEntry,
    NotFound,
)


@pytest.fixture
def seeded(store, teams):
    gb.seed_guidebook(store)
    return teams


@pytest.fixture
def lakeport(seeded):
    return member(seeded["lakeport"], "Lee")


@pytest.fixture
def riverton(seeded):
    return member(seeded["riverton"], "Ana")


def org(**changes) -> dict:
    data = {
        "kind": "organization",
        "name": "Lakeport Small Business Alliance",
        "city": "Lakeport",
        "state": "MN",
        "topics": ["permitting", "partnerships"],
        "help_with": "Owners who can test new permit forms with us.",
        "contact": "Ask the economic development office for an introduction.",
    }
    data.update(changes)
    return data


def person(**changes) -> dict:
    data = {
        "kind": "person",
        "name": "Jordan Example",
        "title": "Permit center manager",
        "organization": "City of Example",
        "topics": ["permitting"],
        "help_with": "How the city cut permit times with one intake form.",
        "contact": "jordan@example.org",
        "consent_given": True,
    }
    data.update(changes)
    return data


def names(results) -> list[str]:
    return [e.name for e in results.entries]


def by_content_id(store, content_id):
    return next(e for e in store.guide_search(SYSTEM, limit=500).entries
                if e.content_id == content_id)


# --- seeding and the search index ------------------------------------------------------------


def test_seeding_adds_every_content_entry_once_and_a_second_run_adds_nothing(store):
    count = len(gb.load_seed_entries())
    assert gb.seed_guidebook(store) == (count, 0)
    assert gb.seed_guidebook(store) == (0, 0)
    assert store.guide_search(SYSTEM, limit=500).total == count


def test_reseeding_refreshes_an_untouched_seed_entry_but_keeps_a_facilitators_edit(store,
                                                                                   seeded):
    fields = {e.id: gb.seed_fields(e) for e in gb.load_seed_entries()}
    gfoa = by_content_id(store, "gfoa")
    gb.edit(store, FACILITATOR, gfoa.id, {**gb.input_from_entry(gfoa), "contact": "Front desk"},
            base_version=gfoa.version)
    changed = [{**f, "help_with": f["help_with"] + " Updated."} for f in fields.values()]
    added, updated = store.guide_seed(SYSTEM, changed)
    assert added == 0 and updated == len(fields) - 1
    assert by_content_id(store, "icma").help_with.endswith("Updated.")
    assert not by_content_id(store, "gfoa").help_with.endswith("Updated.")
    assert by_content_id(store, "gfoa").contact == "Front desk"


def test_only_a_facilitator_or_the_command_line_can_seed(store, seeded, lakeport):
    with pytest.raises(AccessDenied):
        gb.seed_guidebook(store, lakeport)


def test_the_search_index_follows_edits_and_deletes(store, seeded):
    entry = by_content_id(store, "polis")
    gb.edit(store, SYSTEM, entry.id, {**gb.input_from_entry(entry), "name": "Quorumtalk"},
            base_version=entry.version)
    assert names(store.guide_search(SYSTEM, "quorumtalk")) == ["Quorumtalk"]
    assert "Polis" not in names(store.guide_search(SYSTEM, "polis"))
    store.conn.execute("DELETE FROM guide_entry_history WHERE entry_id = ?", (entry.id,))
    store.conn.execute("DELETE FROM guide_entries WHERE id = ?", (entry.id,))
    assert store.guide_search(SYSTEM, "quorumtalk").total == 0


# --- search ranking and filters ---------------------------------------------------------------


def test_a_search_ranks_the_entry_named_by_the_word_first(store, seeded):
    assert names(store.guide_search(SYSTEM, "solar"))[0] == "SolarAPP+"
    results = names(store.guide_search(SYSTEM, "plain language"))
    assert set(results[:2]) == {"Center for Plain Language", "Plain language guides on Digital.gov"}


def test_a_hit_in_the_name_outranks_the_same_word_in_what_they_help_with(store, seeded):
    gb.contribute(store, FACILITATOR, org(name="Zoning Helpdesk Network", topics=["data"],
                                          help_with="Answers questions about data sharing."))
    gb.contribute(store, FACILITATOR, org(name="Alder Street Group", topics=["data"],
                                          help_with="Explains zoning rules to new owners."))
    assert names(store.guide_search(SYSTEM, "zoning"))[:2] == ["Zoning Helpdesk Network",
                                                               "Alder Street Group"]


def test_a_prefix_and_another_form_of_a_word_still_find_the_entry(store, seeded):
    assert "SolarAPP+" in names(store.guide_search(SYSTEM, "perm"))
    assert "SolarAPP+" in names(store.guide_search(SYSTEM, "permits"))


def test_a_topic_label_word_finds_entries_tagged_with_that_topic(store, seeded):
    # "contracts" appears only in the label "Procurement and contracts".
    found = store.guide_search(SYSTEM, "contracts", limit=100).entries
    assert found and any("procurement" in e.topics for e in found)


def test_query_syntax_typed_by_a_person_is_searched_as_plain_words(store, seeded):
    for query in ['"unbalanced', "NEAR(a b", "name:code", "a OR", "*", "-", "^", "(((", "'"]:
        store.guide_search(SYSTEM, query)  # no sqlite3.OperationalError


def test_when_no_entry_has_every_word_entries_with_any_of_them_are_shown(store, seeded):
    results = store.guide_search(SYSTEM, "solar zzzyzzx")
    assert names(results) == ["SolarAPP+"]


def test_without_a_query_entries_are_listed_by_name(store, seeded):
    listed = names(store.guide_search(SYSTEM, limit=500))
    assert listed == sorted(listed, key=str.casefold)


def test_filters_by_kind_topic_city_and_state_narrow_the_results(store, seeded):
    case_studies = store.guide_search(SYSTEM, kind="case_study", limit=500).entries
    assert case_studies and {e.kind for e in case_studies} == {"case_study"}
    permitting = store.guide_search(SYSTEM, topic="permitting", limit=500).entries
    assert [e.name for e in permitting] == ["SolarAPP+"]
    in_ny = store.guide_search(SYSTEM, state="ny", limit=500).entries
    assert in_ny and {e.state for e in in_ny} == {"NY"}
    chicago = store.guide_search(SYSTEM, city="chicago", limit=500).entries
    assert {e.name for e in chicago} == {"Government Finance Officers Association (GFOA)",
                                         "University of Chicago Crime Lab"}
    both = store.guide_search(SYSTEM, "crime", city="Chicago", topic="public_safety")
    assert names(both) == ["University of Chicago Crime Lab"]


def test_the_total_counts_every_match_beyond_the_limit(store, seeded):
    results = store.guide_search(SYSTEM, limit=5)
    assert len(results.entries) == 5 and results.total == len(gb.load_seed_entries())
    second = store.guide_search(SYSTEM, limit=5, offset=5)
    assert not {e.id for e in second.entries} & {e.id for e in results.entries}


def test_the_places_for_the_filters_come_from_entries_the_person_can_see(store, seeded,
                                                                          lakeport, riverton):
    gb.contribute(store, lakeport, org())
    cities, states = store.guide_places(lakeport)
    assert "Lakeport" in cities and "MN" in states
    assert "Lakeport" not in store.guide_places(riverton)[0]


# --- contributing, moderation and visibility ----------------------------------------------------


def test_a_teams_contribution_waits_for_review_and_its_team_sees_it_at_once(store, lakeport):
    entry = gb.contribute(store, lakeport, org())
    assert entry.status == "pending" and entry.contributed_by_team_id == lakeport.team_id
    assert names(store.guide_search(lakeport, "small business")) == [entry.name]


def test_a_pending_entry_of_team_a_is_not_visible_to_team_b(store, lakeport, riverton):
    entry = gb.contribute(store, lakeport, org())
    assert entry.name not in names(store.guide_search(riverton, "small business alliance"))
    assert entry.name not in names(store.guide_search(riverton, limit=500))
    assert entry.name not in names(store.guide_search(GUEST, limit=500))
    with pytest.raises(NotFound):
        store.guide_entry(riverton, entry.id)
    with pytest.raises(NotFound):
        store.guide_save(riverton, riverton.team_id, entry.id, "Looks useful")


def test_a_facilitator_sees_and_approves_a_pending_entry_and_then_every_team_finds_it(
        store, lakeport, riverton):
    entry = gb.contribute(store, lakeport, org())
    queue = store.guide_search(FACILITATOR, statuses=("pending",))
    assert names(queue) == [entry.name]
    approved = store.guide_approve(FACILITATOR, entry.id, base_version=entry.version)
    assert approved.status == "approved"
    assert names(store.guide_search(riverton, "small business")) == [entry.name]
    assert store.guide_search(FACILITATOR, statuses=("pending",)).total == 0


def test_only_a_facilitator_can_approve_or_reject(store, lakeport):
    entry = gb.contribute(store, lakeport, org())
    with pytest.raises(AccessDenied):
        store.guide_approve(lakeport, entry.id)
    with pytest.raises(AccessDenied):
        store.guide_reject(lakeport, entry.id, "No")


def test_a_rejection_needs_a_reason_that_the_contributing_team_then_sees(store, lakeport,
                                                                          riverton):
    entry = gb.contribute(store, lakeport, org())
    with pytest.raises(InvalidEntry, match="reason"):
        store.guide_reject(FACILITATOR, entry.id, "   ")
    store.guide_reject(FACILITATOR, entry.id, "Add who vouched for them.")
    seen = store.guide_entry(lakeport, entry.id)
    assert (seen.status, seen.reject_reason) == ("rejected", "Add who vouched for them.")
    assert entry.name not in names(store.guide_search(lakeport, limit=500))  # not listed
    mine = store.guide_search(lakeport, contributed_by=lakeport.team_id,
                              statuses=("pending", "approved", "rejected", "withdrawn"))
    assert names(mine) == [entry.name]
    with pytest.raises(NotFound):
        store.guide_entry(riverton, entry.id)


def test_a_facilitators_entry_is_listed_at_once_for_every_cohort(store, riverton):
    entry = gb.contribute(store, FACILITATOR, org())
    assert (entry.status, entry.workshop_id, entry.contributed_by_team_id) == (
        "approved", None, None)
    assert entry.name in names(store.guide_search(riverton, "alliance"))


def test_a_teams_edit_goes_back_for_review_and_a_facilitators_edit_keeps_the_status(
        store, lakeport, riverton):
    entry = gb.contribute(store, lakeport, org())
    entry = store.guide_approve(FACILITATOR, entry.id)
    fixed = gb.edit(store, FACILITATOR, entry.id, {**gb.input_from_entry(entry),
                                                   "source": "Met at the Institute"},
                    base_version=entry.version)
    assert fixed.status == "approved" and fixed.updated_by == "Fran"
    edited = gb.edit(store, lakeport, entry.id, {**gb.input_from_entry(fixed),
                                                 "help_with": "Spam that was not reviewed."},
                     base_version=fixed.version)
    assert edited.status == "pending"
    with pytest.raises(NotFound):
        store.guide_entry(riverton, entry.id)


def test_a_team_cannot_change_another_teams_entry_or_a_seed_entry(store, lakeport, riverton):
    theirs = store.guide_approve(FACILITATOR, gb.contribute(store, lakeport, org()).id)
    seed = by_content_id(store, "gfoa")
    for entry in (theirs, seed):
        with pytest.raises(AccessDenied):
            gb.edit(store, riverton, entry.id, gb.input_from_entry(entry),
                    base_version=entry.version)
        with pytest.raises(AccessDenied):
            store.guide_withdraw(riverton, entry.id)
    with pytest.raises(AccessDenied):
        store.guide_history(riverton, theirs.id)


def test_a_guest_reads_listed_entries_with_contact_details_but_cannot_add(store, seeded,
                                                                          lakeport):
    entry = store.guide_approve(FACILITATOR, gb.contribute(store, lakeport, org()).id)
    seen = store.guide_entry(GUEST, entry.id)
    assert seen.contact == "Ask the economic development office for an introduction."
    with pytest.raises(AccessDenied):
        gb.contribute(store, GUEST, org(name="Another group"))
    with pytest.raises(AccessDenied):
        store.guide_save(GUEST, lakeport.team_id, entry.id)


def test_contact_details_can_be_left_out_for_a_public_view(store, lakeport):
    entry = store.guide_approve(FACILITATOR, gb.contribute(store, lakeport, org()).id)
    store.guide_save(lakeport, lakeport.team_id, entry.id, "Call first")
    assert store.guide_entry(lakeport, entry.id, include_contact=False).contact is None
    found = store.guide_search(lakeport, "small business alliance", include_contact=False)
    assert [e.contact for e in found.entries] == [None]
    found = found.entries
    saved = store.guide_saved(lakeport, lakeport.team_id, include_contact=False)
    assert saved[0].entry.contact is None
    assert "EMAIL" not in gb.to_vcard(found[0]) and "How to reach" not in gb.to_vcard(found[0])


def test_a_withdrawn_entry_leaves_search_and_team_lists_but_keeps_its_history(
        store, lakeport, riverton):
    entry = store.guide_approve(FACILITATOR, gb.contribute(store, lakeport, org()).id)
    store.guide_save(riverton, riverton.team_id, entry.id, "Ask about forms")
    store.guide_withdraw(lakeport, entry.id)
    assert entry.name not in names(store.guide_search(riverton, limit=500))
    [saved] = store.guide_saved(riverton, riverton.team_id)
    assert saved.entry is None and saved.note == "Ask about forms"
    actions = [c.action for c in store.guide_history(lakeport, entry.id)]
    assert actions == ["withdrawn", "approved", "created"]


def test_every_change_is_kept_in_history_with_what_changed_and_the_entry_after_it(
        store, lakeport):
    entry = gb.contribute(store, lakeport, org())
    entry = gb.edit(store, lakeport, entry.id, {**gb.input_from_entry(entry), "city": "Duluth"},
                    base_version=entry.version)
    store.guide_reject(FACILITATOR, entry.id, "Which office?")
    history = store.guide_history(FACILITATOR, entry.id)
    assert [(h.action, h.by) for h in history] == [("rejected", "Fran"), ("edited", "Lee"),
                                                   ("created", "Lee")]
    assert history[0].reason == "Which office?"
    assert history[1].changed == ("city",)
    assert history[1].snapshot["city"] == "Duluth" and history[2].snapshot["city"] == "Lakeport"
    assert [h.version for h in history] == [3, 2, 1]


def test_a_stale_edit_is_refused_and_names_who_changed_the_entry(store, lakeport):
    entry = gb.contribute(store, lakeport, org())
    gb.edit(store, FACILITATOR, entry.id, {**gb.input_from_entry(entry), "state": "WI",
                                           "city": ""}, base_version=entry.version)
    with pytest.raises(Conflict, match="Fran changed this entry"):
        gb.edit(store, lakeport, entry.id, {**gb.input_from_entry(entry), "name": "New name"},
                base_version=entry.version)


# --- what the store and the form refuse -------------------------------------------------------


def test_a_person_is_listed_only_with_their_consent(store, lakeport):
    with pytest.raises(ValueError, match="agree"):
        gb.validate(person(consent_given=False))
    fields = gb.store_fields(gb.validate(person()))
    with pytest.raises(InvalidEntry, match="agree"):
        store.guide_add(lakeport, {**fields, "consent_given": False})
    assert gb.contribute(store, lakeport, person()).consent_given


def test_a_duplicate_name_and_organization_is_refused_naming_the_existing_entry(store,
                                                                               lakeport):
    existing = by_content_id(store, "code-for-america")
    with pytest.raises(DuplicateEntry) as caught:
        gb.contribute(store, lakeport, org(name="  CODE for America! ", city="", state=""))
    assert caught.value.existing_id == existing.id
    assert '"Code for America"' in str(caught.value)
    with pytest.raises(DuplicateEntry):
        gb.contribute(store, lakeport, org(name="The Code for America"))


def test_a_pending_duplicate_is_refused_too_and_says_it_waits_for_review(store, lakeport,
                                                                        riverton):
    gb.contribute(store, lakeport, org())
    with pytest.raises(DuplicateEntry, match="waiting for a facilitator"):
        gb.contribute(store, riverton, org())


def test_the_same_website_is_a_duplicate_for_organizations_but_not_for_people(store,
                                                                              lakeport):
    with pytest.raises(DuplicateEntry, match="Code for America"):
        gb.contribute(store, lakeport, org(name="CfA", website="https://www.codeforamerica.org/"))
    staff = gb.contribute(store, lakeport, person(website="https://codeforamerica.org"))
    assert staff.status == "pending"


def test_an_edit_that_would_duplicate_another_entry_is_refused(store, lakeport):
    entry = gb.contribute(store, lakeport, org())
    with pytest.raises(DuplicateEntry, match="GFOA"):
        gb.edit(store, lakeport, entry.id, {**gb.input_from_entry(entry),
                                            "name": "Government Finance Officers Association "
                                                    "(GFOA)"}, base_version=entry.version)


def test_a_withdrawn_entry_no_longer_blocks_a_new_one_with_its_name(store, lakeport):
    entry = gb.contribute(store, lakeport, org())
    store.guide_withdraw(lakeport, entry.id)
    assert gb.contribute(store, lakeport, org()).id != entry.id


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JAVASCRIPT:alert(1)",
                                     "http://example.org", "data:text/html,<b>x</b>",
                                     "https://user:pw@example.org", "https://exa mple.org"])
def test_a_website_that_is_not_plain_https_is_refused_with_a_clear_message(address):
    with pytest.raises(ValueError) as caught:
        gb.validate(org(website=address))
    assert str(caught.value).startswith("Website: ")
    assert "https://" in str(caught.value) or "spaces" in str(caught.value)


def test_the_store_refuses_a_website_that_skipped_validation(store, lakeport):
    with pytest.raises(InvalidEntry, match="https"):
        store.guide_add(lakeport, {**gb.store_fields(gb.validate(org())),
                                   "website": "javascript:alert(1)"})


def test_a_bare_domain_is_taken_as_an_https_address():
    assert gb.validate(org(website="example.org/permits")).website == "https://example.org/permits"


def test_html_in_every_field_is_stored_and_returned_literally(store, lakeport):
    html = '<img src=x onerror="alert(1)"> & <b>bold</b>'
    data = org(name=f"{html} group", title=html, organization=html, summary=html,
               help_with=html, contact=html, source=html[:100], verify_note=html)
    entry = gb.contribute(store, lakeport, data)
    again = store.guide_entry(FACILITATOR, entry.id)
    for field_name in ("title", "organization", "summary", "help_with", "contact",
                       "verify_note"):
        assert getattr(again, field_name) == html, field_name
    assert again.name == f"{html} group"


def test_field_limits_are_enforced_with_plain_messages():
    with pytest.raises(ValueError, match=r"^Name: use 160 characters or fewer\.$"):
        gb.validate(org(name="x" * 161))
    with pytest.raises(ValueError, match="Topics: choose at most 6"):
        gb.validate(org(topics=[t.id for t in gb.load_topics()][:7]))
    with pytest.raises(ValueError, match="Topics: choose at least one"):
        gb.validate(org(topics=[]))
    with pytest.raises(ValueError, match="State: use the two-letter state code"):
        gb.validate(org(state="Minnesota"))
    with pytest.raises(ValueError, match="unknown topic smart_everything"):
        gb.validate(org(topics=["smart_everything"]))
    with pytest.raises(ValueError, match="website or a way to reach them"):
        gb.validate(org(contact="", website=""))
    with pytest.raises(ValueError, match="cannot be in the future"):
        gb.validate(org(last_verified=dt.date.today() + dt.timedelta(days=30)))


def test_control_characters_are_removed_but_line_breaks_kept():
    entry = gb.validate(org(help_with="First line\nsecond\x00 line\x1b[31m red"))
    assert entry.help_with == "First line\nsecond line[31m red"


# --- who we will call ----------------------------------------------------------------------------


def test_saving_an_entry_with_a_note_puts_it_on_the_teams_list(store, lakeport):
    solar = by_content_id(store, "solarapp-plus")
    saved = store.guide_save(lakeport, lakeport.team_id, solar.id, "  Ask how they automated  ")
    assert (saved.note, saved.saved_by, saved.entry.name) == ("Ask how they automated", "Lee",
                                                              "SolarAPP+")
    store.guide_save(lakeport, lakeport.team_id, solar.id, "A better note")
    assert [s.note for s in store.guide_saved(lakeport, lakeport.team_id)] == ["A better note"]
    store.guide_unsave(lakeport, lakeport.team_id, solar.id)
    assert store.guide_saved(lakeport, lakeport.team_id) == []


def test_the_list_keeps_the_order_entries_were_saved_in(store, lakeport):
    ids = [by_content_id(store, c).id for c in ("polis", "cisa", "gfoa")]
    for entry_id in ids:
        store.guide_save(lakeport, lakeport.team_id, entry_id)
    assert [s.entry_id for s in store.guide_saved(lakeport, lakeport.team_id)] == ids


def test_a_team_cannot_change_or_read_another_teams_list(store, lakeport, riverton):
    solar = by_content_id(store, "solarapp-plus")
    with pytest.raises(AccessDenied):
        store.guide_save(riverton, lakeport.team_id, solar.id, "Sneaky")
    with pytest.raises(AccessDenied):
        store.guide_unsave(riverton, lakeport.team_id, solar.id)
    with pytest.raises(AccessDenied):
        store.guide_saved(riverton, lakeport.team_id)


def test_a_facilitator_saves_to_the_team_they_are_helping(store, lakeport):
    solar = by_content_id(store, "solarapp-plus")
    store.guide_save(FACILITATOR, lakeport.team_id, solar.id, "From the clinic")
    assert store.guide_saved(lakeport, lakeport.team_id)[0].saved_by == "Fran"


def test_a_note_longer_than_the_limit_is_refused(store, lakeport):
    solar = by_content_id(store, "solarapp-plus")
    with pytest.raises(InvalidEntry, match="600 characters"):
        store.guide_save(lakeport, lakeport.team_id, solar.id, "x" * 601)


# --- CSV -------------------------------------------------------------------------------------------


def test_the_csv_round_trip_keeps_every_field(store, seeded, lakeport):
    tricky = gb.contribute(store, FACILITATOR, person(
        name="=HYPERLINK(\"https://evil.example\")", title="Chief, permits; intake",
        summary='Says "hello"\nand more', help_with="-2+3 and <b>markup</b>",
        contact="@handle, 555-0100", verify_note="+ check yearly", source="Met, in person",
        last_verified=dt.date(2026, 10, 1)))
    entries = gb.all_entries(store, SYSTEM)
    text = gb.export_csv(entries)
    report = gb.import_csv(text)
    assert report.problems == [] and report.duplicates == []
    back = [gb.store_fields(e) for _, e in report.entries]
    expected = [gb.store_fields(gb.validate(gb.input_from_entry(e))) for e in entries]
    assert back == expected
    assert any(f["name"] == tricky.name and f["summary"] == 'Says "hello"\nand more'
               for f in back)


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(store, seeded):
    entry = gb.contribute(store, FACILITATOR, org(name="=cmd|' /C calc'!A0", contact="+1 555"))
    rows = list(csv.DictReader(io.StringIO(gb.export_csv([entry]))))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["contact"] == "'+1 555"


def test_importing_an_export_into_the_same_guidebook_reports_every_entry_as_a_duplicate(
        store, seeded):
    report = gb.add_imported(store, FACILITATOR, gb.import_csv(gb.export_csv(
        gb.all_entries(store, SYSTEM))))
    assert report.added == 0
    assert len(report.duplicates) == len(gb.load_seed_entries())
    assert "already in the guidebook" in report.duplicates[0].message


def test_a_preview_reports_entries_already_listed_before_anything_is_added(store, seeded):
    text = ("kind,name,topics,help_with,website\n"
            "organization,Code for America,data,Already seeded.,https://cfa.example\n"
            "organization,Fresh Group,data,Helps cities share data.,https://fresh.example\n")
    report = gb.check_imported(store, FACILITATOR, gb.import_csv(text))
    assert [e.name for _, e in report.entries] == ["Fresh Group"]
    assert [d.row for d in report.duplicates] == [2]
    assert "Fresh Group" not in names(store.guide_search(SYSTEM, limit=500))
    with pytest.raises(AccessDenied):
        gb.check_imported(store, GUEST, gb.import_csv(text))


def test_a_csv_with_missing_columns_names_them():
    with pytest.raises(gb.MissingColumnsError) as caught:
        gb.import_csv("kind,name,website\norganization,Example,https://example.org\n")
    assert caught.value.missing == ["topics", "help_with"]
    assert "topics, help_with" in str(caught.value)


def test_a_csv_with_10000_rows_is_refused_with_the_limit():
    row = "organization,Example {n},data,Helps with data.,https://example{n}.org\n"
    text = "kind,name,topics,help_with,website\n" + "".join(
        row.format(n=n) for n in range(10_000))
    with pytest.raises(gb.TooManyRowsError) as caught:
        gb.import_csv(text.encode())
    assert (caught.value.rows, caught.value.limit) == (10_000, gb.MAX_IMPORT_ROWS)
    assert "10,000" in str(caught.value) and "5,000" in str(caught.value)


def test_each_row_problem_is_reported_with_its_row_number(store, seeded):
    text = (
        "kind,name,topics,help_with,website,contact,consent_given\n"
        "organization,Good Group,data,Helps cities share data.,https://good.example,,\n"
        "spaceship,Bad Kind,data,Helps cities share data.,https://kind.example,,\n"
        "organization,Bad Link,data,Helps cities share data.,javascript:alert(1),,\n"
        "person,No Consent,data,Knows the permit code well.,,pat@example.org,no\n"
        "organization,No Topic,,Helps cities share data.,https://t.example,,\n"
        "organization,Maybe,data,Helps cities share data.,https://m.example,,maybe\n"
    )
    report = gb.import_csv(text)
    assert [name for _, e in report.entries for name in [e.name]] == ["Good Group"]
    problems = {p.row: p.message for p in report.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7]
    assert problems[3].startswith("Kind: choose one of")
    assert problems[4].startswith("Website: a web address must start with https://")
    assert "agree" in problems[5]
    assert problems[6] == "Topics: choose at least one."
    assert "yes or no" in problems[7]
    assert gb.add_imported(store, FACILITATOR, report).added == 1
    assert names(store.guide_search(SYSTEM, "good group")) == ["Good Group"]


def test_duplicates_in_the_file_and_in_the_guidebook_are_reported_not_inserted(store, seeded):
    text = (
        "kind,name,organization,topics,help_with,website\n"
        "organization,New Civic Lab,,data,Helps cities share data.,https://civic.example\n"
        "organization,new civic lab,,data,Same group again.,https://other.example\n"
        "organization,Another Name,,data,Same website as row 2.,https://www.civic.example/\n"
        "organization,Code for America,,data,Already seeded.,https://cfa.example\n"
    )
    report = gb.add_imported(store, FACILITATOR, gb.import_csv(text))
    assert report.added == 1
    assert [(d.row, d.message.split(" (")[0]) for d in report.duplicates[:2]] == [
        (3, "Repeats row 2"), (4, "Repeats row 2")]
    assert report.duplicates[2].row == 5 and '"Code for America"' in report.duplicates[2].message
    assert names(store.guide_search(SYSTEM, "new civic lab")) == ["New Civic Lab"]
    assert store.guide_search(SYSTEM, "another name").total == 0


def test_a_semicolon_separated_windows_file_with_friendly_headers_is_read():
    text = ("Type;Name;Topics;What they can help with;Website;Notes\r\n"
            "Program or tool;Caf\xe9 Permits Pilot;Permitting, Procurement and contracts;"
            "Shows a one-stop permit desk.;example.org;ignored\r\n").encode("cp1252")
    report = gb.import_csv(text)
    assert report.problems == []
    [(row, entry)] = report.entries
    assert (row, entry.kind, entry.name, entry.topics, entry.website) == (
        2, "program", "Caf\xe9 Permits Pilot", ["permitting", "procurement"],
        "https://example.org")
    assert report.ignored_columns == ["Notes"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"PK\x03\x04\x00\x00binary", "not a CSV"),
    (b"x" * (gb.MAX_IMPORT_BYTES + 1), "limit is 5 MB"),
])
def test_an_empty_binary_or_huge_file_is_refused_plainly(data, message):
    with pytest.raises(gb.CsvImportError, match=message):
        gb.import_csv(data)


# --- vCard ------------------------------------------------------------------------------------------


def unfold(card: str) -> list[str]:
    return card.replace("\r\n ", "").split("\r\n")


def test_a_vcard_is_version_4_with_crlf_lines_and_the_contact_details(store, lakeport):
    entry = gb.contribute(store, lakeport, person(city="Lakeport", state="MN",
                                                  contact="jordan@example.org or 612-555-0134",
                                                  website="https://example.org/permits"))
    card = gb.to_vcard(entry)
    assert card.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n") and card.endswith("END:VCARD\r\n")
    assert "\n" not in card.replace("\r\n", "")
    lines = unfold(card)
    for expected in ("KIND:individual", "FN:Jordan Example", "ORG:City of Example",
                     "TITLE:Permit center manager", "ADR;TYPE=work:;;;Lakeport;MN;;",
                     "EMAIL;TYPE=work:jordan@example.org",
                     "TEL;VALUE=text;TYPE=work:612-555-0134",
                     "URL:https://example.org/permits", "CATEGORIES:Permitting"):
        assert expected in lines, expected
    assert any(line.startswith("UID:urn:uuid:") for line in lines)
    assert any(line.startswith("REV:") and line.endswith("Z") for line in lines)


def test_an_organization_card_has_kind_org_and_no_person_fields(store, seeded):
    card = unfold(gb.to_vcard(by_content_id(store, "gfoa")))
    assert "KIND:org" in card and "ORG:Government Finance Officers Association (GFOA)" in card
    assert not any(line.startswith(("N:", "TITLE:", "EMAIL", "TEL")) for line in card)


def test_vcard_text_escapes_commas_semicolons_backslashes_and_newlines():
    assert gb.vcard_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_a_vcard_escapes_the_entrys_own_text(store, lakeport):
    entry = gb.contribute(store, lakeport, org(name="Smith, Jones; and Co", city="Fort, Wayne",
                                               state="IN", help_with="Line one\nline two; yes"))
    lines = unfold(gb.to_vcard(entry))
    assert "FN:Smith\\, Jones\\; and Co" in lines
    assert "ADR;TYPE=work:;;;Fort\\, Wayne;IN;;" in lines
    note = next(line for line in lines if line.startswith("NOTE:"))
    assert "Line one\\nline two\\; yes" in note


def test_long_vcard_lines_are_folded_at_75_octets_without_splitting_a_character(store,
                                                                               lakeport):
    entry = gb.contribute(store, lakeport, org(help_with="Ça va très bien — 多言語 " * 20))
    card = gb.to_vcard(entry)
    for line in card.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    note = next(line for line in unfold(card) if line.startswith("NOTE:"))
    assert "Ça va très bien — 多言語 " * 3 in note


def test_the_vcard_file_name_is_the_entrys_slug(store, seeded):
    assert gb.vcard_filename(by_content_id(store, "solarapp-plus")) == "solarapp.vcf"


# --- suggestions ---------------------------------------------------------------------------------


def test_filled_values_counts_only_what_a_person_typed():
    assert gb.filled_values({"id": "x", "a": "", "b": "  ", "c": 0, "d": None, "e": False}) == 0
    assert gb.filled_values({"rows": [{"id": "1", "name": "A", "amount": 5}], "t": "x"}) == 3


def test_a_tool_with_little_content_suggests_its_topics():
    gaps = gb.plan_gaps({"budget": {"scenarios": [{"id": "a", "name": "One"}]}})
    budget = next(g for g in gaps if "budgeting" in g.topics)
    assert budget.reason == "Your budget analysis has little in it yet."
    full = {"budget": {"cost_items": [{"name": "Licenses", "amounts": [1, 2, 3]}]}}
    assert not any("budgeting" in g.topics for g in gb.plan_gaps(full))


def test_the_initiative_area_is_suggested_first():
    gaps = gb.plan_gaps({"initiative": {"area": "permitting"}})
    assert gaps[0].topics == ("permitting",)
    assert gb.suggest(gaps)[0] == "permitting"


def test_a_low_assessment_area_suggests_its_guidebook_topics():
    full = {kind: {"x": "a", "y": "b", "z": "c"} for kind in gb.TOOL_TOPICS}
    gaps = gb.plan_gaps(full, area_levels={"procurement": 1.5, "cybersecurity": 3.5})
    assert [g.topics for g in gaps] == [("procurement", "budgeting")]
    assert "rates procurement and contracting low" in gaps[0].reason


def test_suggest_keeps_order_drops_repeats_and_unknown_topics():
    gaps = [gb.Gap(("budgeting", "data"), "a"), gb.Gap(("data", "ai"), "b")]
    assert gb.suggest(gaps) == ["budgeting", "data", "ai"]
    assert gb.suggest(["data", "nonsense", "data"]) == ["data"]


def test_suggestions_leave_out_saved_and_unreviewed_entries(store, seeded, lakeport):
    team_id = lakeport.team_id
    first = gb.suggestions(store, lakeport, team_id)
    assert first[0].topic == "permitting" and first[0].reason.startswith("Your initiative")
    assert [e.name for e in first[0].entries] == ["SolarAPP+"]
    gb.contribute(store, lakeport, org())  # pending: not suggested
    store.guide_save(lakeport, team_id, first[0].entries[0].id, "Yes")
    again = gb.suggestions(store, lakeport, team_id)
    assert "permitting" not in [s.topic for s in again]
    budgeting = next(s for s in again if s.topic == "budgeting")
    assert budgeting.entries[0].topics[0] == "budgeting"  # entries about the topic come first


# --- the demo -------------------------------------------------------------------------------------


def test_the_demo_file_names_its_maintainer_and_only_lakeport():
    demo = gb.demo_document("lakeport")
    assert demo.maintainer and demo.last_reviewed
    assert gb.demo_document("riverton") is None


def test_the_demo_text_reads_at_tool_guidance_grade_or_lower():
    limit = engagement.load_plain_language().thresholds.tool_guidance_reading_grade
    demo = gb.demo_document("lakeport")
    texts = [s.note for s in demo.saved] + [
        t for c in demo.contributed for t in (c.entry.summary, c.entry.help_with, c.entry.contact)]
    for text in texts:
        assert textstat.flesch_kincaid_grade(text) <= limit, text


def test_the_demo_fills_lakeports_list_with_permitting_help_and_one_pending_organization(
        store, teams):
    team_id = teams["lakeport"].id
    assert gb.load_demo(store, team_id) == 4
    assert gb.load_demo(store, team_id) == 4  # again: nothing twice
    saved = store.guide_saved(SYSTEM, team_id)
    assert "SolarAPP+" in [s.entry.name for s in saved]
    assert all(len(s.note) > 40 for s in saved)
    mine = store.guide_search(SYSTEM, contributed_by=team_id, statuses=("pending",)).entries
    assert [(e.kind, e.status) for e in mine] == [("organization", "pending")]
    assert gb.load_demo(store, teams["riverton"].id) == 0


# --- speed ---------------------------------------------------------------------------------------


def test_search_stays_fast_with_5000_entries(store, seeded):
    topics = [t.id for t in gb.load_topics()]
    words = ["permit", "transit", "budget", "violence", "data", "forms", "grants", "housing"]
    fields = [gb.store_fields(gb.GuideEntryInput(
        kind="organization", name=f"{words[n % 8].title()} Group {n}", city=f"City {n % 90}",
        state="MN", topics=[topics[n % len(topics)]],
        help_with=f"Helps with {words[n % 8]} and {words[(n * 3) % 8]} work, number {n}.",
        website=f"https://group{n}.example.org")) for n in range(5_000)]
    assert sum(1 for new_id, _ in store.guide_import(SYSTEM, fields) if new_id) == 5_000
    times = []
    for query in words * 3:
        start = time.perf_counter()
        store.guide_search(SYSTEM, query, limit=20)
        store.guide_search(SYSTEM, query, topic="data", state="MN", limit=20)
        times.append((time.perf_counter() - start) / 2)
    times.sort()
    assert times[len(times) * 95 // 100] < 0.25, times


def test_guide_entry_fields_cover_what_a_form_edits():
    fields = {f.name for f in dataclasses.fields(gb.GuideEntry)}
    assert set(gb.GuideEntryInput.model_fields) <= fields
