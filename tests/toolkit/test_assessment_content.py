"""content/assessment.yaml: the city technology self-assessment loads, links up and reads plainly."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import textstat
import yaml

from toolkit import content
from toolkit.assessment import AssessmentFile, load_assessment
from toolkit.content import ContentError
from toolkit.questions import load_questions

AREA_IDS = [
    "procurement",
    "in_house_capacity",
    "service_quality",
    "data_stewardship",
    "tech_governance",
    "cybersecurity",
    "responsible_ai",
    "financing",
    "operations_staff",
    "partnerships",
    "resident_engagement",
    "digital_inclusion",
]


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


@pytest.fixture(scope="module")
def assessment() -> AssessmentFile:
    return load_assessment()


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load((content.CONTENT_DIR / "assessment.yaml").read_text(encoding="utf-8"))


def statements(assessment):
    return [s for area in assessment.areas for s in area.statements]


def test_the_assessment_file_loads(assessment):
    assert isinstance(assessment, AssessmentFile)


def test_the_file_names_its_maintainer_and_last_review_date(assessment):
    assert assessment.maintainer == "ISC Blueprint content team"
    assert assessment.last_reviewed == dt.date(2026, 11, 22)


def test_there_are_twelve_areas_covering_the_reforms_and_the_institutes_elements(assessment):
    assert [area.id for area in assessment.areas] == AREA_IDS


def test_every_area_has_every_field_filled_in(assessment):
    for area in assessment.areas:
        assert area.name and area.description, area.id
        assert area.cites and all(c.strip() for c in area.cites), area.id
        assert area.guidebook_topics, area.id
        assert 2 <= len(area.statements) <= 4, area.id
        assert 3 <= len(area.improvement_actions) <= 5, area.id


def test_each_statement_has_levels_one_to_four_exactly(assessment):
    for statement in statements(assessment):
        assert sorted(statement.levels) == [1, 2, 3, 4], statement.id


def test_no_two_levels_of_a_statement_say_the_same_thing(assessment):
    for statement in statements(assessment):
        assert len(set(statement.levels.values())) == 4, statement.id


def test_every_statement_says_where_to_look(assessment):
    for statement in statements(assessment):
        assert statement.evidence.strip(), statement.id


def test_statement_ids_are_unique_across_the_file(assessment):
    ids = [s.id for s in statements(assessment)]
    assert len(ids) == len(set(ids))


def test_level_labels_run_from_starting_to_leading(assessment):
    assert [(label.level, label.label) for label in assessment.level_labels] == [
        (1, "Starting"),
        (2, "Developing"),
        (3, "Established"),
        (4, "Leading"),
    ]
    assert all(label.meaning for label in assessment.level_labels)


def test_not_sure_is_explained(assessment):
    assert "Not sure" in assessment.not_sure


def test_every_question_an_improvement_action_links_to_exists(assessment):
    question_ids = {q.id for q in load_questions().questions}
    for area in assessment.areas:
        for action in area.improvement_actions:
            assert set(action.question_ids) <= question_ids, f"{area.id}: {action.text}"


def test_every_area_is_linked_to_some_question(assessment):
    named = {a for q in load_questions().questions for a in q.assessment_areas}
    assert {area.id for area in assessment.areas} <= named


def test_every_area_cites_a_public_framework_or_a_seed_document(assessment):
    for area in assessment.areas:
        assert len(area.cites) >= 2, area.id


def test_guidance_reads_at_grade_nine_or_lower(assessment):
    texts = [assessment.intro, assessment.not_sure]
    texts += [label.meaning for label in assessment.level_labels]
    for area in assessment.areas:
        texts.append(area.description)
        texts += [action.text for action in area.improvement_actions]
        texts += [s.evidence for s in area.statements]
    for text in texts:
        assert grade(text) <= 9, text


def test_statements_and_levels_read_at_grade_ten_or_lower(assessment):
    for statement in statements(assessment):
        assert grade(statement.text) <= 10, statement.text
        for level, text in statement.levels.items():
            assert grade(text) <= 10, f"{statement.id} level {level}: {text}"


def _write(tmp_path, data: dict):
    path = tmp_path / "assessment.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_statement_missing_a_level_is_refused_naming_the_file_and_field(tmp_path, raw):
    del raw["areas"][0]["statements"][1]["levels"][4]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, AssessmentFile)
    assert str(path) in str(caught.value)
    assert "areas[0].statements[1].levels" in str(caught.value)


def test_an_unknown_guidebook_topic_is_refused(tmp_path, raw):
    raw["areas"][3]["guidebook_topics"] = ["data", "astrology"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"areas\[3\]\.guidebook_topics\[1\]"):
        content.parse(path, AssessmentFile)


def test_a_misspelled_field_is_refused_rather_than_ignored(tmp_path, raw):
    raw["areas"][5]["improvment_actions"] = raw["areas"][5].pop("improvement_actions")
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"areas\[5\]\.improvment_actions"):
        content.parse(path, AssessmentFile)


def test_a_file_without_a_review_date_is_refused(tmp_path, raw):
    del raw["last_reviewed"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match="last_reviewed"):
        content.parse(path, AssessmentFile)


def test_an_action_linked_to_a_missing_question_is_refused_on_load(tmp_path, raw, monkeypatch):
    shutil.copy(content.CONTENT_DIR / "questions.yaml", tmp_path / "questions.yaml")
    raw["areas"][1]["improvement_actions"][0]["question_ids"] = ["question_eleven"]
    _write(tmp_path, raw)
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    with pytest.raises(ContentError) as caught:
        load_questions()
    message = str(caught.value)
    assert "assessment.yaml: areas[1].improvement_actions[0].question_ids" in message
    assert "question_eleven" in message
