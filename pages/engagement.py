"""Tool 4, resident engagement: who to involve and how, in which languages, and who could be
left out; with a plain-language check for what residents will read."""

from __future__ import annotations

import datetime as dt
import html

import plotly.graph_objects as go
import streamlit as st

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
from toolkit import engagement as eg
from toolkit import workshop as ws

c = ctx()
team = require_team()
tool = ws.tool("engagement")
can_edit = c.actor.can_write(team.id)
saved = load_for_editing(eg.EngagementPlan, team.id)
plan: eg.EngagementPlan = saved.body
eng = eg.load_engagement_content()
plain = eg.load_plain_language()
area = c.store.load(c.actor, team.id, ws.Initiative).body.area
# The action plan is another tool's document: read as plain data, never changed here.
bodies = c.store.document_bodies(c.actor, team.id)
milestones = eg.action_plan_milestones(bodies["action_plan"]) if "action_plan" in bodies else None
labels = eg.FIELD_LABELS
Plan = eg.EngagementPlan
LEVEL_NAMES = {lv.id: lv.name for lv in eng.participation_levels}
TACTIC_NAMES = {t.id: t.name for t in eng.tactics}
RATINGS = [1, 2, 3, 4, 5]

page_title(f"{tool.number}. {tool.name}", team, feedback_on="engagement")
st.write(tool.purpose)
saved_caption(saved)

def show(findings: list[eg.Finding], *parts: str) -> None:
    """Warnings for the parts of the plan a tab covers."""
    for f in findings:
        if not parts or f.part in parts:
            st.warning(md(f.message), icon=":material/warning:")


def add_form(field: str, what: str, specs: list[tuple[str, str, int]], build) -> None:
    """A small form that adds one row to a list. The table edits rows once there are some
    (an empty table has no columns to type into)."""
    if not can_edit:
        if not getattr(plan, field):
            st.caption("None yet.")
        return
    with st.expander(f"Add {what}", expanded=not getattr(plan, field)):
        with st.form(f"add:{field}:{team.id}", clear_on_submit=True):
            values = {name: st.text_input(label, max_chars=limit)
                      for name, label, limit in specs}
            if st.form_submit_button(f"Add {what}"):
                first_name, first_label, _ = specs[0]
                if not values[first_name].strip():
                    st.error(f"Fill in \"{first_label}\".")
                elif edit_rows(Plan, team.id, field, upserts=[build(values)], what=what):
                    st.rerun()


def missing_here(part: str) -> None:
    """What this tab's part of the plan still lacks, quietly, under the work itself."""
    lines = [f.message for f in todo if f.part == part]
    if lines and plan.started:
        st.caption("Still missing here: " + " ".join(md(m) for m in lines))


todo = eg.readiness(plan, eng)
notes = eg.warnings(plan, eng, milestones, plain)
if plan.started:
    with st.expander(f"What the plan still needs ({len(todo)})" if todo
                     else "The plan has every part it needs", expanded=False):
        if todo:
            st.dataframe([{"Part": f.part, "What is missing": f.message} for f in todo],
                         hide_index=True, width="stretch")
        else:
            st.write("Every part is filled in. Check the warnings on each tab, if any.")

tabs = st.tabs(["Stakeholders", "Participation", "Tactics", "Languages & access",
                "Closing the loop & trust", "Digital inclusion", "Plain-language check"])


# --- stakeholders -------------------------------------------------------------------------

def _group_row(g: eg.Stakeholder) -> dict:
    return {"name": g.name, "influence": g.influence, "affected": g.affected,
            "level": g.level, "decisions": g.decisions, "note": g.note,
            "suggested": g.suggested}


def _group_from_row(row: dict, old: eg.Stakeholder | None) -> eg.Stakeholder:
    keep = {"id": old.id, "suggested": old.suggested, "content_id": old.content_id} if old else {}
    return eg.Stakeholder(**keep, name=row.get("name") or "",
                          influence=int(row.get("influence") or 3),
                          affected=int(row.get("affected") or 3),
                          level=row.get("level") or "consult",
                          decisions=row.get("decisions") or "", note=row.get("note") or "")


def grid_figure(placements: list[eg.Placement]) -> go.Figure:
    fig = go.Figure()
    divide = eg.HIGH_FROM - 0.5
    fills = {"partner": "#C9D8E8", "reach": "#E4ECF4", "satisfy": "#F2F2F2", "inform": "#FFFFFF"}
    boxes = {"partner": (divide, 5.5, divide, 5.5), "reach": (divide, 5.5, 0.5, divide),
             "satisfy": (0.5, divide, divide, 5.5), "inform": (0.5, divide, 0.5, divide)}
    for q, (x0, x1, y0, y1) in boxes.items():
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=fills[q],
                      line=dict(color="#4A5360", width=1), layer="below")
        top = q in ("partner", "satisfy")
        fig.add_annotation(x=x0 + 0.08, y=(y1 - 0.12) if top else (y0 + 0.12),
                           xanchor="left", yanchor="top" if top else "bottom", showarrow=False,
                           text=f"<b>{eg.QUADRANTS[q].advice}</b>",
                           font=dict(size=12, color="#1B1F24"))
    for q, info in eg.QUADRANTS.items():
        points = [p for p in placements if p.quadrant == q]
        if not points:
            continue
        fig.add_trace(go.Scatter(
            x=[p.x for p in points], y=[p.y for p in points], mode="markers+text",
            name=info.advice, text=[str(p.number) for p in points], textposition="top right",
            textfont=dict(size=13, color="#1B1F24"),
            # Plotly reads a little HTML in hover text: names are escaped so they print as typed.
            hovertext=[html.escape(f"{p.number}. {p.group.name}", quote=False) for p in points],
            hoverinfo="text",
            marker=dict(symbol=info.symbol, size=15, color="#0B4F8A",
                        line=dict(width=1.5, color="#1B1F24"))))
    axis = dict(range=[0.5, 5.5], tickvals=RATINGS, showgrid=False, zeroline=False,
                fixedrange=True)
    fig.update_layout(
        xaxis=dict(axis, title="How much the initiative affects them (1 = a little, 5 = a lot)"),
        yaxis=dict(axis, title="Influence (1 = little, 5 = a lot)"),
        height=520, margin=dict(t=10, l=0, r=0, b=0), plot_bgcolor="white",
        legend=dict(orientation="h", y=-0.15), font=dict(color="#1B1F24"))
    return fig


with tabs[0]:
    st.header("Who to involve")
    st.write("List the groups who matter to this initiative. Rate each from 1 to 5 on how much "
             "say it has (influence) and on how much the initiative affects it. The grid below "
             "shows where each group falls.")
    suggestions = eg.suggested_groups(area, eng)
    have = {g.content_id for g in plan.groups} | {g.name.casefold() for g in plan.groups}
    offer = {s.id: s for s in suggestions if s.id not in have and s.name.casefold() not in have}
    if can_edit and offer:
        st.subheader("Suggested groups")
        where = (ws.area(area).short.lower() if area and area != "other"
                 else "any initiative")
        st.caption(f"Groups that often matter for {where}. "
                   + ("" if area else "Choose your initiative's area on the team home page "
                      "for suggestions that fit it."))
        with st.form(f"suggested:{team.id}", clear_on_submit=True):
            picked = st.multiselect("Add suggested groups", list(offer),
                                    format_func=lambda i: offer[i].name,
                                    placeholder="Choose one or more groups")
            if st.form_submit_button("Add these groups", icon=":material/group_add:"):
                new = eg.new_suggested(area, picked, plan, eng)
                if not new:
                    st.error("Choose at least one group to add.")
                elif edit_rows(Plan, team.id, "groups", upserts=new, what="group"):
                    st.rerun()
        with st.expander("Why these groups"):
            for s in offer.values():
                st.markdown(f"- **{s.name}.** {s.why}")

    if can_edit:
        with st.expander("Add your own group", expanded=not plan.groups):
            with st.form(f"add_group:{team.id}", clear_on_submit=True):
                name = st.text_input("Group name", max_chars=100,
                                     placeholder="e.g. Riders who work night shifts")
                influence = st.radio("Influence: how much say they have", RATINGS, index=2,
                                     horizontal=True)
                affected = st.radio("How much the initiative affects them", RATINGS, index=2,
                                    horizontal=True)
                level = st.selectbox("How deeply they take part", list(eg.LEVELS),
                                     index=1, format_func=LEVEL_NAMES.get)
                if st.form_submit_button("Add group", type="primary"):
                    if not name.strip():
                        st.error("Give the group a name.")
                    elif edit_rows(Plan, team.id, "groups", what="group", upserts=[
                            eg.Stakeholder(name=name, influence=influence, affected=affected,
                                           level=level)]):
                        st.rerun()

    st.subheader("Your groups")
    missing_here("Stakeholders")
    if plan.groups:
        rows_editor(
            Plan, team.id, "groups", what="group", to_row=_group_row, from_row=_group_from_row,
            column_config={
                "name": st.column_config.TextColumn("Group", max_chars=100, required=True),
                "influence": st.column_config.NumberColumn("Influence (1-5)", min_value=1,
                                                           max_value=5, step=1, default=3),
                "affected": st.column_config.NumberColumn("Affected (1-5)", min_value=1,
                                                          max_value=5, step=1, default=3),
                "level": st.column_config.SelectboxColumn("Level", options=list(eg.LEVELS),
                                                          format_func=LEVEL_NAMES.get,
                                                          default="consult"),
                "decisions": st.column_config.TextColumn("Decisions they take part in",
                                                         max_chars=600),
                "note": st.column_config.TextColumn("Note", max_chars=600),
                "suggested": st.column_config.CheckboxColumn("Suggested", disabled=True,
                                                             default=False),
            },
            disabled=not can_edit,
        )

    st.subheader("The grid")
    placements = eg.place_groups(plan.groups)
    if placements:
        st.plotly_chart(grid_figure(placements), width="stretch",
                        config={"displayModeBar": False},
                        alt="Stakeholder grid: influence up, how much affected across. "
                            "The text version follows.")
        st.caption(md("Text version: " + eg.grid_in_words(placements))
                   + f" Ratings of {eg.HIGH_FROM} or more count as high, so a group you are "
                   "unsure about is not left in the \"keep informed\" corner. Each marker's "
                   "shape also shows its corner.")
        st.dataframe([{"#": p.number, "Group": p.group.name, "Influence": p.group.influence,
                       "Affected": p.group.affected,
                       "Where on the grid": eg.QUADRANTS[p.quadrant].label,
                       "What to do": eg.QUADRANTS[p.quadrant].advice} for p in placements],
                     hide_index=True, width="stretch")
    else:
        st.info("Add groups to see them on the grid.")


# --- participation --------------------------------------------------------------------------

with tabs[1]:
    st.header("How deeply each group takes part")
    st.write("Each level makes a promise to the people you involve. Choose the level you can "
             "keep, for each group and each decision.")
    st.caption(eng.participation_levels_source)
    show(notes, "Participation")
    missing_here("Participation")
    for level in eng.participation_levels:
        st.subheader(level.name)
        st.write(level.description)
        st.markdown(f"**The promise:** {level.promise}  \n**When to use it:** "
                    f"{level.when_to_use}")
        at_level = [g for g in plan.groups if g.level == level.id]
        if at_level:
            st.dataframe([{"Group": g.name, "Decisions they take part in": g.decisions}
                          for g in at_level], hide_index=True, width="stretch")
        else:
            st.caption("No groups at this level.")
    if can_edit and plan.groups:
        st.subheader("Change a group's level")
        with st.form(f"level:{team.id}"):
            gid = st.selectbox("Group", [g.id for g in plan.groups],
                               format_func=lambda i: plan.group(i).name or "(unnamed)")
            new_level = st.selectbox("Level", list(eg.LEVELS), format_func=LEVEL_NAMES.get)
            decisions = st.text_input("Decisions they take part in", max_chars=600,
                                      placeholder="Leave blank to keep what is there")
            if st.form_submit_button("Save level"):
                group = plan.group(gid)
                update = {"level": new_level, **({"decisions": decisions} if decisions else {})}
                if edit_rows(Plan, team.id, "groups", what="group",
                             upserts=[group.model_copy(update=update)]):
                    st.rerun()


# --- tactics ------------------------------------------------------------------------------

group_names = {g.id: g.name or "(unnamed)" for g in plan.groups}
language_names = [n.language for n in plan.languages if n.language]
milestone_names = {m.id: m.name + (f" (due {m.due:%b %d, %Y})" if m.due else "")
                   for m in milestones or []}


def _tactic_row(t: eg.PlannedTactic) -> dict:
    return {"tactic": t.tactic or None, "groups": [g for g in t.groups if g in group_names],
            "when": t.when, "month_only": t.month_only, "owner": t.owner,
            "languages": list(t.languages), "accessibility": t.accessibility,
            "milestone": t.milestone or None}


def _tactic_from_row(row: dict, old: eg.PlannedTactic | None) -> eg.PlannedTactic:
    when = row.get("when")
    if isinstance(when, str):
        when = dt.date.fromisoformat(when[:10]) if when else None
    elif isinstance(when, dt.datetime):
        when = when.date()
    return eg.PlannedTactic(
        **({"id": old.id} if old else {}), tactic=row.get("tactic") or "",
        groups=list(row.get("groups") or []), when=when,
        month_only=bool(row.get("month_only")), owner=row.get("owner") or "",
        languages=[x for x in (row.get("languages") or []) if x],
        accessibility=row.get("accessibility") or "", milestone=row.get("milestone") or "")


with tabs[2]:
    st.header("Tactics")
    st.write("Pick tactics from the library for your groups, then put them on the calendar. "
             "Mix tactics: each one misses someone.")
    show(notes, "Tactics")
    missing_here("Tactics")

    st.subheader("The library")
    st.dataframe(
        [{"Tactic": t.name, "Depth": ", ".join(LEVEL_NAMES[d] for d in t.depth),
          "Cost": t.cost.capitalize(), "Staff time": t.staff_time.capitalize(),
          "Reach": t.reach.capitalize(), "Online": "Yes" if t.online else "No",
          "Tends to miss": "; ".join(t.tends_to_miss)} for t in eng.tactics],
        hide_index=True, width="stretch", height=36 * (len(eng.tactics) + 1) + 3)
    about = st.selectbox("Read more about a tactic", list(TACTIC_NAMES),
                         format_func=TACTIC_NAMES.get, key=f"about_tactic:{team.id}")
    chosen = eg.tactics_by_id(eng)[about]
    st.markdown(f"{chosen.description}  \n**Access:** {chosen.accessibility_notes}  \n"
                f"**Languages:** {chosen.language_notes}")

    if can_edit:
        st.subheader("Plan a tactic")
        if not plan.groups:
            st.info("Add groups on the Stakeholders tab first.")
        else:
            with st.form(f"add_tactic:{team.id}", clear_on_submit=True):
                pick = st.selectbox("Tactic", list(TACTIC_NAMES), format_func=TACTIC_NAMES.get,
                                    index=None, placeholder="Choose from the library")
                for_groups = st.multiselect("For which groups", list(group_names),
                                            format_func=group_names.get)
                a, b = st.columns([2, 1])
                when = a.date_input("Date", value=None, format="YYYY-MM-DD")
                month_only = b.checkbox("Only the month is known")
                owner = st.text_input("Owner", max_chars=120,
                                      placeholder="A role or office, e.g. Transit planning team")
                langs = st.multiselect("Languages", language_names, accept_new_options=True,
                                       help="Languages from the Languages & access tab; type "
                                            "to add another.")
                access = st.text_area("Access notes", max_chars=600, height=80,
                                      placeholder="Where, when, and what helps people take part")
                milestone = None
                if milestone_names:
                    milestone = st.selectbox("Action-plan milestone", list(milestone_names),
                                             format_func=milestone_names.get, index=None,
                                             placeholder="Optional")
                if st.form_submit_button("Add to the plan", type="primary"):
                    if pick is None:
                        st.error("Choose a tactic from the library.")
                    elif not for_groups:
                        st.error("Choose at least one group this tactic is for.")
                    elif edit_rows(Plan, team.id, "tactics", what="tactic", upserts=[
                            eg.PlannedTactic(tactic=pick, groups=for_groups, when=when,
                                             month_only=month_only, owner=owner,
                                             languages=langs, accessibility=access,
                                             milestone=milestone or "")]):
                        st.rerun()

    st.subheader("Your schedule")
    milestone_column = (
        {"milestone": st.column_config.SelectboxColumn(
            "Action-plan milestone", options=list(milestone_names),
            format_func=milestone_names.get)} if milestone_names else {})
    if plan.tactics:
        rows_editor(
            Plan, team.id, "tactics", what="tactic", to_row=_tactic_row, from_row=_tactic_from_row,
            column_config={
                "tactic": st.column_config.SelectboxColumn("Tactic", options=list(TACTIC_NAMES),
                                                           format_func=TACTIC_NAMES.get,
                                                           required=True),
                "groups": st.column_config.MultiselectColumn("For", options=list(group_names),
                                                             format_func=group_names.get),
                "when": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                "month_only": st.column_config.CheckboxColumn("Month only", default=False),
                "owner": st.column_config.TextColumn("Owner", max_chars=120),
                "languages": st.column_config.MultiselectColumn(
                    "Languages", options=sorted({*language_names,
                                                 *(x for t in plan.tactics for x in t.languages)}),
                    accept_new_options=True),
                "accessibility": st.column_config.TextColumn("Access notes", max_chars=600),
                **milestone_column,
            },
            disabled=not can_edit,
        )
    if plan.tactics:
        st.subheader("Timeline")
        if milestones is None:
            st.caption("When your team starts its action plan, you can link each tactic to one "
                       "of its milestones.")
        st.dataframe([{"When": r.when, "Tactic": r.tactic, "For": r.groups, "Owner": r.owner,
                       **({"Milestone": r.milestone} if milestones else {})}
                      for r in eg.timeline(plan, eng, milestones or [])],
                     hide_index=True, width="stretch")


# --- languages and access -------------------------------------------------------------------

with tabs[3]:
    st.header("Languages and access")
    st.write("List the languages residents speak and your estimate of how many speak each "
             "(say where the estimate comes from). Then plan interpreters for events and "
             "translation for what people read.")
    show(notes, "Languages & access")
    missing_here("Languages & access")
    if can_edit:
        with st.expander("Add a language", expanded=not plan.languages):
            with st.form(f"add_language:{team.id}", clear_on_submit=True):
                a, b, d = st.columns([2, 1, 1])
                language = a.text_input("Language", max_chars=60, placeholder="e.g. Spanish")
                share = b.number_input("Share of residents (%)", min_value=0.0,
                                       max_value=100.0, value=None, step=1.0)
                count = d.number_input("Number of residents", min_value=0,
                                       max_value=50_000_000, value=None, step=100)
                source = st.text_input("Where the estimate comes from", max_chars=300,
                                       placeholder="e.g. Census language data; check the "
                                                   "latest release")
                interpretation = st.text_input("Interpretation plan (spoken)", max_chars=600)
                translation = st.text_input("Translation plan (written)", max_chars=600)
                if st.form_submit_button("Add language"):
                    if not language.strip():
                        st.error("Name the language.")
                    elif edit_rows(Plan, team.id, "languages", what="language", upserts=[
                            eg.LanguageNeed(language=language, share_percent=share,
                                            residents=count, source=source,
                                            interpretation=interpretation,
                                            translation=translation)]):
                        st.rerun()
    if plan.languages:
        rows_editor(
            Plan, team.id, "languages", what="language",
            to_row=lambda n: {"language": n.language, "share_percent": n.share_percent,
                              "residents": n.residents, "source": n.source,
                              "interpretation": n.interpretation, "translation": n.translation},
            from_row=lambda row, old: eg.LanguageNeed(
                **({"id": old.id} if old else {}), language=row.get("language") or "",
                share_percent=row.get("share_percent"),
                residents=None if row.get("residents") is None else int(row["residents"]),
                source=row.get("source") or "", interpretation=row.get("interpretation") or "",
                translation=row.get("translation") or ""),
            column_config={
                "language": st.column_config.TextColumn("Language", max_chars=60, required=True),
                "share_percent": st.column_config.NumberColumn("Share of residents (%)",
                                                               min_value=0, max_value=100),
                "residents": st.column_config.NumberColumn("Number of residents", min_value=0,
                                                           step=1),
                "source": st.column_config.TextColumn("Where the estimate comes from",
                                                      max_chars=300),
                "interpretation": st.column_config.TextColumn("Interpretation plan", max_chars=600),
                "translation": st.column_config.TextColumn("Translation plan", max_chars=600),
            },
            disabled=not can_edit,
        )
    st.subheader("Accommodations")
    autosave(st.text_area, Plan, "disability_access", team.id,
             "Disability access: how people with disabilities can take part", labels=labels,
             max_chars=2000, height=100, disabled=not can_edit,
             help="Step-free places, sign language, captions, large print, a phone option.")
    autosave(st.text_area, Plan, "times", team.id, "Times: when people can take part",
             labels=labels, max_chars=1000, height=80, disabled=not can_edit)
    autosave(st.text_area, Plan, "places", team.id, "Places: where people can take part",
             labels=labels, max_chars=1000, height=80, disabled=not can_edit)


# --- closing the loop and trust ----------------------------------------------------------------

with tabs[4]:
    st.header("Closing the loop")
    st.write("People take part again when they see what their input changed. Say how you will "
             "report back, and which decision their input will change.")
    autosave(st.text_area, Plan, "report_back", team.id,
             "How we will report back (\"you said, we did\")", labels=labels, max_chars=2000,
             height=100, disabled=not can_edit)
    autosave(st.text_area, Plan, "input_changes_decision", team.id,
             "How input will change a decision (required)", labels=labels, max_chars=2000,
             height=100, disabled=not can_edit,
             help="Name the decision and what residents' input will decide or change.")
    if not plan.input_changes_decision:
        st.warning("Required: say how residents' input will change a decision. Without it, "
                   "asking for input is only for show.", icon=":material/priority_high:")

    missing_here("Closing the loop & trust")

    st.header("Trust: data about residents")
    st.write(eng.data_trust.summary)
    with st.expander("Collect only what you need, and measure without watching people"):
        for line in eng.data_trust.collect_only_what_you_need:
            st.markdown(f"- {line}")
        for m in eng.data_trust.measure_without_surveillance:
            st.markdown(f"- **{m.name}.** {m.description}")
    st.subheader("Data we will collect, and why")
    add_form("data_collected", "data you will collect",
             [("what", "Data", 200), ("why", "Why we need it", 600)],
             lambda v: eg.DataUse(what=v["what"], why=v["why"]))
    if plan.data_collected:
        rows_editor(
            Plan, team.id, "data_collected", what="data item",
            to_row=lambda d: {"what": d.what, "why": d.why},
            from_row=lambda row, old: eg.DataUse(**({"id": old.id} if old else {}),
                                                 what=row.get("what") or "",
                                                 why=row.get("why") or ""),
            column_config={"what": st.column_config.TextColumn("Data", max_chars=200,
                                                               required=True),
                           "why": st.column_config.TextColumn("Why we need it", max_chars=600)},
            disabled=not can_edit,
        )
    st.subheader("Data we will never collect")
    add_form("never_collect", "data you will never collect",
             [("what", "We will never collect", 200)],
             lambda v: eg.NeverCollect(what=v["what"]))
    if plan.never_collect:
        rows_editor(
            Plan, team.id, "never_collect", what="item",
            to_row=lambda d: {"what": d.what},
            from_row=lambda row, old: eg.NeverCollect(**({"id": old.id} if old else {}),
                                                      what=row.get("what") or ""),
            column_config={"what": st.column_config.TextColumn("We will never collect",
                                                               max_chars=200, required=True)},
            disabled=not can_edit,
        )
    listed = {n.what.casefold() for n in plan.never_collect}
    missing_never = [x for x in eng.data_trust.never_collect if x.casefold() not in listed]
    if can_edit and missing_never and st.button("Add the suggested list of data never to "
                                                f"collect ({len(missing_never)})"):
        if edit_rows(Plan, team.id, "never_collect", what="item",
                     upserts=[eg.NeverCollect(what=x) for x in missing_never]):
            st.rerun()


# --- digital inclusion ----------------------------------------------------------------------

with tabs[5]:
    st.header("Digital inclusion roadmap")
    st.write("Name who could be left out if the work goes online. Say what stands in their "
             "way, what you will do and with which partners. Then say how you will know it "
             "worked.")
    st.caption(eng.inclusion_source)
    online = eg.online_only_warning(plan, eng)
    if online:
        st.warning(md(online.message), icon=":material/wifi_off:")
    offered = [b for b in eng.inclusion_barriers
               if b.id not in {r.barrier_id for r in plan.inclusion}]
    if can_edit and offered:
        with st.form(f"add_barriers:{team.id}", clear_on_submit=True):
            picked = st.multiselect("Groups at risk of being left out", [b.id for b in offered],
                                    format_func={b.id: b.group for b in offered}.get,
                                    placeholder="Choose groups to add to the roadmap")
            st.caption("Each starts with common barriers, actions and partners. Make them "
                       "yours, and add how you will measure progress.")
            if st.form_submit_button("Add to the roadmap", icon=":material/add:"):
                rows = [eg.roadmap_row(b) for b in offered if b.id in picked]
                if not rows:
                    st.error("Choose at least one group.")
                elif edit_rows(Plan, team.id, "inclusion", upserts=rows, what="roadmap row"):
                    st.rerun()
    add_form("inclusion", "your own roadmap row",
             [("group", "Group", 100), ("barriers", "Barriers", 1000),
              ("actions", "Actions", 1000), ("partners", "Partners", 600),
              ("measures", "Measures", 600)],
             lambda v: eg.InclusionStep(**v))
    if plan.inclusion:
        rows_editor(
            Plan, team.id, "inclusion", what="roadmap row",
            to_row=lambda r: {"group": r.group, "barriers": r.barriers, "actions": r.actions,
                              "partners": r.partners, "measures": r.measures},
            from_row=lambda row, old: eg.InclusionStep(
                **({"id": old.id, "barrier_id": old.barrier_id} if old else {}),
                group=row.get("group") or "", barriers=row.get("barriers") or "",
                actions=row.get("actions") or "", partners=row.get("partners") or "",
                measures=row.get("measures") or ""),
            column_config={
                "group": st.column_config.TextColumn("Group", max_chars=100, required=True,
                                                     width="medium"),
                "barriers": st.column_config.TextColumn("Barriers", max_chars=1000, width="large"),
                "actions": st.column_config.TextColumn("Actions", max_chars=1000, width="large"),
                "partners": st.column_config.TextColumn("Partners", max_chars=600, width="medium"),
                "measures": st.column_config.TextColumn("Measures", max_chars=600, width="large"),
            },
            disabled=not can_edit,
        )
    missing_here("Digital inclusion")
    with st.expander("The five elements of digital inclusion (NDIA)"):
        for element in eng.ndia_elements:
            st.markdown(f"- {element.name}")


# --- plain-language check ---------------------------------------------------------------------

def show_report(report: eg.Report) -> None:
    if report.words == 0:
        st.caption(report.grade_text())
    elif report.language:
        st.info(report.grade_text(), icon=":material/translate:")
    elif report.grade_ok:
        st.success(report.grade_text(), icon=":material/check_circle:")
    else:
        st.warning(report.grade_text(), icon=":material/warning:")
    if report.long_sentences:
        st.warning(f"{len(report.long_sentences)} sentence(s) longer than "
                   f"{report.max_sentence_words} words. Split them.",
                   icon=":material/short_text:")
        st.dataframe([{"Words": s.words, "Sentence": s.text} for s in report.long_sentences],
                     hide_index=True, width="stretch")
    if report.jargon:
        st.warning(f"{len(report.jargon)} word(s) residents may not know. Try the plainer "
                   "words.", icon=":material/spellcheck:")
        st.dataframe([{"You wrote": j.found, "Try instead": ", ".join(j.plain),
                       "Note": j.note or ""} for j in report.jargon],
                     hide_index=True, width="stretch")
    elif report.words and not report.language:
        st.caption("No words from the jargon list.")


def text_form(x: eg.ResidentText | None) -> None:
    # Keys follow the saved text, so a teammate's change shows here, and typing in one form
    # survives saves elsewhere on the page.
    key = f"{x.id}:{abs(hash(x.model_dump_json())) % 10**8}" if x else "new"
    with st.form(f"text:{team.id}:{key}", clear_on_submit=x is None):
        a, b, d = st.columns([3, 1, 1])
        title = a.text_input("Title", value=x.title if x else "", max_chars=120,
                             key=f"text_title:{key}", disabled=not can_edit)
        kind = b.selectbox("Kind", list(eg.TEXT_KINDS), format_func=eg.TEXT_KINDS.get,
                           index=list(eg.TEXT_KINDS).index(x.kind) if x else 0,
                           key=f"text_kind:{key}", disabled=not can_edit)
        language = d.text_input("Language of the text", value=x.language if x else "",
                                max_chars=60,
                                key=f"text_lang:{key}", placeholder="e.g. English",
                                disabled=not can_edit)
        body = st.text_area("Text residents will read", value=x.text if x else "",
                            max_chars=4000, height=160, key=f"text_body:{key}",
                            disabled=not can_edit)
        label = "Save and check" if x else "Add and check"
        if st.form_submit_button(label, type="primary", disabled=not can_edit):
            if not body.strip():
                st.error("Write the text first.")
            else:
                item = eg.ResidentText(**({"id": x.id} if x else {}), title=title, kind=kind,
                                       language=language, text=body)
                if edit_rows(Plan, team.id, "texts", upserts=[item], what="text"):
                    st.rerun()


with tabs[6]:
    st.header("Plain-language check")
    t = plain.thresholds
    st.write(f"Write notices, survey questions and messages the way residents speak. The goal "
             f"is reading grade {t.resident_reading_grade:g} or lower, sentences of "
             f"{t.max_sentence_words} words or fewer, and no jargon. Each text is checked when "
             "you save it.")
    st.caption("The reading grade uses the Flesch-Kincaid formula (textstat), which works for "
               "English only. Text in other languages is kept as typed and checked for long "
               "sentences; have a fluent speaker review it.")
    show(notes, "Plain-language check")
    missing_here("Plain-language check")
    for x in plan.texts:
        st.subheader(f"{md(x.title) or 'Untitled'} ({eg.TEXT_KINDS[x.kind]})")
        text_form(x)
        show_report(eg.check_plain_language(x.text, plain))
        if can_edit:
            with st.popover("Delete this text", icon=":material/delete:"):
                st.write("Delete this text? This cannot be undone here.")
                if st.button("Yes, delete it", key=f"text_delete:{x.id}") and edit_rows(
                        Plan, team.id, "texts", deletes=[x.id], what="text"):
                    st.rerun()
    if can_edit:
        st.subheader("Add a resident-facing text")
        text_form(None)
    elif not plan.texts:
        st.info("No resident-facing texts yet.")

# Deleted rows and texts can come back: every save is a version, and any can be restored.
history_panel(Plan, team.id, "engagement plan",
              describe=lambda p: f"{len(p.groups)} groups, {len(p.tactics)} tactics, "
                                 f"{len(p.texts)} texts")
