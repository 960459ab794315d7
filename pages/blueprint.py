"""Blueprint: download what the team has decided so far, as a PDF."""

import streamlit as st

from exports import blueprint, jobs
from pages.common import built_on_click, ctx, md, page_title, require_team
from toolkit import portable
from toolkit import workshop as ws
from toolkit.store import StoreError

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


# The files are built when a button is clicked (see built_on_click: the session is checked
# again then, and the data read as the person may read it then); the heavy ones in an export
# worker process (exports/jobs.py), with its own connection, as the same person.
team_id = team.id


available = blueprint.available_sections(bp)
include = set(available)
if available:
    picked = st.multiselect(
        "Sections to include", available, default=available,
        format_func=blueprint.SECTIONS.get,
        help="The executive summary, contents and initiative are always included.")
    include = set(picked)


_pdf = built_on_click(lambda store, actor: jobs.run(
    jobs.blueprint_pdf, store.path, actor, team_id, include))
_brief = built_on_click(lambda store, actor: jobs.run(jobs.brief_pdf, store.path, actor, team_id))
_workbook = built_on_click(lambda store, actor: jobs.run(jobs.workbook, store.path, actor, team_id))
_json = built_on_click(lambda store, actor: portable.dumps(
    portable.export_team(store, actor, team_id)).encode())


st.download_button(
    "Download the one-page mayor's brief (PDF)", data=_brief,
    file_name=blueprint.filename(bp).replace("blueprint", "brief"), mime="application/pdf",
    icon=":material/description:",
    help="The executive summary alone: the initiative, the money, three measures, the next "
         "90 days and who is accountable.")
left, middle, right = st.columns(3)
left.download_button(
    "Download the Blueprint (PDF)",
    data=_pdf,
    file_name=blueprint.filename(bp),
    mime="application/pdf",
    type="primary",
    icon=":material/download:",
    width="stretch",
)
middle.download_button(
    "Download the workbook (Excel)",
    data=_workbook,
    file_name=blueprint.filename(bp, "xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table:",
    width="stretch",
    help="Every budget line, each scenario and the financing plan, with live formulas.",
)
right.download_button(
    "Download the portable file (JSON)",
    data=_json,
    file_name=blueprint.filename(bp, "json"),
    mime="application/json",
    icon=":material/data_object:",
    width="stretch",
    help="Everything your team entered, to move it to another ISC Blueprint app.",
)

if c.actor.can_write(team.id):
    st.header("Restore from a portable file")
    st.caption("Replace your team's work with a file exported from ISC Blueprint. Nothing is "
               "lost: each replaced part keeps its earlier versions.")
    upload = st.file_uploader("Portable file (.json)", type=["json"], key=f"restore:{team.id}")
    if upload is not None:
        try:
            parsed, documents = portable.parse(upload.getvalue())
        except portable.PortableError as exc:
            st.error(md(f"{upload.name}: {exc}"), icon=":material/error:")
        else:
            st.write(md(f"The file holds the work of team '{parsed.team.slug}': "
                        + ", ".join(sorted(documents)) + (", a budget of "
                        f"{len(parsed.budget.lines):,} lines" if parsed.budget else "") + "."))
            if warning := portable.other_team_warning(parsed, team):
                st.warning(md(warning), icon=":material/warning:")
            if st.checkbox("Yes, replace my team's work with this file"):
                if st.button("Restore", type="primary"):
                    try:
                        portable.import_team(c.store, c.actor, c.key, upload.getvalue(),
                                             workshop_id=team.workshop_id,
                                             into_team_id=team.id)
                    except (portable.PortableError, StoreError) as exc:
                        st.error(md(f"{upload.name}: {exc}"), icon=":material/error:")
                    else:
                        st.session_state.pop(f"restore:{team.id}", None)
                        st.success("Restored. Open the tools to see the work.")
