"""Facilitators' follow-up: webinars, attendance, the help queue and the cohort's progress."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.common import ctx, edit_rows, load_for_editing, md, page_title
from toolkit import followup as fu
from toolkit.store import StoreError

c = ctx()
page_title("Follow-up: webinars, help and progress")
if not c.actor.is_staff:
    st.error("Only facilitators can open this page.")
    st.stop()
workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.info("There is no workshop yet.")
    st.stop()
workshop = (st.selectbox("Workshop", workshops, format_func=lambda w: w.name,
                         index=len(workshops) - 1) if len(workshops) > 1 else workshops[-1])
teams = c.store.list_teams(c.actor, workshop.id)

sched_tab, attend_tab, queue_tab, cohort_tab = st.tabs(
    ["Webinars", "Attendance", "Help queue", "Cohort progress"])

with sched_tab:
    st.header("Schedule a webinar")
    with st.form("new_webinar", clear_on_submit=True):
        title = st.text_input("Title", max_chars=160)
        a, b, z = st.columns(3)
        day = a.date_input("Date", value=dt.date.today() + dt.timedelta(days=14))
        time = b.time_input("Start time", value=dt.time(14, 0), step=900)
        zone = z.selectbox("Time zone", fu.US_TIMEZONES,
                           format_func=lambda n: n.split("/")[-1].replace("_", " ")
                           + f" ({n})")
        duration = st.number_input("Length in minutes", min_value=5, max_value=600, value=60,
                                   step=15)
        agenda = st.text_area("Agenda", max_chars=3000)
        link = st.text_input("Join link", max_chars=500,
                             placeholder="https://... from your video meeting service")
        create = st.form_submit_button("Schedule webinar", type="primary")
    if create:
        try:
            c.store.create_webinar(c.actor, workshop.id, title=title,
                                   starts_at=fu.to_utc(day, time, zone), timezone=zone,
                                   duration_minutes=int(duration), agenda=agenda,
                                   join_link=link)
        except StoreError as exc:
            st.error(f"Not scheduled: {md(exc)}")
        else:
            st.rerun()

    st.header("Scheduled webinars")
    webinars = c.store.webinars(c.actor, workshop.id)
    counts = c.store.attendance_counts(c.actor, workshop.id)
    if not webinars:
        st.caption("None yet.")
    else:
        st.download_button("Calendar file for the series (.ics)", data=fu.series_ics(
            webinars, f"{workshop.name}: webinars"), file_name="isc-webinars.ics",
            mime="text/calendar", icon=":material/calendar_month:")
    for w in webinars:
        with st.container(border=True):
            st.subheader(md(w.title))
            st.write(f"{fu.when(w)} · {counts.get(w.id, 0)} of {len(teams)} teams attended")
            if w.agenda:
                st.text(w.agenda)
            if w.join_link:
                st.text(f"Join link: {w.join_link}")
            left, right = st.columns(2)
            left.download_button("Calendar file (.ics)", data=fu.webinar_ics(w),
                                 file_name=fu.ics_filename(w), mime="text/calendar",
                                 key=f"ics:{w.id}")
            if right.button("Cancel this webinar", key=f"del:{w.id}"):
                c.store.delete_webinar(c.actor, w.id)
                st.rerun()

with attend_tab:
    st.header("Who attended")
    webinars = c.store.webinars(c.actor, workshop.id)
    if not webinars or not teams:
        st.caption("Schedule a webinar first; attendance is recorded per team.")
    else:
        chosen = st.selectbox("Webinar", webinars,
                              format_func=lambda w: f"{w.title} ({fu.when(w)})")
        present = c.store.attendance(c.actor, chosen.id)
        for t in teams:
            value = st.checkbox(md(t.city or t.slug), value=present.get(t.id, False),
                                key=f"att:{chosen.id}:{t.id}")
            if value != present.get(t.id, False):
                c.store.set_attendance(c.actor, chosen.id, t.id, value)
        st.caption("Each tick is saved at once.")

with queue_tab:
    st.header("Technical-assistance requests")
    order = {"urgent": 0, "normal": 1, "low": 2}
    queue = []
    for t in teams:
        saved = load_for_editing(fu.FollowUp, t.id)
        queue += [(t, r) for r in saved.body.requests]
    queue.sort(key=lambda tr: (tr[1].status == "done", order[tr[1].urgency],
                               tr[1].requested_on or dt.date.max))
    if not queue:
        st.caption("No requests yet.")
    experts = sorted({e.name for e in c.store.guide_search(c.actor, limit=200).entries})
    for t, r in queue:
        with st.expander(f"{md(t.city or t.slug)}: {md(r.topic)} · "
                         f"{fu.URGENCY_LABELS[r.urgency]} · "
                         f"{fu.REQUEST_STATUS_LABELS[r.status]}", expanded=r.status == "new"):
            st.text(r.details or "No details given.")
            st.caption(md(f"Asked by {r.requested_by or 'the team'} on "
                          f"{r.requested_on or 'an unknown day'}. Preferred times: "
                          f"{r.preferred_times or 'any'}."))
            with st.form(f"req:{t.id}:{r.id}"):
                a, b = st.columns(2)
                status = a.selectbox("Status", list(fu.REQUEST_STATUS_LABELS),
                                     index=list(fu.REQUEST_STATUS_LABELS).index(r.status),
                                     format_func=fu.REQUEST_STATUS_LABELS.get)
                assigned = b.text_input("Assigned to", value=r.assigned_to, max_chars=160,
                                        help="A facilitator's name or a guidebook expert.")
                if experts:
                    st.caption("Experts in the guidebook: " + md(", ".join(experts[:15])))
                notes = st.text_area("Notes", value=r.notes, max_chars=2000)
                if st.form_submit_button("Save"):
                    edit_rows(fu.FollowUp, t.id, "requests", what="request", upserts=[
                        r.model_copy(update={"status": status, "assigned_to": assigned,
                                             "notes": notes})])
                    st.rerun()

with cohort_tab:
    st.header("The cohort at a glance")
    progress = fu.cohort_progress(c.store, c.actor, teams)
    names = fu.anonymous_names(progress, named=c.is_facilitator)
    st.dataframe(pd.DataFrame([
        {"Team": names[p.team_id],
         "Latest check-in": p.latest.date if p.latest else None,
         "Milestones on track or done": (f"{p.share_on_track:.0%}"
                                         if p.share_on_track is not None else "—"),
         "Note": "" if p.has_plan else "No action plan yet"} for p in progress]),
        hide_index=True, width="stretch")
    st.subheader("Common blockers")
    blockers = [p.latest.blockers for p in progress if p.latest and p.latest.blockers]
    if not blockers:
        st.caption("No blockers reported yet.")
    else:
        words = fu.common_blockers(blockers)
        st.write("Words that come up most: " + md(", ".join(f"{w} ({n})" for w, n in words)))
        for p in progress:
            if p.latest and p.latest.blockers:
                st.markdown(f"**{md(names[p.team_id])}**")
                st.text(p.latest.blockers)
    st.subheader("How far measures have moved")
    points = [(names[p.team_id], s.measure.name, s.percent_of_way) for p in progress
              for s in p.series if s.percent_of_way is not None]
    if not points:
        st.caption("No measure has an actual value yet.")
    else:
        fig = go.Figure(go.Bar(
            y=[html.escape(f"{team} · {name[:40]}", quote=False) for team, name, _ in points],
            x=[v for _, _, v in points], orientation="h",
            text=[f"{v:.0f}%" for _, _, v in points], textposition="outside"))
        fig.add_vline(x=0, line_dash="dot", annotation_text="Baseline")
        fig.add_vline(x=100, line_dash="dash", annotation_text="Target")
        fig.update_layout(height=120 + 28 * len(points), xaxis_title="Percent of the way "
                          "from baseline to target", yaxis={"autorange": "reversed"},
                          margin={"l": 10, "r": 10, "t": 30, "b": 10})
        st.plotly_chart(fig, width="stretch")
        st.caption("Text version: " + md("; ".join(f"{team}, {name}: {v:.0f}% of the way"
                                                    for team, name, v in points) + "."))
