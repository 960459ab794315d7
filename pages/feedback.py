"""Feedback inbox: what facilitators and expert guests said about the team's case study."""

import streamlit as st

from pages.common import ctx, feedback_thread, page_title, require_team
from toolkit import clinic

c = ctx()
team = require_team()
page_title("Feedback from the clinic", team)
st.write("Facilitators and expert guests review your case study like a clinic. Reply to "
         "each point, and mark it resolved when your plan answers it.")
summary = clinic.summary(c.store, c.actor, team.id)
if summary.ratings:
    st.header("Ratings")
    names = clinic.areas()
    st.dataframe([{"Part": names.get(tool, tool), "Rating": clinic.RATINGS[r["rating"]],
                   "Summary": r["summary"], "By": r["author"]}
                  for tool, r in summary.ratings.items()], hide_index=True, width="stretch")
st.header(f"Feedback ({summary.open_items} open)")
show = st.radio("Show", ["Open", "All"], horizontal=True)
items = [i for i in summary.items if show == "All" or i["status"] == "open"]
if not items:
    st.info("No open feedback." if summary.items else "No feedback yet. It appears here "
            "when facilitators or guests review your case study.")
feedback_thread(items, team.id, key="inbox")
