"""Tool 5, the resource guidebook: search it, save who to call, add entries, moderate."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlsplit

import streamlit as st

from pages.common import ctx, md, page_title, require_team
from toolkit import guidebook as gb
from toolkit import workshop as ws
from toolkit.store import GUIDE_LISTED, GUIDE_STATUSES, GuideEntry, StoreError

PAGE_SIZE = 20
# Every character Streamlit's markdown gives a meaning to, including its own :colour[...]
# and :material/icon: directives and $ for maths.

c = ctx()
team = require_team()
tool = ws.tool("guidebook")
can_edit = c.actor.can_write(team.id)
is_facilitator = c.is_facilitator
topics = gb.load_topics()
topic_labels = {t.id: t.label for t in topics}
saved = c.store.guide_saved(c.actor, team.id)
saved_ids = {s.entry_id for s in saved}
team_names = {t.id: t.city or t.slug for t in c.store.list_teams(c.actor)}


def labelled(label: str, value: str) -> None:
    """A bold label over a value typed by a person; st.text never parses markup."""
    st.markdown(f"**{label}**")
    st.text(value)


def href(url: str) -> str:
    # A validated https address, percent-encoded where markdown would end the link early.
    return quote(url, safe=":/?#@!$&+,;=%-._~")


def short_kind(kind: str) -> str:
    return gb.KIND_LABELS.get(kind, kind).split(" (")[0]


def flash(message: str) -> None:
    st.session_state["gb_flash"] = message
    st.rerun()


def may_change(entry: GuideEntry) -> bool:
    if c.actor.role == "guest":
        return False
    return is_facilitator or (c.actor.role == "team"
                              and entry.contributed_by_team_id == c.actor.team_id)


def details(e: GuideEntry) -> None:
    """The detail view: what an entry is, what to ask, how to reach it, and how fresh it is."""
    role = ", ".join(x for x in (e.title, e.organization) if x)
    place = ", ".join(x for x in (e.city, e.state) if x)
    facts = " · ".join(x for x in (short_kind(e.kind), role, place) if x)
    st.caption(md(facts))
    if e.summary:
        st.text(e.summary)
    labelled("What they can help with", e.help_with)
    if e.website:
        shown = (urlsplit(e.website).netloc + urlsplit(e.website).path).rstrip("/")
        st.markdown(f"**Website:** [{md(shown)}]({href(e.website)})")
    if e.contact:
        labelled("How to reach them", e.contact)
    st.caption("Topics: " + md(", ".join(topic_labels.get(t, t) for t in e.topics)))
    checked = (f"{e.last_verified:%B} {e.last_verified.day}, {e.last_verified.year}"
               if e.last_verified else "not recorded")
    st.caption(md(f"Source: {e.source or 'not given'}. Last verified: {checked}. "
                  "Check the details before you rely on them."))
    if e.verify_note:
        st.info(md(e.verify_note), icon=":material/fact_check:")
    if e.status == "rejected":
        st.warning("Not accepted by a facilitator. Reason: " + md(e.reject_reason),
                   icon=":material/block:")
    elif e.status == "pending":
        st.caption("Waiting for a facilitator's review. Until then only the team that added "
                   "it and the facilitators see it.")
    elif e.status == "withdrawn":
        st.caption("Withdrawn: no longer listed for other teams.")


def entry_form(key: str, values: dict, submit: str) -> dict | None:
    """The fields of one entry; returns what was typed when the person submits."""
    kinds = list(gb.KIND_LABELS)
    with st.form(key):
        data = {
            "kind": st.selectbox("Kind", kinds, index=kinds.index(values.get("kind") or
                                                                  "organization"),
                                 format_func=gb.KIND_LABELS.get, key=f"{key}:kind"),
            "name": st.text_input("Name", value=values.get("name", ""), max_chars=160,
                                  key=f"{key}:name"),
        }
        left, right = st.columns(2)
        data["title"] = left.text_input("Job title (for a person)", max_chars=120,
                                        value=values.get("title", ""), key=f"{key}:title")
        data["organization"] = right.text_input("Organization", max_chars=160,
                                                value=values.get("organization", ""),
                                                key=f"{key}:org")
        left, right = st.columns([3, 1])
        data["city"] = left.text_input("City", max_chars=60, value=values.get("city", ""),
                                       key=f"{key}:city")
        data["state"] = right.text_input("State (two letters)", max_chars=2,
                                         value=values.get("state", ""), key=f"{key}:state")
        data["topics"] = st.multiselect(
            "Topics (up to six)", list(topic_labels), default=values.get("topics", []),
            format_func=topic_labels.get, max_selections=gb.MAX_TOPICS, key=f"{key}:topics")
        data["summary"] = st.text_area("Who they are (optional)", max_chars=600, height=80,
                                       value=values.get("summary", ""), key=f"{key}:summary")
        data["help_with"] = st.text_area("What they can help with", max_chars=600, height=80,
                                         value=values.get("help_with", ""), key=f"{key}:help")
        left, right = st.columns(2)
        data["website"] = left.text_input(
            "Website (starts with https://)", max_chars=300, value=values.get("website", ""),
            key=f"{key}:web")
        data["contact"] = right.text_input(
            "How to reach them", max_chars=300, value=values.get("contact", ""),
            key=f"{key}:contact",
            help="A work e-mail or phone they share, or who can introduce you. Give a website, "
                 "a way to reach them, or both.")
        left, right = st.columns(2)
        data["source"] = left.text_input("Source or who vouched for them", max_chars=100,
                                         value=values.get("source", ""), key=f"{key}:source")
        data["last_verified"] = right.date_input(
            "Last verified", value=values.get("last_verified") or dt.date.today(),
            max_value=dt.date.today(), format="YYYY-MM-DD", key=f"{key}:verified")
        data["verify_note"] = st.text_input(
            "Note on what to check (optional)", max_chars=400,
            value=values.get("verify_note", ""), key=f"{key}:note",
            help="For example: the program may close in 2027.")
        data["consent_given"] = st.checkbox(
            "For a person: they agreed to be listed in this guidebook",
            value=bool(values.get("consent_given")), key=f"{key}:consent",
            help="Required for a person. Ask them first; list only details they agreed to "
                 "share.")
        if st.form_submit_button(submit, type="primary"):
            return data
    return None


def change_controls(e: GuideEntry, where: str) -> None:
    """Edit or withdraw: for the contributing team and facilitators."""
    editing = st.session_state.get("gb_editing") == (where, e.id)
    left, right = st.columns(2)
    if left.button("Close the editor" if editing else "Edit this entry",
                   key=f"edit:{where}:{e.id}", icon=":material/edit:"):
        st.session_state["gb_editing"] = None if editing else (where, e.id)
        st.rerun()
    if e.status != "withdrawn" and right.button("Withdraw this entry",
                                                key=f"withdraw:{where}:{e.id}",
                                                icon=":material/remove_circle:"):
        try:
            c.store.guide_withdraw(c.actor, e.id, base_version=e.version)
        except StoreError as exc:
            st.error(md(exc), icon=":material/error:")
        else:
            flash(f"Withdrawn: {e.name}. It is no longer listed for other teams.")
    if editing:
        if not is_facilitator:
            st.caption("A change goes back to a facilitator for review before other teams "
                       "see it.")
        data = entry_form(f"editform:{where}:{e.id}", gb.input_from_entry(e), "Save changes")
        if data is not None:
            try:
                gb.edit(c.store, c.actor, e.id, data, base_version=e.version)
            except (ValueError, StoreError) as exc:
                st.error(md(exc), icon=":material/error:")
            else:
                st.session_state["gb_editing"] = None
                flash(f"Saved your changes to {e.name}.")
    with st.popover("History", icon=":material/history:"):
        for change in c.store.guide_history(c.actor, e.id):
            what = f" ({', '.join(change.changed)})" if change.action == "edited" else ""
            why = f": {change.reason}" if change.reason else ""
            st.caption(md(f"{change.at:%Y-%m-%d %H:%M} UTC · {change.by} · "
                          f"{change.action}{what}{why}"))


def save_controls(e: GuideEntry, where: str) -> None:
    if e.id in saved_ids:
        st.caption("On your team's list of who you will call.")
        return
    if not can_edit or e.status not in GUIDE_LISTED:
        return
    with st.form(f"save:{where}:{e.id}", border=False):
        note = st.text_area("Why you will call them", max_chars=gb.GUIDE_NOTE_LIMIT, height=80,
                            key=f"note:{where}:{e.id}",
                            placeholder="What you will ask, and for which part of your plan")
        if st.form_submit_button("Save to Who we will call", icon=":material/bookmark_add:"):
            try:
                c.store.guide_save(c.actor, team.id, e.id, note)
            except StoreError as exc:
                st.error(md(exc), icon=":material/error:")
            else:
                flash(f"Saved {e.name} to Who we will call.")


def vcard_button(e: GuideEntry, where: str) -> None:
    st.download_button("Download contact card (vCard)", data=gb.to_vcard(e),
                       file_name=gb.vcard_filename(e), mime="text/vcard",
                       key=f"vcf:{where}:{e.id}", on_click="ignore",
                       icon=":material/contact_page:")


def entry_card(e: GuideEntry, where: str) -> None:
    """One search result: a line to scan, opening to the detail view and the actions."""
    place = ", ".join(x for x in (e.city, e.state) if x)
    label = " · ".join(x for x in (e.name, short_kind(e.kind), place) if x)
    if e.status != "approved":
        label += f" · {gb.STATUS_LABELS[e.status]}"
    if e.id in saved_ids:
        label += " · on your list"
    with st.expander(md(label), icon=":material/bookmark:" if e.id in saved_ids else None):
        details(e)
        save_controls(e, where)
        vcard_button(e, where)
        if may_change(e):
            change_controls(e, where)


# --- the page -------------------------------------------------------------------------------

page_title(f"{tool.number}. {tool.name}", team, feedback_on="guidebook")
st.write(tool.purpose)
if message := st.session_state.pop("gb_flash", None):
    st.success(md(message), icon=":material/check_circle:")

listed_saved = [s for s in saved if s.entry is not None]
tab_names = ["Search", f"Who we will call ({len(listed_saved)})", "Suggested for your plan",
             "Add an entry"]
if is_facilitator:
    waiting = c.store.guide_search(c.actor, statuses=("pending",), limit=0).total
    tab_names += [f"Moderation ({waiting})", "Import and export"]
tabs = st.tabs(tab_names)

with tabs[0]:
    st.header("Search the guidebook")
    query = st.text_input("Search by name, topic, place or what they help with",
                          key="gb_query", max_chars=200,
                          placeholder="For example: permits, plain language, data")
    cities, states = c.store.guide_places(c.actor)
    cols = st.columns(4)
    kind = cols[0].selectbox("Kind", [None, *gb.KIND_LABELS], key="gb_kind",
                             format_func=lambda k: "All kinds" if k is None else short_kind(k))
    topic = cols[1].selectbox("Topic", [None, *topic_labels], key="gb_topic",
                              format_func=lambda t: "All topics" if t is None
                              else topic_labels[t])
    state = cols[2].selectbox("State", [None, *states], key="gb_state",
                              format_func=lambda s: "All states" if s is None else s)
    city = cols[3].selectbox("City", [None, *cities], key="gb_city",
                             format_func=lambda x: "All cities" if x is None else x)
    more_key = f"gb_more:{query}|{kind}|{topic}|{state}|{city}"
    shown = st.session_state.get(more_key, PAGE_SIZE)
    results = c.store.guide_search(c.actor, query, kind=kind, topic=topic, city=city,
                                   state=state, limit=shown)
    if results.total:
        order = "best match first" if query.strip() else "by name"
        st.caption(f"{results.total} {'entry matches' if results.total == 1 else 'entries match'}"
                   f", {order}. Open one to see how to reach them and to save it.")
    else:
        st.info("Nothing matches. Try fewer words, another topic, or All kinds.",
                icon=":material/search_off:")
    for entry in results.entries:
        entry_card(entry, "search")
    if results.total > len(results.entries):
        if st.button(f"Show more ({results.total - len(results.entries)} not shown yet)",
                     key="gb_show_more"):
            st.session_state[more_key] = shown + PAGE_SIZE
            st.rerun()

with tabs[1]:
    st.header("Who we will call")
    st.write("The people and organizations your team will contact, and why. This list goes "
             "into your Blueprint.")
    if not saved:
        st.info("Nothing saved yet. Search the guidebook, open an entry and save it with a "
                "note on why you will call.", icon=":material/bookmark:")
    for item in saved:
        e = item.entry
        with st.container(border=True):
            if e is None:
                st.warning("An entry you saved is no longer listed (withdrawn or removed). "
                           "Your note: " + md(item.note or "none"), icon=":material/info:")
            else:
                st.subheader(md(e.name))
                st.caption(md(f"{short_kind(e.kind)}. Saved by {item.saved_by} on "
                              f"{item.saved_at:%Y-%m-%d}."))
                with st.form(f"renote:{e.id}", border=False):
                    note = st.text_area("Why we will call them", value=item.note,
                                        max_chars=gb.GUIDE_NOTE_LIMIT, height=80,
                                        key=f"renote:{e.id}:{item.saved_at.isoformat()}",
                                        disabled=not can_edit)
                    if st.form_submit_button("Save the note", disabled=not can_edit):
                        try:
                            c.store.guide_save(c.actor, team.id, e.id, note)
                        except StoreError as exc:
                            st.error(md(exc), icon=":material/error:")
                        else:
                            flash(f"Saved the note for {e.name}.")
                with st.expander("Details and how to reach them"):
                    details(e)
                    vcard_button(e, "list")
            if can_edit and st.button("Remove from the list", key=f"unsave:{item.entry_id}",
                                      icon=":material/bookmark_remove:"):
                c.store.guide_unsave(c.actor, team.id, item.entry_id)
                flash("Removed from Who we will call.")

with tabs[2]:
    st.header("Suggested for your plan")
    st.write("Entries on the topics where your plan is thin: your initiative's area, and "
             "tools with little in them yet. Entries already on your list are left out.")
    found = gb.suggestions(c.store, c.actor, team.id)
    if not found:
        st.info("No suggestions right now: your plan covers the topics we look at.",
                icon=":material/thumb_up:")
    for suggestion in found:
        st.subheader(md(suggestion.label))
        st.caption(md(suggestion.reason))
        for entry in suggestion.entries:
            entry_card(entry, f"suggest-{suggestion.topic}")

with tabs[3]:
    st.header("Add an entry")
    if is_facilitator:
        st.write("An entry you add is listed for every team at once.")
    else:
        st.write("Add an expert, a city leader or an organization you trust. Your team sees it "
                 "at once; other teams see it after a facilitator approves it. Add a person "
                 "only if they agreed to be listed, and only the contact details they agreed "
                 "to share.")
    if c.actor.role == "guest" or not can_edit:
        st.info("You can read the guidebook but not add to it.", icon=":material/visibility:")
    else:
        form_key = f"contribute:{st.session_state.get('gb_form_n', 0)}"
        data = entry_form(form_key, {}, "Add to the guidebook")
        if data is not None:
            try:
                added = gb.contribute(c.store, c.actor, data)
            except (ValueError, StoreError) as exc:
                st.error(md(exc), icon=":material/error:")
            else:
                st.session_state["gb_form_n"] = st.session_state.get("gb_form_n", 0) + 1
                flash(f"Added {added.name}. "
                      + ("It is listed for every team." if added.status == "approved" else
                         "Your team sees it now; other teams will after a facilitator "
                         "approves it."))
    st.header(f"Entries added by {md(team.city or team.slug)}")
    mine = c.store.guide_search(c.actor, contributed_by=team.id, statuses=GUIDE_STATUSES,
                                limit=200)
    if not mine.entries:
        st.caption("None yet.")
    for entry in mine.entries:
        entry_card(entry, "mine")

if is_facilitator:
    with tabs[4]:
        st.header("Waiting for review")
        queue = c.store.guide_search(c.actor, statuses=("pending",), limit=200)
        if not queue.entries:
            st.success("Nothing is waiting for review.", icon=":material/done_all:")
        for e in queue.entries:
            with st.container(border=True):
                st.subheader(md(e.name))
                by_team = team_names.get(e.contributed_by_team_id, "a facilitator")
                changed = (f" Last changed by {e.updated_by}." if e.updated_by != e.created_by
                           else "")
                st.caption(md(f"Added by {e.created_by} of {by_team} on "
                              f"{e.created_at:%Y-%m-%d %H:%M} UTC.{changed}"))
                details(e)
                if st.button("Approve", key=f"approve:{e.id}", type="primary",
                             icon=":material/check:"):
                    try:
                        c.store.guide_approve(c.actor, e.id, base_version=e.version)
                    except StoreError as exc:
                        st.error(md(exc), icon=":material/error:")
                    else:
                        flash(f"Approved {e.name}: every team can find it now.")
                with st.form(f"reject:{e.id}", border=False):
                    reason = st.text_input("Reason for not accepting it", max_chars=400,
                                           key=f"reason:{e.id}",
                                           help="The team sees this reason.")
                    if st.form_submit_button("Reject", icon=":material/block:"):
                        try:
                            c.store.guide_reject(c.actor, e.id, reason, base_version=e.version)
                        except StoreError as exc:
                            st.error(md(exc), icon=":material/error:")
                        else:
                            flash(f"Rejected {e.name}. The team sees your reason.")
                change_controls(e, "moderation")

    with tabs[5]:
        st.header("Export the guidebook")
        st.write("Every listed entry as a CSV file: to carry the guidebook to the next cohort, "
                 "or to check it in a spreadsheet.")
        listed = gb.all_entries(c.store, c.actor)
        st.download_button(f"Download {len(listed)} entries (CSV)", data=gb.export_csv(listed),
                           file_name="guidebook.csv", mime="text/csv", on_click="ignore",
                           icon=":material/download:", key="gb_export")
        st.header("Import entries")
        st.write("A CSV file with the columns of the export. Kind, name, topics and what they "
                 "can help with are required. Entries already in the guidebook are reported "
                 "and left out. Imported entries are listed at once.")
        upload = st.file_uploader("Guidebook CSV file", type=["csv", "txt"], key="gb_upload")
        if upload is not None:
            done = st.session_state.setdefault("gb_imported", {})
            try:
                report = done.get(upload.file_id) or gb.check_imported(
                    c.store, c.actor, gb.import_csv(upload.getvalue(), upload.name))
            except gb.CsvImportError as exc:
                st.error(md(exc), icon=":material/error:")
                report = None
            if report is not None:
                if upload.file_id in done:
                    st.success(f"Added {report.added} "
                               f"{'entry' if report.added == 1 else 'entries'}.",
                               icon=":material/check_circle:")
                else:
                    st.write(f"{report.ready} {'entry is' if report.ready == 1 else 'entries are'}"
                             " ready to add.")
                if report.ignored_columns:
                    st.caption("Columns left out: " + md(", ".join(report.ignored_columns)))
                if report.problems:
                    st.subheader("Rows with a problem (not added)")
                    st.dataframe([{"Row": p.row, "Problem": p.message} for p in report.problems],
                                 hide_index=True, width="stretch")
                if report.duplicates:
                    st.subheader("Duplicates (not added)")
                    st.dataframe([{"Row": p.row, "Why": p.message} for p in report.duplicates],
                                 hide_index=True, width="stretch")
                if upload.file_id not in done and report.ready and st.button(
                        f"Add {report.ready} {'entry' if report.ready == 1 else 'entries'}",
                        type="primary", key="gb_import_go"):
                    try:
                        done[upload.file_id] = gb.add_imported(c.store, c.actor, report)
                    except StoreError as exc:
                        st.error(md(exc), icon=":material/error:")
                    else:
                        st.rerun()
