"""Team home: the city and the priority initiative, saved as the team types."""

import datetime as dt

import streamlit as st

from pages.common import (
    autosave,
    ctx,
    history_panel,
    load_for_editing,
    md,
    page_title,
    require_team,
    saved_caption,
)
from toolkit import agenda
from toolkit import workshop as ws

c = ctx()
team = require_team()
can_edit = c.actor.can_write(team.id)
labels = ws.FIELD_LABELS
profile = load_for_editing(ws.TeamProfile, team.id)
initiative = load_for_editing(ws.Initiative, team.id)

page_title(f"{md(profile.body.city or team.slug)}: team home", team, feedback_on="home")
st.write(
    "Start here. Name the one priority initiative your city brought to the Institute. "
    "The five tools build on it, and it opens your Blueprint. Changes save as soon as you "
    "leave a field."
)

todays = agenda.today(agenda.load(c.store, c.actor, team.workshop_id), dt.date.today())
if todays:
    with st.expander("Today's agenda", expanded=True):
        for item in todays:
            st.markdown(f"**{item.starts:%H:%M}–{item.ends:%H:%M}** {md(item.title)}"
                        + (f" · {md(item.notes)}" if item.notes else ""))

st.header("Priority initiative")
areas = ws.areas()
autosave(st.selectbox, ws.Initiative, "area", team.id, labels["area"], labels=labels,
         options=[a.id for a in areas], format_func={a.id: a.label for a in areas}.get,
         index=None, placeholder="Choose the area closest to your initiative",
         disabled=not can_edit)
chosen = ws.area(initiative.body.area) if initiative.body.area else None
if chosen:
    st.caption(chosen.description)
autosave(st.text_input, ws.Initiative, "title", team.id, labels["title"], labels=labels,
         max_chars=160, disabled=not can_edit,
         placeholder=chosen.example_title if chosen else "Name it in a few words",
         help="A short name a resident would understand.")
autosave(st.text_area, ws.Initiative, "goal", team.id, labels["goal"], labels=labels,
         max_chars=1200, height=90, disabled=not can_edit,
         help="What will be different, for whom, by when. Use a number if you can.")
autosave(st.text_area, ws.Initiative, "problem", team.id, labels["problem"], labels=labels,
         max_chars=4000, height=180, disabled=not can_edit,
         help="One paragraph: who is affected, how much, what has been tried, what stands in "
              "the way.")
saved_caption(initiative)
history_panel(ws.Initiative, team.id, "initiative",
              describe=lambda body: f"“{body.title or 'untitled'}”")

st.header("The city")
left, right = st.columns(2)
with left:
    autosave(st.text_input, ws.TeamProfile, "city", team.id, labels["city"], labels=labels,
             max_chars=80, disabled=not can_edit)
    autosave(st.text_input, ws.TeamProfile, "mayor", team.id, labels["mayor"], labels=labels,
             max_chars=120, disabled=not can_edit)
with right:
    autosave(st.text_input, ws.TeamProfile, "state", team.id, labels["state"], labels=labels,
             max_chars=40, disabled=not can_edit)
    autosave(st.number_input, ws.TeamProfile, "population", team.id, labels["population"],
             labels=labels, min_value=0, max_value=50_000_000, step=1000, value=None,
             disabled=not can_edit)
saved_caption(profile)

missing = ws.missing_for_blueprint(profile.body, initiative.body)
if missing:
    st.warning("Your Blueprint still needs: " + ", ".join(missing) + ".",
               icon=":material/edit_note:")
else:
    st.success("Your home page is complete. Open the tools above, or download your Blueprint.",
               icon=":material/check_circle:")
