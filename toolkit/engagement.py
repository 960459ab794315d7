"""The resident engagement tool: participation levels, groups, tactics, inclusion and plain language."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from toolkit import content
from toolkit.content import ContentFile, Strict

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
