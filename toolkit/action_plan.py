"""The project action plan (tool 2): starter-pack content now; a team's plan documents later."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from toolkit import content
from toolkit.content import ContentError, ContentFile, Strict

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
