"""The sources appendix: where the Blueprint's figures and guidance come from."""

from __future__ import annotations

from reportlab.platypus import Flowable

from exports import pdf
from toolkit import assessment as am
from toolkit import questions as qs


def entries(bp) -> list[tuple[str, str]]:
    """(what, source) pairs for the parts of the Blueprint this team included."""
    out: list[tuple[str, str]] = []
    current = bp.budget.current
    if current is not None:
        out.append(("City budget figures",
                    f"{current.filename}" + (f", sheet {current.sheet}" if current.sheet else "")
                    + f", column '{current.amount_column}'"
                    + (f", fiscal year {current.year}" if current.year else "")
                    + f"; imported {current.imported_at:%B %d, %Y} by {current.imported_by}."))
    if bp.budget.plan.funding_sources:
        out.append(("New funding", "The team's own list of sources and their status. Funding "
                    "programs change: verify each program's current status before applying."))
    used = {qid for m in bp.questions.plan.meetings for qid in m.question_ids}
    for q in qs.load_questions().questions:
        if q.id in used:
            out.append((f"Tech question {q.number}", "; ".join(q.sources)))
    if bp.assessment.started:
        for area in am.load_assessment().areas:
            out.append((f"Self-assessment: {area.name}", "; ".join(area.cites)))
    if bp.engagement.started:
        out.append(("Levels of participation", "Adapted in our own words from the IAP2 "
                    "Spectrum of Public Participation (International Association for Public "
                    "Participation)."))
        out.append(("Digital inclusion", "Drawn on the National Digital Inclusion Alliance "
                    "(NDIA) definition of digital inclusion."))
    if bp.action_plan.started:
        out.append(("Kinds of measures", "How much did we do, how well did we do it, is "
                    "anyone better off: Results-Based Accountability (Mark Friedman)."))
    out.append(("The Institute's tools", "Mayors Leadership Institute on Smart Cities, "
                "overview of the utility belt; Reinvent Albany, recommendations on city "
                "technology management (procurement, hiring, service design, data, structure)."))
    return out


def appendix(bp, title: str) -> list[Flowable]:
    return [pdf.heading(title, 0),
            pdf.para("Where the figures and the guidance in this Blueprint come from. "
                     "Guidance is written in our own words; the frameworks named are the "
                     "sources of the ideas."),
            pdf.table(["Part", "Source"], entries(bp), [1.9 * 72, 4.6 * 72])]
