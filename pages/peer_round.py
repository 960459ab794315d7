"""Peer round (facilitators): pair the teams, run the timer for each step, read the reviews."""

import datetime as dt

import streamlit as st

from pages.common import countdown, ctx, md
from toolkit import peer
from toolkit.store import StoreError, utcnow

c = ctx()
st.title("Peer round")
workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.info("There is no workshop yet. Create one on the Teams page.")
    st.stop()
workshop = workshops[-1]
teams = c.store.list_teams(c.actor, workshop.id)
names = {t.id: f"{t.city}, {t.state}".strip(", ") for t in teams}  # plain text

st.header("Timer")
countdown(workshop.id)
cols = st.columns(len(peer.STEPS) + 1)
for col, (step, (label, minutes)) in zip(cols, peer.STEPS.items(), strict=False):
    if col.button(f"{label} ({minutes} min)", key=f"timer:{step}", width="stretch"):
        c.store.set_timer(c.actor, workshop.id, label, utcnow() + dt.timedelta(minutes=minutes))
        st.rerun()
if cols[-1].button("Stop the timer", width="stretch"):
    c.store.set_timer(c.actor, workshop.id, "", None)
    st.rerun()
with st.form("custom_timer"):
    left, right = st.columns([3, 1])
    label = left.text_input("Exercise", max_chars=60, placeholder="e.g. Budget exercise")
    minutes = right.number_input("Minutes", min_value=1, max_value=180, value=15)
    if st.form_submit_button("Start this timer"):
        c.store.set_timer(c.actor, workshop.id, label.strip() or "Exercise",
                          utcnow() + dt.timedelta(minutes=int(minutes)))
        st.rerun()
st.caption("Teams see the timer on their Peer review page; it counts down without a click.")

rounds = c.store.peer_rounds(c.actor, workshop.id)
current = next((r for r in rounds if r["status"] == "open"), None)
st.header("The round")
if current:
    st.success(f"Open: {md(current['name'])}. Each team sees only the case study it reviews.")
    reviews = c.store.peer_reviews(c.actor, current["id"])
    st.dataframe([{"Reviewer": names.get(r["reviewer_team_id"], "?"),
                   "Reviews": names.get(r["reviewed_team_id"], "?"),
                   "Review saved": "yes" if r["saved_at"] else "not yet",
                   "Takeaway recorded": "yes" if r["takeaway"] else ""} for r in reviews],
                 hide_index=True, width="stretch")
    with st.expander("Read the reviews"):
        for r in reviews:
            if r["saved_at"]:
                st.markdown(f"**{md(names.get(r['reviewer_team_id']))} on "
                            f"{md(names.get(r['reviewed_team_id']))}**")
                st.text(f"Strong: {r['strong']}\nQuestions: {r['questions']}\n"
                        f"Suggestion: {r['suggestion']}\nTakeaway: {r['takeaway'] or '—'}")
    if st.button("Close the round"):
        c.store.close_peer_round(c.actor, current["id"])
        st.rerun()
else:
    st.info("No round is open.")

st.header("Start a new round")
st.caption("Starting a round closes any open one. Random pairs form a ring: each team reviews "
           "one other and is reviewed by one, and no team reviews itself.")
with st.form("new_round"):
    name = st.text_input("Name of the round", value=f"Peer round {len(rounds) + 1}",
                         max_chars=80)
    how = st.radio("Pairs", ["random", "chosen"], horizontal=True,
                   format_func={"random": "Random ring", "chosen": "I choose"}.get)
    chosen = []
    for t in teams:
        pick = st.selectbox(f"{md(names[t.id])} reviews", [None, *[o.id for o in teams
                                                               if o.id != t.id]],
                            format_func=lambda i: "(nobody, for a chosen round)" if i is None
                            else names[i], key=f"pair:{t.id}")
        if pick is not None:
            chosen.append((t.id, pick))
    if st.form_submit_button("Start the round", type="primary"):
        try:
            pairs = (peer.ring([t.id for t in teams]) if how == "random"
                     else peer.check_pairs(chosen, [t.id for t in teams]))
            c.store.create_peer_round(c.actor, workshop.id, name.strip() or "Peer round", pairs)
            st.rerun()
        except (peer.PeerError, StoreError) as exc:
            st.error(md(exc))
