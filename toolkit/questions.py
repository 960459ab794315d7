"""The Ten Tech Prompt Questions: the content (questions, rubric) and a team's scored answers."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from toolkit import content
from toolkit.assessment import AssessmentFile, load_assessment
from toolkit.budget import Item, new_id
from toolkit.content import ContentError, ContentFile, Strict
from toolkit.workshop import Document

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


# --- the team's document: meetings, respondents and their scored answers ---------------------
#
# A team prepares a meeting (an audience, the project being pitched, questions in order, its
# own wording and questions), adds the people it asked, and records each answer as it comes.
# Answers are rows of their own, so two people at a table can record different answers at once.

RespondentKind = Literal["vendor", "department", "partner", "provider"]
AUDIENCE_LABELS: dict[str, str] = {
    "staff": "City staff",
    "vendor": "Vendors",
    "partner": "Partners",
    "provider": "Service providers",
}
KIND_LABELS: dict[str, str] = {
    "vendor": "Vendor",
    "department": "City department",
    "partner": "Partner",
    "provider": "Service provider",
}
# Who usually sits across the table when a meeting is prepared for an audience.
KIND_FOR_AUDIENCE: dict[str, str] = {
    "staff": "department",
    "vendor": "vendor",
    "partner": "partner",
    "provider": "provider",
}
MAX_MEETING_QUESTIONS = 12  # the ten and two of the team's own: one card, one hour
MAX_SCORE = 3
CUSTOM_PREFIX = "c-"  # content ids are slugs without hyphens, so the two never collide
NOT_ASKED = "—"

PLAN_LABELS = {
    "title": "Meeting name",
    "project": "Project being pitched",
    "name": "Name",
    "text": "Your question",
    "strong_answer": "What a strong answer includes",
    "notes": "Notes",
    "wording": "Wording",
    "custom_flags": "Red flag",
    "question_ids": "Questions",
    "meetings": "Meetings",
    "respondents": "Respondents",
    "answers": "Answers",
    "custom_questions": "Your own questions",
}


class QuestionTextError(ValueError):
    """A question the team wrote cannot be used as typed; the message says what to do."""


def _new_custom_id() -> str:
    return CUSTOM_PREFIX + new_id()


class CustomQuestion(Item):
    """A question the team wrote itself; it can be chosen for any of its meetings."""

    id: str = Field(default_factory=_new_custom_id, pattern=r"^c-[a-z0-9-]{1,22}$")
    text: str = Field(min_length=1, max_length=300)
    strong_answer: str = Field(default="", max_length=600)


ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
FlagText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _unique_in_order(values: list) -> list:
    return list(dict.fromkeys(values))


class Meeting(Item):
    """A meeting prepared in advance: who is asked, about what, and which questions in order."""

    title: str = Field(default="New meeting", min_length=1, max_length=120)
    audience: Audience = "vendor"
    project: str = Field(default="", max_length=200)
    date: dt.date | None = None
    question_ids: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=MAX_MEETING_QUESTIONS)
    # The team's own wording of a core question for this meeting, by question id.
    wording: dict[str, ShortText] = Field(default_factory=dict)

    @field_validator("question_ids")
    @classmethod
    def _once_each(cls, values: list[str]) -> list[str]:
        return _unique_in_order(values)

    @field_validator("wording")
    @classmethod
    def _drop_blank_wording(cls, values: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in values.items() if v}


class Respondent(Item):
    """Someone the team asked: a vendor, a city department, a partner or a provider."""

    name: str = Field(min_length=1, max_length=120)
    kind: RespondentKind = "vendor"
    meeting_id: str = Field(min_length=1, max_length=24)


def answer_id(respondent_id: str, question_id: str) -> str:
    """One answer per respondent per question: the id says which, so it is never duplicated."""
    return f"{respondent_id}/{question_id}"


class Answer(Item):
    """What one respondent said to one question: notes, a 0-3 score, the red flags heard."""

    id: str = Field(default="", max_length=70)
    respondent_id: str = Field(min_length=1, max_length=24)
    question_id: str = Field(min_length=1, max_length=40)
    notes: str = Field(default="", max_length=3000)
    score: int | None = Field(default=None, ge=0, le=MAX_SCORE)  # None: not scored yet
    flags: list[FlagText] = Field(default_factory=list, max_length=20)  # from the question
    custom_flags: list[FlagText] = Field(default_factory=list, max_length=10)  # typed in

    @field_validator("flags", "custom_flags")
    @classmethod
    def _flag_once(cls, values: list[str]) -> list[str]:
        return _unique_in_order(values)

    @model_validator(mode="after")
    def _id_names_respondent_and_question(self) -> Answer:
        self.id = answer_id(self.respondent_id, self.question_id)
        return self

    @property
    def flag_count(self) -> int:
        return len(self.flags) + len(self.custom_flags)

    @property
    def all_flags(self) -> list[str]:
        return [*self.flags, *self.custom_flags]

    @property
    def is_blank(self) -> bool:
        return self.score is None and not self.notes and not self.flag_count


class QuestionsPlan(Document):
    """The team's ten-questions document: meetings, its own questions, respondents, answers."""

    KIND: ClassVar[str] = "questions"
    meetings: list[Meeting] = Field(default_factory=list, max_length=30)
    custom_questions: list[CustomQuestion] = Field(default_factory=list, max_length=60)
    respondents: list[Respondent] = Field(default_factory=list, max_length=200)
    answers: list[Answer] = Field(default_factory=list, max_length=6000)

    @property
    def started(self) -> bool:
        return bool(self.meetings or self.respondents or self.custom_questions)

    def meeting(self, meeting_id: str) -> Meeting | None:
        return next((m for m in self.meetings if m.id == meeting_id), None)

    def respondents_of(self, meeting_id: str) -> list[Respondent]:
        return [r for r in self.respondents if r.meeting_id == meeting_id]

    def answer(self, respondent_id: str, question_id: str) -> Answer | None:
        wanted = answer_id(respondent_id, question_id)
        return next((a for a in self.answers if a.id == wanted), None)

    def custom(self, question_id: str) -> CustomQuestion | None:
        return next((q for q in self.custom_questions if q.id == question_id), None)


# --- preparing a meeting --------------------------------------------------------------------


def suggested_question_ids(questions: QuestionsFile, audience: str) -> list[str]:
    """The core questions written for this audience, in their usual order."""
    return [q.id for q in questions.questions if audience in q.audiences]


def new_meeting(questions: QuestionsFile, *, title: str, audience: str, project: str = "",
                date: dt.date | None = None) -> Meeting:
    """A meeting with the questions meant for its audience already chosen."""
    if not title.strip():
        raise QuestionTextError("Give the meeting a name, such as “Gunshot detection pitch”.")
    return Meeting(title=title, audience=audience, project=project, date=date,
                   question_ids=suggested_question_ids(questions, audience))


def custom_question(text: str | None, strong_answer: str = "") -> CustomQuestion:
    """The team's own question, refused with a plain message when there is nothing to ask."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise QuestionTextError(
            "Type your question first. A question with no words cannot be asked or scored.")
    if len(cleaned) > 300:
        raise QuestionTextError(
            f"Your question has {len(cleaned)} characters. Keep it to 300 or fewer, so it can "
            "be read out in one breath.")
    return CustomQuestion(text=cleaned, strong_answer=strong_answer.strip()[:600])


def add_questions(meeting: Meeting, question_ids: list[str]) -> Meeting:
    """Add questions at the end, once each; refuse to go past what fits on one card."""
    ids = _unique_in_order([*meeting.question_ids, *question_ids])
    if len(ids) > MAX_MEETING_QUESTIONS:
        raise QuestionTextError(
            f"A meeting can have up to {MAX_MEETING_QUESTIONS} questions, so they fit on one "
            f"card and in one hour. Remove {len(ids) - MAX_MEETING_QUESTIONS} first.")
    return meeting.model_copy(update={"question_ids": ids})


def move_question(meeting: Meeting, question_id: str, step: int) -> Meeting:
    """Move a question up (step -1) or down (+1); the ends stay where they are."""
    ids = list(meeting.question_ids)
    if question_id not in ids:
        return meeting
    i = ids.index(question_id)
    j = min(max(i + step, 0), len(ids) - 1)
    ids.insert(j, ids.pop(i))
    return meeting.model_copy(update={"question_ids": ids})


def remove_question(meeting: Meeting, question_id: str) -> Meeting:
    """Take a question off the meeting; answers already recorded are kept for if it returns."""
    return meeting.model_copy(update={
        "question_ids": [q for q in meeting.question_ids if q != question_id],
        "wording": {k: v for k, v in meeting.wording.items() if k != question_id},
    })


def reword(meeting: Meeting, question_id: str, text: str, original: str) -> Meeting:
    """The team's wording for one question; blank or unchanged goes back to the original."""
    wording = dict(meeting.wording)
    cleaned = (text or "").strip()
    if not cleaned or cleaned == original.strip():
        wording.pop(question_id, None)
    else:
        wording[question_id] = cleaned
    return meeting.model_copy(update={"wording": wording})


@dataclass(frozen=True)
class AskedQuestion:
    """A question as it is put in one meeting: its place, its wording and what to listen for."""

    id: str
    position: int  # 1, 2, 3 ... in the meeting's order
    text: str  # the wording used in this meeting
    original: str  # the content's wording, or the team's own question
    core: Question | None  # None for the team's own questions
    strong_answer: tuple[str, ...]
    red_flags: tuple[str, ...]
    follow_ups: tuple[str, ...]

    @property
    def is_custom(self) -> bool:
        return self.core is None

    @property
    def reworded(self) -> bool:
        return self.text != self.original

    @property
    def label(self) -> str:
        return f"{self.position}. {self.text}"

    def brief(self, limit: int = 60) -> str:
        """The wording cut to `limit` characters, for matrix rows and chart labels."""
        return self.text if len(self.text) <= limit else self.text[: limit - 1].rstrip() + "…"

    def short(self, limit: int = 60) -> str:
        return f"{self.position}. {self.brief(limit)}"


def meeting_questions(plan: QuestionsPlan, meeting: Meeting,
                      questions: QuestionsFile) -> list[AskedQuestion]:
    """The meeting's questions in order; ids that no longer exist are skipped."""
    core = {q.id: q for q in questions.questions}
    out: list[AskedQuestion] = []
    for question_id in meeting.question_ids:
        position = len(out) + 1
        if question_id in core:
            q = core[question_id]
            out.append(AskedQuestion(
                question_id, position, meeting.wording.get(question_id) or q.question,
                q.question, q, tuple(q.strong_answer), tuple(q.red_flags),
                tuple(q.follow_ups)))
        elif (own := plan.custom(question_id)) is not None:
            out.append(AskedQuestion(
                question_id, position, own.text, own.text, None,
                (own.strong_answer,) if own.strong_answer else (), (), ()))
    return out


# --- recording answers ----------------------------------------------------------------------


def split_flags(selected: list[str], question_flags: tuple[str, ...] | list[str]
                ) -> tuple[list[str], list[str]]:
    """Flags ticked from the question's list, and the team's own, from one selection."""
    listed = set(question_flags)
    chosen = _unique_in_order([f.strip() for f in selected if f and f.strip()])
    return [f for f in chosen if f in listed], [f for f in chosen if f not in listed]


def answer_with(plan: QuestionsPlan, respondent_id: str, question_id: str,
                **changes: object) -> Answer:
    """The stored answer (or a blank one) with `changes` applied, validated."""
    current = plan.answer(respondent_id, question_id)
    data = current.model_dump() if current else {"respondent_id": respondent_id,
                                                  "question_id": question_id}
    return Answer.model_validate({**data, **changes})


def add_custom_flag(answer: Answer, flag: str | None) -> Answer:
    """Add a red flag the team heard that the question's list does not have."""
    cleaned = (flag or "").strip()
    if not cleaned:
        raise QuestionTextError("Type the red flag you heard before adding it.")
    if cleaned in answer.all_flags:
        return answer
    if len(answer.custom_flags) >= 10:
        raise QuestionTextError("An answer can have up to 10 red flags of your own. "
                                "Remove one before adding another.")
    return answer.model_copy(update={"custom_flags": [*answer.custom_flags, cleaned[:300]]})


# --- scoring and comparing ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One square of the comparison matrix: a score and how many red flags were heard."""

    score: int | None
    flags: int
    has_notes: bool

    @property
    def recorded(self) -> bool:
        return self.score is not None or self.flags > 0 or self.has_notes

    @property
    def text(self) -> str:
        # Words, not colour: the matrix must read the same in print and to a screen reader.
        if self.score is None:
            base = "notes, no score" if self.has_notes else ("no score" if self.flags else
                                                             NOT_ASKED)
        else:
            base = str(self.score)
        if self.flags:
            base += f" · {self.flags} flag" + ("s" if self.flags != 1 else "")
        return base


EMPTY_CELL = Cell(None, 0, False)

Status = Literal["no_answers", "not_scored", "partial", "complete"]


@dataclass(frozen=True)
class RespondentTotal:
    """How one respondent did over the meeting's questions.

    `asked` counts questions with anything recorded; `scored` those with a 0-3 score;
    `answered` those scored 1 or more (0 means they gave no answer).
    """

    respondent: Respondent
    questions: int
    asked: int
    scored: int
    answered: int
    points: int
    flags: int

    @property
    def possible(self) -> int:
        return MAX_SCORE * self.scored

    @property
    def status(self) -> Status:
        if self.asked == 0:
            return "no_answers"
        if self.scored == 0:
            return "not_scored"
        return "complete" if self.scored >= self.questions else "partial"

    @property
    def average(self) -> float | None:
        """Points per scored question, 0 to 3; None when nothing is scored (never a zero)."""
        return self.points / self.scored if self.scored else None

    @property
    def share(self) -> float | None:
        return self.points / self.possible if self.possible else None

    @property
    def points_text(self) -> str:
        if self.status == "no_answers":
            return "No answers recorded yet"
        if self.status == "not_scored":
            return "Notes only, not scored yet"
        return f"{self.points} of {self.possible}"

    @property
    def summary(self) -> str:
        if self.status == "no_answers":
            return (f"No answers recorded yet for any of the {self.questions} questions. "
                    "Not the same as a score of zero.")
        flags = f"{self.flags} red flag" + ("" if self.flags == 1 else "s")
        asked = f"{self.asked} of {self.questions} questions asked"
        if self.status == "not_scored":
            return f"Notes only, no scores yet; {asked}; {flags}."
        return (f"{self.points} of {self.possible} points (average {self.average:.1f} of 3); "
                f"{asked}, {self.answered} answered; {flags}.")


@dataclass(frozen=True)
class Comparison:
    """Questions by respondents for one meeting, with totals; pure data for pages and exports."""

    meeting: Meeting
    questions: list[AskedQuestion]
    respondents: list[Respondent]
    answers: dict[tuple[str, str], Answer]  # (question id, respondent id) -> answer

    def answer(self, question_id: str, respondent_id: str) -> Answer | None:
        return self.answers.get((question_id, respondent_id))

    def cell(self, question_id: str, respondent_id: str) -> Cell:
        a = self.answer(question_id, respondent_id)
        return Cell(a.score, a.flag_count, bool(a.notes)) if a else EMPTY_CELL

    @functools.cached_property
    def totals(self) -> list[RespondentTotal]:
        return [self._total(r) for r in self.respondents]

    def _total(self, respondent: Respondent) -> RespondentTotal:
        cells = [self.cell(q.id, respondent.id) for q in self.questions]
        scored = [c.score for c in cells if c.score is not None]
        return RespondentTotal(
            respondent=respondent,
            questions=len(self.questions),
            asked=sum(c.recorded for c in cells),
            scored=len(scored),
            answered=sum(1 for s in scored if s >= 1),
            points=sum(scored),
            flags=sum(c.flags for c in cells),
        )

    def ranked(self) -> list[RespondentTotal]:
        """Respondents with scores, strongest first; those without scores are left out."""
        with_scores = [t for t in self.totals if t.scored]
        return sorted(with_scores, key=lambda t: (-(t.share or 0), t.flags, -t.points,
                                                  t.respondent.name.lower()))

    def without_scores(self) -> list[RespondentTotal]:
        return [t for t in self.totals if not t.scored]

    def standings(self) -> list[RespondentTotal]:
        """Everyone, in the ranked order, with those not yet scored at the end."""
        return self.ranked() + self.without_scores()

    def question_average(self, question_id: str) -> float | None:
        scores = [c.score for r in self.respondents
                  if (c := self.cell(question_id, r.id)).score is not None]
        return sum(scores) / len(scores) if scores else None

    def matrix(self, respondents: list[Respondent] | None = None) -> list[list[str]]:
        """Rows of cell texts: one row per question, one column per respondent."""
        chosen = self.respondents if respondents is None else respondents
        return [[self.cell(q.id, r.id).text for r in chosen] for q in self.questions]


def compare(plan: QuestionsPlan, meeting_id: str, questions: QuestionsFile) -> Comparison:
    """The comparison for one meeting; raises KeyError when the meeting does not exist."""
    meeting = plan.meeting(meeting_id)
    if meeting is None:
        raise KeyError(meeting_id)
    asked = meeting_questions(plan, meeting, questions)
    people = plan.respondents_of(meeting_id)
    wanted_q = {q.id for q in asked}
    wanted_r = {r.id for r in people}
    answers = {(a.question_id, a.respondent_id): a for a in plan.answers
               if a.question_id in wanted_q and a.respondent_id in wanted_r}
    return Comparison(meeting, asked, people, answers)


def chart_totals(comparison: Comparison, limit: int = 15
                 ) -> tuple[list[RespondentTotal], list[RespondentTotal]]:
    """The respondents a chart can show legibly (strongest first) and those it leaves out."""
    ranked = comparison.ranked()
    return ranked[:limit], ranked[limit:]


def pages_of(items: list, size: int) -> list[list]:
    """Split a long list (respondents for matrix columns) into pages of `size`."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


# --- what to ask next and what the team found -----------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """A weak answer worth going back to, with the follow-up probes to use."""

    respondent: Respondent
    question: AskedQuestion
    score: int | None
    flags: tuple[str, ...]
    follow_ups: tuple[str, ...]

    @property
    def weakness(self) -> int:
        # Each red flag counts like a point lost, so a "2" with three flags ranks near a "0".
        lost = MAX_SCORE - self.score if self.score is not None else 0
        return lost + len(self.flags)

    @property
    def reason(self) -> str:
        parts = [f"Scored {self.score} ({RUBRIC_WORDS[self.score]})" if self.score is not None
                 else "Not scored"]
        if self.flags:
            parts.append(f"{len(self.flags)} red flag" + ("" if len(self.flags) == 1 else "s"))
        return ", ".join(parts)


RUBRIC_WORDS = {0: "no answer", 1: "weak", 2: "adequate", 3: "strong"}


def own_question_probe(questions: QuestionsFile) -> str:
    """For the team's own questions, which have no probes: ask for what a strong answer is."""
    strong = questions.scoring_rubric[-1].description.rstrip(".")
    return f"Ask again and ask for an answer that is {strong[0].lower()}{strong[1:]}."


def ask_next(comparison: Comparison, questions: QuestionsFile, *, limit: int = 8,
             respondent_id: str | None = None) -> list[NextStep]:
    """The weakest answers first (lowest score, most red flags), each with its probes."""
    steps: list[NextStep] = []
    probe = own_question_probe(questions)
    for r in comparison.respondents:
        if respondent_id and r.id != respondent_id:
            continue
        for q in comparison.questions:
            a = comparison.answer(q.id, r.id)
            if a is None or (a.score is None and not a.flag_count):
                continue
            if a.score is not None and a.score >= 2 and not a.flag_count:
                continue
            steps.append(NextStep(r, q, a.score, tuple(a.all_flags),
                                  q.follow_ups or (probe,)))
    steps.sort(key=lambda s: (-s.weakness, s.score if s.score is not None else MAX_SCORE,
                              s.question.position, s.respondent.name.lower()))
    return steps[:limit]


def not_asked(comparison: Comparison) -> list[tuple[Respondent, list[AskedQuestion]]]:
    """For each respondent with some answers, the meeting's questions still to put to them."""
    out = []
    for t in comparison.totals:
        if t.status == "no_answers":
            continue
        missing = [q for q in comparison.questions
                   if not comparison.cell(q.id, t.respondent.id).recorded]
        if missing:
            out.append((t.respondent, missing))
    return out


def _names(people: list[str], limit: int = 5) -> str:
    shown = people[:limit]
    more = len(people) - len(shown)
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    return text if not more else f"{', '.join(shown)} and {more} more"


def key_findings(comparison: Comparison) -> list[str]:
    """A few plain sentences a mayor can repeat, built only from what was recorded."""
    c = comparison
    if not c.respondents:
        return ["No one has been asked these questions yet."]
    ranked = c.ranked()
    findings: list[str] = []
    silent = [t.respondent.name for t in c.totals if t.status == "no_answers"]
    if not ranked:
        findings.append("No answers have been scored yet, so there is no comparison.")
    else:
        best = ranked[0]
        findings.append(
            f"{len(ranked)} of {len(c.respondents)} respondents have scored answers. "
            f"Strongest: {best.respondent.name}, {best.points} of {best.possible} points "
            f"(average {best.average:.1f} of 3).")
        if len(ranked) > 1:
            worst = ranked[-1]
            findings.append(f"Weakest: {worst.respondent.name}, {worst.points} of "
                            f"{worst.possible} points (average {worst.average:.1f} of 3).")
    flagged = sorted((t for t in c.totals if t.flags), key=lambda t: (-t.flags,
                                                                       t.respondent.name))
    if flagged:
        top = flagged[0]
        per_question = [(c.cell(q.id, top.respondent.id).flags, -q.position, q)
                        for q in c.questions]
        most = max(per_question, key=lambda x: (x[0], x[1]))[2]
        findings.append(f"Most red flags: {top.respondent.name}, with {top.flags}, the most "
                        f"on question {most.position} (“{most.brief(70)}”).")
    averages = [(avg, q) for q in c.questions
                if (avg := c.question_average(q.id)) is not None]
    if len(averages) > 1 and len(ranked) > 1:
        low, q = min(averages, key=lambda x: (x[0], x[1].position))
        findings.append(f"The weakest answers overall came on question {q.position} "
                        f"(average {low:.1f} of 3): “{q.text}”")
    heard: dict[str, set[str]] = {}
    for (_, rid), a in c.answers.items():
        for flag in a.all_flags:
            heard.setdefault(flag, set()).add(rid)
    common = sorted(heard.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if common and len(common[0][1]) > 1:
        flag, who = common[0]
        findings.append(f"The red flag heard most often, from {len(who)} respondents: “{flag}”")
    if silent:
        findings.append(f"No answers recorded yet for {_names(silent)}.")
    gaps = not_asked(c)
    if gaps:
        findings.append("Still to ask: " + "; ".join(
            f"{r.name}, {len(qs)} question" + ("" if len(qs) == 1 else "s")
            for r, qs in gaps[:5]) + (f"; and {len(gaps) - 5} more respondents" if
                                      len(gaps) > 5 else "") + ".")
    return findings


# --- checking a document's links --------------------------------------------------------------


def reference_problems(plan: QuestionsPlan, questions: QuestionsFile) -> list[str]:
    """Links inside a document that point nowhere; the app tolerates them, the demo must not."""
    known = {q.id for q in questions.questions} | {q.id for q in plan.custom_questions}
    meetings = {m.id for m in plan.meetings}
    people = {r.id: r for r in plan.respondents}
    problems = []
    for m in plan.meetings:
        problems += [f"meeting {m.title!r} lists unknown question {q!r}"
                     for q in m.question_ids if q not in known]
    problems += [f"respondent {r.name!r} points to unknown meeting {r.meeting_id!r}"
                 for r in plan.respondents if r.meeting_id not in meetings]
    core = {q.id: q for q in questions.questions}
    for a in plan.answers:
        if a.respondent_id not in people:
            problems.append(f"answer {a.id!r} belongs to no respondent")
            continue
        meeting = plan.meeting(people[a.respondent_id].meeting_id)
        if meeting and a.question_id not in meeting.question_ids:
            problems.append(f"answer {a.id!r} is to a question its meeting does not ask")
        if a.question_id in core:
            problems += [f"answer {a.id!r} ticks {f!r}, which is not on the question's list"
                         for f in a.flags if f not in core[a.question_id].red_flags]
    return problems


# --- the demo -----------------------------------------------------------------------------

DEMO_FILE = "demo/questions.yaml"


class DemoQuestionsFile(ContentFile):
    """content/demo/questions.yaml: one demo team's filled-in questions document."""

    team: str = Field(pattern=r"^[a-z0-9-]+$")
    document: dict


def demo_document(slug: str) -> QuestionsPlan | None:
    """The demo team's questions document, or None for a team without one."""
    demo = content.load(DEMO_FILE, DemoQuestionsFile)
    if demo.team != slug:
        return None
    return QuestionsPlan.model_validate(demo.document)
