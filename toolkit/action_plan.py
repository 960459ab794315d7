"""The project action plan (tool 2): starter-pack content, and a team's plan with its checks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from toolkit import budget as bg
from toolkit import content
from toolkit.budget import Item
from toolkit.content import ContentError, ContentFile, Strict
from toolkit.store import Actor, Saved, StaleVersion, Store
from toolkit.workshop import Document

# --- starter packs: content models and loader for content/starter_packs.yaml ---------------
# Owned by the content team. The action-plan document models (a team's own goals, measures,
# milestones and owners) belong below this section, not mixed into it.

STARTER_PACKS_FILE = "starter_packs.yaml"
BLANK_AREA = "other"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Items = Annotated[list[Text], Field(min_length=1)]
MeasureKind = Literal["how_much", "how_well", "better_off"]
MEASURE_KINDS: tuple[MeasureKind, ...] = ("how_much", "how_well", "better_off")
PartnerType = Literal[
    "university", "employer", "nonprofit", "community_group", "vendor", "other_agency"
]
Raci = Literal["responsible", "accountable", "consulted", "informed"]
PRODUCT_OWNER = "product_owner"
# 90 days is just under 13 weeks; week 0 would be "before the Institute ends".
LAST_WEEK = 13

# Data that counts who asked for help, not who was harmed: calls for service, 311 and 911
# requests, complaints. The seed is blunt that such data is not representative of the problem.
REPORT_DRIVEN = re.compile(r"calls? for service|\b311\b|\b911\b|complain", re.IGNORECASE)


def _no_repeats(values: list, what: str = "listed more than once") -> list:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{what}: {', '.join(repeated)}")
    return values


def relies_on_reports(name: str, source: str) -> bool:
    """True when a measure is built on calls for service, 311/911 requests or complaints."""
    return bool(REPORT_DRIVEN.search(name) or REPORT_DRIVEN.search(source))


class MeasureKindInfo(Strict):
    """One of the three Results-Based Accountability questions, in plain words."""

    id: MeasureKind
    label: Text
    description: Text


class Measure(Strict):
    """A suggested performance measure; the team measures its own baseline and sets targets."""

    name: Text
    kind: MeasureKind
    unit: Text
    suggested_source: Text
    representative: bool
    representativeness_note: Text

    @model_validator(mode="after")
    def _reports_are_not_representative(self) -> Measure:
        if self.representative and relies_on_reports(self.name, self.suggested_source):
            raise ValueError(
                "a measure built on calls for service, 311/911 requests or complaints must say "
                "representative: false"
            )
        return self


class LogicModel(Strict):
    """From what goes in to the lasting change, in short lists (W.K. Kellogg Foundation form)."""

    inputs: Items
    activities: Items
    outputs: Items
    outcomes_short: Items
    outcomes_medium: Items
    outcomes_long: Items
    impact: Items


class Partner(Strict):
    """A kind of partner, what it usually brings, and the thing to watch."""

    type: PartnerType
    brings: Items
    watch_out: Text


class Milestone(Strict):
    """A starter milestone, owned by a role (never a named person), due in a given week."""

    week: Annotated[int, Field(ge=1, le=LAST_WEEK)]
    milestone: Text
    owner: Slug


class Role(Strict):
    """A suggested role and its default place in a RACI chart for the whole initiative."""

    id: Slug
    name: Text
    raci: Raci
    does: Text


class StarterPack(Strict):
    """Everything a team starts its action plan from, for one initiative area."""

    area: Slug
    summary: Text
    evidence_note: Text
    typical_goals: Items
    logic_model: LogicModel
    measures: Annotated[list[Measure], Field(min_length=3)]
    common_pitfalls: Items
    partner_types: Annotated[list[Partner], Field(min_length=1)]
    data_needed: Items
    first_90_days: Annotated[list[Milestone], Field(min_length=1)]
    raci_roles: Annotated[list[Role], Field(min_length=2)]
    sources: Items

    @field_validator("measures")
    @classmethod
    def _every_kind_of_measure(cls, measures: list[Measure]) -> list[Measure]:
        missing = [k for k in MEASURE_KINDS if k not in {m.kind for m in measures}]
        if missing:
            raise ValueError(f"no measure of kind {', '.join(missing)}")
        _no_repeats([m.name for m in measures], "measure names listed more than once")
        return measures

    @field_validator("partner_types")
    @classmethod
    def _one_entry_per_partner_type(cls, partners: list[Partner]) -> list[Partner]:
        _no_repeats([p.type for p in partners], "partner types listed more than once")
        return partners

    @field_validator("first_90_days")
    @classmethod
    def _milestones_in_week_order(cls, milestones: list[Milestone]) -> list[Milestone]:
        weeks = [m.week for m in milestones]
        if weeks != sorted(weeks):
            raise ValueError(f"milestones must be in week order, found weeks {weeks}")
        return milestones

    @field_validator("raci_roles")
    @classmethod
    def _one_accountable_and_a_product_owner(cls, roles: list[Role]) -> list[Role]:
        _no_repeats([r.id for r in roles], "role ids listed more than once")
        accountable = [r.id for r in roles if r.raci == "accountable"]
        if len(accountable) != 1:
            raise ValueError(f"exactly one role must be accountable, found {accountable or 'none'}")
        if PRODUCT_OWNER not in {r.id for r in roles}:
            # Every digital service needs a dedicated in-house product owner (seed document).
            raise ValueError(f"a {PRODUCT_OWNER!r} role is required")
        return roles

    @model_validator(mode="after")
    def _milestone_owners_are_roles(self) -> StarterPack:
        role_ids = {r.id for r in self.raci_roles}
        unknown = sorted({m.owner for m in self.first_90_days} - role_ids)
        if unknown:
            raise ValueError(f"first_90_days owners are not raci_roles ids: {', '.join(unknown)}")
        return self

    def measures_of(self, kind: MeasureKind) -> list[Measure]:
        return [m for m in self.measures if m.kind == kind]

    def role(self, role_id: str) -> Role:
        for item in self.raci_roles:
            if item.id == role_id:
                return item
        raise KeyError(role_id)


class StarterPacksFile(ContentFile):
    """content/starter_packs.yaml: one starter pack per area, with a blank one for 'other'."""

    intro: Text
    measure_kinds: list[MeasureKindInfo]
    representative_note: Text
    packs: Annotated[list[StarterPack], Field(min_length=1)]

    @field_validator("measure_kinds")
    @classmethod
    def _three_kinds_in_order(cls, kinds: list[MeasureKindInfo]) -> list[MeasureKindInfo]:
        if tuple(k.id for k in kinds) != MEASURE_KINDS:
            raise ValueError(f"measure kinds must be {', '.join(MEASURE_KINDS)}, in that order")
        return kinds

    @field_validator("packs")
    @classmethod
    def _one_pack_per_area_and_a_blank(cls, packs: list[StarterPack]) -> list[StarterPack]:
        _no_repeats([p.area for p in packs], "areas with more than one pack")
        if BLANK_AREA not in {p.area for p in packs}:
            raise ValueError(f"a blank pack for area {BLANK_AREA!r} is required")
        return packs

    def pack(self, area_id: str) -> StarterPack:
        """The area's pack, or the blank one for an area that has none."""
        by_area = {p.area: p for p in self.packs}
        return by_area.get(area_id) or by_area[BLANK_AREA]


def unknown_areas(packs: StarterPacksFile, area_ids: set[str]) -> list[str]:
    """Every pack whose area is not in areas.yaml, by file and field."""
    return [
        f"{STARTER_PACKS_FILE}: packs[{i}].area: {pack.area!r} is not an area in areas.yaml"
        for i, pack in enumerate(packs.packs)
        if pack.area not in area_ids
    ]


def load_starter_packs() -> StarterPacksFile:
    """The validated starter packs, with their areas checked against areas.yaml."""
    # Imported here: toolkit.workshop pulls in the store, which this section does not need.
    from toolkit.workshop import areas

    packs = content.load(STARTER_PACKS_FILE, StarterPacksFile)
    problems = unknown_areas(packs, {a.id for a in areas()})
    if problems:
        raise ContentError(f"{content.content_dir()}: " + "; ".join(problems))
    return packs


def starter_pack(area_id: str) -> StarterPack:
    """The starter pack for an initiative area; unknown or empty areas get the blank pack."""
    return load_starter_packs().pack(area_id)


# --- end of starter packs; action-plan document models go below --------------------------

# The team's plan is one document of editable lists. Every row has an id (toolkit.budget.Item)
# so teammates can edit different rows at once; every list is a top-level field because
# toolkit.editing merges edits one field at a time. The model accepts plans that are not yet
# sound (an end date before a start date, a loop of dependencies): refusing them would lose
# what the team typed. The check functions below name each problem instead.

Status = Literal["not_started", "in_progress", "done", "blocked"]
STATUS_LABELS: dict[str, str] = {"not_started": "Not started", "in_progress": "In progress",
                                 "done": "Done", "blocked": "Blocked"}
Representative = Literal["yes", "no", "unsure"]
REPRESENTATIVE_LABELS: dict[str, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
Frequency = Literal["", "daily", "weekly", "monthly", "quarterly", "twice_a_year", "yearly"]
FREQUENCY_LABELS: dict[str, str] = {"": "", "daily": "Daily", "weekly": "Weekly",
                                    "monthly": "Monthly", "quarterly": "Quarterly",
                                    "twice_a_year": "Twice a year", "yearly": "Yearly"}
Agreement = Literal["none_yet", "mou", "data_sharing", "contract"]
AGREEMENT_LABELS: dict[str, str] = {"none_yet": "None yet", "mou": "MOU",
                                    "data_sharing": "Data-sharing agreement",
                                    "contract": "Contract"}
PartnerStatus = Literal["idea", "talking", "agreed", "active"]
PARTNER_STATUS_LABELS: dict[str, str] = {"idea": "Idea", "talking": "In talks",
                                         "agreed": "Agreed", "active": "Working together"}
PARTNER_TYPE_LABELS: dict[str, str] = {"": "", "university": "University",
                                       "employer": "Employer", "nonprofit": "Nonprofit",
                                       "community_group": "Community group", "vendor": "Vendor",
                                       "other_agency": "Other public agency"}
KIND_LABELS: dict[str, str] = {"how_much": "How much did we do?",
                               "how_well": "How well did we do it?",
                               "better_off": "Is anyone better off?"}
RaciLetter = Literal["", "R", "A", "C", "I"]
RACI_LETTERS: tuple[str, ...] = ("R", "A", "C", "I")
RACI_NAMES: dict[str, str] = {"R": "Responsible", "A": "Accountable", "C": "Consulted",
                              "I": "Informed"}
_RACI_FROM_PACK = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}

# (field, label, what belongs in it), in the order a logic model is read.
LOGIC_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("inputs", "Inputs", "What goes in: staff, money, data and partners."),
    ("activities", "Activities", "What the team will do."),
    ("outputs", "Outputs", "What the work produces, in numbers."),
    ("outcomes_short", "Short-term outcomes", "What changes in the first year."),
    ("outcomes_medium", "Medium-term outcomes", "What changes in one to three years."),
    ("outcomes_long", "Long-term outcomes", "The lasting change."),
    ("impact", "Impact", "The difference in residents' lives."),
)
LOGIC_FIELDS: tuple[str, ...] = tuple(f for f, _, _ in LOGIC_COLUMNS)
LOGIC_LABELS: dict[str, str] = {f: label for f, label, _ in LOGIC_COLUMNS}

MAX_MILESTONES = 500
NINETY_DAYS = 90


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _to_date(value: Any) -> Any:
    """Dates as a person or a table widget sends them: a date, an ISO string, epoch millis."""
    if _blank(value) or type(value).__name__ == "NaTType":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp from a table widget
        return value.to_pydatetime().date()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise PydanticCustomError(
            "date_text", "'{text}' is not a date. Pick it on the calendar or type it like "
            "2027-03-31", {"text": text[:40]}) from None


def _to_none(value: Any) -> Any:
    return None if _blank(value) else value


OptionalDate = Annotated[dt.date | None, BeforeValidator(_to_date)]
OptionalNumber = Annotated[Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)] | None,
                           BeforeValidator(_to_none)]
Rating = Annotated[Annotated[int, Field(ge=1, le=5)] | None, BeforeValidator(_to_none)]
Fte = Annotated[Decimal, BeforeValidator(lambda v: 0 if _blank(v) else v),
                Field(ge=0, le=10_000, decimal_places=2)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=24)]


def _empty_str(value: Any) -> Any:
    return "" if _blank(value) else value


def _text(limit: int) -> Any:
    return Field(default="", max_length=limit)


class LogicItem(Item):
    """One entry of a logic-model column; `links` are ids of entries it leads to."""

    text: str = _text(300)
    links: list[Ref] = Field(default_factory=list, max_length=30)


class Goal(Item):
    text: str = _text(400)


class PlanMeasure(Item):
    """A measure the team will report, with its starting point and its target."""

    name: str = _text(200)
    kind: MeasureKind = "better_off"
    unit: str = _text(80)
    baseline: OptionalNumber = None
    baseline_date: OptionalDate = None
    target: OptionalNumber = None
    target_date: OptionalDate = None
    data_source: str = _text(300)
    frequency: Annotated[Frequency, BeforeValidator(_empty_str)] = ""
    owner: str = _text(120)
    representative: Representative = "unsure"
    note: str = _text(600)


class Phase(Item):
    name: str = _text(80)


class PlanMilestone(Item):
    name: str = _text(200)
    phase: str = Field(default="", max_length=24)  # a Phase id, or "" for none
    owner: str = _text(120)
    start: OptionalDate = None
    end: OptionalDate = None
    depends_on: list[Ref] = Field(default_factory=list, max_length=50)
    status: Status = "not_started"


class RaciRole(Item):
    name: str = _text(120)
    is_product_owner: bool = False
    does: str = _text(400)


class Workstream(Item):
    """A strand of work and each role's letter in it: R, A, C or I (role id -> letter)."""

    name: str = _text(160)
    assignments: dict[Ref, RaciLetter] = Field(default_factory=dict, max_length=60)


class Redeployment(Item):
    role: str = _text(120)
    fte: Fte = Decimal(0)
    from_unit: str = _text(160)
    to_work: str = _text(300)


class Training(Item):
    skill: str = _text(160)
    who: str = _text(160)
    hours: Annotated[Decimal, BeforeValidator(lambda v: 0 if _blank(v) else v),
                     Field(ge=0, le=10_000, decimal_places=1)] = Decimal(0)
    provider: str = _text(160)


class Hire(Item):
    role: str = _text(120)
    fte: Fte = Decimal(0)
    start: OptionalDate = None
    funded_by: str = _text(200)


class PlanPartner(Item):
    name: str = _text(160)
    type: Annotated[Literal["", PartnerType], BeforeValidator(_empty_str)] = ""
    brings: str = _text(400)
    gets: str = _text(400)
    agreement: Agreement = "none_yet"
    status: PartnerStatus = "idea"
    owner: str = _text(120)


class Risk(Item):
    description: str = _text(400)
    likelihood: Rating = None
    impact: Rating = None
    mitigation: str = _text(600)
    owner: str = _text(120)


class ActionPlan(Document):
    """A team's action plan: logic model, goals, measures, workplan, roles, staff, partners,
    risks."""

    KIND: ClassVar[str] = "action_plan"
    starter_area: str = Field(default="", max_length=40)
    plan_start: OptionalDate = None
    inputs: list[LogicItem] = Field(default_factory=list, max_length=60)
    activities: list[LogicItem] = Field(default_factory=list, max_length=60)
    outputs: list[LogicItem] = Field(default_factory=list, max_length=60)
    outcomes_short: list[LogicItem] = Field(default_factory=list, max_length=60)
    outcomes_medium: list[LogicItem] = Field(default_factory=list, max_length=60)
    outcomes_long: list[LogicItem] = Field(default_factory=list, max_length=60)
    impact: list[LogicItem] = Field(default_factory=list, max_length=60)
    goals: list[Goal] = Field(default_factory=list, max_length=40)
    measures: list[PlanMeasure] = Field(default_factory=list, max_length=100)
    phases: list[Phase] = Field(default_factory=list, max_length=30)
    milestones: list[PlanMilestone] = Field(default_factory=list, max_length=MAX_MILESTONES)
    roles: list[RaciRole] = Field(default_factory=list, max_length=40)
    workstreams: list[Workstream] = Field(default_factory=list, max_length=40)
    redeployments: list[Redeployment] = Field(default_factory=list, max_length=60)
    trainings: list[Training] = Field(default_factory=list, max_length=100)
    hires: list[Hire] = Field(default_factory=list, max_length=60)
    partners: list[PlanPartner] = Field(default_factory=list, max_length=100)
    risks: list[Risk] = Field(default_factory=list, max_length=100)

    @property
    def started(self) -> bool:
        return any(getattr(self, name) for name in LIST_FIELDS)

    def logic_items(self) -> dict[str, LogicItem]:
        return {i.id: i for f in LOGIC_FIELDS for i in getattr(self, f)}


LIST_FIELDS: tuple[str, ...] = (*LOGIC_FIELDS, "goals", "measures", "phases", "milestones",
                                "roles", "workstreams", "redeployments", "trainings", "hires",
                                "partners", "risks")

FIELD_LABELS = {
    "plan_start": "Day the plan starts", "text": "Text", "links": "Leads to", "name": "Name",
    "kind": "Kind", "unit": "Unit", "baseline": "Baseline", "baseline_date": "Baseline date",
    "target": "Target", "target_date": "Target date", "data_source": "Data source",
    "frequency": "How often", "owner": "Owner", "representative": "Representative",
    "note": "Note", "phase": "Phase", "start": "Start", "end": "End",
    "depends_on": "Depends on", "status": "Status", "does": "What they do",
    "assignments": "RACI letters", "role": "Role", "fte": "FTE", "from_unit": "From unit",
    "to_work": "To work on", "skill": "Skill", "who": "Who", "hours": "Hours",
    "provider": "Provider", "funded_by": "Paid for by", "type": "Type", "brings": "Brings",
    "gets": "Gets", "agreement": "Agreement", "description": "Risk",
    "likelihood": "Likelihood", "impact": "Impact", "mitigation": "What we will do",
}


# --- words: how dates, numbers and rows are named in messages -------------------------------


def day(value: dt.date | None) -> str:
    """Mar 3, 2027: unambiguous in every country the Institute works with."""
    return f"{value:%b} {value.day}, {value.year}" if value else ""


def number(value: float | Decimal | None) -> str:
    if value is None:
        return ""
    as_float = float(value)
    if as_float.is_integer():
        return f"{int(as_float):,}"
    return f"{as_float:,.2f}".rstrip("0").rstrip(".")


def _named(items: Sequence[Any], item: Any, attr: str) -> str:
    """'Its name' in quotes, or "number 3" for a row the team has not named yet."""
    name = getattr(item, attr)
    if name:
        return f"'{name}'"
    return f"number {next(i for i, x in enumerate(items, start=1) if x is item)}"


def _milestone_label(plan: ActionPlan, m: PlanMilestone) -> str:
    return f"Milestone {_named(plan.milestones, m, 'name')}"


def _measure_label(plan: ActionPlan, m: PlanMeasure) -> str:
    return f"Measure {_named(plan.measures, m, 'name')}"


# --- checks ----------------------------------------------------------------------------------

Part = Literal["logic_model", "goals", "measures", "workplan", "roles", "operations",
               "partners", "risks"]
PART_LABELS: dict[str, str] = {
    "logic_model": "Logic model", "goals": "Goals", "measures": "Measures",
    "workplan": "Workplan", "roles": "Roles (RACI)", "operations": "Operations plan",
    "partners": "Partners", "risks": "Risks",
}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the plan, said so the team can fix it; errors make it unsound."""

    part: Part
    item_id: str
    severity: Literal["error", "warning"]
    message: str


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (300 milestones would overflow Python's stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work[-1]
            if i == 0 and node not in index:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if i < len(edges):
                work[-1] = (node, i + 1)
                nxt = edges[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found


def dependency_cycles(milestones: Sequence[PlanMilestone]) -> list[list[str]]:
    """Each loop of dependencies as milestone ids, each waiting for the next; linear time."""
    position = {m.id: i for i, m in enumerate(milestones)}
    graph = {m.id: [d for d in dict.fromkeys(m.depends_on) if d in position]
             for m in milestones}
    cycles = []
    for component in _strongly_connected(graph):
        if len(component) == 1:
            node = component[0]
            if node in graph[node]:
                cycles.append([node])
            continue
        # Inside a strongly connected group every milestone waits for another member, so a
        # walk that stays in the group must come back to where it has been: that is a loop.
        members = set(component)
        order: list[str] = []
        seen: dict[str, int] = {}
        node = min(component, key=position.__getitem__)  # a stable place to start
        while node not in seen:
            seen[node] = len(order)
            order.append(node)
            node = next(d for d in graph[node] if d in members)
        cycles.append(order[seen[node]:])
    return cycles


def _loop_words(names: list[str]) -> str:
    """'A' waits for 'B', which waits for 'A' (long loops are shortened)."""
    quoted = [f"'{n}'" for n in names]
    if len(names) > 6:
        return (f"{quoted[0]} waits for " + ", which waits for ".join(quoted[1:5])
                + f", and so on through {len(names)} milestones back to {quoted[0]}")
    return (f"{quoted[0]} waits for " + ", which waits for ".join(quoted[1:])
            + f", which waits for {quoted[0]}")


def check_workplan(plan: ActionPlan) -> list[Problem]:
    """Loops first (nothing in a loop can finish), then each milestone's dates and links."""
    by_id = {m.id: m for m in plan.milestones}
    phase_ids = {p.id for p in plan.phases}
    problems: list[Problem] = []

    def add(m: PlanMilestone, message: str, severity: str = "error") -> None:
        problems.append(Problem("workplan", m.id, severity, message))  # type: ignore[arg-type]

    for loop in dependency_cycles(plan.milestones):
        names = [by_id[i].name or f"number {plan.milestones.index(by_id[i]) + 1}" for i in loop]
        if len(loop) == 1:
            add(by_id[loop[0]], f"Milestone '{names[0]}' depends on itself. Remove it from its "
                                "own list of dependencies.")
        else:
            add(by_id[loop[0]], "These milestones wait for each other in a loop, so none of "
                                f"them can finish: {_loop_words(names)}. Remove one of these "
                                "dependencies.")
    for m in plan.milestones:
        label = _milestone_label(plan, m)
        if m.start and m.end and m.end < m.start:
            add(m, f"{label} ends on {day(m.end)}, before it starts on {day(m.start)}. "
                   "Change one of the dates.")
        for dep_id in dict.fromkeys(m.depends_on):
            dep = by_id.get(dep_id)
            if dep is None:
                add(m, f"{label} depends on a milestone that was deleted. Remove that "
                       "dependency, or add the milestone back.")
            elif dep is not m and m.end and dep.end and m.end < dep.end:
                add(m, f"{label} ends on {day(m.end)}, before "
                       f"{_named(plan.milestones, dep, 'name')} ends on "
                       f"{day(dep.end)}, and it depends on that milestone. Move its end date, "
                       "or remove the dependency.")
        if m.phase and m.phase not in phase_ids:
            add(m, f"{label} is in a phase that was deleted. Choose a phase again.", "warning")
    return problems


def representative_advice(m: PlanMeasure) -> str | None:
    """The question the app asks about a measure's data, and what to use instead."""
    name = f"'{m.name}'" if m.name else "this measure"
    if relies_on_reports(m.name, m.data_source):
        if m.representative == "yes":
            return (f"The data for {name} comes from calls for service, 311 or complaints. "
                    "It shows who asked for help, not everyone affected, so it is not "
                    "representative. Mark it 'No', and add a survey of a random sample or a "
                    "direct measure of the problem.")
        return (f"The data for {name} comes from calls for service, 311 or complaints, so it "
                "is not representative. Keep it to track workload, and judge success with a "
                "survey of a random sample or a direct measure of the problem.")
    if m.representative == "unsure":
        return (f"Does the data for {name} cover everyone affected, or only the people who "
                "called, complained or came in? If only some, add a survey of a random sample "
                "or measure the problem directly.")
    return None


_ESSENTIAL = ("baseline", "target", "owner")  # a measure without these cannot be reported


def _measure_gaps(plan: ActionPlan, m: PlanMeasure) -> list[tuple[str, bool, str]]:
    """(field, filled in?, what to say when it is not) for each part of a measure."""
    label = _measure_label(plan, m)
    return [
        ("baseline", m.baseline is not None, f"{label} has no baseline"),
        ("baseline_date", m.baseline_date is not None, f"{label} has no baseline date"),
        ("target", m.target is not None, f"{label} has no target"),
        ("target_date", m.target_date is not None, f"{label} has no target date"),
        ("data_source", bool(m.data_source), f"{label} has no data source"),
        ("frequency", bool(m.frequency), f"{label} does not say how often it is measured"),
        ("owner", bool(m.owner), f"{label} has no owner"),
        ("representative", m.representative != "unsure",
         f"{label} does not say whether its data is representative"),
    ]


def check_measures(plan: ActionPlan) -> list[Problem]:
    problems: list[Problem] = []
    for m in plan.measures:
        label = _measure_label(plan, m)
        if m.baseline is not None and m.target is not None and m.baseline == m.target:
            problems.append(Problem(
                "measures", m.id, "error",
                f"{label}: the target ({number(m.target)}) is the same as the baseline. Set a "
                "target that shows the change you want."))
        if m.baseline_date and m.target_date and m.target_date <= m.baseline_date:
            problems.append(Problem(
                "measures", m.id, "error",
                f"{label}: the target date ({day(m.target_date)}) must come after the baseline "
                f"date ({day(m.baseline_date)})."))
        for field, ok, message in _measure_gaps(plan, m):
            if field in _ESSENTIAL and not ok:
                problems.append(Problem("measures", m.id, "warning", message + "."))
        if advice := representative_advice(m):
            problems.append(Problem("measures", m.id, "warning", advice))
    return problems


def accountable_roles(plan: ActionPlan, w: Workstream) -> list[RaciRole]:
    return [r for r in plan.roles if w.assignments.get(r.id) == "A"]


def check_roles(plan: ActionPlan) -> list[Problem]:
    problems: list[Problem] = []
    if plan.roles and not any(r.is_product_owner for r in plan.roles):
        problems.append(Problem(
            "roles", "", "warning",
            "No role is marked as the in-house product owner. Every digital service needs one "
            "person inside city government who owns it day to day."))
    for w in plan.workstreams:
        label = f"Workstream {_named(plan.workstreams, w, 'name')}"
        accountable = accountable_roles(plan, w)
        if not accountable:
            problems.append(Problem("roles", w.id, "error",
                                    f"{label} has no one accountable (A). Choose exactly one "
                                    "role to own the result."))
        elif len(accountable) > 1:
            names = " and ".join(f"'{r.name or 'unnamed role'}'" for r in accountable)
            problems.append(Problem("roles", w.id, "error",
                                    f"{label} has {len(accountable)} roles accountable (A): "
                                    f"{names}. Keep exactly one, and make the others "
                                    "responsible (R) or consulted (C)."))
        if not any(w.assignments.get(r.id) == "R" for r in plan.roles):
            problems.append(Problem("roles", w.id, "warning",
                                    f"{label} has no one responsible (R) for doing the work."))
    return problems


def check_logic_model(plan: ActionPlan) -> list[Problem]:
    known = plan.logic_items()
    problems = []
    for field in LOGIC_FIELDS:
        for item in getattr(plan, field):
            if any(link not in known for link in item.links):
                name = f"'{item.text}'" if item.text else "An item"
                problems.append(Problem(
                    "logic_model", item.id, "warning",
                    f"{LOGIC_LABELS[field]}: {name} leads to an item that was deleted. "
                    "Choose what it leads to again."))
    return problems


def check_partners(plan: ActionPlan) -> list[Problem]:
    return [
        Problem("partners", p.id, "warning",
                f"Partner {_named(plan.partners, p, 'name')} is "
                f"{PARTNER_STATUS_LABELS[p.status].lower()} but has no written agreement yet.")
        for p in plan.partners
        if p.status in ("agreed", "active") and p.agreement == "none_yet"
    ]


def validate(plan: ActionPlan) -> list[Problem]:
    """Every problem in the plan, errors first within each part."""
    problems = (check_logic_model(plan) + check_measures(plan) + check_workplan(plan)
                + check_roles(plan) + check_partners(plan))
    order = list(PART_LABELS)
    return sorted(problems, key=lambda p: (order.index(p.part), p.severity != "error"))


def missing_dependencies(plan: ActionPlan) -> list[PlanMilestone]:
    """Milestones that depend on deleted milestones, with those dependencies removed."""
    ids = {m.id for m in plan.milestones}
    return [m.model_copy(update={"depends_on": [d for d in m.depends_on if d in ids]})
            for m in plan.milestones if any(d not in ids for d in m.depends_on)]


# --- the first 90 days, the timeline and the heat map ----------------------------------------


@dataclass(frozen=True)
class NinetyDayRow:
    week: int  # 1 to 13, counted from the day the plan starts
    milestone: PlanMilestone
    ongoing: bool  # started before the window and still running in it


def first_90_days(plan: ActionPlan, start: dt.date) -> list[NinetyDayRow]:
    """Milestones that start, run or end in the 90 days from `start`, week by week."""
    last = start + dt.timedelta(days=NINETY_DAYS - 1)
    rows = []
    for m in plan.milestones:
        dates = [d for d in (m.start, m.end) if d]
        if not dates:
            continue
        first, final = min(dates), max(dates)
        if first > last or final < start:
            continue
        week = (max(first, start) - start).days // 7 + 1
        rows.append(NinetyDayRow(week, m, first < start))
    order = {m.id: i for i, m in enumerate(plan.milestones)}
    return sorted(rows, key=lambda r: (r.week, max(d for d in (r.milestone.start,
                                                               r.milestone.end) if d),
                                       order[r.milestone.id]))


@dataclass(frozen=True)
class Bar:
    row: int  # 1-based, top to bottom
    milestone: PlanMilestone
    phase: str  # the phase's name
    start: dt.date
    end: dt.date
    start_day: int  # days from the timeline's first day
    days: int  # at least 1: a one-day milestone still shows
    dates_reversed: bool  # the team's end date is before its start date


@dataclass(frozen=True)
class Gantt:
    origin: dt.date | None
    last: dt.date | None
    bars: list[Bar]
    undated: list[PlanMilestone]

    @property
    def total_days(self) -> int:
        return (self.last - self.origin).days + 1 if self.origin and self.last else 0


def gantt(plan: ActionPlan) -> Gantt:
    """Rows in phase order, then by start date; bars measured in days from the first start."""
    phase_order = {p.id: i for i, p in enumerate(plan.phases)}
    phase_name = {p.id: p.name for p in plan.phases}
    dated, undated = [], []
    for i, m in enumerate(plan.milestones):
        dates = [d for d in (m.start, m.end) if d]
        (dated if dates else undated).append((i, m, min(dates) if dates else None,
                                              max(dates) if dates else None))
    if not dated:
        return Gantt(None, None, [], [m for _, m, _, _ in undated])
    dated.sort(key=lambda t: (phase_order.get(t[1].phase, len(phase_order)), t[2], t[0]))
    origin = min(t[2] for t in dated)
    last = max(t[3] for t in dated)
    bars = [
        Bar(row, m, phase_name.get(m.phase, ""), first, final, (first - origin).days,
            (final - first).days + 1, bool(m.start and m.end and m.end < m.start))
        for row, (_, m, first, final) in enumerate(dated, start=1)
    ]
    return Gantt(origin, last, bars, [m for _, m, _, _ in undated])


def timeline_in_words(layout: Gantt, bars: Sequence[Bar] | None = None) -> str:
    """A short text version of a timeline (or of some of its rows)."""
    bars = layout.bars if bars is None else bars
    if not bars:
        return "No milestone has dates yet."
    counts = {s: sum(1 for b in bars if b.milestone.status == s) for s in STATUS_LABELS}
    status_words = ", ".join(f"{n} {STATUS_LABELS[s].lower()}" for s, n in counts.items() if n)
    first = min(b.start for b in bars)
    final = max(b.end for b in bars)
    rows = (f"Milestones {bars[0].row} to {bars[-1].row} of {len(layout.bars)}"
            if len(bars) < len(layout.bars)
            else f"{len(bars)} {'milestone' if len(bars) == 1 else 'milestones'}")
    text = f"{rows}, from {day(first)} to {day(final)}: {status_words}."
    if layout.undated and len(bars) == len(layout.bars):
        text += f" {len(layout.undated)} more have no dates yet."
    return text


RiskLevel = Literal["low", "medium", "high"]


def risk_level(likelihood: int, impact: int) -> RiskLevel:
    """Likelihood times impact: up to 4 is low, up to 9 medium, 10 and over high."""
    score = likelihood * impact
    return "low" if score <= 4 else "medium" if score <= 9 else "high"


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    level: RiskLevel
    risks: tuple[Risk, ...]


def heat_map(plan: ActionPlan) -> list[HeatCell]:
    """All 25 cells, impact 5 (top row) to 1, likelihood 1 to 5 in each row."""
    return [
        HeatCell(likelihood, impact, risk_level(likelihood, impact),
                 tuple(r for r in plan.risks
                       if r.likelihood == likelihood and r.impact == impact))
        for impact in range(5, 0, -1) for likelihood in range(1, 6)
    ]


def unrated_risks(plan: ActionPlan) -> list[Risk]:
    return [r for r in plan.risks if r.likelihood is None or r.impact is None]


def heat_map_in_words(plan: ActionPlan) -> str:
    cells = heat_map(plan)
    counts = {level: sum(len(c.risks) for c in cells if c.level == level)
              for level in ("high", "medium", "low")}
    rated = sum(counts.values())
    if not rated:
        text = "No risk is rated yet."
    else:
        text = (f"{rated} rated {'risk' if rated == 1 else 'risks'}: {counts['high']} high, "
                f"{counts['medium']} medium, {counts['low']} low.")
        high = sorted((r for c in cells if c.level == "high" for r in c.risks),
                      key=lambda r: -(r.likelihood or 0) * (r.impact or 0))
        if high:
            text += " High: " + "; ".join(
                f"{r.description or 'unnamed risk'} (likelihood {r.likelihood}, impact "
                f"{r.impact})" for r in high[:10]) + "."
    if unrated := unrated_risks(plan):
        text += f" {len(unrated)} not rated yet."
    return text


# --- readiness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartReadiness:
    part: Part
    label: str
    done: int
    total: int
    missing: tuple[str, ...]

    @property
    def score(self) -> int:
        """Percent of this part's checks that pass (whole numbers, rounded down)."""
        return 100 * self.done // self.total if self.total else 100


def _part(part: Part, checks: list[tuple[bool, str]]) -> PartReadiness:
    return PartReadiness(part, PART_LABELS[part], sum(ok for ok, _ in checks), len(checks),
                         tuple(message for ok, message in checks if not ok))


def completeness(plan: ActionPlan) -> list[PartReadiness]:
    """For each part of the plan, what is there and exactly what is missing."""
    logic = [(bool(getattr(plan, f)), f"The logic model has no {LOGIC_LABELS[f].lower()} yet")
             for f in LOGIC_FIELDS]
    logic += [(not p.message, p.message.rstrip(".")) for p in check_logic_model(plan)]

    goals = [(bool(plan.goals), "The plan has no goals yet")]
    goals += [(bool(g.text), f"Goal number {i} is empty")
              for i, g in enumerate(plan.goals, start=1)]

    measures = [(any(m.kind == k for m in plan.measures),
                 f"No measure answers '{KIND_LABELS[k]}' yet") for k in MEASURE_KINDS]
    for m in plan.measures:
        measures += [(ok, message) for _, ok, message in _measure_gaps(plan, m)]
        if m.baseline is not None and m.target is not None:
            measures.append((m.baseline != m.target,
                             f"{_measure_label(plan, m)} has a target equal to its baseline"))

    workplan = [(bool(plan.milestones), "The workplan has no milestones yet")]
    for m in plan.milestones:
        label = _milestone_label(plan, m)
        workplan += [(bool(m.owner), f"{label} has no owner"),
                     (m.start is not None, f"{label} has no start date"),
                     (m.end is not None, f"{label} has no end date")]
    workplan += [(False, p.message.rstrip(".")) for p in check_workplan(plan)
                 if p.severity == "error"]

    roles = [(bool(plan.roles), "No roles are listed yet"),
             (any(r.is_product_owner for r in plan.roles),
              "No role is marked as the in-house product owner"),
             (bool(plan.workstreams), "No workstreams are listed in the RACI chart yet")]
    for w in plan.workstreams:
        label = f"Workstream {_named(plan.workstreams, w, 'name')}"
        count = len(accountable_roles(plan, w))
        roles.append((count == 1, f"{label} has no one accountable (A)" if count == 0
                      else f"{label} has {count} roles accountable (A); keep exactly one"))
        roles.append((any(w.assignments.get(r.id) == "R" for r in plan.roles),
                      f"{label} has no one responsible (R)"))

    operations = [(bool(plan.redeployments or plan.trainings or plan.hires),
                   "The operations plan lists no staff to redeploy, training or hires yet")]
    for r in plan.redeployments:
        label = f"Redeployment {_named(plan.redeployments, r, 'role')}"
        operations += [(bool(r.role), f"{label} has no role"),
                       (r.fte > 0, f"{label} has no FTE"),
                       (bool(r.from_unit), f"{label} does not say which unit staff come from"),
                       (bool(r.to_work), f"{label} does not say what work staff move to")]
    for t in plan.trainings:
        label = f"Training {_named(plan.trainings, t, 'skill')}"
        operations += [(bool(t.skill), f"{label} does not name the skill"),
                       (bool(t.who), f"{label} does not say who is trained"),
                       (t.hours > 0, f"{label} has no hours"),
                       (bool(t.provider), f"{label} has no provider")]
    for h in plan.hires:
        label = f"Hire {_named(plan.hires, h, 'role')}"
        operations += [(bool(h.role), f"{label} has no role"),
                       (h.fte > 0, f"{label} has no FTE"),
                       (h.start is not None, f"{label} has no start date")]

    partners = [(bool(plan.partners), "No partners are listed yet")]
    for p in plan.partners:
        label = f"Partner {_named(plan.partners, p, 'name')}"
        partners += [(bool(p.name), f"{label} has no name"),
                     (bool(p.type), f"{label} has no type"),
                     (bool(p.brings), f"{label} does not say what it brings"),
                     (bool(p.gets), f"{label} does not say what it gets"),
                     (bool(p.owner), f"{label} has no owner")]
    partners += [(False, p.message.rstrip(".")) for p in check_partners(plan)]

    risks = [(bool(plan.risks), "No risks are listed yet")]
    for r in plan.risks:
        label = f"Risk {_named(plan.risks, r, 'description')}"
        risks += [(r.likelihood is not None, f"{label} has no likelihood"),
                  (r.impact is not None, f"{label} has no impact"),
                  (bool(r.mitigation), f"{label} has no plan to reduce it"),
                  (bool(r.owner), f"{label} has no owner")]

    return [_part("logic_model", logic), _part("goals", goals), _part("measures", measures),
            _part("workplan", workplan), _part("roles", roles),
            _part("operations", operations), _part("partners", partners),
            _part("risks", risks)]


def readiness(plan: ActionPlan) -> list[str]:
    """Exactly what is missing, part by part: "Measure 'Response time' has no baseline"."""
    return [message for part in completeness(plan) for message in part.missing]


# --- starting from a starter pack ------------------------------------------------------------


def _workweek(start: dt.date, week: int) -> tuple[dt.date, dt.date]:
    first = start + dt.timedelta(days=7 * (week - 1))
    return first, first + dt.timedelta(days=4)


def apply_starter_pack(plan: ActionPlan, pack: StarterPack, *,
                       start: dt.date | None = None) -> ActionPlan:
    """Fill the plan's empty parts from a starter pack; never touch a part the team has begun.

    Milestones are dated from the plan's start day (or `start` when it has none): a pack's
    week 3 is the third working week. Partners are not filled in: a pack names kinds of
    partner, and only the team can name the real ones.
    """
    update: dict[str, Any] = {}
    for field in LOGIC_FIELDS:
        if not getattr(plan, field):
            update[field] = [LogicItem(text=t) for t in getattr(pack.logic_model, field)]
    if not plan.goals:
        update["goals"] = [Goal(text=t) for t in pack.typical_goals]
    if not plan.measures:
        update["measures"] = [
            PlanMeasure(name=m.name, kind=m.kind, unit=m.unit, data_source=m.suggested_source,
                        representative="yes" if m.representative else "no",
                        note=m.representativeness_note)
            for m in pack.measures]
    role_names = {r.id: r.name for r in pack.raci_roles}
    if not plan.roles:
        roles = {r.id: RaciRole(name=r.name, is_product_owner=r.id == PRODUCT_OWNER,
                                does=r.does) for r in pack.raci_roles}
        update["roles"] = list(roles.values())
        if not plan.workstreams:
            # The pack's letters are for the whole initiative; teams split it into strands.
            update["workstreams"] = [Workstream(
                name="The whole initiative",
                assignments={roles[r.id].id: _RACI_FROM_PACK[r.raci] for r in pack.raci_roles})]
    first_day = plan.plan_start or start
    if not plan.milestones:
        phases = list(plan.phases)
        if not phases:
            phases = [Phase(name="First 90 days")]
            update["phases"] = phases
        milestones = []
        for m in pack.first_90_days:
            begin, finish = _workweek(first_day, m.week) if first_day else (None, None)
            milestones.append(PlanMilestone(name=m.milestone, phase=phases[0].id,
                                            owner=role_names.get(m.owner, ""), start=begin,
                                            end=finish))
        update["milestones"] = milestones
    if not plan.risks:
        # A pack's common pitfalls are the risks most teams face; the team rates them.
        update["risks"] = [Risk(description=p) for p in pack.common_pitfalls]
    if not plan.starter_area:
        update["starter_area"] = pack.area
    if plan.plan_start is None and start is not None:
        update["plan_start"] = start
    if not update:
        return plan
    return ActionPlan.model_validate({**plan.model_dump(), **{
        k: [i.model_dump() for i in v] if isinstance(v, list) else v
        for k, v in update.items()}})


def start_from_pack(store: Store, actor: Actor, team_id: int, pack: StarterPack, *,
                    start: dt.date | None = None) -> Saved[ActionPlan]:
    """Apply a pack to the latest saved plan; a teammate's save in between is merged, not lost."""
    for _ in range(5):
        current = store.load(actor, team_id, ActionPlan)
        body = apply_starter_pack(current.body, pack, start=start)
        if body == current.body:
            return current
        try:
            return store.save(actor, team_id, body, base_version=current.version)
        except StaleVersion:
            continue
    return store.load(actor, team_id, ActionPlan)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


# --- the budget tool's staff moves -----------------------------------------------------------


@dataclass(frozen=True)
class FteMove:
    scenario: str
    is_proposal: bool
    source: str
    destination: str
    fte: Decimal
    fiscal_year: int | None
    rationale: str


def budget_fte_moves(budget: bg.BudgetPlan) -> list[FteMove]:
    """Moves in the budget tool that redeploy staff (basis "fte"), proposal first."""
    moves = [FteMove(s.name, s.is_proposal, m.source, m.destination or bg.INITIATIVE_LABEL,
                     m.fte, m.fiscal_year, m.rationale)
             for s in budget.scenarios for m in s.moves if m.basis == "fte"]
    return sorted(moves, key=lambda m: not m.is_proposal)


def fte_comparison(plan: ActionPlan, moves: Sequence[FteMove]) -> str | None:
    """Whether the budget's proposal and this operations plan move the same number of staff."""
    proposal = [m for m in moves if m.is_proposal]
    if not proposal:
        return None
    budget_fte = sum((m.fte for m in proposal), Decimal(0))
    plan_fte = sum((r.fte for r in plan.redeployments), Decimal(0))
    said = f"The budget proposal moves {number(budget_fte)} FTE"
    if budget_fte == plan_fte:
        return f"{said}, and this plan redeploys {number(plan_fte)} FTE: they match."
    return (f"{said}, but this plan redeploys {number(plan_fte)} FTE. Make the two agree, or "
            "note why they differ.")


# --- lists as tables: CSV downloads, the PDF and the workbook share them ---------------------


@dataclass(frozen=True)
class ListTable:
    key: str  # used for file and sheet names
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _names(items: Iterable[Any], ids: Iterable[str], attr: str = "name") -> str:
    by_id = {i.id: getattr(i, attr) for i in items}
    return "; ".join(by_id.get(i, "(deleted)") or "(no name)" for i in ids)


def list_tables(plan: ActionPlan) -> dict[str, ListTable]:
    """Every list of the plan as a plain table, keyed by what it holds."""
    items = plan.logic_items()
    phase = {p.id: p.name for p in plan.phases}
    logic = [(LOGIC_LABELS[f], i.text, "; ".join(items[x].text if x in items else "(deleted)"
                                                  for x in i.links))
             for f in LOGIC_FIELDS for i in getattr(plan, f)]
    role_names = [r.name or "(no name)" for r in plan.roles]
    tables = [
        ListTable("logic_model", "Logic model", ("Stage", "Item", "Leads to"), logic),
        ListTable("goals", "Goals", ("Goal",), [(g.text,) for g in plan.goals]),
        ListTable("measures", "Measures",
                  ("Measure", "Kind", "Unit", "Baseline", "Baseline date", "Target",
                   "Target date", "Data source", "How often", "Owner", "Representative",
                   "Note"),
                  [(m.name, KIND_LABELS[m.kind], m.unit, m.baseline, m.baseline_date, m.target,
                    m.target_date, m.data_source, FREQUENCY_LABELS[m.frequency], m.owner,
                    REPRESENTATIVE_LABELS[m.representative], m.note) for m in plan.measures]),
        ListTable("phases", "Phases", ("#", "Phase"),
                  [(n, ph.name) for n, ph in enumerate(plan.phases, start=1)]),
        ListTable("milestones", "Milestones",
                  ("#", "Milestone", "Phase", "Owner", "Start", "End", "Depends on", "Status"),
                  [(n, m.name, phase.get(m.phase, ""), m.owner, m.start, m.end,
                    _names(plan.milestones, m.depends_on), STATUS_LABELS[m.status])
                   for n, m in enumerate(plan.milestones, start=1)]),
        ListTable("roles", "Roles", ("Role", "In-house product owner", "What they do"),
                  [(r.name, "Yes" if r.is_product_owner else "No", r.does)
                   for r in plan.roles]),
        ListTable("raci", "RACI chart", ("Workstream", *role_names),
                  [(w.name, *[w.assignments.get(r.id, "") for r in plan.roles])
                   for w in plan.workstreams]),
        ListTable("redeployments", "Staff to redeploy",
                  ("Role", "FTE", "From unit", "To work on"),
                  [(r.role, r.fte, r.from_unit, r.to_work) for r in plan.redeployments]),
        ListTable("trainings", "Training", ("Skill", "Who", "Hours", "Provider"),
                  [(t.skill, t.who, t.hours, t.provider) for t in plan.trainings]),
        ListTable("hires", "Hires", ("Role", "FTE", "Start", "Paid for by"),
                  [(h.role, h.fte, h.start, h.funded_by) for h in plan.hires]),
        ListTable("partners", "Partners",
                  ("Partner", "Type", "Brings", "Gets", "Agreement", "Status", "Owner"),
                  [(p.name, PARTNER_TYPE_LABELS[p.type], p.brings, p.gets,
                    AGREEMENT_LABELS[p.agreement], PARTNER_STATUS_LABELS[p.status], p.owner)
                   for p in plan.partners]),
        ListTable("risks", "Risks",
                  ("Risk", "Likelihood (1-5)", "Impact (1-5)", "Level", "What we will do",
                   "Owner"),
                  [(r.description, r.likelihood, r.impact,
                    risk_level(r.likelihood, r.impact).capitalize()
                    if r.likelihood and r.impact else "Not rated", r.mitigation, r.owner)
                   for r in plan.risks]),
    ]
    return {t.key: t for t in tables}


def ninety_day_table(plan: ActionPlan, start: dt.date) -> ListTable:
    return ListTable(
        "first_90_days", f"First 90 days from {day(start)}",
        ("Week", "Milestone", "Owner", "Start", "End", "Status", "Under way before"),
        [(r.week, r.milestone.name, r.milestone.owner, r.milestone.start, r.milestone.end,
          STATUS_LABELS[r.milestone.status], "Yes" if r.ongoing else "")
         for r in first_90_days(plan, start)])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(table: ListTable) -> str:
    """A table as CSV with a byte-order mark, so Excel reads accents and other scripts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in table.header])
    for row in table.rows:
        writer.writerow([csv_safe(v) for v in row])
    return "\ufeff" + buffer.getvalue()


# --- the demo team's plan ---------------------------------------------------------------------

DEMO_FILE = "demo/action_plan.yaml"


class DemoActionPlanFile(ContentFile):
    """content/demo/action_plan.yaml: one demo team's filled-in action plan."""

    team: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    document: dict[str, Any]


def demo_document(slug: str) -> ActionPlan | None:
    """The demo team's action plan, or None for a team that has none."""
    demo = content.load(DEMO_FILE, DemoActionPlanFile)
    if demo.team != slug:
        return None
    try:
        return ActionPlan.model_validate(demo.document)
    except ValidationError as exc:
        problems = "; ".join(f"document.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
                             for err in exc.errors(include_url=False))
        raise ContentError(f"{content.content_dir() / DEMO_FILE}: {problems}") from None
