"""The Ten Tech Prompt Questions: content models and loader for content/questions.yaml."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from toolkit import content
from toolkit.assessment import AssessmentFile, load_assessment
from toolkit.content import ContentError, ContentFile, Strict

QUESTIONS_FILE = "questions.yaml"
QUESTION_COUNT = 10

Audience = Literal["staff", "vendor", "partner", "provider"]
InitiativeArea = Literal["public_safety", "permitting", "mobility", "other"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Items = Annotated[list[Text], Field(min_length=1)]


def _no_repeats(values: list) -> list:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return values


class RubricLevel(Strict):
    """One step of the 0-3 scale used to score an answer."""

    score: Annotated[int, Field(ge=0, le=3)]
    label: Text
    description: Text


class Question(Strict):
    """One tough question, with what good and bad answers sound like."""

    id: Slug
    number: Annotated[int, Field(ge=1, le=QUESTION_COUNT)]
    question: Text
    audiences: Annotated[list[Audience], Field(min_length=1)]
    why_it_matters: Text
    strong_answer: Items
    weak_answers: Items
    red_flags: Items
    follow_ups: Items
    assessment_areas: Annotated[list[Slug], Field(min_length=1)]
    initiative_areas: Annotated[list[InitiativeArea], Field(min_length=1)]
    sources: Items
    # Optional: how the question lands in each initiative area, so a team sees its own case.
    initiative_notes: dict[InitiativeArea, Text] = {}

    @field_validator("audiences", "assessment_areas", "initiative_areas")
    @classmethod
    def _unique(cls, values: list) -> list:
        return _no_repeats(values)


class QuestionsFile(ContentFile):
    """content/questions.yaml: the intro, the scoring rubric and exactly ten questions."""

    intro: Text
    scoring_rubric: list[RubricLevel]
    questions: list[Question]

    @field_validator("scoring_rubric")
    @classmethod
    def _rubric_is_zero_to_three(cls, levels: list[RubricLevel]) -> list[RubricLevel]:
        if [level.score for level in levels] != [0, 1, 2, 3]:
            raise ValueError("the rubric must list scores 0, 1, 2 and 3, in that order")
        return levels

    @field_validator("questions")
    @classmethod
    def _exactly_ten_in_order(cls, questions: list[Question]) -> list[Question]:
        if len(questions) != QUESTION_COUNT:
            raise ValueError(f"expected exactly {QUESTION_COUNT} questions, found {len(questions)}")
        numbers = [q.number for q in questions]
        if numbers != list(range(1, QUESTION_COUNT + 1)):
            raise ValueError(
                f"questions must be numbered 1 to {QUESTION_COUNT} in order, found {numbers}"
            )
        _no_repeats([q.id for q in questions])
        return questions

    def by_id(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def broken_links(questions: QuestionsFile, assessment: AssessmentFile) -> list[str]:
    """Every link between the two files that points nowhere, described by file and field.

    The check lives here because questions.yaml is the file that links to assessment areas;
    it also covers the assessment's improvement actions that link back to questions.
    """
    area_ids = {area.id for area in assessment.areas}
    question_ids = {q.id for q in questions.questions}
    problems = []
    for qi, question in enumerate(questions.questions):
        for area_id in question.assessment_areas:
            if area_id not in area_ids:
                problems.append(
                    f"{QUESTIONS_FILE}: questions[{qi}].assessment_areas: "
                    f"{area_id!r} is not an area in assessment.yaml"
                )
    for ai, area in enumerate(assessment.areas):
        for xi, action in enumerate(area.improvement_actions):
            for question_id in action.question_ids:
                if question_id not in question_ids:
                    problems.append(
                        f"assessment.yaml: areas[{ai}].improvement_actions[{xi}].question_ids: "
                        f"{question_id!r} is not a question in {QUESTIONS_FILE}"
                    )
    return problems


def load_questions() -> QuestionsFile:
    """The validated ten questions, with their links to the assessment checked too."""
    questions = content.load(QUESTIONS_FILE, QuestionsFile)
    problems = broken_links(questions, load_assessment())
    if problems:
        raise ContentError(f"{content.content_dir()}: " + "; ".join(problems))
    return questions
