"""Peer review: read the case study your team was assigned, give structured feedback, and
record what your team takes from the feedback it received."""

import streamlit as st

from exports import blueprint
from pages.common import built_on_click, countdown, ctx, md, page_title, require_team
from toolkit import peer
from toolkit.store import StoreError

c = ctx()
team = require_team()
page_title("Peer review", team)
st.write("In a peer round your team reads another city's case study and answers three "
         "questions: what is strong, what you would ask, and one suggestion. You see only "
         "the case study you were given, and only while the round is open.")
countdown(team.workshop_id)
view = peer.current_round(c.store, c.actor, team.workshop_id)
if view is None:
    st.info("No peer round is open. The facilitator opens one during the workshop.")
    st.stop()

st.header(f"Your review: {md(view.round['name'])}")
for review in view.giving:
    other = c.store.get_team(c.actor, review["reviewed_team_id"])
    bp = blueprint.gather(c.store, c.actor, other.id)
    st.subheader(md(f"{other.city}, {other.state}".strip(", ")))
    st.markdown("**Initiative:** " + md(bp.initiative.title or "not named yet"))
    st.text(bp.initiative.goal or "No goal written yet.")
    st.text(bp.initiative.problem or "No problem statement yet.")
    st.download_button(f"Download {md(other.city)}'s Blueprint (PDF)",
                       # Gathered again on click: the read ends with the round.
                       data=built_on_click(lambda store, actor, team_id=other.id:
                                           blueprint.render_pdf(blueprint.gather(
                                               store, actor, team_id), include_clinic=False)),
                       file_name=blueprint.filename(bp), mime="application/pdf",
                       key=f"peer_pdf:{other.id}")
    with st.form(f"peer_review:{view.round['id']}:{other.id}"):
        strong = st.text_area("What is strong", value=review["strong"],
                              max_chars=peer.TEXT_MAX, height=90)
        questions = st.text_area("What we would ask", value=review["questions"],
                                 max_chars=peer.TEXT_MAX, height=90)
        suggestion = st.text_area("One suggestion", value=review["suggestion"],
                                  max_chars=peer.TEXT_MAX, height=90)
        if st.form_submit_button("Save our review", type="primary"):
            try:
                peer.save_review(c.store, c.actor, view.round["id"], other.id,
                                 strong=strong, questions=questions, suggestion=suggestion)
                st.success(f"Saved. {md(other.city)} can read it now.")
            except (peer.PeerError, StoreError) as exc:
                st.error(md(exc))

st.header("Feedback your team received")
received = [r for r in view.receiving if r["saved_at"]]
if not received:
    st.info("Nothing yet. It appears here when the team reviewing yours saves its review.")
for review in received:
    with st.container(border=True):
        st.caption("From the team that reviewed your case study")
        for label, key in (("What is strong", "strong"), ("What they would ask", "questions"),
                           ("One suggestion", "suggestion")):
            st.markdown(f"**{label}**")
            st.text(review[key] or "—")
        with st.form(f"takeaway:{view.round['id']}:{review['reviewer_team_id']}"):
            takeaway = st.text_area("Our takeaway (goes into our Blueprint)",
                                    value=review["takeaway"], max_chars=peer.TEXT_MAX,
                                    height=80)
            if st.form_submit_button("Save our takeaway"):
                try:
                    peer.save_takeaway(c.store, c.actor, view.round["id"],
                                       review["reviewer_team_id"], takeaway)
                    st.success("Saved.")
                except (peer.PeerError, StoreError) as exc:
                    st.error(md(exc))
