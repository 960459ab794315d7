"""The Blueprint: gather a team's documents, then lay them out as a PDF, section by section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook
from reportlab.platypus import Flowable, PageBreak

from exports import action_plan as action_plan_export
from exports import assessment as assessment_export
from exports import brief, pdf, sources, workbook
from exports import budget as budget_export
from exports import clinic as clinic_export
from exports import engagement as engagement_export
from exports import guidebook as guidebook_export
from exports import questions as questions_export
from toolkit import clinic
from toolkit import workshop as ws
from toolkit.store import Actor, Store, Team, Workshop


@dataclass(frozen=True)
class Blueprint:
    """Everything a team decided, as plain data; renderers never touch the database."""

    workshop: Workshop
    team: Team
    profile: ws.TeamProfile
    initiative: ws.Initiative
    prepared_on: dt.date
    budget: budget_export.BudgetSection
    action_plan: action_plan_export.ActionPlanSection
    assessment: assessment_export.AssessmentSection
    clinic: clinic.ClinicSummary
    peer_reviews: list[dict]
    guidebook: guidebook_export.GuidebookSection
    questions: questions_export.QuestionsSection
    engagement: engagement_export.EngagementSection
    budget_lines: list[tuple] | None = None  # every line, only gathered for the workbook

    @property
    def place_name(self) -> str:
        city = self.profile.city or self.team.slug
        return f"{city}, {self.profile.state}" if self.profile.state else city

    @property
    def tools_started(self) -> dict[str, bool]:
        # A tool is in the Blueprint once the team has put something into it.
        started = {tool.id: False for tool in ws.tools()}
        started["budget"] = self.budget.started
        started["action_plan"] = self.action_plan.started
        started["guidebook"] = self.guidebook.started
        started["questions"] = self.questions.started
        started["engagement"] = self.engagement.started
        return started


def gather(store: Store, actor: Actor, team_id: int, *, today: dt.date | None = None,
           with_lines: bool = False) -> Blueprint:
    team = store.get_team(actor, team_id)
    today = today or dt.date.today()
    initiative = store.load(actor, team_id, ws.Initiative).body
    peer = actor.peer_only(team_id)
    return Blueprint(
        workshop=store.get_workshop(actor, team.workshop_id),
        team=team,
        profile=store.load(actor, team_id, ws.TeamProfile).body,
        initiative=initiative,
        prepared_on=today,
        budget=budget_export.gather(store, actor, team_id, today),
        action_plan=action_plan_export.gather(store, actor, team_id, today),
        assessment=assessment_export.gather(store, actor, team_id, today),
        # A peer reviewer reads the case study, not what others said about it.
        clinic=clinic.ClinicSummary({}, []) if peer else clinic.summary(store, actor, team_id),
        peer_reviews=[] if peer else store.peer_takeaways(actor, team_id),
        guidebook=guidebook_export.gather(store, actor, team_id, today),
        questions=questions_export.gather(store, actor, team_id, today),
        engagement=engagement_export.gather(store, actor, team_id, today),
        budget_lines=store.all_budget_lines(actor, team_id) if with_lines else None,
    )


def filename(bp: Blueprint, extension: str = "pdf") -> str:
    return f"{bp.team.slug}-blueprint.{extension}"


def _date_range(w: Workshop) -> str:
    if w.starts_on and w.ends_on and w.starts_on != w.ends_on:
        if (w.starts_on.year, w.starts_on.month) == (w.ends_on.year, w.ends_on.month):
            return f"{w.starts_on:%B} {w.starts_on.day}–{w.ends_on.day}, {w.ends_on.year}"
        return f"{w.starts_on:%B} {w.starts_on.day} – {w.ends_on:%B} {w.ends_on.day}, {w.ends_on.year}"
    day = w.starts_on or w.ends_on
    return f"{day:%B} {day.day}, {day.year}" if day else ""


def cover(bp: Blueprint) -> list[Flowable]:
    area = ws.area(bp.initiative.area).label if bp.initiative.area else "Not chosen yet"
    meta_lines = [
        ("Mayor", bp.profile.mayor or "Not filled in yet"),
        ("Priority area", area),
        ("Workshop", bp.workshop.name),
        ("Where and when", ", ".join(x for x in (bp.workshop.place, _date_range(bp.workshop)) if x)),
        ("Prepared", f"{bp.prepared_on:%B} {bp.prepared_on.day}, {bp.prepared_on.year}"),
    ]
    flow: list[Flowable] = [
        pdf.gap(90),
        pdf.markup("MAYORS LEADERSHIP INSTITUTE ON SMART CITIES · BLUEPRINT", "cover_kicker"),
        pdf.Heading(bp.place_name, 0, style="cover_title", in_contents=False),
        pdf.para(bp.initiative.title or "Priority initiative not named yet", "cover_sub"),
    ]
    for label, value in meta_lines:
        flow.append(pdf.para(f"{label}: {value}", "cover_meta"))
    return flow


def contents(bp: Blueprint) -> list[Flowable]:
    rows = [
        (str(t.number), t.name, t.purpose, "Included" if bp.tools_started[t.id] else "Not started")
        for t in ws.tools()
    ]
    width = pdf.PAGE_W - 2 * pdf.MARGIN
    return [
        pdf.Heading("Contents", 0, in_contents=False),
        pdf.contents_table(),
        pdf.gap(14),
        pdf.Heading("What this Blueprint covers", 1, in_contents=False),
        pdf.para(
            "The Institute's five tools, in workshop order. Each section shows what the team "
            "decided; a tool the team has not started is marked so and left out."
        ),
        pdf.table(["#", "Tool", "What it is for", "Status"], rows,
                  [0.35 * 72, 1.6 * 72, width - (0.35 + 1.6 + 1.0) * 72, 1.0 * 72]),
    ]


def initiative_section(bp: Blueprint) -> list[Flowable]:
    init = bp.initiative
    area = ws.area(init.area).label if init.area else ""
    flow: list[Flowable] = [pdf.heading("The priority initiative", 0)]
    flow += pdf.labelled("Initiative", init.title)
    flow += pdf.labelled("Priority area", area)
    flow += pdf.labelled("Goal", init.goal)
    flow += pdf.labelled("The problem we are solving", init.problem)
    people = [
        ("City", bp.place_name),
        ("Mayor", bp.profile.mayor),
        ("Population", f"{bp.profile.population:,}" if bp.profile.population else ""),
    ]
    flow.append(pdf.heading("The city", 1))
    for label, value in people:
        flow += pdf.labelled(label, value)
    missing = ws.missing_for_blueprint(bp.profile, init)
    if missing:
        flow.append(pdf.para("Still to fill in: " + ", ".join(missing) + ".", "notice"))
    return flow


SECTIONS = {
    "assessment": "Technology self-assessment",
    **{t.id: t.name for t in ws.tools()},
    "inclusion": "Digital inclusion roadmap",
    "clinic": "Appendix: clinic and peer feedback",
    "sources": "Appendix: sources",
}


def available_sections(bp: Blueprint) -> list[str]:
    """The sections this team has something in, in Blueprint order."""
    started = {**bp.tools_started, "assessment": bp.assessment.started,
               "inclusion": bp.engagement.inclusion_started,
               "clinic": bp.clinic.started or bool(bp.peer_reviews), "sources": True}
    return [key for key in SECTIONS if started.get(key)]


def render_pdf(bp: Blueprint, *, include: set[str] | None = None,
               include_clinic: bool = True) -> bytes:
    """The Blueprint. `include` names the sections to keep (default: every section the team
    has started); the executive summary, contents and initiative are always there."""
    chosen = set(available_sections(bp) if include is None else include)
    if not include_clinic:
        chosen.discard("clinic")
    meta = pdf.Meta(
        title=f"{bp.place_name} Blueprint: {bp.initiative.title or 'priority initiative'}",
        author=f"{bp.profile.city or bp.team.slug} city team",
        subject=f"{bp.workshop.name} - the team's Blueprint",
        keywords="smart cities, blueprint, " + (bp.initiative.area or ""),
        footer=f"{bp.place_name} · Blueprint · {bp.workshop.name}",
    )
    body = [*brief.page(bp), PageBreak(), *contents(bp), PageBreak(), *initiative_section(bp)]
    tools = {t.id: t for t in ws.tools()}
    parts = [
        ("assessment", lambda: assessment_export.section(
            bp.assessment, None, "Where the city stands: technology self-assessment")),
        ("budget", lambda: budget_export.section(bp.budget, 1, tools["budget"].name)),
        ("action_plan", lambda: action_plan_export.section(bp.action_plan, 2,
                                                           tools["action_plan"].name)),
        ("questions", lambda: questions_export.section(bp.questions, 3,
                                                       tools["questions"].name)),
        ("engagement", lambda: engagement_export.section(bp.engagement, 4,
                                                         tools["engagement"].name)),
        ("inclusion", lambda: engagement_export.inclusion_section(
            bp.engagement, None, "Digital inclusion roadmap")),
        ("guidebook", lambda: guidebook_export.section(bp.guidebook, 5,
                                                       tools["guidebook"].name)),
        ("clinic", lambda: clinic_export.appendix(bp.clinic, SECTIONS["clinic"],
                                                  bp.peer_reviews)),
        ("sources", lambda: sources.appendix(bp, SECTIONS["sources"])),
    ]
    started = set(available_sections(bp))
    for key, build in parts:
        if key in chosen and key in started:
            body += [pdf.new_section(), *build()]
    return pdf.render(meta, cover(bp), body)


def render_xlsx(bp: Blueprint) -> bytes:
    """The team's workbook: a summary sheet, then a sheet per part of each tool."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Blueprint"
    rows = [
        ("City", bp.place_name), ("Mayor", bp.profile.mayor),
        ("Priority area", ws.area(bp.initiative.area).label if bp.initiative.area else ""),
        ("Initiative", bp.initiative.title), ("Goal", bp.initiative.goal),
        ("Problem", bp.initiative.problem), ("Workshop", bp.workshop.name),
        ("Prepared", bp.prepared_on.isoformat()),
    ]
    workbook.header(summary, ["Item", "Value"], [22, 100])
    for r, (label, value) in enumerate(rows, start=2):
        workbook.text_cell(summary, r, 1, label)
        workbook.text_cell(summary, r, 2, value)
    workbook.add_budget_sheets(wb, lines=bp.budget_lines or [], plan=bp.budget.plan,
                               index=bp.budget.index, years=bp.budget.years)
    assessment_export.add_sheets(wb, bp.assessment)
    action_plan_export.add_sheets(wb, bp.action_plan)
    questions_export.add_sheets(wb, bp.questions)
    engagement_export.add_sheets(wb, bp.engagement)
    guidebook_export.add_sheets(wb, bp.guidebook)
    return workbook.to_bytes(wb)


def zip_all(store: Store, actor: Actor, workshop_id: int, *, today: dt.date | None = None
            ) -> bytes:
    """Every team's Blueprint PDF in one zip, for a facilitator taking the cohort home."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for team in store.list_teams(actor, workshop_id):
            bp = gather(store, actor, team.id, today=today)
            archive.writestr(filename(bp), render_pdf(bp))
    return buffer.getvalue()
