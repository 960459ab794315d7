"""The resident engagement tool: participation levels, groups, tactics, inclusion and plain language."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, get_args

import textstat
from pydantic import Field, field_validator, model_validator

from toolkit import content
from toolkit.budget import Item
from toolkit.content import ContentFile, Strict
from toolkit.workshop import Document

# --- content ----------------------------------------------------------------------------

ENGAGEMENT_FILE = "engagement.yaml"
PLAIN_LANGUAGE_FILE = "plain_language.yaml"

# The order matters: each level gives the public more say than the one before.
Level = Literal["inform", "consult", "involve", "collaborate", "empower"]
LEVELS: tuple[str, ...] = get_args(Level)

Rating = Literal["low", "medium", "high"]
AreaId = Literal["public_safety", "permitting", "mobility", "other"]
AREA_IDS: tuple[str, ...] = get_args(AreaId)

ID = r"^[a-z0-9]+(?:_[a-z0-9]+)*$"


def _unique(items: list, what: str) -> list:
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{what} ids must be unique; repeated: {', '.join(duplicates)}")
    return items


class ParticipationLevel(Strict):
    id: Level
    name: str = Field(min_length=2, max_length=40)
    description: str = Field(min_length=20, max_length=400)
    promise: str = Field(min_length=10, max_length=200)
    when_to_use: str = Field(min_length=20, max_length=300)


class StakeholderGroup(Strict):
    id: str = Field(pattern=ID)
    name: str = Field(min_length=3, max_length=100)
    why: str = Field(min_length=10, max_length=200)


class Tactic(Strict):
    id: str = Field(pattern=ID)
    name: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=20, max_length=400)
    cost: Rating
    staff_time: Rating
    reach: Rating
    depth: list[Level] = Field(min_length=1)
    tends_to_miss: list[str] = Field(min_length=1)
    accessibility_notes: str = Field(min_length=10, max_length=400)
    language_notes: str = Field(min_length=10, max_length=400)
    online: bool

    @field_validator("depth")
    @classmethod
    def _depth_in_spectrum_order(cls, depth: list[str]) -> list[str]:
        if len(set(depth)) != len(depth):
            raise ValueError("a participation level is listed twice")
        if depth != sorted(depth, key=LEVELS.index):
            raise ValueError(f"list participation levels in order: {', '.join(LEVELS)}")
        return depth


class NdiaElement(Strict):
    id: str = Field(pattern=ID)
    name: str = Field(min_length=3, max_length=120)


class InclusionBarrier(Strict):
    id: str = Field(pattern=ID)
    group: str = Field(min_length=3, max_length=100)
    barriers: list[str] = Field(min_length=1)
    actions: list[str] = Field(min_length=1)
    partners: list[str] = Field(min_length=1)
    ndia_elements: list[str] = Field(default_factory=list)


class MeasureExample(Strict):
    name: str = Field(min_length=3, max_length=100)
    description: str = Field(min_length=20, max_length=400)


class DataTrust(Strict):
    summary: str = Field(min_length=20, max_length=500)
    collect_only_what_you_need: list[str] = Field(min_length=1)
    measure_without_surveillance: list[MeasureExample] = Field(min_length=1)
    never_collect: list[str] = Field(min_length=1)


class EngagementFile(ContentFile):
    participation_levels_source: str = Field(min_length=20)
    participation_levels: list[ParticipationLevel]
    stakeholder_groups: dict[AreaId, list[StakeholderGroup]]
    tactics: list[Tactic] = Field(min_length=14, max_length=20)
    inclusion_source: str = Field(min_length=20)
    ndia_elements: list[NdiaElement] = Field(min_length=1)
    inclusion_barriers: list[InclusionBarrier] = Field(min_length=1)
    data_trust: DataTrust

    @field_validator("participation_levels")
    @classmethod
    def _the_five_levels_in_order(
        cls, levels: list[ParticipationLevel]
    ) -> list[ParticipationLevel]:
        if tuple(level.id for level in levels) != LEVELS:
            raise ValueError(f"participation levels must be exactly, in order: {', '.join(LEVELS)}")
        return levels

    @field_validator("stakeholder_groups")
    @classmethod
    def _groups_for_every_area(
        cls, groups: dict[str, list[StakeholderGroup]]
    ) -> dict[str, list[StakeholderGroup]]:
        missing = [area for area in AREA_IDS if not groups.get(area)]
        if missing:
            raise ValueError(f"suggest groups for every area; none for: {', '.join(missing)}")
        for area, items in groups.items():
            _unique(items, f"{area} group")
        return groups

    @field_validator("tactics")
    @classmethod
    def _unique_tactics(cls, tactics: list[Tactic]) -> list[Tactic]:
        return _unique(tactics, "tactic")

    @field_validator("inclusion_barriers")
    @classmethod
    def _unique_barriers(cls, barriers: list[InclusionBarrier]) -> list[InclusionBarrier]:
        return _unique(barriers, "inclusion barrier")

    @model_validator(mode="after")
    def _barriers_cite_known_ndia_elements(self) -> EngagementFile:
        known = {element.id for element in self.ndia_elements}
        for barrier in self.inclusion_barriers:
            unknown = [e for e in barrier.ndia_elements if e not in known]
            if unknown:
                raise ValueError(
                    f"inclusion barrier {barrier.id!r} cites unknown NDIA elements: {', '.join(unknown)}"
                )
        return self


class JargonEntry(Strict):
    term: str = Field(min_length=2, max_length=60)
    plain: list[str] = Field(min_length=1)
    note: str | None = Field(default=None, max_length=200)

    @field_validator("term")
    @classmethod
    def _lowercase(cls, term: str) -> str:
        # Lowercase terms let a checker match "Utilize" and "utilize" alike.
        if term != term.lower():
            raise ValueError("write the term in lowercase")
        return term


class Thresholds(Strict):
    resident_reading_grade: float = Field(gt=0, le=12)
    tool_guidance_reading_grade: float = Field(gt=0, le=12)
    max_sentence_words: int = Field(gt=0, le=40)


class PlainLanguageFile(ContentFile):
    source: str = Field(min_length=20)
    thresholds: Thresholds
    jargon: list[JargonEntry] = Field(min_length=60, max_length=120)

    @field_validator("jargon")
    @classmethod
    def _unique_terms(cls, jargon: list[JargonEntry]) -> list[JargonEntry]:
        terms = [entry.term for entry in jargon]
        duplicates = sorted({t for t in terms if terms.count(t) > 1})
        if duplicates:
            raise ValueError(f"jargon terms must be unique; repeated: {', '.join(duplicates)}")
        return jargon


def load_engagement_content() -> EngagementFile:
    return content.load(ENGAGEMENT_FILE, EngagementFile)


def load_plain_language() -> PlainLanguageFile:
    return content.load(PLAIN_LANGUAGE_FILE, PlainLanguageFile)


# --- a team's engagement plan -------------------------------------------------------------
# Everything below is the team's own document and the pure checks on it. The content above
# (levels, groups, tactics, barriers, jargon) is passed in; nothing here touches the store.

Rating5 = Annotated[int, Field(ge=1, le=5)]
TextKind = Literal["notice", "survey_question", "message"]
TEXT_KINDS: dict[str, str] = {"notice": "Notice", "survey_question": "Survey question",
                              "message": "Message"}
ENGLISH = "english"


class Stakeholder(Item):
    """A group on the team's stakeholder map, rated on influence and on how much it is affected."""

    name: str = Field(default="", max_length=100)
    suggested: bool = False  # added from the content list for the team's area
    content_id: str = Field(default="", max_length=60)
    influence: Rating5 = 3
    affected: Rating5 = 3
    level: Level = "consult"
    decisions: str = Field(default="", max_length=600)  # the decisions they take part in
    note: str = Field(default="", max_length=600)


class PlannedTactic(Item):
    """A tactic from the library, chosen for some groups and put on the calendar."""

    tactic: str = Field(default="", max_length=60)  # a tactic id from content
    groups: list[Annotated[str, Field(max_length=24)]] = Field(default_factory=list,
                                                               max_length=60)
    when: dt.date | None = None  # the day, or any day in the month when month_only
    month_only: bool = False  # the team knows the month but not yet the day
    owner: str = Field(default="", max_length=120)
    languages: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list,
                                                                  max_length=20)
    accessibility: str = Field(default="", max_length=600)
    milestone: str = Field(default="", max_length=60)  # an action-plan milestone id


class LanguageNeed(Item):
    language: str = Field(default="", max_length=60)
    share_percent: float | None = Field(default=None, ge=0, le=100)
    residents: int | None = Field(default=None, ge=0, le=50_000_000)
    source: str = Field(default="", max_length=300)  # where the team's estimate comes from
    interpretation: str = Field(default="", max_length=600)
    translation: str = Field(default="", max_length=600)


class DataUse(Item):
    what: str = Field(default="", max_length=200)
    why: str = Field(default="", max_length=600)


class NeverCollect(Item):
    what: str = Field(default="", max_length=200)


class InclusionStep(Item):
    """One row of the digital inclusion roadmap: a group at risk of being left out."""

    barrier_id: str = Field(default="", max_length=60)  # an inclusion barrier id from content
    group: str = Field(default="", max_length=100)
    barriers: str = Field(default="", max_length=1000)
    actions: str = Field(default="", max_length=1000)
    partners: str = Field(default="", max_length=600)
    measures: str = Field(default="", max_length=600)


class ResidentText(Item):
    title: str = Field(default="", max_length=120)
    kind: TextKind = "notice"
    language: str = Field(default="", max_length=60)
    text: str = Field(default="", max_length=4000)


class EngagementPlan(Document):
    KIND: ClassVar[str] = "engagement"
    groups: list[Stakeholder] = Field(default_factory=list, max_length=60)
    tactics: list[PlannedTactic] = Field(default_factory=list, max_length=200)
    languages: list[LanguageNeed] = Field(default_factory=list, max_length=40)
    disability_access: str = Field(default="", max_length=2000)
    times: str = Field(default="", max_length=1000)
    places: str = Field(default="", max_length=1000)
    report_back: str = Field(default="", max_length=2000)  # "you said, we did"
    input_changes_decision: str = Field(default="", max_length=2000)
    data_collected: list[DataUse] = Field(default_factory=list, max_length=60)
    never_collect: list[NeverCollect] = Field(default_factory=list, max_length=60)
    inclusion: list[InclusionStep] = Field(default_factory=list, max_length=40)
    texts: list[ResidentText] = Field(default_factory=list, max_length=60)

    @property
    def started(self) -> bool:
        return any(getattr(self, name) for name in type(self).model_fields)

    def group(self, group_id: str) -> Stakeholder | None:
        return next((g for g in self.groups if g.id == group_id), None)


FIELD_LABELS = {
    "name": "Group",
    "decisions": "Decisions they take part in",
    "note": "Note",
    "owner": "Owner",
    "accessibility": "Access notes",
    "language": "Language",
    "share_percent": "Share of residents (%)",
    "residents": "Number of residents",
    "source": "Where the estimate comes from",
    "interpretation": "Interpretation plan",
    "translation": "Translation plan",
    "disability_access": "Disability access",
    "times": "Times",
    "places": "Places",
    "report_back": "How we will report back",
    "input_changes_decision": "How input will change a decision",
    "what": "Data",
    "why": "Why we need it",
    "group": "Group",
    "barriers": "Barriers",
    "actions": "Actions",
    "partners": "Partners",
    "measures": "Measures",
    "title": "Title",
    "text": "Text",
}


# --- the stakeholder grid -----------------------------------------------------------------

# Ratings run 1 to 5 and 3 or more counts as high. A group the team rates in the middle is
# placed as if it mattered more, so an unsure rating never drops it into "keep informed".
HIGH_FROM = 3

Quadrant = Literal["partner", "reach", "satisfy", "inform"]


@dataclass(frozen=True)
class QuadrantInfo:
    id: Quadrant
    label: str  # where it sits on the grid
    advice: str  # what the team does with groups there
    symbol: str  # a marker shape, so the grid never relies on colour alone


QUADRANTS: dict[str, QuadrantInfo] = {
    "partner": QuadrantInfo("partner", "High influence, highly affected",
                            "Work closely with them", "circle"),
    "reach": QuadrantInfo("reach", "Low influence, highly affected",
                          "Go to them and give them a real say", "diamond"),
    "satisfy": QuadrantInfo("satisfy", "High influence, less affected",
                            "Consult them and keep them on board", "square"),
    "inform": QuadrantInfo("inform", "Low influence, less affected",
                           "Keep them informed", "triangle-up"),
}


def quadrant(influence: int, affected: int) -> Quadrant:
    high_influence, high_affected = influence >= HIGH_FROM, affected >= HIGH_FROM
    if high_affected:
        return "partner" if high_influence else "reach"
    return "satisfy" if high_influence else "inform"


@dataclass(frozen=True)
class Placement:
    number: int  # the group's number on the drawn grid (1-based, in list order)
    group: Stakeholder
    quadrant: Quadrant
    x: float  # how much affected, nudged apart from groups with the same ratings
    y: float  # influence, nudged likewise


def place_groups(groups: list[Stakeholder]) -> list[Placement]:
    """Where each group falls on the 2x2 grid; groups with equal ratings are spread on a small
    circle around their point so that none hides another."""
    same: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        same[(g.affected, g.influence)].append(i)
    out = []
    for i, g in enumerate(groups):
        members = same[(g.affected, g.influence)]
        dx = dy = 0.0
        if len(members) > 1:
            angle = 2 * math.pi * members.index(i) / len(members)
            dx, dy = 0.22 * math.cos(angle), 0.22 * math.sin(angle)
        out.append(Placement(i + 1, g, quadrant(g.influence, g.affected),
                             round(g.affected + dx, 3), round(g.influence + dy, 3)))
    return out


def grid_in_words(placements: list[Placement]) -> str:
    """The grid as sentences, for screen readers and the PDF's "chart in words"."""
    if not placements:
        return "No groups are on the grid yet."
    parts = []
    for q in QUADRANTS.values():
        names = [p.group.name or "(unnamed)" for p in placements if p.quadrant == q.id]
        if names:
            parts.append(f"{q.label} ({q.advice.lower()}): {', '.join(names)}")
    return "; ".join(parts) + "."


# --- findings: what is missing and what to reconsider -----------------------------------------


@dataclass(frozen=True)
class Finding:
    part: str  # the part of the plan it concerns, as the page's tabs name it
    message: str


def _names(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _label(g: Stakeholder) -> str:
    return g.name or "An unnamed group"


def tactics_by_id(eng: EngagementFile) -> dict[str, Tactic]:
    return {t.id: t for t in eng.tactics}


def tactic_name(tactic_id: str, eng: EngagementFile) -> str:
    found = tactics_by_id(eng).get(tactic_id)
    return found.name if found else (tactic_id or "A tactic not chosen yet")


def when_label(t: PlannedTactic) -> str:
    if t.when is None:
        return ""
    d = t.when
    return f"{d:%B %Y}" if t.month_only else f"{d:%B} {d.day}, {d.year}"


@dataclass(frozen=True)
class OnlineOnly:
    message: str
    left_out: list[str]


# The inclusion groups that cannot take part online at all, or only with help: the ones
# whose barriers content ties to internet service, devices or digital skills.
_OFFLINE_ELEMENTS = {"affordable_broadband", "suitable_devices", "digital_skills"}


def online_only_warning(plan: EngagementPlan, eng: EngagementFile) -> OnlineOnly | None:
    """A warning when every tactic the team chose is online, naming who that leaves out."""
    library = tactics_by_id(eng)
    chosen = [library[t.tactic] for t in plan.tactics if t.tactic in library]
    if not chosen or not all(t.online for t in chosen):
        return None
    left_out = [b.group for b in eng.inclusion_barriers
                if _OFFLINE_ELEMENTS & set(b.ndia_elements)]
    left_out += [who for t in chosen for who in t.tends_to_miss]
    left_out = list(dict.fromkeys(left_out))
    return OnlineOnly(
        "Every tactic in this plan is online. It will leave out "
        + _names([w[0].lower() + w[1:] for w in left_out])
        + ". Add at least one way to take part in person, by phone or on paper.",
        left_out)


def groups_reached_only_online(plan: EngagementPlan, eng: EngagementFile) -> list[Stakeholder]:
    library = tactics_by_id(eng)
    out = []
    for g in plan.groups:
        theirs = [library[t.tactic] for t in plan.tactics
                  if g.id in t.groups and t.tactic in library]
        if theirs and all(t.online for t in theirs):
            out.append(g)
    return out


def _same_language(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _is_english(language: str) -> bool:
    return language.strip().casefold() in ("", ENGLISH, "en", "inglés", "ingles")


def language_coverage(plan: EngagementPlan, eng: EngagementFile) -> list[Finding]:
    """Languages the team listed but does not yet plan for, and the other way round."""
    part = "Languages & access"
    findings = []
    listed = [n for n in plan.languages if n.language]
    for need in listed:
        if _is_english(need.language):
            continue
        if not (need.interpretation or need.translation):
            findings.append(Finding(part, f"{need.language}: say how you will interpret and "
                                          "translate (who does it, for which tactics and texts)."))
        if plan.tactics and not any(_same_language(need.language, lang)
                                    for t in plan.tactics for lang in t.languages):
            findings.append(Finding("Tactics", f"No tactic is planned in {need.language} yet."))
        if plan.texts and not any(_same_language(need.language, x.language) for x in plan.texts):
            findings.append(Finding("Plain-language check",
                                    f"No resident-facing text is written in {need.language} yet."))
    unlisted = [lang for t in plan.tactics for lang in t.languages
                if not _is_english(lang)
                and not any(_same_language(lang, n.language) for n in listed)]
    for lang in dict.fromkeys(unlisted):
        findings.append(Finding(part, f"Tactics are planned in {lang}, which is not on your "
                                      "language list. Add it with an estimate of who speaks it."))
    return findings


def deepest_level(tactic_ids: list[str], eng: EngagementFile) -> str | None:
    library = tactics_by_id(eng)
    depths = [LEVELS.index(level) for t in tactic_ids if t in library
              for level in library[t].depth]
    return LEVELS[max(depths)] if depths else None


def participation_checks(plan: EngagementPlan, eng: EngagementFile) -> list[Finding]:
    """Levels that the chosen tactics cannot deliver, and affected groups that are only told."""
    findings = []
    for g in plan.groups:
        q = quadrant(g.influence, g.affected)
        if g.level == "inform" and q in ("partner", "reach"):
            findings.append(Finding("Participation", f"{_label(g)} is highly affected but only "
                                    "informed. Think about consulting or involving them."))
        theirs = [t.tactic for t in plan.tactics if g.id in t.groups]
        deepest = deepest_level(theirs, eng)
        if deepest and LEVELS.index(deepest) < LEVELS.index(g.level):
            fits = [t.name for t in eng.tactics if g.level in t.depth][:3]
            findings.append(Finding(
                "Participation",
                f"You plan to {g.level} {_label(g)}, but its tactics only reach {deepest}."
                + (f" Add a tactic such as {_names([f.lower() for f in fits])}." if fits else "")))
    return findings


# --- the action plan's milestones (read only) -------------------------------------------------


@dataclass(frozen=True)
class MilestoneRef:
    id: str
    name: str
    due: dt.date | None


_NAME_KEYS = ("name", "title", "milestone", "label")
_DATE_KEYS = ("end", "ends_on", "end_date", "due", "due_on", "due_date", "finish", "date",
              "start", "starts_on")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value[:10])
    return None


def action_plan_milestones(body: Any) -> list[MilestoneRef]:
    """Milestones in the action plan's saved JSON, wherever the plan keeps them.

    The action plan is another tool's document, built separately: it is read as plain data,
    never through its model, so a change there cannot break this tool. Anything that does not
    look like a milestone with an id is skipped.
    """
    found: dict[str, MilestoneRef] = {}

    def visit(node: Any, inside: bool, depth: int) -> None:
        if depth > 5:
            return
        if isinstance(node, dict):
            if inside and isinstance(node.get("id"), str) and node["id"]:
                name = next((str(node[k]) for k in _NAME_KEYS if node.get(k)), node["id"])
                due = next((d for k in _DATE_KEYS if (d := _as_date(node.get(k)))), None)
                found.setdefault(node["id"], MilestoneRef(node["id"], name[:160], due))
            for key, value in node.items():
                visit(value, "milestone" in str(key).lower(), depth + 1)
        elif isinstance(node, list):
            for item in node:
                visit(item, inside, depth + 1)

    visit(body, False, 0)
    return sorted(found.values(), key=lambda m: (m.due or dt.date.max, m.name))


@dataclass(frozen=True)
class TimelineRow:
    when: str
    date: dt.date | None
    tactic: str
    groups: str
    owner: str
    milestone: str  # the linked milestone's name, "" when none


def timeline(plan: EngagementPlan, eng: EngagementFile,
             milestones: list[MilestoneRef] = ()) -> list[TimelineRow]:
    """The tactics in date order (undated last), each with its action-plan milestone."""
    by_id = {m.id: m for m in milestones}
    rows = []
    for t in sorted(plan.tactics, key=lambda t: (t.when or dt.date.max, tactic_name(t.tactic, eng))):
        linked = by_id.get(t.milestone)
        rows.append(TimelineRow(
            when_label(t) or "Not scheduled", t.when, tactic_name(t.tactic, eng),
            _names([_label(g) for gid in t.groups if (g := plan.group(gid))]),
            t.owner,
            (linked.name + (f" (due {linked.due:%b %d, %Y})" if linked.due else ""))
            if linked else ""))
    return rows


def milestone_checks(plan: EngagementPlan, eng: EngagementFile,
                     milestones: list[MilestoneRef] | None) -> list[Finding]:
    """Tactics linked to milestones the action plan no longer has, or planned after them."""
    if milestones is None:
        return []
    by_id = {m.id: m for m in milestones}
    findings = []
    for t in plan.tactics:
        if not t.milestone:
            continue
        linked = by_id.get(t.milestone)
        name = tactic_name(t.tactic, eng)
        if linked is None:
            findings.append(Finding("Tactics", f"{name} is linked to a milestone that is no "
                                    "longer in the action plan. Link it again."))
        elif linked.due and t.when and t.when > linked.due:
            findings.append(Finding("Tactics", f"{name} is planned for {when_label(t)}, after "
                                    f"its milestone '{linked.name}' is due."))
    return findings


# --- readiness ------------------------------------------------------------------------------


def readiness(plan: EngagementPlan, eng: EngagementFile) -> list[Finding]:
    """What the plan still lacks, each named exactly. An empty list means it is complete."""
    out: list[Finding] = []

    def need(part: str, message: str) -> None:
        out.append(Finding(part, message))

    if not plan.groups:
        need("Stakeholders", "Add the groups who matter to this initiative.")
    for g in plan.groups:
        if not g.name:
            need("Stakeholders", "A group has no name.")
        if LEVELS.index(g.level) >= LEVELS.index("involve") and not g.decisions:
            need("Participation", f"{_label(g)}: name the decisions they take part in.")
        if plan.tactics and not any(g.id in t.groups for t in plan.tactics):
            need("Tactics", f"{_label(g)} has no tactic planned yet.")
    if not plan.tactics:
        need("Tactics", "Choose tactics from the library for your groups.")
    library = tactics_by_id(eng)
    for t in plan.tactics:
        name = tactic_name(t.tactic, eng)
        if t.tactic not in library:
            need("Tactics", f"{name}: choose a tactic from the library.")
        if not [gid for gid in t.groups if plan.group(gid)]:
            need("Tactics", f"{name}: choose the groups it is for.")
        if t.when is None:
            need("Tactics", f"{name}: give it a date or a month.")
        if not t.owner:
            need("Tactics", f"{name}: name who owns it.")
    if not plan.languages:
        need("Languages & access", "List the languages residents speak, with an estimate of "
                                   "how many speak each.")
    for n in plan.languages:
        if n.language and n.share_percent is None and n.residents is None:
            need("Languages & access", f"{n.language}: estimate the share or number of "
                                       "residents who speak it.")
    if not plan.disability_access:
        need("Languages & access", "Say how people with disabilities can take part.")
    if not plan.times:
        need("Languages & access", "Say at what times people can take part.")
    if not plan.places:
        need("Languages & access", "Say in which places people can take part.")
    if not plan.report_back:
        need("Closing the loop & trust", "Say how you will report back what you heard and "
                                         "what you did (\"you said, we did\").")
    if not plan.input_changes_decision:
        need("Closing the loop & trust", "Required: say how residents' input will change a "
                                         "decision.")
    if not plan.data_collected:
        need("Closing the loop & trust", "List the data you will collect about residents, "
                                         "and why.")
    for d in plan.data_collected:
        if d.what and not d.why:
            need("Closing the loop & trust", f"Data '{d.what}': say why you need it.")
    if not plan.never_collect:
        need("Closing the loop & trust", "List the data you will never collect.")
    if not plan.inclusion:
        need("Digital inclusion", "Add the groups at risk of being left out.")
    for row in plan.inclusion:
        who = row.group or "A roadmap row"
        if not row.actions:
            need("Digital inclusion", f"{who}: add actions.")
        if not row.measures:
            need("Digital inclusion", f"{who}: say how you will measure progress.")
    if not plan.texts:
        need("Plain-language check", "Write at least one resident-facing text: a notice, a "
                                     "survey question or a message.")
    return out


def warnings(plan: EngagementPlan, eng: EngagementFile,
             milestones: list[MilestoneRef] | None = None,
             plain: PlainLanguageFile | None = None) -> list[Finding]:
    """Things to reconsider (the plan may be complete and still have these)."""
    out: list[Finding] = []
    online = online_only_warning(plan, eng)
    if online:
        out.append(Finding("Tactics", online.message))
    else:
        for g in groups_reached_only_online(plan, eng):
            out.append(Finding("Tactics", f"{_label(g)} can only take part online. Add an "
                                          "in-person, phone or paper way."))
    out += participation_checks(plan, eng)
    out += language_coverage(plan, eng)
    out += milestone_checks(plan, eng, milestones)
    if plain is not None:
        for x in plan.texts:
            report = check_plain_language(x.text, plain)
            if report.grade is not None and report.grade > report.goal:
                out.append(Finding("Plain-language check",
                                   f"'{x.title or 'Untitled'}' reads at grade "
                                   f"{report.grade:.1f}; aim for {report.goal:g} or lower."))
    return out


def suggested_groups(area_id: str, eng: EngagementFile) -> list[StakeholderGroup]:
    return eng.stakeholder_groups.get(area_id) or eng.stakeholder_groups["other"]


def new_suggested(area_id: str, chosen_ids: list[str], plan: EngagementPlan,
                  eng: EngagementFile) -> list[Stakeholder]:
    """Rows for suggested groups the team picked, skipping any it already has."""
    have = {g.content_id for g in plan.groups if g.content_id}
    have_names = {g.name.casefold() for g in plan.groups}
    return [Stakeholder(name=s.name, suggested=True, content_id=s.id, note=s.why)
            for s in suggested_groups(area_id, eng)
            if s.id in chosen_ids and s.id not in have and s.name.casefold() not in have_names]


def roadmap_row(barrier: InclusionBarrier) -> InclusionStep:
    """A roadmap row started from content, for the team to make its own."""
    return InclusionStep(barrier_id=barrier.id, group=barrier.group,
                         barriers="; ".join(barrier.barriers),
                         actions="; ".join(barrier.actions),
                         partners=", ".join(barrier.partners))


# --- the plain-language check -----------------------------------------------------------------

LANGUAGE_NOTE = "Reading grade applies to English text only."

# Words that mark a Latin-script text as English or as another language. Short on purpose:
# a handful of the commonest words decides, and words shared by both ("no", "a") are left out.
_ENGLISH_WORDS = frozenset(
    "the and to of is are you your we will for in on with this that be it our can how what "
    "do does was were have has from at by or if not".split())
_OTHER_WORDS = {
    "Spanish": frozenset("el la los las de del y que en para por con su sus es una un se al "
                         "usted cómo qué más está están nuestro nuestra autobús".split()),
    "French": frozenset("le les des et est une pour dans avec sur vous nous ce cette qui "
                        "pas du au".split()),
    "Portuguese": frozenset("o os da do das dos em para com uma um você não são está nosso "
                            "nossa ao".split()),
}
_SCRIPTS = (("CJK", "Chinese"), ("HIRAGANA", "Japanese"), ("KATAKANA", "Japanese"),
            ("HANGUL", "Korean"), ("ARABIC", "Arabic"), ("HEBREW", "Hebrew"),
            ("CYRILLIC", "Cyrillic-script"), ("GREEK", "Greek"), ("DEVANAGARI", "Hindi or Nepali"),
            ("THAI", "Thai"), ("BENGALI", "Bengali"), ("ARMENIAN", "Armenian"),
            ("ETHIOPIC", "Amharic or Tigrinya"), ("KHMER", "Khmer"), ("LAO", "Lao"))
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def detect_language(text: str) -> str | None:
    """None for English text; otherwise a name for the language or script found.

    A heuristic, not a translator: the script of most letters first, then the commonest
    words of a few languages written in Latin letters.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    scripts: dict[str, int] = defaultdict(int)
    for c in letters:
        name = unicodedata.name(c, "")
        for prefix, label in _SCRIPTS:
            if name.startswith(prefix):
                scripts[label] += 1
                break
    if scripts:
        label, count = max(scripts.items(), key=lambda kv: kv[1])
        if label == "Chinese" and scripts.get("Japanese"):
            label, count = "Japanese", count + scripts["Japanese"]  # kanji with kana
        if count / len(letters) > 0.3:
            return label
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in _ENGLISH_WORDS for w in words)
    best, best_count = None, 0
    for language, common in _OTHER_WORDS.items():
        count = sum(w in common for w in words)
        if language == "Spanish":
            count += 2 * sum(ch in "ñ¿¡" for ch in text.lower())
        if count > best_count:
            best, best_count = language, count
    if best and min(best_count, english) >= 3 and max(best_count, english) < 2 * min(
            best_count, english):
        return f"English mixed with {best}"  # two languages in one box: neither grade is true
    if best and best_count > english:
        return best
    return None


@dataclass(frozen=True)
class LongSentence:
    text: str
    words: int


@dataclass(frozen=True)
class JargonHit:
    term: str  # as listed in content
    found: str  # as the team wrote it
    plain: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class Report:
    """What the plain-language check found in one text."""

    words: int
    grade: float | None  # None when the text is empty or not in English
    goal: float
    language: str | None  # None for English; else what was detected
    max_sentence_words: int
    long_sentences: tuple[LongSentence, ...]
    jargon: tuple[JargonHit, ...]

    @property
    def language_note(self) -> str:
        return LANGUAGE_NOTE if self.language else ""

    @property
    def grade_ok(self) -> bool:
        return self.grade is None or self.grade <= self.goal

    @property
    def ok(self) -> bool:
        return self.grade_ok and not self.long_sentences and not self.jargon

    def grade_text(self) -> str:
        if self.words == 0:
            return "Nothing to check yet."
        if self.language:
            return f"Not checked for reading grade: this looks like {self.language}. " \
                   f"{LANGUAGE_NOTE}"
        shown = "below grade 1" if self.grade < 1 else f"grade {self.grade:.1f}"
        verdict = "meets" if self.grade_ok else "is above"
        return f"Reads at {shown}, which {verdict} the goal of grade {self.goal:g} or lower."


def sentences(text: str) -> list[str]:
    """Sentences, counting each line of a list or a survey's answer options as its own."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _graded_text(text: str) -> str:
    # textstat counts sentences by their end marks; lines without one (list items, answer
    # options) would otherwise run together into one very long sentence.
    return " ".join(s if s[-1] in ".!?" else s + "." for s in sentences(text))


def _jargon_pattern(term: str) -> re.Pattern[str]:
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term))
    stem = words[:-1] if term.endswith("e") else words
    # "utilize" also matches "utilizes", "utilized" and "utilizing".
    return re.compile(rf"\b(?:{words}(?:s|es|d|ed|ing)?|{stem}ing)\b", re.IGNORECASE)


def find_jargon(text: str, plain: PlainLanguageFile) -> list[JargonHit]:
    """Words from the jargon list, in the order they appear, each with plainer choices."""
    hits, taken = [], []
    # Longest terms first, so "capital expenditure" is reported rather than "expenditure".
    for entry in sorted(plain.jargon, key=lambda e: -len(e.term)):
        pattern = _jargon_pattern(entry.term)  # re caches compiled patterns
        for match in pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(set(span) & set(t) for t in taken):
                continue
            taken.append(span)
            hits.append((match.start(), JargonHit(entry.term, match.group(0),
                                                  tuple(entry.plain), entry.note)))
    return [hit for _, hit in sorted(hits, key=lambda h: h[0])]


def check_plain_language(text: str, plain: PlainLanguageFile | None = None) -> Report:
    """Reading grade (textstat's Flesch-Kincaid), long sentences and jargon in one text.

    The goal is the resident-facing grade from content (8). Text that is not English gets
    no grade: the formula counts English syllables and would give a wrong number.
    """
    plain = plain or load_plain_language()
    limits = plain.thresholds
    text = text or ""
    words = len(_WORD.findall(text))
    language = detect_language(text) if words else None
    grade = None
    if words and language is None:
        grade = round(float(textstat.flesch_kincaid_grade(_graded_text(text))), 1)
    long_ones = tuple(LongSentence(s, n) for s in sentences(text)
                      if (n := len(_WORD.findall(s))) > limits.max_sentence_words)
    return Report(words=words, grade=grade, goal=limits.resident_reading_grade,
                  language=language, max_sentence_words=limits.max_sentence_words,
                  long_sentences=long_ones, jargon=tuple(find_jargon(text, plain)))


# --- demo -------------------------------------------------------------------------------------

DEMO_FILE = "demo/engagement.yaml"


class DemoEngagementFile(ContentFile):
    team: str = Field(pattern=r"^[a-z0-9-]+$")
    document: dict[str, Any]


def demo_document(slug: str) -> EngagementPlan | None:
    """The demo team's filled-in engagement plan; None for every other team."""
    demo = content.load(DEMO_FILE, DemoEngagementFile)
    if demo.team != slug:
        return None
    return EngagementPlan.model_validate(demo.document)
