"""Present (facilitators): large-type views for the projector, with no sign-in details."""

import streamlit as st

from exports import blueprint, brief
from pages.common import ctx, md
from toolkit import progress
from toolkit import workshop as ws

c = ctx()
workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.title("Present")
    st.info("There is no workshop yet.")
    st.stop()
workshop = workshops[-1]
teams = c.store.list_teams(c.actor, workshop.id)
choice = st.sidebar.radio("Show", ["cohort", *[t.id for t in teams]],
                          format_func=lambda v: "The cohort's progress" if v == "cohort"
                          else next(md(f"{t.city}, {t.state}") for t in teams if t.id == v),
                          key="present_choice")
# Nothing on this page reads join codes or passwords: it is safe on a projector.
st.markdown('<style>[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] '
            ".stMarkdown li {font-size: 1.5rem; line-height: 1.5}</style>",
            unsafe_allow_html=True)  # fixed CSS for the main area only, never user data

if choice == "cohort":
    st.title(md(workshop.name))
    rows = progress.cohort(c.store, c.actor, workshop.id)
    names = {"home": "Initiative", "assessment": "Assessment",
             **{t.id: t.name for t in ws.tools()}}
    for row in rows:
        st.header(md(f"{row.team.city}, {row.team.state}".strip(", ")))
        cols = st.columns(len(row.by_tool))
        for col, (tool, p) in zip(cols, row.by_tool.items(), strict=True):
            col.metric(names[tool], f"{round(p.share * 100)}%")
else:
    bp = blueprint.gather(c.store, c.actor, choice)
    summary = brief.summarize(bp)
    st.title(md(bp.place_name))
    st.header(md(bp.initiative.title) or "Initiative not named yet")
    if bp.initiative.goal:
        st.text(bp.initiative.goal)
    if summary.money:
        st.subheader("The money")
        for line in summary.money:
            st.markdown(f"- {md(line)}")
    if summary.measures:
        st.subheader("Headline measures")
        for name, target in summary.measures:
            st.markdown(f"- **{md(name)}**: {md(target)}")
    if summary.next_90_days:
        st.subheader("The next 90 days")
        for week, milestone, owner in summary.next_90_days:
            st.markdown(f"- {week}: {md(milestone)} ({md(owner)})")
