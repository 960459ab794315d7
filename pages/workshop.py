"""Workshop (facilitators): every team's progress per tool, refreshed during the session."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages.common import ctx, md, recheck_session
from toolkit import agenda, progress
from toolkit import workshop as ws
from toolkit.store import utcnow

c = ctx()
st.title("Workshop")
workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.info("There is no workshop yet. Create one on the Teams page.")
    st.stop()
workshop = workshops[-1]
if len(workshops) > 1:
    workshop = st.selectbox("Workshop", workshops, index=len(workshops) - 1,
                            format_func=lambda w: w.name)
when = " to ".join(d.strftime("%B %d, %Y") for d in (workshop.starts_on, workshop.ends_on) if d)
st.caption(md(" · ".join(x for x in (workshop.name, workshop.place, when) if x)))

names = {"home": "Initiative", "assessment": "Assessment",
         **{t.id: t.name for t in ws.tools()}}
left, middle, right = st.columns(3)
only_stuck = left.toggle("Only teams that seem stuck",
                         help=f"No save in the last {progress.STUCK_AFTER.seconds // 60} "
                              "minutes, or nothing started.")
area_ids = [a.id for a in ws.areas()]
area_filter = middle.multiselect("Priority areas", area_ids,
                                 format_func={a.id: a.short for a in ws.areas()}.get)
order = right.selectbox("Sort by", ["City", "Least progress first", "Most open feedback",
                                    "Longest without a save"])


@st.fragment(run_every=dt.timedelta(seconds=30))
def dashboard() -> None:
    """Re-reads the database every 30 seconds so the room's progress shows without a click."""
    from toolkit.store import Store

    with Store(c.store.path, migrate=False) as store:
        recheck_session(store)  # a withdrawn co-facilitator stops receiving the cohort
        rows = progress.cohort(store, c.actor, workshop.id)
        areas = {t.team.id: store.load(c.actor, t.team.id, ws.Initiative).body.area
                 for t in rows}
    now = utcnow()
    if only_stuck:
        rows = [r for r in rows if r.stuck(now)]
    if area_filter:
        rows = [r for r in rows if areas[r.team.id] in area_filter]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    sorters = {
        "City": lambda r: r.team.city.lower(),
        "Least progress first": lambda r: r.overall,
        "Most open feedback": lambda r: -r.open_feedback,
        "Longest without a save": lambda r: r.last_activity or oldest,
    }
    rows.sort(key=sorters[order])
    if not rows:
        st.info("No team matches these filters.")
        return
    table = []
    for r in rows:
        minutes = int((now - r.last_activity).total_seconds() // 60) if r.last_activity else None
        table.append({
            "City": f"{r.team.city}, {r.team.state}".strip(", "),
            **{names[tool]: round(p.share * 100) for tool, p in r.by_tool.items()},
            "Last save": f"{minutes} min ago" if minutes is not None else "never",
            "Open feedback": r.open_feedback,
            "Seems stuck": "yes" if r.stuck(now) else "",
            "Still missing": "; ".join(f"{names[t]}: {', '.join(p.missing)}"
                                       for t, p in r.by_tool.items() if p.missing)[:300],
        })
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={names[t]: st.column_config.ProgressColumn(
            names[t], min_value=0, max_value=100, format="%d%%") for t in progress.CHECKS},
    )
    st.caption(f"{len(rows)} teams. Progress comes from each tool's own checks, not from page "
               f"visits. Updated {now:%H:%M:%S} UTC; refreshes every 30 seconds.")


dashboard()

st.header("Agenda")
st.caption("Sessions with their times and the tool each uses. Teams see today's sessions on "
           "their home page. Change the table, then save.")
sessions = agenda.load(c.store, c.actor, workshop.id)
tool_names = {"": "—", "home": "Team home", "assessment": "Self-assessment",
              **{t.id: t.name for t in ws.tools()}, "clinic": "Clinic review",
              "peer": "Peer round"}
edited = st.data_editor(
    [s.model_dump() for s in sessions] or pd.DataFrame(
        columns=["day", "starts", "ends", "title", "tool", "notes"]),
    num_rows="dynamic", hide_index=True, width="stretch", key=f"agenda:{workshop.id}",
    column_config={
        "day": st.column_config.DateColumn("Day", required=True),
        "starts": st.column_config.TimeColumn("Starts", required=True, format="HH:mm"),
        "ends": st.column_config.TimeColumn("Ends", required=True, format="HH:mm"),
        "title": st.column_config.TextColumn("Session", required=True, max_chars=120),
        "tool": st.column_config.SelectboxColumn("Tool", options=list(agenda.TOOL_CHOICES),
                                                 format_func=tool_names.get),
        "notes": st.column_config.TextColumn("Notes", max_chars=300),
    })
if st.button("Save the agenda"):
    rows = edited.to_dict("records") if hasattr(edited, "to_dict") else list(edited)
    try:
        agenda.save(c.store, c.actor, workshop.id, rows)
        st.success("Agenda saved.")
    except agenda.AgendaError as exc:
        st.error(md(exc))
