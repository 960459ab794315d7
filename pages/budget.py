"""Tool 1, budget analysis: import the city's budget, explore it, reallocate, plan the financing."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from exports import workbook
from pages.common import (
    ctx,
    edit_rows,
    load_for_editing,
    md,
    page_title,
    require_team,
    save_value,
)
from toolkit import budget as bg
from toolkit import budget_import as bi
from toolkit import workshop as ws
from toolkit.store import StoreError

c = ctx()
team = require_team()
tool = ws.tool("budget")
can_edit = c.actor.can_write(team.id)
saved = load_for_editing(bg.BudgetPlan, team.id)
plan: bg.BudgetPlan = saved.body
current = c.store.current_budget(c.actor, team.id)

page_title(f"{tool.number}. {tool.name}", team, feedback_on="budget")
st.write(tool.purpose)

file_tab, explore_tab, move_tab, plan_tab = st.tabs(
    ["Budget file", "Explore", "Reallocate", "Financing plan"])


# --- budget file --------------------------------------------------------------------------

def _progress_bar():
    bar = st.progress(0.0, text="Reading the file…")

    def report(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    return bar, report


def _show_import(info) -> None:
    details = info.details
    st.success(
        f"Using **{md(info.filename)}**{f' (sheet {md(info.sheet)})' if info.sheet else ''}: "
        f"{info.line_count:,} lines totalling **{md(bg.money(info.total_cents))}** from the "
        f"column '{md(info.amount_column)}'"
        + (f", fiscal year {md(info.year)}" if info.year else "")
        + (", expenses only" if info.expenses_only else "")
        + f". Imported by {md(info.imported_by)}.",
        icon=":material/table_view:",
    )
    counts = details.get("counts", {})
    facts = [f"{counts.get(k, 0):,} {label}" for k, label in
             (("missing", "blank or marked missing (counted as no amount)"),
              ("zero", "zero"), ("negative", "negative"), ("rounded", "rounded to the cent"))
             if counts.get(k)]
    if facts:
        st.caption("Amounts: " + "; ".join(facts) + ".")
    for warning in details.get("warnings", []):
        st.warning(md(warning))
    skipped = details.get("skipped", [])
    if skipped:
        with st.expander(f"{len(skipped):,} {'row' if len(skipped) == 1 else 'rows'} left out, "
                         "and why"):
            st.dataframe(skipped, hide_index=True, width="stretch")


with file_tab:
    if current:
        _show_import(current)
    else:
        st.info("No budget yet. Upload the line-item budget your finance office exports "
                "(CSV or Excel). Nothing leaves this computer.")
    if can_edit:
        st.subheader("Upload a budget file")
        upload = st.file_uploader(
            "Budget file (CSV or Excel .xlsx, up to 50 MB)", key=f"budget_upload:{team.id}",
            help="Any layout works: you confirm which columns hold the department, category, "
                 "fund, year and amount. A bad file never replaces the budget you have.")
        if upload is not None:
            cache = st.session_state.get("budget_raw")
            sheet = st.session_state.get(f"budget_sheet:{upload.file_id}")
            try:
                if not cache or cache[0] != (upload.file_id, sheet):
                    bar, report = _progress_bar()
                    table = bi.inspect_file(upload.getvalue(), upload.name, sheet=sheet,
                                            progress=report)
                    bar.empty()
                    st.session_state["budget_raw"] = ((upload.file_id, sheet), table)
                else:
                    table = cache[1]
            except bi.BudgetFileError as exc:
                st.error(md(exc), icon=":material/error:")
                table = None
            if table is not None:
                if len(table.sheets) > 1:
                    st.selectbox("Sheet", table.sheets, index=table.sheets.index(table.sheet),
                                 key=f"budget_sheet:{upload.file_id}")
                st.caption(f"Header found on row {table.header_row}; "
                           f"{len(table.rows):,} rows below it.")
                for warning in table.warnings:
                    st.warning(md(warning))
                remembered = plan.mappings.get(bg.header_signature(table.headers), {})
                proposal = table.mapping.roles()
                none = "(none)"
                options = [none, *table.headers]
                st.markdown("**Which column is which?** The app proposes; check each one.")
                labels = {"department": "Department", "division": "Program or division",
                          "category": "Category or object (account)", "fund": "Fund",
                          "year": "Fiscal year", "kind": "Expense or revenue",
                          "amount": "Amount"}
                chosen = {}
                cols = st.columns(3)
                for i, (role, label) in enumerate(labels.items()):
                    default = remembered.get(role, proposal.get(role))
                    if role == "amount" and table.mapping.amount_candidates:
                        role_options = list(table.mapping.amount_candidates)
                        role_options += [h for h in table.headers if h not in role_options]
                    else:
                        role_options = options
                    index = role_options.index(default) if default in role_options else 0
                    pick = cols[i % 3].selectbox(label, role_options, index=index,
                                                 key=f"map:{role}:{upload.file_id}:{sheet}")
                    chosen[role] = None if pick == none else pick
                mapping = table.mapping.with_roles(**chosen)
                years = bi.fiscal_years(table, mapping)
                year = None
                if len(years) > 1:
                    year = st.selectbox("Fiscal year to use", [*years, bi.ALL_YEARS],
                                        index=len(years) - 1,
                                        format_func=lambda y: "All years" if y == bi.ALL_YEARS
                                        else y)
                expenses_only = None
                if mapping.kind:
                    expenses_only = st.checkbox("Expenses only (leave out revenue lines)",
                                                value=True)
                st.dataframe([dict(zip(table.headers, r, strict=False))
                              for r in table.rows[:8]],
                             width="stretch", hide_index=True)
                if st.button("Import this budget", type="primary", icon=":material/upload:"):
                    try:
                        bar, report = _progress_bar()
                        result = bi.import_lines(table, mapping, year=year,
                                                 expenses_only=expenses_only, progress=report)
                        bar.empty()
                        bg.save_import(c.store, c.actor, team.id, result)
                        remembered_now = {**plan.mappings,
                                          bg.header_signature(table.headers): mapping.roles()}
                        save_value(bg.BudgetPlan, team.id, "mappings", remembered_now)
                        st.session_state.pop("budget_raw", None)
                        st.session_state.pop(f"budget_upload:{team.id}", None)
                        left_out = len(result.skipped)
                        st.session_state["budget_flash"] = (
                            f"Imported {len(result.lines):,} lines totalling "
                            f"{bg.money(result.total_cents)}"
                            + (f"; {left_out:,} {'row' if left_out == 1 else 'rows'} left out "
                               "(listed on the page)."
                               if left_out else "."))
                        st.rerun()
                    except bi.BudgetFileError as exc:
                        st.error(md(exc), icon=":material/error:")
                    except StoreError as exc:
                        st.error(md(exc))
    if flash := st.session_state.pop("budget_flash", None):
        st.toast(flash)
    st.download_button("Download a blank budget template (Excel)",
                       data=workbook.budget_template, file_name="budget-template.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")
    earlier = [i for i in c.store.budget_imports(c.actor, team.id) if not i.is_current]
    if earlier and can_edit:
        with st.expander("Earlier budget files"):
            for info in earlier:
                left, right = st.columns([4, 1])
                left.write(md(f"{info.filename}: {info.line_count:,} lines, "
                              f"{bg.money(info.total_cents, whole=True)}, "
                              f"{info.imported_at:%b %d %H:%M} UTC by {info.imported_by}"))
                if right.button("Use this one", key=f"use_import:{info.id}"):
                    c.store.use_budget_import(c.actor, team.id, info.id)
                    st.rerun()

if current is None:
    for tab in (explore_tab, move_tab):
        with tab:
            st.info("Import a budget file first (the Budget file tab).")
    index = None
else:
    index = bg.load_index(c.store, c.actor, team.id, plan)


# --- explore ------------------------------------------------------------------------------

if index is not None:
    with explore_tab:
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Total", bg.short_money(index.total))
        m2.metric("Lines", f"{current.line_count:,}")
        m3.metric("Departments", f"{len(index.by_department):,}")
        m4.metric("Funds", f"{len(index.by_fund):,}")
        by = st.radio("Group by", ["department", "category", "fund", "division"],
                      horizontal=True, format_func=str.capitalize)
        totals = c.store.budget_totals(c.actor, team.id, by)
        grand = sum(t[1] for t in totals) or 1
        rows = [{by.capitalize(): v or "(blank)", "Total": bg.money(cents, whole=True),
                 "Share": f"{cents / grand:.1%}", "Lines": n} for v, cents, n in totals]
        left, right = st.columns([3, 2])
        with left:
            top = [t for t in totals if t[1] > 0][:40]
            figure = go.Figure(go.Treemap(
                # Plotly reads a little HTML in labels: a department's name stays text.
                labels=[html.escape(v, quote=False) or "(blank)" for v, _, _ in top],
                parents=[""] * len(top),
                values=[cents / 100 for _, cents, _ in top],
                texttemplate="%{label}<br>%{percentRoot:.1%}",
                hovertemplate="%{label}: $%{value:,.0f}<extra></extra>"))
            figure.update_layout(margin=dict(t=10, l=0, r=0, b=0), height=420)
            st.plotly_chart(figure, width="stretch")
            st.caption(f"The {len(top)} largest {by} groups by total; the table lists all.")
        with right:
            st.dataframe(rows, hide_index=True, width="stretch", height=420)
        st.subheader("Find lines")
        f1, f2 = st.columns([2, 1])
        search = f1.text_input("Search departments, categories and funds", max_chars=100)
        dept = f2.selectbox("Department", ["All departments", *sorted(index.by_department)])
        lines, matching = c.store.budget_lines(
            c.actor, team.id, search=search,
            where=None if dept == "All departments" else {"department": dept}, limit=200)
        st.caption(f"{matching:,} lines match; the {min(matching, 200)} largest are shown.")
        st.dataframe(
            [{"Row": ln["row_no"], "Department": ln["department"], "Division": ln["division"],
              "Category": ln["category"], "Fund": ln["fund"],
              "Amount": bg.money(ln["amount_cents"], whole=True)} for ln in lines],
            hide_index=True, width="stretch")


# --- reallocate ---------------------------------------------------------------------------

def _scenario_picker() -> bg.Scenario | None:
    if not plan.scenarios:
        return None
    names = {s.id: s.name + (" (proposal)" if s.is_proposal else "") for s in plan.scenarios}
    key = f"scenario_pick:{team.id}"
    # A scenario just created is shown next; a scenario a teammate deleted falls back.
    if pending := st.session_state.pop(f"scenario_pending:{team.id}", None):
        st.session_state[key] = pending
    if st.session_state.get(key) not in names:
        st.session_state[key] = plan.proposal.id if plan.proposal else plan.scenarios[0].id
    pick = st.selectbox("Scenario", list(names), format_func=names.get, key=key)
    return next(s for s in plan.scenarios if s.id == pick)


def _save_scenario(scenario: bg.Scenario, *, also: list[bg.Scenario] = ()) -> None:
    edit_rows(bg.BudgetPlan, team.id, "scenarios", upserts=[scenario, *also],
              what="scenario")


if index is not None:
    with move_tab:
        st.write("A scenario is a set of moves: money taken from part of the budget and given "
                 "to the initiative (or elsewhere). The city's total never changes; only where "
                 "the money goes. Mark one scenario as your proposal: it feeds the financing "
                 "plan and the Blueprint.")
        scenario = _scenario_picker()
        if can_edit:
            a, b, d, e = st.columns(4)
            with a.popover("New scenario", icon=":material/add:", width="stretch"):
                with st.form(f"new_scenario:{team.id}", clear_on_submit=True):
                    name = st.text_input("Name", max_chars=80,
                                         placeholder="e.g. Shift overtime to outreach")
                    if st.form_submit_button("Create"):
                        if not name.strip():
                            st.error("Give the scenario a name.")
                        else:
                            new = bg.Scenario(name=name, is_proposal=not plan.scenarios)
                            st.session_state[f"scenario_pending:{team.id}"] = new.id
                            _save_scenario(new)
                            st.rerun()
        if scenario is None:
            st.info("No scenarios yet. Create one to start moving money.")
        else:
            resolved = bg.resolve_all(scenario, index, bg.flag_finder)
            problems = bg.check_scenario(scenario, resolved)
            if can_edit:
                if not scenario.is_proposal and b.button("Make this the proposal",
                                                          width="stretch"):
                    _save_scenario(scenario.model_copy(update={"is_proposal": True}),
                                   also=[s.model_copy(update={"is_proposal": False})
                                         for s in plan.scenarios if s.is_proposal])
                    st.rerun()
                with d.popover("Rename", width="stretch"):
                    new_name = st.text_input("New name", value=scenario.name, max_chars=80,
                                             key=f"rename:{scenario.id}")
                    if st.button("Save name", key=f"rename_save:{scenario.id}"):
                        if new_name.strip():
                            _save_scenario(scenario.model_copy(update={"name": new_name}))
                            st.rerun()
                with e.popover("Delete scenario", width="stretch"):
                    st.write(f"Delete '{md(scenario.name)}' and its {len(scenario.moves)} moves?")
                    if st.button("Yes, delete it", key=f"delete:{scenario.id}"):
                        edit_rows(bg.BudgetPlan, team.id, "scenarios", deletes=[scenario.id],
                                  what="scenario")
                        st.rerun()

            st.subheader("Moves")
            if scenario.moves:
                flagged = {p.move_id for p in problems}
                st.dataframe([
                    {"#": n, "From": r.source_label,
                     "To": r.move.destination or bg.INITIATIVE_LABEL,
                     "How": {"amount": "Amount", "percent": f"{r.move.percent}% of source",
                             "fte": f"{r.move.fte} FTE"}[r.move.basis],
                     "Amount": bg.money(r.amount_cents, whole=True),
                     "When": ("Every year from " if r.move.recurrence == "recurring"
                              else "Once, in ") + str(r.move.fiscal_year or "year 1"),
                     "Why": r.move.rationale,
                     "Check": "See below" if r.move.id in flagged else "OK"}
                    for n, r in enumerate(resolved, start=1)], hide_index=True, width="stretch")
            for p in problems:
                (st.error if p.severity == "error" else st.warning)(md(p.message))

            if can_edit:
                with st.expander("Add a move", expanded=not scenario.moves):
                    level = st.radio("Take money from", list(bg.LEVEL_LABELS),
                                     format_func=bg.LEVEL_LABELS.get, horizontal=True,
                                     key=f"move_level:{scenario.id}")
                    if level == "line":
                        query = st.text_input("Search for the line", max_chars=100,
                                              key=f"move_line_search:{scenario.id}")
                        found, _ = c.store.budget_lines(c.actor, team.id, search=query, limit=50)
                        choices = {str(ln["id"]): f"Row {ln['row_no']}: {ln['department']}"
                                   f"{bg.SEP}{ln['category']} ({ln['fund']}) "
                                   f"{bg.money(ln['amount_cents'], whole=True)}"
                                   for ln in found}
                    elif level == "department_category":
                        choices = {f"{d}{bg.SEP}{cat}": f"{d}{bg.SEP}{cat} "
                                   f"({bg.money(cents, whole=True)})"
                                   for (cat, d), cents in sorted(
                                       index.category_by_department.items(),
                                       key=lambda kv: -kv[1])}
                    else:
                        source_totals = {"department": index.by_department,
                                         "category": index.by_category,
                                         "fund": index.by_fund}[level]
                        choices = {v: f"{v} ({bg.money(cents, whole=True)})"
                                   for v, cents in sorted(source_totals.items(),
                                                          key=lambda kv: -kv[1])}
                    with st.form(f"add_move:{scenario.id}", clear_on_submit=True):
                        source = st.selectbox("Source", list(choices), format_func=choices.get,
                                              index=None, placeholder="Choose the source")
                        destination = st.text_input(
                            "Give it to", max_chars=120,
                            placeholder=f"Leave blank for {bg.INITIATIVE_LABEL}")
                        basis = st.radio("How much", ["amount", "percent", "fte"],
                                         horizontal=True,
                                         format_func={"amount": "An amount in dollars",
                                                      "percent": "A percentage of the source",
                                                      "fte": "Staff (FTE) redeployed"}.get)
                        x, y, z = st.columns(3)
                        dollars = x.number_input("Dollars", min_value=0.0, step=1000.0,
                                                 format="%.2f")
                        percent = y.number_input("Percent", min_value=0.0, max_value=100.0,
                                                 step=1.0)
                        fte = z.number_input("FTE", min_value=0.0, step=0.5)
                        fte_cost = st.number_input(
                            "Yearly cost of one FTE with benefits (dollars)", min_value=0.0,
                            step=1000.0, value=float(plan.default_fte_cost_dollars))
                        r1, r2 = st.columns(2)
                        recurrence = r1.radio("When", ["recurring", "one_time"],
                                              format_func={"recurring": "Every year",
                                                           "one_time": "Once"}.get)
                        year = r2.number_input("Starting fiscal year", min_value=1990,
                                               max_value=2100, value=None, step=1)
                        rationale = st.text_area("Why this move", max_chars=1000, height=80)
                        if st.form_submit_button("Add move", type="primary"):
                            if source is None:
                                st.error("Choose where the money comes from.")
                            else:
                                try:
                                    move = bg.Move(
                                        source_level=level, source=source,
                                        destination=destination, basis=basis,
                                        amount_cents=bg.dollars_to_cents(str(dollars)),
                                        percent=str(percent), fte=str(fte),
                                        cost_per_fte_cents=bg.dollars_to_cents(str(fte_cost)),
                                        recurrence=recurrence,
                                        fiscal_year=int(year) if year else None,
                                        rationale=rationale)
                                except ValueError as exc:
                                    st.error(md(exc))
                                else:
                                    _save_scenario(scenario.model_copy(
                                        update={"moves": [*scenario.moves, move]}))
                                    st.rerun()
                if scenario.moves:
                    with st.popover("Remove a move"):
                        gone = st.selectbox("Move", range(1, len(scenario.moves) + 1),
                                            key=f"remove_pick:{scenario.id}")
                        if st.button("Remove it", key=f"remove:{scenario.id}"):
                            moves = [m for i, m in enumerate(scenario.moves, start=1)
                                     if i != gone]
                            _save_scenario(scenario.model_copy(update={"moves": moves}))
                            st.rerun()

            if scenario.moves and not any(p.severity == "error" for p in problems):
                st.subheader("Before and after, by department")
                table = bg.department_after(index, resolved)
                changed = [row for row in table if row[1] != row[2]]
                before_total = sum(r[1] for r in table)
                after_total = sum(r[2] for r in table)
                st.caption(f"City total before {bg.money(before_total)}, after "
                           f"{bg.money(after_total)}: "
                           + ("unchanged." if before_total == after_total else "CHANGED."))
                figure = go.Figure([
                    go.Bar(name="Before", y=[html.escape(r[0], quote=False) for r in changed],
                           x=[r[1] / 100 for r in changed], orientation="h",
                           marker_color="#9DB4CC"),
                    go.Bar(name="After", y=[html.escape(r[0], quote=False) for r in changed],
                           x=[r[2] / 100 for r in changed], orientation="h",
                           marker_color="#0B4F8A", marker_pattern_shape="/"),
                ])
                figure.update_layout(barmode="group", height=120 + 60 * len(changed),
                                     margin=dict(t=10, l=0, r=0, b=0),
                                     xaxis_tickprefix="$", yaxis_autorange="reversed")
                st.plotly_chart(figure, width="stretch")
                st.dataframe([{"Department": d, "Before": bg.money(b, whole=True),
                               "After": bg.money(a, whole=True),
                               "Change": bg.money(a - b, whole=True)} for d, b, a in changed],
                             hide_index=True, width="stretch")
                moves = bg.flows(resolved)
                nodes = list(dict.fromkeys([a for a, _, _ in moves] + [b for _, b, _ in moves]))
                sankey = go.Figure(go.Sankey(
                    node=dict(label=[html.escape(n, quote=False) for n in nodes], pad=18,
                              color="#0B4F8A"),
                    link=dict(source=[nodes.index(a) for a, _, _ in moves],
                              target=[nodes.index(b) for _, b, _ in moves],
                              value=[cents / 100 for _, _, cents in moves],
                              color="rgba(11,79,138,0.25)")))
                sankey.update_layout(height=140 + 40 * len(nodes), margin=dict(t=10, b=10),
                                     font=dict(color="#111418", size=13))
                st.subheader("Where the money comes from and goes")
                st.plotly_chart(sankey, width="stretch")
                st.caption("Text version: " + md("; ".join(
                    f"{a} to {b}: {bg.money(cents, whole=True)}" for a, b, cents in moves) + "."))


# --- financing plan -----------------------------------------------------------------------

with plan_tab:
    from pages import budget_financing

    budget_financing.render(team, plan, index, can_edit)
