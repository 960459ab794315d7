"""Blueprint: download what the team has decided so far, as a PDF."""

import streamlit as st

from exports import blueprint, brief
from pages.common import ctx, md, page_title, require_team
from toolkit import portable
from toolkit import workshop as ws
from toolkit.store import Store, StoreError

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


# The files are built when a button is clicked, on Streamlit's download thread, after this
# run's connection has closed: each opens its own, as the same person.
actor, team_id, db_file = c.actor, team.id, c.store.path


available = blueprint.available_sections(bp)
include = set(available)
if available:
    picked = st.multiselect(
        "Sections to include", available, default=available,
        format_func=blueprint.SECTIONS.get,
        help="The executive summary, contents and initiative are always included.")
    include = set(picked)


def _pdf() -> bytes:
    with Store(db_file, migrate=False) as store:
        return blueprint.render_pdf(blueprint.gather(store, actor, team_id), include=include)


def _brief() -> bytes:
    with Store(db_file, migrate=False) as store:
        return brief.render_brief(blueprint.gather(store, actor, team_id))


def _workbook() -> bytes:
    with Store(db_file, migrate=False) as store:
        return blueprint.render_xlsx(blueprint.gather(store, actor, team_id, with_lines=True))


def _json() -> bytes:
    with Store(db_file, migrate=False) as store:
        return portable.dumps(portable.export_team(store, actor, team_id)).encode()


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
