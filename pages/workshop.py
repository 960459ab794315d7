"""Workshop (facilitators): the cohort at a glance."""

import streamlit as st

from pages.common import ctx
from toolkit import workshop as ws

c = ctx()
st.title("Workshop")
workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.info("There is no workshop yet. Create one on the Teams page.")
    st.stop()

for w in workshops:
    st.header(w.name)
    when = " to ".join(d.strftime("%B %d, %Y") for d in (w.starts_on, w.ends_on) if d)
    st.caption(" · ".join(x for x in (w.place, when) if x))
    rows = []
    for team in c.store.list_teams(c.actor, w.id):
        overview = ws.team_overview(c.store, c.actor, team)
        rows.append({
            "City": f"{team.city}, {team.state}".strip(", "),
            "Priority area": overview.area_label,
            "Initiative": overview.title,
            "Home page": "Complete" if not overview.missing else f"Missing {len(overview.missing)}",
            "Last saved (UTC)": overview.last_activity,
        })
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.info("No teams in this workshop yet. Add them on the Teams page.")
