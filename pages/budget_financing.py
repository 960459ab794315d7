"""The Financing plan tab of the budget page (not a page of its own)."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from pages.common import autosave, md, rows_editor
from toolkit import budget as bg
from toolkit import funding


def _dollar_columns(years: list[int]) -> dict:
    return {f"y{i}": st.column_config.NumberColumn(f"FY{year}", min_value=0, step=1000,
                                                   format="dollar")
            for i, year in enumerate(years)}


def _amounts(row: dict, years: list[int]) -> list[int]:
    return [bg.dollars_to_cents(str(row.get(f"y{i}") or 0)) for i in range(len(years))]


def render(team, plan: bg.BudgetPlan, index: bg.BudgetIndex | None, can_edit: bool) -> None:
    catalog = funding.load_funding_catalog()
    today = dt.date.today()
    years = bg.plan_years(plan, today.year + 1)
    st.write(
        "Five years of costs for the initiative, and the money to pay for them: dollars "
        "moved by your proposal scenario, and new funding. Type amounts in whole dollars; "
        "every change is saved at once."
    )
    s1, s2 = st.columns(2)
    with s1:
        autosave(st.number_input, bg.BudgetPlan, "start_year", team.id,
                 "First fiscal year of the plan", labels=bg.FIELD_LABELS, min_value=1990,
                 max_value=2100, step=1, disabled=not can_edit,
                 placeholder=f"{years[0]} if left blank")
    with s2:
        autosave(st.number_input, bg.BudgetPlan, "default_fte_cost_dollars", team.id,
                 "Yearly cost of one staff member (FTE) with benefits, dollars",
                 labels=bg.FIELD_LABELS, min_value=0, max_value=10_000_000, step=1000,
                 disabled=not can_edit,
                 help="Used as the default when a move redeploys staff.")

    st.subheader("Costs")
    st.caption("One-time costs (buying, setting up, moving data, research with residents) and "
               "recurring costs (licenses, hosting, support, staff, training, evaluation). "
               "Remember the cost of leaving a vendor at the end of a contract.")
    cost_names = {k.id: k.name for k in catalog.cost_categories}
    rows_editor(
        bg.BudgetPlan, team.id, "cost_items", what="cost",
        to_row=lambda item: {"name": item.name, "category": item.category or None,
                             "kind": item.kind,
                             **{f"y{i}": a / 100 for i, a in enumerate(item.amounts)}},
        from_row=lambda row, old: bg.CostItem(
            **({"id": old.id} if old else {}), name=row.get("name") or "",
            category=row.get("category") or "", kind=row.get("kind") or "recurring",
            amounts=_amounts(row, years)),
        column_config={
            "name": st.column_config.TextColumn("Cost", max_chars=160, required=True),
            "category": st.column_config.SelectboxColumn(
                "Category", options=list(cost_names), format_func=cost_names.get),
            "kind": st.column_config.SelectboxColumn(
                "Kind", options=["one_time", "recurring"],
                format_func={"one_time": "One-time", "recurring": "Recurring"}.get),
            **_dollar_columns(years),
        },
        disabled=not can_edit,
    )

    st.subheader("New funding")
    types = {k.id: k.name for k in catalog.sources}
    rows_editor(
        bg.BudgetPlan, team.id, "funding_sources", what="funding source",
        to_row=lambda item: {"name": item.name, "type": item.type or None,
                             "status": item.status,
                             **{f"y{i}": a / 100 for i, a in enumerate(item.amounts)},
                             "note": item.note},
        from_row=lambda row, old: bg.FundingSource(
            **({"id": old.id} if old else {}), name=row.get("name") or "",
            type=row.get("type") or "", status=row.get("status") or "idea",
            amounts=_amounts(row, years), note=row.get("note") or ""),
        column_config={
            "name": st.column_config.TextColumn("Source", max_chars=160, required=True),
            "type": st.column_config.SelectboxColumn("Type", options=list(types),
                                                     format_func=types.get),
            "status": st.column_config.SelectboxColumn(
                "Status", options=["idea", "applying", "committed"],
                format_func=str.capitalize),
            **_dollar_columns(years),
            "note": st.column_config.TextColumn("Note", max_chars=600),
        },
        disabled=not can_edit,
    )
    with st.expander("Where new money can come from"):
        st.caption(catalog.verify_note)
        for item in catalog.sources:
            st.markdown(f"**{item.name}.** {item.description}")

    proposal = plan.proposal
    resolved = bg.resolve_all(proposal, index) if (proposal and index) else []
    rows = bg.financing(plan, resolved, years)
    st.subheader("The plan, year by year")
    if proposal is None:
        st.caption("No proposal scenario yet, so nothing is reallocated. Mark a scenario as "
                   "the proposal on the Reallocate tab.")
    else:
        st.caption(f"Reallocation comes from the proposal scenario '{md(proposal.name)}'.")
    table = {
        "One-time costs": [r.one_time_costs for r in rows],
        "Recurring costs": [r.recurring_costs for r in rows],
        "Total costs": [r.costs for r in rows],
        "Reallocated (proposal)": [r.reallocated for r in rows],
        "New funding: committed": [r.committed for r in rows],
        "New funding: applying": [r.applying for r in rows],
        "New funding: ideas": [r.ideas for r in rows],
        "Gap or surplus, secured money": [r.gap_secured for r in rows],
        "Gap or surplus, if everything comes through": [r.gap_if_all_comes_through for r in rows],
    }
    st.dataframe(
        [{"": label, **{f"FY{y}": bg.money(v, whole=True) for y, v in zip(years, values,
                                                                           strict=True)}}
         for label, values in table.items()],
        hide_index=True, width="stretch")
    figure = go.Figure([
        go.Bar(name="Reallocated", x=[str(y) for y in years],
               y=[r.reallocated / 100 for r in rows], marker_color="#0B4F8A"),
        go.Bar(name="Committed", x=[str(y) for y in years], y=[r.committed / 100 for r in rows],
               marker_color="#5B8DB8", marker_pattern_shape="/"),
        go.Bar(name="Applying or idea", x=[str(y) for y in years],
               y=[(r.applying + r.ideas) / 100 for r in rows], marker_color="#C9D1DA",
               marker_pattern_shape="."),
        go.Scatter(name="Total costs", x=[str(y) for y in years],
                   y=[r.costs / 100 for r in rows], mode="lines+markers",
                   line=dict(color="#1B1F24", width=3, dash="dash")),
    ])
    figure.update_layout(barmode="stack", height=360, margin=dict(t=10, l=0, r=0, b=0),
                         yaxis_tickprefix="$", legend_orientation="h")
    st.plotly_chart(figure, width="stretch")
    gaps = [r for r in rows if r.gap_secured < 0]
    st.caption("Text version: " + "; ".join(
        f"FY{r.year}: costs {bg.money(r.costs, whole=True)}, secured "
        f"{bg.money(r.secured, whole=True)}" for r in rows) + ". "
        + (f"{len(gaps)} of {len(rows)} years still have a gap with secured money only."
           if gaps else "Secured money covers every year."))

    st.subheader("The cost of not acting")
    st.caption("What the status quo costs each year: overtime, staff hours, repeat work, "
               "harm to residents. Say how you estimated it.")
    rows_editor(
        bg.BudgetPlan, team.id, "status_quo_costs", what="cost of not acting",
        to_row=lambda item: {"description": item.description,
                             "annual": item.annual_cents / 100, "basis": item.basis},
        from_row=lambda row, old: bg.StatusQuoCost(
            **({"id": old.id} if old else {}), description=row.get("description") or "",
            annual_cents=bg.dollars_to_cents(str(row.get("annual") or 0)),
            basis=row.get("basis") or ""),
        column_config={
            "description": st.column_config.TextColumn("What it costs now", max_chars=300,
                                                       required=True),
            "annual": st.column_config.NumberColumn("Per year", min_value=0, step=1000,
                                                    format="dollar"),
            "basis": st.column_config.TextColumn("How we estimated it", max_chars=600),
        },
        disabled=not can_edit,
    )
    m1, m2 = st.columns(2)
    m1.metric("Five-year cost of the initiative", bg.money(bg.total_cost_of_ownership(plan),
                                                           whole=True))
    m2.metric("Five-year cost of not acting", bg.money(bg.cost_of_not_acting(plan), whole=True))
