"""Teams (facilitators): add teams, see and reissue join codes, create a workshop."""

import streamlit as st

from exports import blueprint
from exports.cards import Card, join_cards
from pages.common import built_on_click, ctx, md
from toolkit import auth
from toolkit import workshop as ws
from toolkit.store import Store, StoreError

c = ctx()
st.title("Teams")


def _zip_all(store: Store, actor) -> bytes:
    return blueprint.zip_all(store, actor, workshop.id)

def _new_workshop_form(title: str) -> None:
    with st.form(f"new_workshop:{title}"):
        name = st.text_input("Workshop name", max_chars=120)
        place = st.text_input("Place", max_chars=120)
        starts, ends = st.columns(2)
        starts_on = starts.date_input("First day", value=None)
        ends_on = ends.date_input("Last day", value=None)
        if st.form_submit_button(title, type="primary"):
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
                    st.error(md(exc))


workshops = c.store.list_workshops(c.actor)
if not workshops:
    st.header("Create the workshop")
    _new_workshop_form("Create workshop")
    st.stop()

workshop = workshops[-1]
if len(workshops) > 1:
    workshop = st.selectbox("Workshop", workshops, index=len(workshops) - 1,
                            format_func=lambda w: w.name)

teams = c.store.list_teams(c.actor, workshop.id)
if flash := st.session_state.pop("teams_flash", None):
    st.success(md(flash))
st.header(f"{len(teams)} teams in {md(workshop.name)}")
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
            st.success(f"New join code for {md(pick.city)}: {code}")

st.header("Every team's Blueprint")
st.download_button(
    f"Download all {len(teams)} Blueprints (zip of PDFs)",
    data=built_on_click(_zip_all), file_name=f"{workshop.slug}-blueprints.zip",
    mime="application/zip", icon=":material/folder_zip:", disabled=not teams)

st.header("Print join cards")
address = st.text_input(
    "Address people will open", value=st.session_state.get("cards_address", ""),
    placeholder="http://192.168.1.20:8501", key="cards_address", max_chars=200,
    help="The address of this computer on the room's network, as people will type it.")
if teams:
    cards = [Card(t.city, t.state, auth.unseal(c.key, t.join_sealed) or "")
             for t in teams]
    unreadable = [card.city for card in cards if not card.code]
    if unreadable:
        st.warning("These teams need a new join code before a card can be printed: "
                   + md(", ".join(unreadable)) + ".")
    st.download_button(
        f"Download {len(cards)} join cards (PDF, one page per team)",
        data=join_cards(workshop.name, address.strip() or "the address the facilitator gives",
                        [card for card in cards if card.code]),
        file_name=f"{workshop.slug}-join-cards.pdf", mime="application/pdf",
        icon=":material/print:", disabled=not address.strip() or not teams)
    if not address.strip():
        st.caption("Type the address first: it is printed on every card.")

st.header("Add teams from a CSV file")
st.caption("One row per team. Columns: " + ", ".join(ws.TEAM_CSV_COLUMNS)
           + ". Only the city is required.")
upload = st.file_uploader("Teams file (CSV)", type=["csv"], key="teams_csv")
if upload is not None:
    rows, problems = ws.parse_teams_csv(upload.getvalue(), upload.name)
    existing = {t.city.lower() for t in teams}
    problems += [f"Row {r.row}: {r.profile.city} already has a team in this workshop."
                 for r in rows if r.profile.city.lower() in existing]
    rows = [r for r in rows if r.profile.city.lower() not in existing]
    for problem in problems:
        st.error(md(problem))
    if rows:
        st.dataframe([{"Row": r.row, "City": r.profile.city, "State": r.profile.state,
                       "Population": r.profile.population, "Mayor": r.profile.mayor,
                       "Priority area": r.area} for r in rows], hide_index=True,
                     width="stretch")
        if st.button(f"Add these {len(rows)} teams", type="primary"):
            for r in rows:
                ws.add_team(c.store, c.actor, c.key, workshop_id=workshop.id, profile=r.profile,
                            initiative=ws.Initiative(area=r.area))
            st.session_state.pop("teams_csv", None)
            st.session_state["teams_flash"] = (f"Added {len(rows)} teams. Show join codes or "
                                               "print the cards above.")
            st.rerun()

st.header("Invite co-facilitators and expert guests")
st.caption("Each person gets a code to type in the same Join form teams use. A co-facilitator "
           "can do everything you can. An expert guest can read every case study and leave "
           "clinic feedback, but cannot change any team's work.")
with st.form("invite", clear_on_submit=True):
    left, right = st.columns(2)
    invitee = left.text_input("Name", max_chars=auth.NAME_MAX)
    role = right.radio("Role", ["guest", "facilitator"], horizontal=True,
                       format_func={"guest": "Expert guest", "facilitator": "Co-facilitator"}.get)
    if st.form_submit_button("Create the invitation"):
        try:
            code = auth.create_invite(c.store, c.actor, c.key, role=role, name=invitee)
            st.success(f"Invitation for {md(invitee.strip())}: code {code}. Give it to them in "
                       "person; it works until you withdraw it.")
        except auth.SignInError as exc:
            st.error(md(exc))
invites = [i for i in c.store.invites(c.actor) if not i["revoked_at"]]
for invite in invites:
    left, right = st.columns([4, 1])
    code = auth.unseal(c.key, invite["sealed"]) if show_codes else "••••-••••-•••••"
    left.write(f"{md(invite['name'])}: {'Co-facilitator' if invite['role'] == 'facilitator' else 'Expert guest'}, code {code}")
    if right.button("Withdraw", key=f"revoke:{invite['id']}"):
        ended = c.store.revoke_invite(c.actor, invite["id"])
        st.session_state["teams_flash"] = (
            f"Withdrew {invite['name']}'s invitation. The code no longer works"
            + (f", and {ended} signed-in session{'s' if ended != 1 else ''} ended." if ended
               else "."))
        st.rerun()

with st.expander("Start another workshop (a new cohort)"):
    st.caption("Teams belong to one workshop. The newest workshop is the one shown here.")
    _new_workshop_form("Create the new workshop")

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
                st.error(md(exc))
