"""The city technology self-assessment: its content, a team's answers, scores and the cohort."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import statistics
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from toolkit import content
from toolkit.content import ContentFile, Strict
from toolkit.store import Actor, Saved, StaleVersion, Store
from toolkit.workshop import Document

ASSESSMENT_FILE = "assessment.yaml"
DEMO_FILE = "demo/assessment.yaml"
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


# --- a team's answers, scores and the cohort view ------------------------------------------
# Below: the team's document and pure scoring. "Not sure" is kept apart from the four levels
# (the content promises it neither raises nor lowers a result).

COHORT_MINIMUM = 5  # fewer teams than this and a median could point at one city
NOTE_MAX = 600


class Answer(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    level: int | None = Field(default=None, ge=1, le=4)
    not_sure: bool = False
    note: str = Field(default="", max_length=NOTE_MAX)
    evidence_link: str = Field(default="", max_length=500)

    @field_validator("evidence_link")
    @classmethod
    def _https_only(cls, value: str) -> str:
        if value and not re.match(r"^https://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
            raise ValueError("the evidence link must start with https:// (or leave it blank)")
        return value

    @property
    def answered(self) -> bool:
        return self.level is not None or self.not_sure


class Round(BaseModel):
    """One sitting of the assessment: before the Institute, at its end, at each follow-up."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    id: str = Field(default_factory=lambda: secrets.token_hex(4))
    label: str = Field(default="Before the Institute", min_length=1, max_length=80)
    started_on: dt.date = Field(default_factory=dt.date.today)
    answers: dict[str, Answer] = Field(default_factory=dict)


class AssessmentDoc(Document):
    KIND: ClassVar[str] = "assessment"
    rounds: list[Round] = Field(default_factory=list, max_length=20)

    @property
    def latest(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def started(self) -> bool:
        return any(a.answered for r in self.rounds for a in r.answers.values())


@dataclass(frozen=True)
class AreaScore:
    area_id: str
    name: str
    score: float | None  # mean level of the answered statements, 1 to 4; None if none
    answered: int
    not_sure: int
    unanswered: int


def score_round(rnd: Round, assessment: AssessmentFile) -> list[AreaScore]:
    scores = []
    for area in assessment.areas:
        levels, not_sure, unanswered = [], 0, 0
        for statement in area.statements:
            answer = rnd.answers.get(statement.id)
            if answer is None or not answer.answered:
                unanswered += 1
            elif answer.not_sure:
                not_sure += 1
            else:
                levels.append(answer.level)
        score = round(sum(levels) / len(levels), 2) if levels else None
        scores.append(AreaScore(area.id, area.name, score, len(levels), not_sure, unanswered))
    return scores


def overall(scores: list[AreaScore]) -> float | None:
    """The mean of the area scores, each area counting once however many statements it has."""
    known = [s.score for s in scores if s.score is not None]
    return round(sum(known) / len(known), 2) if known else None


@dataclass(frozen=True)
class NextStep:
    area: Area
    score: float
    actions: list[ImprovementAction]
    question_titles: dict[str, str]  # question id -> the question, for the linked ones
    guidebook_topics: list[str]


def weakest(scores: list[AreaScore], assessment: AssessmentFile, count: int = 3
            ) -> list[NextStep]:
    """The lowest-scoring areas (ties kept in content order) with their next steps."""
    from toolkit import questions  # questions.py imports this module; import late

    titles = {q.id: q.question for q in questions.load_questions().questions}
    ranked = sorted((s for s in scores if s.score is not None),
                    key=lambda s: (s.score, [a.id for a in assessment.areas].index(s.area_id)))
    steps = []
    for s in ranked[:count]:
        area = assessment.area(s.area_id)
        linked = {qid: titles[qid] for a in area.improvement_actions for qid in a.question_ids
                  if qid in titles}
        steps.append(NextStep(area, s.score, list(area.improvement_actions), linked,
                              list(area.guidebook_topics)))
    return steps


def history(doc: AssessmentDoc, assessment: AssessmentFile
            ) -> list[tuple[Round, dict[str, float | None]]]:
    """Each round with its score per area id, oldest first, for the change over time."""
    return [(r, {s.area_id: s.score for s in score_round(r, assessment)}) for r in doc.rounds]


@dataclass(frozen=True)
class CohortView:
    """Per area: the cohort median and how many teams it covers; None below the minimum."""

    medians: dict[str, float | None]
    teams_counted: dict[str, int]


def cohort_medians(latest_scores_by_team: dict[int, list[AreaScore]]) -> CohortView:
    """Medians of each area's latest scores across teams; withheld for fewer than five teams,
    and never labelled with a team, so no city can be picked out."""
    per_area: dict[str, list[float]] = {}
    for scores in latest_scores_by_team.values():
        for s in scores:
            if s.score is not None:
                per_area.setdefault(s.area_id, []).append(s.score)
    medians = {
        area: (round(statistics.median(values), 2) if len(values) >= COHORT_MINIMUM else None)
        for area, values in per_area.items()
    }
    return CohortView(medians, {area: len(v) for area, v in per_area.items()})


def cohort_view(store: Store, actor: Actor, workshop_id: int) -> CohortView:
    """The cohort medians a team may see: computed from every team's latest round, with no
    team named, and each area withheld until five teams have answered it."""
    assessment = load_assessment()
    latest = {}
    for n, body in enumerate(store.cohort_documents(actor, workshop_id, AssessmentDoc.KIND)):
        doc = AssessmentDoc.model_validate_json(body)
        if doc.latest and doc.started:
            latest[n] = score_round(doc.latest, assessment)
    return cohort_medians(latest)


def set_answer(store: Store, actor: Actor, team_id: int, round_id: str, statement_id: str,
               answer: Answer, *, base: Saved) -> tuple[str, Saved, str]:
    """Save one answer on top of the latest version: ("saved"|"conflict"|"missing", doc, msg).

    Teammates answering different statements at once both land; if a teammate changed this
    same answer since `base`, theirs is kept and the person is told.
    """
    before = _answer_in(base.body, round_id, statement_id)
    for _ in range(5):
        current = store.load(actor, team_id, AssessmentDoc)
        rnd = next((r for r in current.body.rounds if r.id == round_id), None)
        if rnd is None:
            return "missing", current, "That round of the assessment was removed by a teammate."
        theirs = rnd.answers.get(statement_id)
        if current.version != base.version and theirs != before and theirs != answer:
            who = current.saved_by or "A teammate"
            return "conflict", current, (f"{who} answered this statement while you were "
                                         "choosing. Their answer is shown now.")
        new_round = rnd.model_copy(update={"answers": {**rnd.answers, statement_id: answer}})
        rounds = [new_round if r.id == round_id else r for r in current.body.rounds]
        body = current.body.model_copy(update={"rounds": rounds})
        try:
            return "saved", store.save(actor, team_id, body, base_version=current.version), ""
        except StaleVersion:
            continue
    return "conflict", store.load(actor, team_id, AssessmentDoc), "Many saves at once; try again."


def _answer_in(doc: AssessmentDoc, round_id: str, statement_id: str) -> Answer | None:
    rnd = next((r for r in doc.rounds if r.id == round_id), None)
    return rnd.answers.get(statement_id) if rnd else None


def latest_scores_by_team(store: Store, actor: Actor, team_ids: list[int]
                          ) -> dict[int, list[AreaScore]]:
    """Each team's latest round, scored. Only staff may ask for other teams (the store checks)."""
    assessment = load_assessment()
    out = {}
    for team_id in team_ids:
        doc = store.load(actor, team_id, AssessmentDoc).body
        if doc.latest and doc.started:
            out[team_id] = score_round(doc.latest, assessment)
    return out


def demo_document(slug: str) -> AssessmentDoc | None:
    """The demo team's assessment (content/demo/assessment.yaml), or None for other teams."""
    data = content.load(DEMO_FILE, DemoAssessmentFile)
    return data.document if data.team == slug else None


class DemoAssessmentFile(ContentFile):
    team: str
    document: AssessmentDoc
