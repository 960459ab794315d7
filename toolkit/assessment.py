"""The city technology self-assessment: content models and loader for content/assessment.yaml."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from toolkit import content
from toolkit.content import ContentFile, Strict

ASSESSMENT_FILE = "assessment.yaml"
LEVELS = (1, 2, 3, 4)

GuidebookTopic = Literal[
    "procurement",
    "data",
    "digital_services",
    "public_safety",
    "permitting",
    "mobility",
    "engagement",
    "digital_inclusion",
    "budgeting",
    "cybersecurity",
    "ai",
    "workforce",
    "partnerships",
    "performance",
]
Level = Literal[1, 2, 3, 4]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]


def _no_repeats(values: list) -> list:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return values


class LevelLabel(Strict):
    """What a level means across every area (1 Starting ... 4 Leading)."""

    level: Level
    label: Text
    meaning: Text


class Statement(Strict):
    """One thing a rater looks at, with what a city at each level actually does."""

    id: Slug
    text: Text
    # Where to look so two raters reach the same level.
    evidence: Text
    levels: dict[Level, Text]

    @field_validator("levels")
    @classmethod
    def _all_four_levels(cls, levels: dict[int, str]) -> dict[int, str]:
        if tuple(sorted(levels)) != LEVELS:
            raise ValueError(f"every statement needs levels 1, 2, 3 and 4, found {sorted(levels)}")
        return levels


class ImprovementAction(Strict):
    """A next step a team can take home; may point to the prompt questions that help."""

    text: Text
    question_ids: list[Slug] = []


class Area(Strict):
    """One area of technology management the city rates itself on."""

    id: Slug
    name: Text
    description: Text
    cites: Annotated[list[Text], Field(min_length=1)]
    guidebook_topics: Annotated[list[GuidebookTopic], Field(min_length=1)]
    statements: Annotated[list[Statement], Field(min_length=2, max_length=4)]
    improvement_actions: Annotated[list[ImprovementAction], Field(min_length=3, max_length=5)]

    @field_validator("guidebook_topics")
    @classmethod
    def _unique_topics(cls, values: list) -> list:
        return _no_repeats(values)

    @field_validator("statements")
    @classmethod
    def _unique_statements(cls, statements: list[Statement]) -> list[Statement]:
        _no_repeats([s.id for s in statements])
        return statements


class AssessmentFile(ContentFile):
    """content/assessment.yaml: level labels, the not-sure rule and the twelve areas."""

    intro: Text
    level_labels: list[LevelLabel]
    not_sure: Text
    areas: Annotated[list[Area], Field(min_length=1)]

    @field_validator("level_labels")
    @classmethod
    def _labels_one_to_four(cls, labels: list[LevelLabel]) -> list[LevelLabel]:
        if tuple(label.level for label in labels) != LEVELS:
            raise ValueError("level labels must cover levels 1, 2, 3 and 4, in that order")
        return labels

    @field_validator("areas")
    @classmethod
    def _unique_ids(cls, areas: list[Area]) -> list[Area]:
        _no_repeats([a.id for a in areas])
        # Statement ids are unique across the file so a saved answer names one statement.
        _no_repeats([s.id for a in areas for s in a.statements])
        return areas

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)


def load_assessment() -> AssessmentFile:
    """The validated self-assessment. Links to questions are checked by load_questions()."""
    return content.load(ASSESSMENT_FILE, AssessmentFile)
