"""Teams (facilitators): add teams, see and reissue join codes, create a workshop."""

import streamlit as st

from pages.common import ctx
from toolkit import auth
from toolkit import workshop as ws
from toolkit.store import StoreError

c = ctx()
st.title("Teams")

workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.header("Create the workshop")
    with st.form("new_workshop"):
        name = st.text_input("Workshop name", max_chars=120)
        place = st.text_input("Place", max_chars=120)
        starts, ends = st.columns(2)
        starts_on = starts.date_input("First day", value=None)
        ends_on = ends.date_input("Last day", value=None)
        if st.form_submit_button("Create workshop", type="primary"):
            if not name.strip():
                st.error("Give the workshop a name.")
            elif starts_on and ends_on and ends_on < starts_on:
                st.error("The last day cannot be before the first day.")
            else:
                try:
                    c.store.create_workshop(c.actor, slug=ws.slugify(name), name=name.strip(),
                                            place=place.strip(), starts_on=starts_on,
                                            ends_on=ends_on)
                    st.rerun()
                except StoreError as exc:
                    st.error(str(exc))
    st.stop()

workshop = workshops[-1]
if len(workshops) > 1:
    workshop = st.selectbox("Workshop", workshops, index=len(workshops) - 1,
                            format_func=lambda w: w.name)

teams = c.store.list_teams(c.actor, workshop.id)
if flash := st.session_state.pop("teams_flash", None):
    st.success(flash)
st.header(f"{len(teams)} teams in {workshop.name}")
show_codes = st.toggle("Show join codes", value=False,
                       help="Codes stay hidden so they are not shown on a projector by accident.")
rows = []
for team in teams:
    code = auth.unseal(c.key, team.join_sealed) if show_codes else "••••-••••-•••••"
    rows.append({"City": team.city, "State": team.state, "Short name": team.slug,
                 "Join code": code or "Unreadable: issue a new code"})
if rows:
    st.dataframe(rows, hide_index=True, width="stretch")

if teams:
    with st.expander("Issue a new join code (for a lost card)"):
        pick = st.selectbox("Team", teams, format_func=lambda t: f"{t.city}, {t.state}",
                            key="reissue_team")
        st.caption("The old code stops working at once. People already signed in stay signed in.")
        if st.button("Issue a new code"):
            code = ws.new_join_code_for(c.store, c.actor, c.key, pick.id)
            st.success(f"New join code for {pick.city}: {code}")

st.header("Add a team")
with st.form("add_team", clear_on_submit=True):
    left, right = st.columns(2)
    city = left.text_input("City", max_chars=80)
    state = right.text_input("State", max_chars=40)
    mayor = left.text_input("Mayor", max_chars=120)
    population = right.number_input("Population", min_value=0, max_value=50_000_000, value=None,
                                    step=1000)
    area_ids = [a.id for a in ws.areas()]
    area = st.selectbox("Priority area", area_ids, index=None,
                        format_func={a.id: a.label for a in ws.areas()}.get)
    if st.form_submit_button("Add team", type="primary"):
        if not city.strip():
            st.error("Type the team's city.")
        else:
            try:
                team, code = ws.add_team(
                    c.store, c.actor, c.key, workshop_id=workshop.id,
                    profile=ws.TeamProfile(city=city, state=state, mayor=mayor,
                                           population=population),
                    initiative=ws.Initiative(area=area or ""),
                )
                st.session_state["teams_flash"] = (
                    f"Added {team.city}. Its join code is {code}. "
                    "You can show it again with 'Show join codes'.")
                st.rerun()
            except (StoreError, ValueError) as exc:
                st.error(str(exc))
