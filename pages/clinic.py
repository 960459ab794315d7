"""Clinic (facilitators and expert guests): rate a team's case study and leave feedback."""

import streamlit as st

from pages.common import ctx, feedback_thread, md, page_title, require_team
from toolkit import clinic
from toolkit.store import StoreError

c = ctx()
team = require_team()
page_title("Clinic review", team)
st.write("Read the team's pages (pick the team in the sidebar), then rate each part and "
         "leave feedback anchored to a tool or item. The team sees it on its Feedback page "
         "and can reply. Mark a point 'must fix' when the plan cannot go ahead without it.")
names = clinic.areas()
summary = clinic.summary(c.store, c.actor, team.id)

st.header("Leave feedback")
# A fresh form after each sent item; one the database refused keeps what was typed.
sent = st.session_state.get(f"feedback_sent:{team.id}", 0)
with st.form(f"feedback:{team.id}:{sent}"):
    left, right = st.columns(2)
    tool = left.selectbox("About", list(names), format_func=names.get)
    kind = right.radio("Kind", list(clinic.KINDS), format_func=clinic.KINDS.get,
                       horizontal=True)
    item = st.text_input("Which item (optional)", max_chars=clinic.ITEM_MAX,
                         placeholder="e.g. Measure 'response time', or Move 2")
    text = st.text_area("Feedback", max_chars=clinic.TEXT_MAX, height=120)
    if st.form_submit_button("Send to the team", type="primary"):
        try:
            clinic.give_feedback(c.store, c.actor, team.id, tool=tool, kind=kind, text=text,
                                 item=item)
            st.session_state["clinic_flash"] = "Sent. The team sees it on its Feedback page."
            st.session_state[f"feedback_sent:{team.id}"] = sent + 1
            st.rerun()
        except (clinic.FeedbackError, StoreError) as exc:
            st.error(md(exc))
if flash := st.session_state.pop("clinic_flash", None):
    st.success(flash)

st.header("Ratings")
with st.form(f"rating:{team.id}"):
    left, right = st.columns(2)
    tool = left.selectbox("Part", list(names), format_func=names.get, key="rate_tool")
    current = summary.ratings.get(tool, {})
    rating = right.radio("Rating", list(clinic.RATINGS), format_func=clinic.RATINGS.get,
                         horizontal=True)
    note = st.text_area("Short written summary", max_chars=clinic.SUMMARY_MAX, height=90)
    if st.form_submit_button("Save rating"):
        try:
            clinic.rate(c.store, c.actor, team.id, tool, rating, note)
            st.rerun()
        except (clinic.FeedbackError, StoreError) as exc:
            st.error(md(exc))
if summary.ratings:
    st.dataframe([{"Part": names.get(t, t), "Rating": clinic.RATINGS[r["rating"]],
                   "Summary": r["summary"], "By": r["author"]}
                  for t, r in summary.ratings.items()], hide_index=True, width="stretch")

st.header(f"Feedback so far ({summary.open_items} open)")
if not summary.items:
    st.info("No feedback on this case study yet.")
feedback_thread(summary.items, team.id, key="clinic")
