"""content/questions.yaml: the Ten Tech Prompt Questions load, link up and read plainly."""

from __future__ import annotations

import datetime as dt
import shutil
import typing

import pytest
import textstat
import yaml

from toolkit import content
from toolkit.assessment import load_assessment
from toolkit.content import ContentError
from toolkit.questions import (
    Audience,
    InitiativeArea,
    QuestionsFile,
    broken_links,
    load_questions,
)

LIST_FIELDS = ("strong_answer", "weak_answers", "red_flags", "follow_ups", "sources")
AUDIENCES = set(typing.get_args(Audience))
INITIATIVE_AREAS = set(typing.get_args(InitiativeArea))


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


@pytest.fixture(scope="module")
def questions() -> QuestionsFile:
    return load_questions()


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load((content.CONTENT_DIR / "questions.yaml").read_text(encoding="utf-8"))


def test_the_questions_file_loads_with_its_links_checked(questions):
    assert isinstance(questions, QuestionsFile)


def test_the_file_names_its_maintainer_and_last_review_date(questions):
    assert questions.maintainer == "ISC Blueprint content team"
    assert questions.last_reviewed == dt.date(2026, 11, 22)


def test_there_are_exactly_ten_questions_numbered_one_to_ten(questions):
    assert [q.number for q in questions.questions] == list(range(1, 11))


def test_question_ids_are_unique(questions):
    ids = [q.id for q in questions.questions]
    assert len(ids) == len(set(ids)) == 10


def test_every_question_has_every_field_filled_in(questions):
    for q in questions.questions:
        assert q.question and q.why_it_matters, q.id
        for field in LIST_FIELDS:
            items = getattr(q, field)
            assert items and all(item.strip() for item in items), f"{q.id}.{field}"
        assert q.audiences and q.assessment_areas and q.initiative_areas, q.id


def test_audiences_and_initiative_areas_come_from_the_allowed_lists(questions):
    for q in questions.questions:
        assert set(q.audiences) <= AUDIENCES, q.id
        assert set(q.initiative_areas) <= INITIATIVE_AREAS, q.id
        assert set(q.initiative_notes) <= INITIATIVE_AREAS, q.id


def test_every_audience_is_asked_some_question(questions):
    asked = {a for q in questions.questions for a in q.audiences}
    assert asked == AUDIENCES


def test_every_assessment_area_a_question_names_exists(questions):
    area_ids = {area.id for area in load_assessment().areas}
    for q in questions.questions:
        assert set(q.assessment_areas) <= area_ids, q.id


def test_every_assessment_area_is_named_by_some_question(questions):
    named = {a for q in questions.questions for a in q.assessment_areas}
    assert named == {area.id for area in load_assessment().areas}


def test_the_two_files_have_no_broken_links(questions):
    assert broken_links(questions, load_assessment()) == []


def test_weak_answers_are_quoted_as_someone_would_say_them(questions):
    for q in questions.questions:
        for answer in q.weak_answers:
            assert answer.startswith("“") and answer.endswith("”"), f"{q.id}: {answer}"


def test_every_question_is_grounded_in_a_seed_document(questions):
    seeds = ("Reinvent Albany", "Mayors Leadership Institute on Smart Cities")
    for q in questions.questions:
        assert any(seed in source for source in q.sources for seed in seeds), q.id


# Each topic the Institute asked the ten questions to cover, and words that must appear in the
# question that covers it, so an edit cannot quietly drop a topic.
COVERAGE = {
    "buying_in_the_open": ["master agreement", "task order"],
    "products_not_people": ["procure products, not people", "product owner"],
    "tested_with_real_people": ["user research", "real people"],
    "plain_and_accessible": ["plain language", "WCAG"],
    "open_and_secure": ["open source", "security review"],
    "data_ownership": ["steward", "hand over data and code"],
    "representative_data": ["calls for service", "311"],
    "ai_never_speaks_for_city": ["never speak or decide", "Minnesota"],
    "total_cost": ["cost of not acting", "operations and maintenance"],
    "exit_plan": ["locked in", "exit plan"],
}


@pytest.mark.parametrize("question_id", sorted(COVERAGE))
def test_the_ten_questions_cover_the_topics_the_institute_asked_for(questions, question_id):
    q = questions.by_id(question_id)
    text = " ".join(
        [q.question, q.why_it_matters, *(item for f in LIST_FIELDS for item in getattr(q, f))]
    ).lower()
    for words in COVERAGE[question_id]:
        assert words.lower() in text, f"{question_id} should mention {words!r}"


def test_each_question_reads_at_grade_nine_or_lower(questions):
    for q in questions.questions:
        assert grade(q.question) <= 9, f"{q.id}: {q.question}"


def test_each_why_it_matters_reads_at_grade_ten_or_lower(questions):
    for q in questions.questions:
        assert grade(q.why_it_matters) <= 10, f"{q.id}: {q.why_it_matters}"


def test_the_intro_rubric_and_initiative_notes_read_at_grade_nine_or_lower(questions):
    texts = [questions.intro, *(level.description for level in questions.scoring_rubric)]
    texts += [note for q in questions.questions for note in q.initiative_notes.values()]
    for text in texts:
        assert grade(text) <= 9, text


def test_answer_lists_read_at_grade_nine_or_lower(questions):
    # Read as a whole: a score for a five-word bullet says more about one long word than the list.
    for q in questions.questions:
        for field in ("strong_answer", "weak_answers", "red_flags", "follow_ups"):
            text = " ".join(getattr(q, field))
            assert grade(text) <= 9, f"{q.id}.{field}"


def test_the_rubric_runs_from_no_answer_to_strong(questions):
    assert [(r.score, r.label) for r in questions.scoring_rubric] == [
        (0, "No answer"),
        (1, "Weak"),
        (2, "Adequate"),
        (3, "Strong"),
    ]


def _write(tmp_path, data: dict):
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_question_missing_a_field_is_refused_naming_the_file_and_field(tmp_path, raw):
    del raw["questions"][2]["why_it_matters"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, QuestionsFile)
    assert str(path) in str(caught.value)
    assert "questions[2].why_it_matters" in str(caught.value)


def test_an_eleventh_question_is_refused(tmp_path, raw):
    # Numbered 10 so only the count is wrong; an 11 is refused by the number field itself.
    extra = dict(raw["questions"][9], id="one_more")
    raw["questions"].append(extra)
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"questions: .*exactly 10 questions"):
        content.parse(path, QuestionsFile)


def test_an_unknown_audience_is_refused(tmp_path, raw):
    raw["questions"][0]["audiences"] = ["staff", "lobbyist"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"questions\[0\]\.audiences\[1\]"):
        content.parse(path, QuestionsFile)


def test_a_file_without_a_maintainer_is_refused(tmp_path, raw):
    del raw["maintainer"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match="maintainer"):
        content.parse(path, QuestionsFile)


def test_a_link_to_a_missing_area_is_refused_on_load(tmp_path, raw, monkeypatch):
    shutil.copy(content.CONTENT_DIR / "assessment.yaml", tmp_path / "assessment.yaml")
    raw["questions"][4]["assessment_areas"] = ["cybersecurity", "crystal_balls"]
    _write(tmp_path, raw)
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    with pytest.raises(ContentError) as caught:
        load_questions()
    message = str(caught.value)
    assert "questions.yaml: questions[4].assessment_areas" in message
    assert "crystal_balls" in message
