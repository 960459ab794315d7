"""How far each team has got with each tool, from the tools' own completeness checks.

A facilitator's dashboard reads this; it never counts page visits. Each check returns the
share done and the named things still missing, so "40%" always comes with "what is left".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from toolkit import assessment as am
from toolkit import budget as bg
from toolkit import workshop as ws
from toolkit.store import Actor, Store, Team

STUCK_AFTER = dt.timedelta(minutes=20)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    missing: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def _steps(checks: list[tuple[bool, str]]) -> Progress:
    return Progress(sum(ok for ok, _ in checks), len(checks),
                    tuple(label for ok, label in checks if not ok))


def home(store: Store, actor: Actor, team_id: int) -> Progress:
    profile = store.load(actor, team_id, ws.TeamProfile).body
    initiative = store.load(actor, team_id, ws.Initiative).body
    missing = ws.missing_for_blueprint(profile, initiative)
    total = 5
    return Progress(total - len(missing), total, tuple(missing))


def budget(store: Store, actor: Actor, team_id: int) -> Progress:
    plan = store.load(actor, team_id, bg.BudgetPlan).body
    current = store.current_budget(actor, team_id)
    proposal_ok = False
    if current and plan.proposal and plan.proposal.moves:
        index = bg.load_index(store, actor, team_id, plan)
        problems = bg.check_scenario(plan.proposal, bg.resolve_all(plan.proposal, index))
        proposal_ok = not any(p.severity == "error" for p in problems)
    return _steps([
        (current is not None, "a budget file"),
        (proposal_ok, "a proposal scenario whose moves check out"),
        (bool(plan.cost_items), "the initiative's costs"),
        (bool(plan.funding_sources), "new funding sources"),
        (bool(plan.status_quo_costs), "the cost of not acting"),
    ])


def assessment(store: Store, actor: Actor, team_id: int) -> Progress:
    doc = store.load(actor, team_id, am.AssessmentDoc).body
    content = am.load_assessment()
    total = sum(len(a.statements) for a in content.areas)
    if doc.latest is None:
        return Progress(0, total, ("the self-assessment",))
    done = sum(1 for a in doc.latest.answers.values() if a.answered)
    return Progress(done, total, () if done == total else (f"{total - done} statements",))


def guidebook(store: Store, actor: Actor, team_id: int) -> Progress:
    saved = store.guide_saved(actor, team_id, include_contact=False)
    return _steps([
        (len(saved) >= 3, "at least three entries in 'who we will call'"),
        (bool(saved) and all(s.note.strip() for s in saved),
         "a note on why for each saved entry"),
    ])


def action_plan(store: Store, actor: Actor, team_id: int) -> Progress:
    from toolkit import action_plan as ap

    parts = ap.completeness(store.load(actor, team_id, ap.ActionPlan).body)
    return Progress(sum(p.done for p in parts), sum(p.total for p in parts) or 1,
                    tuple(m for p in parts for m in p.missing[:1]))


def engagement(store: Store, actor: Actor, team_id: int) -> Progress:
    from toolkit import engagement as eg

    plan = store.load(actor, team_id, eg.EngagementPlan).body
    missing = eg.readiness(plan, eg.load_engagement_content())
    parts = 7  # the page's seven tabs, each with something the plan needs
    return Progress(max(0, parts - len(missing)), parts, tuple(f.message for f in missing))


def questions(store: Store, actor: Actor, team_id: int) -> Progress:
    from toolkit import questions as qs

    plan = store.load(actor, team_id, qs.QuestionsPlan).body
    scored = {a.respondent_id for a in plan.answers if a.score is not None}
    return _steps([
        (bool(plan.meetings), "a meeting with its questions prepared"),
        (len(plan.respondents) >= 2, "two respondents to compare"),
        (len(scored) >= 2, "scored answers from two respondents"),
    ])


# Tool id -> check. Tools add theirs here as they land.
CHECKS: dict[str, Callable[[Store, Actor, int], Progress]] = {
    "home": home,
    "assessment": assessment,
    "budget": budget,
    "action_plan": action_plan,
    "questions": questions,
    "engagement": engagement,
    "guidebook": guidebook,
}


@dataclass(frozen=True)
class TeamProgress:
    team: Team
    by_tool: dict[str, Progress]
    last_activity: dt.datetime | None
    open_feedback: int

    def stuck(self, now: dt.datetime) -> bool:
        """No save for a while during a working session, or nothing started at all."""
        if self.last_activity is None:
            return True
        return now - self.last_activity > STUCK_AFTER and self.overall < 1

    @property
    def overall(self) -> float:
        parts = list(self.by_tool.values())
        return sum(p.share for p in parts) / len(parts) if parts else 0.0


def cohort(store: Store, actor: Actor, workshop_id: int) -> list[TeamProgress]:
    """Every team of a workshop with its progress per tool (facilitators only)."""
    open_counts = store.open_feedback_counts(actor)
    return [
        TeamProgress(team, {tool: check(store, actor, team.id) for tool, check in CHECKS.items()},
                     store.last_activity(actor, team.id), open_counts.get(team.id, 0))
        for team in store.list_teams(actor, workshop_id)
    ]
