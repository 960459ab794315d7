"""After the Institute: check-ins against the action plan, help requests and webinar calendars."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import icalendar
from pydantic import BeforeValidator, Field, StringConstraints, ValidationError

from toolkit import content
from toolkit.action_plan import ActionPlan, OptionalNumber, PlanMeasure, PlanMilestone
from toolkit.budget import Item
from toolkit.content import ContentError, ContentFile, Strict
from toolkit.store import SYSTEM, Actor, Store, Webinar
from toolkit.workshop import Document

ReportedStatus = Literal["done", "on_track", "at_risk", "late"]
REPORTED_STATUSES: tuple[ReportedStatus, ...] = ("done", "on_track", "at_risk", "late")
STATUS_LABELS = {"done": "Done", "on_track": "On track", "at_risk": "At risk", "late": "Late",
                 "not_reported": "Not reported"}
Urgency = Literal["low", "normal", "urgent"]
URGENCY_LABELS = {"low": "Low", "normal": "Normal", "urgent": "Urgent"}
RequestStatus = Literal["new", "assigned", "scheduled", "done"]
REQUEST_STATUS_LABELS = {"new": "New", "assigned": "Assigned", "scheduled": "Scheduled",
                         "done": "Done"}
NO_PLAN_MESSAGE = ("Your team has no action plan yet, so there are no milestones or measures "
                   "to check in on. Fill in the Action plan page first; you can still write "
                   "down blockers and ask for help.")
# Common US zones for the webinar form; any IANA name is accepted by the store.
US_TIMEZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
                "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu")
ICS_DOMAIN = "isc-blueprint"


def _text(limit: int) -> Any:
    return Field(default="", max_length=limit)


Ref = Annotated[str, StringConstraints(min_length=1, max_length=24)]


class MilestoneUpdate(Item):
    """What the team says about one action-plan milestone at a check-in."""

    milestone_id: Ref
    status: ReportedStatus = "on_track"
    note: str = _text(400)


class MeasureActual(Item):
    """The actual value of one action-plan measure, and the day it was measured."""

    measure_id: Ref
    value: OptionalNumber = None
    as_of: Annotated[dt.date | None, BeforeValidator(lambda v: v or None)] = None


class CheckIn(Item):
    date: dt.date
    label: str = _text(120)
    milestones: list[MilestoneUpdate] = Field(default_factory=list, max_length=500)
    actuals: list[MeasureActual] = Field(default_factory=list, max_length=100)
    blockers: str = _text(2000)
    help_needed: str = _text(2000)
    recorded_by: str = _text(120)


class HelpRequest(Item):
    """A request for one-on-one technical assistance; facilitators assign and schedule it."""

    topic: str = Field(min_length=1, max_length=200)
    details: str = _text(2000)
    urgency: Urgency = "normal"
    preferred_times: str = _text(300)
    status: RequestStatus = "new"
    assigned_to: str = _text(160)  # a facilitator's name or a guidebook entry's name
    notes: str = _text(2000)
    requested_on: dt.date | None = None
    requested_by: str = _text(120)


class FollowUp(Document):
    """A team's life after the Institute: every check-in kept, and its help requests."""

    KIND: ClassVar[str] = "followup"
    check_ins: list[CheckIn] = Field(default_factory=list, max_length=300)
    requests: list[HelpRequest] = Field(default_factory=list, max_length=300)

    @property
    def started(self) -> bool:
        return bool(self.check_ins or self.requests)

    def ordered(self) -> list[CheckIn]:
        """Check-ins, earliest first; ties keep the order they were recorded in."""
        return sorted(self.check_ins, key=lambda c: c.date)

    @property
    def latest(self) -> CheckIn | None:
        ordered = self.ordered()
        return ordered[-1] if ordered else None


FIELD_LABELS = {"date": "Check-in date", "label": "Name of the check-in", "status": "Status",
                "note": "Note", "value": "Actual value", "as_of": "Measured on",
                "blockers": "Blockers", "help_needed": "Help needed", "topic": "Topic",
                "details": "Details", "urgency": "Urgency", "preferred_times": "Preferred times",
                "assigned_to": "Assigned to", "notes": "Notes"}


# --- reading the plan -------------------------------------------------------------------------


def load_plan(store: Store, actor: Actor, team_id: int) -> ActionPlan | None:
    """The team's action plan, or None when it has no milestones or measures to follow."""
    plan = store.load(actor, team_id, ActionPlan).body
    return plan if (plan.milestones or plan.measures) else None


def new_check_in(plan: ActionPlan | None, today: dt.date, label: str = "",
                 previous: CheckIn | None = None) -> CheckIn:
    """A blank check-in with a row per milestone and measure, carrying the last statuses."""
    before = {u.milestone_id: u.status for u in (previous.milestones if previous else [])}
    if plan is None:
        return CheckIn(date=today, label=label)
    return CheckIn(
        date=today, label=label,
        milestones=[MilestoneUpdate(milestone_id=m.id,
                                    status=before.get(m.id) or _default_status(m, today))
                    for m in plan.milestones],
        actuals=[MeasureActual(measure_id=m.id, as_of=today) for m in plan.measures])


def _default_status(m: PlanMilestone, today: dt.date) -> ReportedStatus:
    if m.status == "done":
        return "done"
    return "late" if m.end and m.end < today else "on_track"


# --- milestone status rules -------------------------------------------------------------------


def computed_status(milestone: PlanMilestone, reported: str | None, on: dt.date) -> str:
    """A milestone past its end date and not done is late, whatever was reported."""
    if reported == "done":
        return "done"
    if milestone.end is not None and milestone.end < on:
        return "late"
    return reported or "not_reported"


@dataclass(frozen=True)
class MilestoneRow:
    milestone: PlanMilestone
    reported: str  # a ReportedStatus or "not_reported"
    computed: str
    note: str

    @property
    def disagrees(self) -> bool:
        return self.reported != self.computed

    @property
    def behind(self) -> bool:
        return self.computed in ("late", "at_risk")


def milestone_rows(plan: ActionPlan, check_in: CheckIn | None) -> list[MilestoneRow]:
    """Each milestone with what the check-in reported and the status the rules give."""
    updates = {u.milestone_id: u for u in (check_in.milestones if check_in else [])}
    on = check_in.date if check_in else dt.date.min
    rows = []
    for m in plan.milestones:
        u = updates.get(m.id)
        reported = u.status if u else "not_reported"
        rows.append(MilestoneRow(m, reported, computed_status(m, u.status if u else None, on),
                                 u.note if u else ""))
    return rows


def on_track_share(plan: ActionPlan, check_in: CheckIn | None) -> float | None:
    """Share of milestones done or on track at the check-in; None without a check-in."""
    if check_in is None or not plan.milestones:
        return None
    # Milestones nobody reported on and that are not yet due say nothing either way.
    rows = [r for r in milestone_rows(plan, check_in)
            if r.reported != "not_reported" or r.computed == "late"]
    if not rows:
        return None
    return sum(r.computed in ("done", "on_track") for r in rows) / len(rows)


def next_milestones(plan: ActionPlan, check_in: CheckIn | None, on: dt.date,
                    limit: int = 5) -> list[PlanMilestone]:
    """The milestones not yet done, soonest end first: what is next."""
    done = {r.milestone.id for r in milestone_rows(plan, check_in) if r.computed == "done"}
    open_ = [m for m in plan.milestones if m.id not in done and m.status != "done"]
    return sorted(open_, key=lambda m: (m.end or dt.date.max, m.start or dt.date.max))[:limit]


# --- measures over time -----------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: float
    check_in: str  # the check-in's label


@dataclass(frozen=True)
class MeasureSeries:
    measure: PlanMeasure
    points: tuple[Point, ...]

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def percent_of_way(self) -> float | None:
        """How far the latest value has moved from baseline to target, in percent."""
        m = self.measure
        if self.latest is None or m.baseline is None or m.target is None:
            return None
        if m.target == m.baseline:
            return 100.0 if self.latest.value == m.target else 0.0
        return (self.latest.value - m.baseline) / (m.target - m.baseline) * 100


def measure_series(plan: ActionPlan, followup: FollowUp) -> list[MeasureSeries]:
    """For each measure, the actual values from every check-in, in date order."""
    out = []
    for m in plan.measures:
        points = [Point(a.as_of or c.date, a.value, c.label or f"{c.date:%b %d, %Y}")
                  for c in followup.ordered() for a in c.actuals
                  if a.measure_id == m.id and a.value is not None]
        out.append(MeasureSeries(m, tuple(sorted(points, key=lambda p: p.on))))
    return out


def num(value: float | None) -> str:
    if value is None:
        return "not set"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def series_in_words(s: MeasureSeries) -> str:
    m = s.measure
    words = f"{m.name} ({m.unit or 'no unit'}): baseline {num(m.baseline)}"
    if m.baseline_date:
        words += f" on {m.baseline_date:%b %d, %Y}"
    words += f", target {num(m.target)}"
    if m.target_date:
        words += f" by {m.target_date:%b %d, %Y}"
    if not s.points:
        return words + ". No actual values recorded yet."
    words += "; actual " + ", ".join(f"{num(p.value)} on {p.on:%b %d, %Y}" for p in s.points)
    if s.percent_of_way is not None:
        words += f". {s.percent_of_way:.0f}% of the way from baseline to target"
    return words + "."


# --- budget committed versus planned ---------------------------------------------------------


@dataclass(frozen=True)
class BudgetYear:
    year: int
    planned: int  # cents: the plan's costs that year
    committed: int  # cents: reallocated plus committed new funding
    hoped: int  # cents: applying for, or ideas


def budget_years(financing: Sequence[Any]) -> list[BudgetYear]:
    """From toolkit.budget.financing rows; empty when there is nothing planned."""
    rows = [BudgetYear(r.year, r.costs, r.secured, r.applying + r.ideas) for r in financing]
    return rows if any(r.planned or r.committed or r.hoped for r in rows) else []


def load_budget_years(store: Store, actor: Actor, team_id: int, today: dt.date
                      ) -> list[BudgetYear]:
    from toolkit import budget as bg

    plan = store.load(actor, team_id, bg.BudgetPlan).body
    if not (plan.cost_items or plan.funding_sources or plan.proposal):
        return []
    index = bg.load_index(store, actor, team_id, plan) if store.current_budget(
        actor, team_id) else None
    resolved = bg.resolve_all(plan.proposal, index) if (plan.proposal and index) else []
    return budget_years(bg.financing(plan, resolved, bg.plan_years(plan, today.year + 1)))


# --- the cohort -------------------------------------------------------------------------------

STOP_WORDS = frozenset(
    "a an and are as at be been but by for from has have in into is it its not of on or our "
    "so that the their them there they this to too was we were will with no yet still need "
    "more than".split())


def common_blockers(texts: Iterable[str], limit: int = 10) -> list[tuple[str, int]]:
    """The words that come up most in teams' blockers, each counted once per team."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in STOP_WORDS}
        counts.update(words)
    return [(w, n) for w, n in counts.most_common(limit) if n > 1] or counts.most_common(
        min(limit, 5))


@dataclass(frozen=True)
class TeamProgress:
    team_id: int
    name: str
    latest: CheckIn | None
    share_on_track: float | None
    series: list[MeasureSeries]
    has_plan: bool


def cohort_progress(store: Store, actor: Actor, teams: Sequence[Any]) -> list[TeamProgress]:
    out = []
    for t in teams:
        plan = load_plan(store, actor, t.id)
        followup = store.load(actor, t.id, FollowUp).body
        latest = followup.latest
        out.append(TeamProgress(
            t.id, t.city or t.slug, latest,
            on_track_share(plan, latest) if plan else None,
            measure_series(plan, followup) if plan else [], plan is not None))
    return out


def anonymous_names(progress: Sequence[TeamProgress], named: bool) -> dict[int, str]:
    """Team names for facilitators; "Team A", "Team B"... when shown to teams."""
    if named:
        return {p.team_id: p.name for p in progress}
    return {p.team_id: f"Team {chr(ord('A') + i % 26)}{'' if i < 26 else i // 26}"
            for i, p in enumerate(progress)}


# --- webinar times and calendars -------------------------------------------------------------


def to_utc(day: dt.date, time: dt.time, timezone: str) -> dt.datetime:
    """The moment a facilitator means by a wall-clock time in a zone, in UTC."""
    return dt.datetime.combine(day, time, ZoneInfo(timezone)).astimezone(dt.UTC)


def local_start(w: Webinar) -> dt.datetime:
    return w.starts_at.astimezone(ZoneInfo(w.timezone))


def when(w: Webinar) -> str:
    start = local_start(w)
    return f"{start:%a %b %d, %Y, %I:%M %p} {start.tzname()} ({w.duration_minutes} minutes)"


def webinar_uid(w: Webinar) -> str:
    return f"webinar-{w.id}@{ICS_DOMAIN}"


def _event(w: Webinar) -> icalendar.Event:
    start = local_start(w)
    event = icalendar.Event()
    event.add("uid", webinar_uid(w))
    # DTSTAMP from the webinar's creation, not "now", so the same webinar gives the same file.
    event.add("dtstamp", w.created_at.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=w.duration_minutes))
    event.add("summary", w.title)
    description = w.agenda
    if w.join_link:
        description = f"{description}\n\nJoin: {w.join_link}".strip()
        event.add("url", w.join_link)
        event.add("location", w.join_link)
    if description:
        event.add("description", description)
    return event


def series_ics(webinars: Sequence[Webinar], name: str = "ISC follow-up webinars") -> str:
    """One calendar file with every webinar; the library escapes commas, semicolons and lines."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//ISC Blueprint//Follow-up webinars//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # X- properties are written raw, so a title with a line break would break the file.
    cal.add("x-wr-calname", icalendar.vText(" ".join(name.split())))
    for w in webinars:
        cal.add_component(_event(w))
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def webinar_ics(webinar: Webinar) -> str:
    return series_ics([webinar], webinar.title)


def ics_filename(w: Webinar) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", w.title.lower()).strip("-")[:40] or "webinar"
    return f"{slug}-{local_start(w):%Y-%m-%d}.ics"


# --- the demo ---------------------------------------------------------------------------------

DEMO_FILE = "demo/followup.yaml"


class DemoWebinar(Strict):
    """A webinar of the demo workshop, in the facilitator's local time."""

    title: str
    day: dt.date
    time: dt.time
    timezone: str
    duration_minutes: int
    agenda: str
    join_link: str


class DemoFollowUpFile(ContentFile):
    """content/demo/followup.yaml: one demo team's check-ins and the demo webinars."""

    team: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    document: dict[str, Any]
    webinars: list[DemoWebinar] = Field(default_factory=list)
    attended: dict[int, list[str]] = Field(default_factory=dict)  # webinar index -> team slugs


def _demo() -> DemoFollowUpFile:
    return content.load(DEMO_FILE, DemoFollowUpFile)


def demo_document(slug: str) -> FollowUp | None:
    """The demo team's follow-up, or None for a team that has none."""
    demo = _demo()
    if demo.team != slug:
        return None
    try:
        return FollowUp.model_validate(demo.document)
    except ValidationError as exc:
        problems = "; ".join(f"document.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
                             for err in exc.errors(include_url=False))
        raise ContentError(f"{content.content_dir() / DEMO_FILE}: {problems}") from None


def create_demo_webinars(store: Store, workshop_id: int) -> list[Webinar]:
    """The demo workshop's webinars, with attendance for the first one."""
    demo = _demo()
    teams = {t.slug: t.id for t in store.list_teams(SYSTEM, workshop_id)}
    created = []
    for i, w in enumerate(demo.webinars):
        webinar = store.create_webinar(
            SYSTEM, workshop_id, title=w.title, starts_at=to_utc(w.day, w.time, w.timezone),
            timezone=w.timezone, duration_minutes=w.duration_minutes, agenda=w.agenda,
            join_link=w.join_link)
        created.append(webinar)
        for slug in demo.attended.get(i, []):
            if slug in teams:
                store.set_attendance(SYSTEM, webinar.id, teams[slug], True)
    return created
