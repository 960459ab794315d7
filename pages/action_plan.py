"""Tool 2, the project action plan: logic model, measures, workplan, roles, staff, partners, risks."""

from __future__ import annotations

import datetime as dt
import html

import plotly.graph_objects as go
import streamlit as st

from exports import action_plan as export
from pages.common import (
    autosave,
    ctx,
    edit_rows,
    history_panel,
    load_for_editing,
    md,
    page_title,
    require_team,
    rows_editor,
    saved_caption,
)
from toolkit import action_plan as ap
from toolkit import budget as bg
from toolkit import workshop as ws

c = ctx()
team = require_team()
tool = ws.tool("action_plan")
can_edit = c.actor.can_write(team.id)
saved = load_for_editing(ap.ActionPlan, team.id)
plan: ap.ActionPlan = saved.body
initiative = c.store.load(c.actor, team.id, ws.Initiative).body
profile = c.store.load(c.actor, team.id, ws.TeamProfile).body
budget = c.store.load(c.actor, team.id, bg.BudgetPlan).body
packs = ap.load_starter_packs()
pack = packs.pack(initiative.area or ap.BLANK_AREA)
today = dt.date.today()
M = ap.ActionPlan

page_title(f"{tool.number}. {tool.name}", team, feedback_on="action_plan")
st.write(tool.purpose)
if flash := st.session_state.pop("action_plan_flash", None):
    st.success(md(flash), icon=":material/check_circle:")


def _keep_id(old) -> dict:
    return {"id": old.id} if old is not None else {}


def _csv(table: ap.ListTable, label: str | None = None) -> None:
    """Every list can leave as CSV; cells a spreadsheet would run as formulas are defused."""
    st.download_button(
        label or f"Download {table.title.lower()} (CSV)", data=ap.csv_text(table),
        file_name=f"{team.slug}-{table.key.replace('_', '-')}.csv", mime="text/csv",
        key=f"csv:{table.key}:{team.id}", on_click="ignore", icon=":material/download:")


def _show(problems: list[ap.Problem], limit: int = 30) -> None:
    for p in problems[:limit]:
        (st.error if p.severity == "error" else st.warning)(md(p.message))
    if len(problems) > limit:
        st.caption(f"And {len(problems) - limit} more: see the Readiness tab.")


def _plain(value: str, limit: int = 60) -> str:
    """User text for plotly labels, which read a little HTML: escaped and shortened."""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return html.escape(value, quote=False)


def _text(label: str, limit: int, **kw) -> st.column_config.Column:
    return st.column_config.TextColumn(label, max_chars=limit, **kw)


def _select(label: str, labels: dict[str, str], **kw) -> st.column_config.Column:
    options = [k for k in labels if k]
    return st.column_config.SelectboxColumn(label, options=options, format_func=labels.get, **kw)


tables = ap.list_tables(plan)

# --- start from a starter pack ------------------------------------------------------------

area_label = ws.area(pack.area).label


def _start_form() -> None:
    if not can_edit:
        return
    with st.form(f"start_pack:{team.id}"):
        start = None
        if plan.plan_start is None:
            start = st.date_input("Start the plan on", value=ap.next_monday(today),
                                  format="YYYY-MM-DD",
                                  help="Milestones from the pack are dated from this day. "
                                       "You can change it later on the Workplan tab.")
        else:
            st.caption(f"Milestones are dated from {ap.day(plan.plan_start)}, the day the "
                       "plan starts (set on the Workplan tab).")
        label = ("Start from this starter pack" if not plan.started
                 else "Fill the empty parts from the starter pack")
        if st.form_submit_button(label, type="primary", icon=":material/auto_awesome:"):
            adds = ap.apply_starter_pack(plan, pack, start=start) != plan
            ap.start_from_pack(c.store, c.actor, team.id, pack, start=start)
            st.session_state["action_plan_flash"] = (
                "The starter pack filled the empty parts of your plan. Nothing you wrote was "
                "changed. Edit everything to fit your city." if adds
                else "Every part the starter pack fills already has your words, so nothing "
                     "was added.")
            st.rerun()


def _pack_guidance() -> None:
    st.markdown(f"**Evidence.** {pack.evidence_note}")
    st.markdown("**Common pitfalls**\n\n" + "\n".join(f"- {p}" for p in pack.common_pitfalls))
    st.markdown("**Data that matters**\n\n" + "\n".join(f"- {d}" for d in pack.data_needed))
    st.caption("Sources: " + "; ".join(pack.sources))


if not plan.started:
    st.header("Start from a starter pack")
    st.write(f"**{area_label}.** {pack.summary}")
    st.caption(packs.intro)
    if not initiative.area:
        st.caption("Your team has not chosen a priority area on the team home page, so this "
                   "is the blank pack.")
    _start_form()
    with st.expander("What the pack says about evidence, pitfalls and data"):
        _pack_guidance()
else:
    with st.expander(f"Starter pack: {area_label}"):
        st.write(pack.summary)
        st.caption(packs.intro + " Filling from the pack again only adds to parts that are "
                   "still empty.")
        _start_form()
        _pack_guidance()

missing = ap.readiness(plan)
if plan.started:
    st.caption(f"Readiness: {len(missing)} {'thing' if len(missing) == 1 else 'things'} still "
               "missing. The Readiness tab names each one." if missing else
               "Readiness: every part of the plan is filled in.")
saved_caption(saved)


# --- logic model --------------------------------------------------------------------------

def _logic_model() -> None:
    st.header("Logic model")
    st.write("Read it from left to right: what goes in, what the team does, what that "
             "produces, and the change it brings. Link each item to what it leads to.")
    for n, (field, label, hint) in enumerate(ap.LOGIC_COLUMNS):
        st.subheader(label)
        st.caption(hint)
        later = {i.id: f"{ap.LOGIC_LABELS[f]}: {i.text}" for f in ap.LOGIC_FIELDS[n + 1:]
                 for i in getattr(plan, f)}
        for item in getattr(plan, field):
            later.update({x: "(deleted item)" for x in item.links if x not in later})
        config = {"text": _text(label, 300, required=True, width="large")}
        if later:
            config["links"] = st.column_config.MultiselectColumn(
                "Leads to", options=list(later), format_func=later.get, width="large")

        def to_row(item, has_links=bool(later)):
            return {"text": item.text, **({"links": list(item.links)} if has_links else {})}

        def from_row(row, old):
            links = row.get("links")
            return ap.LogicItem(**_keep_id(old), text=row.get("text") or "",
                                links=list(links) if links is not None
                                else (list(old.links) if old else []))

        rows_editor(M, team.id, field, to_row=to_row, from_row=from_row, column_config=config,
                    what=f"{label.lower()} item", disabled=not can_edit)
    _show(ap.check_logic_model(plan))
    with st.expander("The logic model as one table (text version)"):
        table = tables["logic_model"]
        st.dataframe([dict(zip(table.header, row, strict=True)) for row in table.rows],
                     hide_index=True, width="stretch")
    _csv(tables["logic_model"])

# --- goals and measures -------------------------------------------------------------------

def _goals_and_measures() -> None:
    st.header("Goals")
    st.caption("What will be different, for whom, by when.")
    rows_editor(M, team.id, "goals", to_row=lambda g: {"text": g.text},
                from_row=lambda row, old: ap.Goal(**_keep_id(old), text=row.get("text") or ""),
                column_config={"text": _text("Goal", 400, required=True, width="large")},
                what="goal", disabled=not can_edit)
    _csv(tables["goals"])

    st.header("Measures")
    for kind in packs.measure_kinds:
        st.markdown(f"**{kind.label}** {kind.description}")
    st.info(packs.representative_note, icon=":material/groups:")
    rows_editor(
        M, team.id, "measures", what="measure", disabled=not can_edit,
        height=420 if len(plan.measures) > 10 else "auto",
        to_row=lambda m: {
            "name": m.name, "kind": m.kind, "unit": m.unit, "baseline": m.baseline,
            "baseline_date": m.baseline_date, "target": m.target,
            "target_date": m.target_date, "data_source": m.data_source,
            "frequency": m.frequency or None, "owner": m.owner,
            "representative": m.representative, "note": m.note},
        from_row=lambda row, old: ap.PlanMeasure(
            **_keep_id(old), name=row.get("name") or "", kind=row.get("kind") or "better_off",
            unit=row.get("unit") or "", baseline=row.get("baseline"),
            baseline_date=row.get("baseline_date"), target=row.get("target"),
            target_date=row.get("target_date"), data_source=row.get("data_source") or "",
            frequency=row.get("frequency") or "", owner=row.get("owner") or "",
            representative=row.get("representative") or "unsure",
            note=row.get("note") or ""),
        column_config={
            "name": _text("Measure", 200, required=True, width="medium"),
            "kind": _select("Kind", ap.KIND_LABELS, default="better_off"),
            "unit": _text("Unit", 80),
            "baseline": st.column_config.NumberColumn("Baseline", min_value=-1e12,
                                                      max_value=1e12),
            "baseline_date": st.column_config.DateColumn("Baseline date",
                                                         format="YYYY-MM-DD"),
            "target": st.column_config.NumberColumn("Target", min_value=-1e12,
                                                    max_value=1e12),
            "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
            "data_source": _text("Data source", 300, width="medium"),
            "frequency": _select("How often", ap.FREQUENCY_LABELS),
            "owner": _text("Owner", 120),
            "representative": _select(
                "Representative?", ap.REPRESENTATIVE_LABELS, default="unsure",
                help="Does the data cover everyone affected, or only people who called, "
                     "complained or came in?"),
            "note": _text("Note", 600),
        })
    problems = ap.check_measures(plan)
    _show([p for p in problems if p.severity == "error"])
    for m in plan.measures:
        if advice := ap.representative_advice(m):
            st.warning(advice, icon=":material/help:")
    gaps = [p.message for p in problems if p.severity == "warning"
            and not any(p.message == ap.representative_advice(m) for m in plan.measures)]
    if gaps:
        with st.expander(f"Still missing in the measures ({len(gaps)})"):
            st.dataframe([{"What is missing": g} for g in gaps], hide_index=True,
                         width="stretch")
    _csv(tables["measures"])
    with st.expander("Measures the starter pack suggests"):
        st.dataframe([{"Measure": m.name, "Kind": ap.KIND_LABELS[m.kind], "Unit": m.unit,
                       "Where the data can come from": m.suggested_source,
                       "Representative": "Yes" if m.representative else "No",
                       "Why": m.representativeness_note} for m in pack.measures],
                     hide_index=True, width="stretch")

# --- workplan -----------------------------------------------------------------------------

def _workplan() -> None:
    st.header("Workplan")
    autosave(st.date_input, M, "plan_start", team.id, "Day the plan starts",
             labels=ap.FIELD_LABELS, value=None, format="YYYY-MM-DD", disabled=not can_edit,
             help="The first 90 days are counted from this day.")
    start = plan.plan_start or today

    st.subheader("Phases")
    rows_editor(M, team.id, "phases", to_row=lambda p: {"name": p.name},
                from_row=lambda row, old: ap.Phase(**_keep_id(old), name=row.get("name") or ""),
                column_config={"name": _text("Phase", 80, required=True, width="large")},
                what="phase", disabled=not can_edit)
    _csv(tables["phases"])

    st.subheader("Milestones")
    st.caption("Each milestone has an owner, a start and an end. 'Depends on' lists what must "
               "finish first.")
    phase_names = {p.id: p.name or "(no name)" for p in plan.phases}
    milestone_names = {m.id: f"{n}. {m.name or '(no name)'}"
                       for n, m in enumerate(plan.milestones, start=1)}
    for m in plan.milestones:
        milestone_names.update({d: "(deleted milestone)" for d in m.depends_on
                                if d not in milestone_names})
        if m.phase and m.phase not in phase_names:
            phase_names[m.phase] = "(deleted phase)"
    rows_editor(
        M, team.id, "milestones", what="milestone", disabled=not can_edit,
        height=440 if len(plan.milestones) > 12 else "auto",
        to_row=lambda m: {"name": m.name, "phase": m.phase or None, "owner": m.owner,
                          "start": m.start, "end": m.end, "depends_on": list(m.depends_on),
                          "status": m.status},
        from_row=lambda row, old: ap.PlanMilestone(
            **_keep_id(old), name=row.get("name") or "", phase=row.get("phase") or "",
            owner=row.get("owner") or "", start=row.get("start"), end=row.get("end"),
            depends_on=list(row.get("depends_on") or []),
            status=row.get("status") or "not_started"),
        column_config={
            "name": _text("Milestone", 200, required=True, width="large"),
            "phase": st.column_config.SelectboxColumn(
                "Phase", options=list(phase_names), format_func=phase_names.get),
            "owner": _text("Owner", 120),
            "start": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
            "end": st.column_config.DateColumn("End", format="YYYY-MM-DD"),
            "depends_on": st.column_config.MultiselectColumn(
                "Depends on", options=list(milestone_names), format_func=milestone_names.get,
                width="medium"),
            "status": _select("Status", ap.STATUS_LABELS, default="not_started"),
        })
    if can_edit:
        # A fresh form after each milestone added; a refused one keeps what was typed.
        form_key = f"add_milestone_form:{team.id}"
        with st.expander("Add a milestone", expanded=not plan.milestones):
            with st.form(f"add_milestone:{team.id}:{st.session_state.get(form_key, 0)}"):
                name = st.text_input("Milestone", max_chars=200)
                a, b = st.columns(2)
                phase = a.selectbox("Phase", list(phase_names), format_func=phase_names.get,
                                    index=None, placeholder="No phase")
                owner = b.text_input("Owner", max_chars=120)
                a, b = st.columns(2)
                begin = a.date_input("Start", value=None, format="YYYY-MM-DD")
                finish = b.date_input("End", value=None, format="YYYY-MM-DD")
                depends = st.multiselect(
                    "Depends on", [m.id for m in plan.milestones],
                    format_func=milestone_names.get, placeholder="Nothing has to finish first")
                status = st.selectbox("Status", list(ap.STATUS_LABELS),
                                      format_func=ap.STATUS_LABELS.get)
                if st.form_submit_button("Add milestone", type="primary"):
                    if not name.strip():
                        st.error("Give the milestone a name.")
                    else:
                        # Saved even when the dates are wrong: the check below says what to
                        # fix, and nothing the team typed is lost.
                        if edit_rows(M, team.id, "milestones", what="milestone", upserts=[
                                ap.PlanMilestone(name=name, phase=phase or "", owner=owner,
                                                 start=begin, end=finish, depends_on=depends,
                                                 status=status)]):
                            st.session_state[form_key] = st.session_state.get(form_key, 0) + 1
                        st.rerun()
    work_problems = ap.check_workplan(plan)
    _show(work_problems)
    dangling = ap.missing_dependencies(plan)
    if dangling and can_edit and st.button("Remove dependencies on deleted milestones",
                                           icon=":material/link_off:"):
        edit_rows(M, team.id, "milestones", upserts=dangling, what="milestone")
        st.rerun()
    _csv(tables["milestones"])

    st.subheader("Timeline")
    layout = ap.gantt(plan)
    if not layout.bars:
        st.info("Give milestones a start and an end date to see them on the timeline.")
    else:
        labels = [f"{b.row}. {_plain(b.milestone.name or '(no name)', 48)}"
                  for b in layout.bars]
        styles = {"not_started": ("#FFFFFF", ""), "in_progress": ("#6F93B8", "/"),
                  "done": ("#1B1F24", ""), "blocked": ("#C9D1DA", "x")}
        figure = go.Figure()
        for status, status_label in ap.STATUS_LABELS.items():
            bars = [b for b in layout.bars if b.milestone.status == status]
            if not bars:
                continue
            fill, shape = styles[status]
            figure.add_trace(go.Bar(
                y=[labels[b.row - 1] for b in bars], x=[b.days * 86_400_000 for b in bars],
                base=[b.start.isoformat() for b in bars], orientation="h", name=status_label,
                marker=dict(color=fill, pattern_shape=shape,
                            line=dict(color="#1B1F24", width=1)),
                customdata=[[_plain(b.milestone.name, 120), ap.day(b.start), ap.day(b.end),
                             _plain(b.milestone.owner, 60)] for b in bars],
                hovertemplate="%{customdata[0]}<br>%{customdata[1]} to %{customdata[2]}"
                              f"<br>Owner: %{{customdata[3]}}<extra>{status_label}</extra>"))
        figure.add_vrect(x0=start.isoformat(),
                         x1=(start + dt.timedelta(days=ap.NINETY_DAYS)).isoformat(),
                         fillcolor="#0B4F8A", opacity=0.08, line_width=0, layer="below")
        per_row = 22 if len(labels) <= 60 else 14
        figure.update_layout(height=140 + per_row * len(labels), barmode="overlay",
                             margin=dict(t=30, l=0, r=0, b=10), legend_orientation="h",
                             legend_y=0, legend_yanchor="top", bargap=0.3)
        figure.update_xaxes(type="date", side="top")
        figure.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed",
                            tickfont=dict(size=11))
        st.plotly_chart(figure, width="stretch")
        st.caption("Text version: " + md(ap.timeline_in_words(layout)) + " The shaded band is "
                   f"the first 90 days, from {ap.day(start)}.")
        with st.expander("The timeline as a table"):
            st.dataframe([{"Row": b.row, "Milestone": b.milestone.name, "Phase": b.phase,
                           "Start": b.start, "End": b.end,
                           "Status": ap.STATUS_LABELS[b.milestone.status],
                           "Owner": b.milestone.owner} for b in layout.bars],
                         hide_index=True, width="stretch")

    st.subheader("The first 90 days")
    ninety = ap.ninety_day_table(plan, start)
    st.caption(f"From {ap.day(start)} to "
               f"{ap.day(start + dt.timedelta(days=ap.NINETY_DAYS - 1))}, week by week.")
    if ninety.rows:
        st.dataframe([dict(zip(ninety.header, row, strict=True)) for row in ninety.rows],
                     hide_index=True, width="stretch")
        _csv(ninety)
    else:
        st.info("No milestone starts, runs or ends in the first 90 days yet.")

# --- roles --------------------------------------------------------------------------------

def _roles() -> None:
    st.header("Roles")
    st.write("For each workstream: who is Responsible (does the work), who is Accountable "
             "(owns the result, exactly one), who is Consulted before decisions, and who is "
             "kept Informed. Name an in-house product owner: a city employee who owns the "
             "service day to day.")
    rows_editor(
        M, team.id, "roles", what="role", disabled=not can_edit,
        to_row=lambda r: {"name": r.name, "is_product_owner": r.is_product_owner,
                          "does": r.does},
        from_row=lambda row, old: ap.RaciRole(
            **_keep_id(old), name=row.get("name") or "",
            is_product_owner=bool(row.get("is_product_owner")), does=row.get("does") or ""),
        column_config={
            "name": _text("Role", 120, required=True, width="medium"),
            "is_product_owner": st.column_config.CheckboxColumn("In-house product owner"),
            "does": _text("What they do", 400, width="large"),
        })
    _csv(tables["roles"])
    st.subheader("RACI chart")
    if not plan.roles:
        st.info("List the roles first. Each role becomes a column of the chart.")
    else:
        roles = plan.roles
        rows_editor(
            M, team.id, "workstreams", what="workstream", disabled=not can_edit,
            to_row=lambda w: {"name": w.name,
                              **{f"r_{r.id}": w.assignments.get(r.id) or None for r in roles}},
            from_row=lambda row, old: ap.Workstream(
                **_keep_id(old), name=row.get("name") or "",
                assignments={r.id: row[f"r_{r.id}"] for r in roles if row.get(f"r_{r.id}")}),
            column_config={
                "name": _text("Workstream", 160, required=True, width="medium"),
                **{f"r_{r.id}": st.column_config.SelectboxColumn(
                    (r.name or "(no name)")[:40], options=list(ap.RACI_LETTERS),
                    help=f"{r.name}: R responsible, A accountable, C consulted, I informed")
                   for r in roles},
            })
        _show(ap.check_roles(plan))
        _csv(tables["raci"])

# --- operations ---------------------------------------------------------------------------

fte_column = st.column_config.NumberColumn("FTE", min_value=0.0, max_value=10_000.0,
                                           step=0.25, format="%.2f")

def _operations() -> None:
    st.header("Operations plan")
    st.write("Who moves to the new work, what they need to learn, and who must be hired.")
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Staff to redeploy")
        rows_editor(
            M, team.id, "redeployments", what="redeployment", disabled=not can_edit,
            to_row=lambda r: {"role": r.role, "fte": float(r.fte), "from_unit": r.from_unit,
                              "to_work": r.to_work},
            from_row=lambda row, old: ap.Redeployment(
                **_keep_id(old), role=row.get("role") or "", fte=row.get("fte"),
                from_unit=row.get("from_unit") or "", to_work=row.get("to_work") or ""),
            column_config={"role": _text("Role", 120, required=True), "fte": fte_column,
                           "from_unit": _text("From unit", 160),
                           "to_work": _text("To work on", 300, width="medium")})
        _csv(tables["redeployments"])
        st.subheader("Training")
        rows_editor(
            M, team.id, "trainings", what="training", disabled=not can_edit,
            to_row=lambda t: {"skill": t.skill, "who": t.who, "hours": float(t.hours),
                              "provider": t.provider},
            from_row=lambda row, old: ap.Training(
                **_keep_id(old), skill=row.get("skill") or "", who=row.get("who") or "",
                hours=row.get("hours"), provider=row.get("provider") or ""),
            column_config={"skill": _text("Skill", 160, required=True),
                           "who": _text("Who", 160),
                           "hours": st.column_config.NumberColumn(
                               "Hours", min_value=0.0, max_value=10_000.0, step=0.5,
                               format="%.1f"),
                           "provider": _text("Provider", 160)})
        _csv(tables["trainings"])
        st.subheader("Hires")
        rows_editor(
            M, team.id, "hires", what="hire", disabled=not can_edit,
            to_row=lambda h: {"role": h.role, "fte": float(h.fte), "start": h.start,
                              "funded_by": h.funded_by},
            from_row=lambda row, old: ap.Hire(
                **_keep_id(old), role=row.get("role") or "", fte=row.get("fte"),
                start=row.get("start"), funded_by=row.get("funded_by") or ""),
            column_config={"role": _text("Role", 120, required=True), "fte": fte_column,
                           "start": st.column_config.DateColumn("Start",
                                                                format="YYYY-MM-DD"),
                           "funded_by": _text("Paid for by", 200, width="medium")})
        _csv(tables["hires"])
    with right:
        st.subheader("Staff moves in the budget tool")
        moves = ap.budget_fte_moves(budget)
        if not moves:
            st.info("The budget tool has no staff (FTE) moves yet. When a scenario "
                    "redeploys staff, it is shown here beside this plan.")
        else:
            st.dataframe([{"FTE": float(m.fte), "From": m.source,
                           "Scenario": m.scenario + (" (proposal)" if m.is_proposal else ""),
                           "Fiscal year": m.fiscal_year, "Why": m.rationale} for m in moves],
                         hide_index=True, width="stretch")
            if note := ap.fte_comparison(plan, moves):
                (st.success if note.endswith("they match.") else st.warning)(note)
            st.caption("Change these moves on the Budget page.")

# --- partners -----------------------------------------------------------------------------

def _partners() -> None:
    st.header("Partners")
    st.write("Universities, employers, nonprofits, community groups, vendors and other "
             "agencies: what each brings, what it gets, and what holds the deal.")
    rows_editor(
        M, team.id, "partners", what="partner", disabled=not can_edit,
        to_row=lambda p: {"name": p.name, "type": p.type or None, "brings": p.brings,
                          "gets": p.gets, "agreement": p.agreement, "status": p.status,
                          "owner": p.owner},
        from_row=lambda row, old: ap.PlanPartner(
            **_keep_id(old), name=row.get("name") or "", type=row.get("type") or "",
            brings=row.get("brings") or "", gets=row.get("gets") or "",
            agreement=row.get("agreement") or "none_yet", status=row.get("status") or "idea",
            owner=row.get("owner") or ""),
        column_config={
            "name": _text("Partner", 160, required=True, width="medium"),
            "type": _select("Type", ap.PARTNER_TYPE_LABELS),
            "brings": _text("Brings", 400, width="medium"),
            "gets": _text("Gets", 400, width="medium"),
            "agreement": _select("Agreement", ap.AGREEMENT_LABELS, default="none_yet"),
            "status": _select("Status", ap.PARTNER_STATUS_LABELS, default="idea"),
            "owner": _text("Owner", 120),
        })
    _show(ap.check_partners(plan))
    _csv(tables["partners"])
    with st.expander(f"Kinds of partners that matter for {area_label.lower()}"):
        for kind in pack.partner_types:
            st.markdown(f"**{ap.PARTNER_TYPE_LABELS[kind.type]}** brings: "
                        + " ".join(kind.brings) + f" *Watch out:* {kind.watch_out}")

# --- risks --------------------------------------------------------------------------------

def _risks() -> None:
    st.header("Risks")
    st.write("Rate each risk from 1 to 5: how likely it is, and how much harm it would do. "
             "Say what you will do about it, and who watches it.")
    rating = {"min_value": 1, "max_value": 5, "step": 1, "format": "%d"}
    rows_editor(
        M, team.id, "risks", what="risk", disabled=not can_edit,
        to_row=lambda r: {"description": r.description, "likelihood": r.likelihood,
                          "impact": r.impact, "mitigation": r.mitigation, "owner": r.owner},
        from_row=lambda row, old: ap.Risk(
            **_keep_id(old), description=row.get("description") or "",
            likelihood=row.get("likelihood"), impact=row.get("impact"),
            mitigation=row.get("mitigation") or "", owner=row.get("owner") or ""),
        column_config={
            "description": _text("Risk", 400, required=True, width="large"),
            "likelihood": st.column_config.NumberColumn("Likelihood (1-5)", **rating),
            "impact": st.column_config.NumberColumn("Impact (1-5)", **rating),
            "mitigation": _text("What we will do", 600, width="large"),
            "owner": _text("Owner", 120),
        })
    _csv(tables["risks"])
    st.subheader("Heat map")
    cells = ap.heat_map(plan)
    level_value = {"low": 0, "medium": 1, "high": 2}
    grid = [cells[row * 5:(row + 1) * 5] for row in range(5)]  # impact 5 down to 1
    heat = go.Figure(go.Heatmap(
        z=[[level_value[cell.level] for cell in row] for row in grid],
        x=[f"Likelihood {n}" for n in range(1, 6)],
        y=[f"Impact {n}" for n in range(5, 0, -1)],
        text=[[f"{len(cell.risks) or '–'}<br>{cell.level}" for cell in row] for row in grid],
        texttemplate="%{text}", textfont=dict(size=15),
        colorscale=[[0, "#FFFFFF"], [0.5, "#C9D1DA"], [1, "#1B1F24"]], zmin=0, zmax=2,
        showscale=False, xgap=2, ygap=2, hoverinfo="skip"))
    heat.update_layout(height=380, margin=dict(t=10, l=0, r=0, b=0),
                       plot_bgcolor="#8A96A3")  # grid lines that show on every fill
    heat.update_yaxes(autorange="reversed")
    st.plotly_chart(heat, width="stretch")
    st.caption("Text version: " + md(ap.heat_map_in_words(plan)) + " Each cell shows how many "
               "risks sit there and its level: low, medium or high.")

# --- readiness ----------------------------------------------------------------------------

def _readiness() -> None:
    st.header("Readiness")
    st.write("What a chief of staff needs before running the first 90 days from this plan. "
             "Each line names what is missing.")
    parts = ap.completeness(plan)
    st.dataframe(
        [{"Part of the plan": p.label, "Complete": p.score, "Still missing": len(p.missing)}
         for p in parts],
        column_config={"Complete": st.column_config.ProgressColumn(
            "Complete", min_value=0, max_value=100, format="%d%%")},
        hide_index=True, width="stretch")
    if not missing:
        st.success("Every part of the plan is filled in.", icon=":material/check_circle:")
    for part in parts:
        if part.missing:
            with st.expander(f"{part.label}: {len(part.missing)} missing"):
                st.dataframe([{"What is missing": m} for m in part.missing],
                             hide_index=True, width="stretch")

    st.subheader("Take it with you")
    section = export.ActionPlanSection(plan, ap.budget_fte_moves(budget), today)
    place = f"{profile.city}, {profile.state}".strip(", ") or team.slug

    def _pdf(section=section, place=place, title=initiative.title) -> bytes:
        # Built on Streamlit's download thread from data already read: no database needed.
        return export.standalone_pdf(section, place=place, initiative=title)

    st.download_button("Download the action plan (PDF)", data=_pdf,
                       file_name=f"{team.slug}-action-plan.pdf", mime="application/pdf",
                       on_click="ignore", icon=":material/picture_as_pdf:", type="primary",
                       disabled=not plan.started)

# --- the tabs: only the open one runs, so a plan with 300 milestones stays quick --------------

TABS = {"Logic model": _logic_model, "Goals and measures": _goals_and_measures,
        "Workplan": _workplan, "Roles": _roles, "Operations": _operations,
        "Partners": _partners, "Risks": _risks, "Readiness": _readiness}
# Keyed, so the open tab survives the rerun after a save instead of jumping back to the first.
for container, render in zip(st.tabs(list(TABS), key=f"plan_tab:{team.id}", on_change="rerun"),
                             TABS.values(), strict=True):
    with container:
        if container.open is not False:
            render()

history_panel(M, team.id, "action plan",
              describe=lambda p: f"{len(p.measures)} measures, {len(p.milestones)} milestones, "
                                 f"{len(p.partners)} partners, {len(p.risks)} risks")
