"""Follow-up after the Institute: check-ins, progress, help requests and webinars."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exports import jobs
from pages.common import (
    built_on_click,
    ctx,
    edit_rows,
    load_for_editing,
    md,
    page_title,
    require_team,
)
from toolkit import followup as fu
from toolkit.budget import money, new_id

c = ctx()
team = require_team()
can_edit = c.actor.can_write(team.id)
page_title("Follow-up after the Institute", team)
saved = load_for_editing(fu.FollowUp, team.id)
followup: fu.FollowUp = saved.body
plan = fu.load_plan(c.store, c.actor, team.id)
today = dt.date.today()

# Built on click, with the session checked again then, in an export worker process.
_report = built_on_click(lambda store, actor, team_id=team.id: jobs.run(
    jobs.progress_report, store.path, actor, team_id, today))

left, right = st.columns(2)
left.download_button(
    "Progress report (PDF)", data=_report,
    file_name=f"{team.slug}-progress-report.pdf", mime="application/pdf",
    icon=":material/picture_as_pdf:", width="stretch")
right.page_link("pages/assessment.py", label="Re-take the self-assessment",
                icon=":material/radar:", help="Start a new round (Take it again) to see the "
                "change per area since the Institute.")

check_tab, progress_tab, help_tab, webinar_tab = st.tabs(
    ["Check-in", "Progress", "Help", "Webinars"])

with check_tab:
    st.header("New check-in")
    st.write("Before each webinar, or once a month, say where each milestone stands and what "
             "each measure is now. Every check-in is kept.")
    if plan is None:
        st.info(fu.NO_PLAN_MESSAGE, icon=":material/info:")
    draft = fu.new_check_in(plan, today, previous=followup.latest)
    milestones = {m.id: m for m in (plan.milestones if plan else [])}
    measures = {m.id: m for m in (plan.measures if plan else [])}
    with st.form(f"checkin:{team.id}:{saved.version}", clear_on_submit=False):
        left, right = st.columns(2)
        day = left.date_input("Check-in date", value=today, disabled=not can_edit)
        label = right.text_input("Name of the check-in", max_chars=120,
                                 placeholder="For example: January webinar",
                                 disabled=not can_edit)
        status_rows = st.data_editor(
            pd.DataFrame([{"id": u.milestone_id, "Milestone": milestones[u.milestone_id].name,
                           "Planned end": milestones[u.milestone_id].end,
                           "Status": u.status, "Note": ""} for u in draft.milestones],
                         columns=["id", "Milestone", "Planned end", "Status", "Note"]),
            column_config={
                "id": None,
                "Status": st.column_config.SelectboxColumn(
                    "Status", options=list(fu.REPORTED_STATUSES),
                    format_func=fu.STATUS_LABELS.get, required=True),
                "Note": st.column_config.TextColumn("Note", max_chars=400),
                "Planned end": st.column_config.DateColumn("Planned end", format="MMM D, YYYY"),
            },
            disabled=["Milestone", "Planned end"] if can_edit else True,
            hide_index=True, width="stretch", key=f"ms:{team.id}:{saved.version}",
        ) if draft.milestones else None
        value_rows = st.data_editor(
            pd.DataFrame([{"id": a.measure_id, "Measure": measures[a.measure_id].name,
                           "Unit": measures[a.measure_id].unit,
                           "Baseline": measures[a.measure_id].baseline,
                           "Target": measures[a.measure_id].target,
                           "Actual value": None, "Measured on": a.as_of}
                          for a in draft.actuals],
                         columns=["id", "Measure", "Unit", "Baseline", "Target",
                                  "Actual value", "Measured on"]
                         ).astype({"Actual value": "float64"}),  # editable as numbers
            column_config={
                "id": None,
                # Fixed widths keep the columns a team types in visible without scrolling.
                "Measure": st.column_config.TextColumn("Measure", width=320),
                "Unit": st.column_config.TextColumn("Unit", width=150),
                "Baseline": st.column_config.NumberColumn("Baseline", width=80),
                "Target": st.column_config.NumberColumn("Target", width=80),
                "Actual value": st.column_config.NumberColumn("Actual value", width=110),
                "Measured on": st.column_config.DateColumn("Measured on", format="MMM D, YYYY"),
            },
            disabled=["Measure", "Unit", "Baseline", "Target"] if can_edit else True,
            hide_index=True, width="stretch", key=f"mv:{team.id}:{saved.version}",
        ) if draft.actuals else None
        blockers = st.text_area("Blockers", max_chars=2000, disabled=not can_edit,
                                help="What is in the way?")
        help_needed = st.text_area("Help needed", max_chars=2000, disabled=not can_edit)
        submitted = st.form_submit_button("Save check-in", type="primary",
                                          disabled=not can_edit)
    if submitted:
        try:
            check_in = fu.CheckIn(
                id=new_id(), date=day, label=label.strip() or f"Check-in {day:%b %d, %Y}",
                recorded_by=c.actor.name, blockers=blockers, help_needed=help_needed,
                milestones=[fu.MilestoneUpdate(milestone_id=r["id"], status=r["Status"],
                                               note=r["Note"] or "")
                            for r in (status_rows.to_dict("records")
                                      if status_rows is not None else [])],
                actuals=[fu.MeasureActual(measure_id=r["id"], value=r["Actual value"],
                                          as_of=r["Measured on"] or day)
                         for r in (value_rows.to_dict("records")
                                   if value_rows is not None else [])
                         if not pd.isna(r["Actual value"])])
        except ValueError as exc:
            st.error(f"Not saved: {md(exc)}")
        else:
            if edit_rows(fu.FollowUp, team.id, "check_ins", upserts=[check_in],
                         what="check-in"):
                st.toast("Check-in saved.")
            st.rerun()

    st.header("Past check-ins")
    if not followup.check_ins:
        st.caption("No check-ins yet.")
    for ci in reversed(followup.ordered()):
        with st.expander(f"{md(ci.label) or 'Check-in'}, {ci.date:%b %d, %Y} "
                         f"(recorded by {md(ci.recorded_by) or 'the team'})"):
            if plan is not None:
                st.dataframe(pd.DataFrame(
                    [{"Milestone": r.milestone.name, "Reported": fu.STATUS_LABELS[r.reported],
                      "By the rules": fu.STATUS_LABELS[r.computed], "Note": r.note}
                     for r in fu.milestone_rows(plan, ci) if r.reported != "not_reported"]),
                    hide_index=True, width="stretch")
            st.markdown("**Blockers**")
            st.text(ci.blockers or "None reported")
            st.markdown("**Help needed**")
            st.text(ci.help_needed or "None asked for")

with progress_tab:
    st.header("Measures over time")
    if plan is None:
        st.info(fu.NO_PLAN_MESSAGE, icon=":material/info:")
    else:
        for s in fu.measure_series(plan, followup):
            m = s.measure
            st.subheader(md(m.name))
            if s.points:
                fig = go.Figure()
                xs = [p.on for p in s.points]
                fig.add_trace(go.Scatter(x=xs, y=[p.value for p in s.points],
                                         mode="lines+markers+text", name="Actual",
                                         text=[fu.num(p.value) for p in s.points],
                                         textposition="top center",
                                         marker={"symbol": "circle", "size": 9}))
                span = [min([*xs, *(d for d in (m.baseline_date,) if d)]),
                        max([*xs, *(d for d in (m.target_date,) if d)])]
                for value, name, dash in ((m.baseline, "Baseline", "dot"),
                                          (m.target, "Target", "dash")):
                    if value is not None:
                        fig.add_trace(go.Scatter(x=span, y=[value, value], mode="lines",
                                                 name=f"{name} ({fu.num(value)})",
                                                 line={"dash": dash}))
                fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                                  yaxis_title=html.escape(m.unit, quote=False),
                                  legend={"orientation": "h"})
                st.plotly_chart(fig, width="stretch", key=f"chart:{m.id}")
            st.caption("Text version: " + md(fu.series_in_words(s)))

        st.header("Milestones planned and actual")
        latest = followup.latest
        st.caption("A milestone past its planned end and not done counts as late, whatever "
                   "was reported." + (f" As of the check-in of {latest.date:%b %d, %Y}."
                                      if latest else " No check-in yet."))
        st.dataframe(pd.DataFrame(
            [{"Milestone": r.milestone.name, "Planned start": r.milestone.start,
              "Planned end": r.milestone.end, "Reported": fu.STATUS_LABELS[r.reported],
              "By the rules": fu.STATUS_LABELS[r.computed], "Note": r.note}
             for r in fu.milestone_rows(plan, latest)]), hide_index=True, width="stretch")
    budget = fu.load_budget_years(c.store, c.actor, team.id, today)
    if budget:
        st.header("Budget committed and planned")
        st.dataframe(pd.DataFrame([{"Fiscal year": f"FY{b.year}",
                                    "Planned costs": money(b.planned, whole=True),
                                    "Committed": money(b.committed, whole=True),
                                    "Applying or ideas": money(b.hoped, whole=True)}
                                   for b in budget]), hide_index=True, width="stretch")
        st.caption("Committed counts money the proposal moves to the initiative and new "
                   "funding marked committed on the Budget page.")

with help_tab:
    st.header("Ask for one-on-one help")
    with st.form(f"help:{team.id}", clear_on_submit=True):
        topic = st.text_input("Topic", max_chars=200, disabled=not can_edit)
        details = st.text_area("What do you need?", max_chars=2000, disabled=not can_edit)
        left, right = st.columns(2)
        urgency = left.selectbox("Urgency", list(fu.URGENCY_LABELS), index=1,
                                 format_func=fu.URGENCY_LABELS.get, disabled=not can_edit)
        times = right.text_input("Times that suit you", max_chars=300, disabled=not can_edit,
                                 placeholder="For example: Tuesday mornings, Eastern time")
        ask = st.form_submit_button("Send request", disabled=not can_edit)
    if ask:
        if not topic.strip():
            st.error("Not sent: write a topic, so facilitators know who can help.")
        else:
            request = fu.HelpRequest(topic=topic, details=details, urgency=urgency,
                                     preferred_times=times, requested_on=today,
                                     requested_by=c.actor.name)
            if edit_rows(fu.FollowUp, team.id, "requests", upserts=[request], what="request"):
                st.toast("Request sent.")
            st.rerun()
    st.header("Your requests")
    if not followup.requests:
        st.caption("No requests yet.")
    else:
        st.dataframe(pd.DataFrame(
            [{"Topic": r.topic, "Urgency": fu.URGENCY_LABELS[r.urgency],
              "Status": fu.REQUEST_STATUS_LABELS[r.status],
              "Assigned to": r.assigned_to or "Not yet", "Notes": r.notes,
              "Asked on": r.requested_on} for r in followup.requests]),
            hide_index=True, width="stretch")

with webinar_tab:
    st.header("Follow-up webinars")
    webinars = c.store.webinars(c.actor, team.workshop_id)
    if not webinars:
        st.caption("No webinars are scheduled yet.")
    else:
        st.download_button("Add the whole series to your calendar (.ics)",
                           data=fu.series_ics(webinars), file_name="isc-webinars.ics",
                           mime="text/calendar", icon=":material/calendar_month:")
        attended = {w.id: c.store.attendance(c.actor, w.id).get(team.id) for w in webinars}
        for w in webinars:
            with st.container(border=True):
                st.subheader(md(w.title))
                st.write(fu.when(w))
                if w.agenda:
                    st.text(w.agenda)
                if w.join_link:
                    st.link_button("Join link", w.join_link)
                if attended[w.id]:
                    st.caption("Your team attended.")
                st.download_button("Calendar file (.ics)", data=fu.webinar_ics(w),
                                   file_name=fu.ics_filename(w), mime="text/calendar",
                                   key=f"ics:{w.id}")
