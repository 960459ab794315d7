"""Blueprint: download what the team has decided so far, as a PDF."""

import streamlit as st

from exports import blueprint
from pages.common import ctx, page_title, require_team
from toolkit import workshop as ws

c = ctx()
team = require_team()
page_title("Your Blueprint", team)
st.write(
    "The Blueprint is what your team takes home: a PDF of everything you decided, "
    "ready to share with your council and staff. It grows as you work through the tools."
)
bp = blueprint.gather(c.store, c.actor, team.id)
missing = ws.missing_for_blueprint(bp.profile, bp.initiative)
if missing:
    st.warning("Your home page still needs: " + ", ".join(missing) + ". "
               "You can download now; the Blueprint marks what is missing.")

st.header("What is in it")
for tool in ws.tools():
    status = "included" if bp.tools_started[tool.id] else "not started yet, so left out"
    st.markdown(f"- **{tool.number}. {tool.name}**: {status}")


@st.cache_data(show_spinner="Preparing your Blueprint…", max_entries=64)
def _pdf(team_id: int, fingerprint: str, _bp: blueprint.Blueprint) -> bytes:
    # Keyed on the team and a fingerprint of its data, so a teammate's edit makes a new PDF.
    return blueprint.render_pdf(_bp)


st.download_button(
    "Download the Blueprint (PDF)",
    data=_pdf(team.id, repr(bp), bp),
    file_name=blueprint.filename(bp),
    mime="application/pdf",
    type="primary",
    icon=":material/download:",
)
