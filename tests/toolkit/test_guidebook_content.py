"""The topic list and the Resource Guidebook seed entries in content/."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import textstat
import yaml
from pydantic import ValidationError

from toolkit import content, engagement, guidebook
from toolkit.content import CONTENT_DIR, ContentError
from toolkit.guidebook import Entry, GuidebookFile, TopicsFile

REVIEW_DATE = dt.date(2026, 11, 22)
CONTROLLED_TOPICS = [
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
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# North American numbers in the usual spellings: 555-123-4567, (555) 123 4567, 555.123.4567.
PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    content.clear_cache()
    yield
    content.clear_cache()


def a_valid_entry(**changes) -> dict:
    entry = {
        "id": "example-org",
        "kind": "organization",
        "name": "Example Organization",
        "topics": ["data"],
        "summary": "A group that helps cities use data well.",
        "help_with": "Ask it for examples from peer cities.",
        "website": "https://example.org",
        "source": "public website",
        "last_verified": "2026-11-22",
    }
    entry.update(changes)
    return entry


def guidance_grade_limit() -> float:
    return engagement.load_plain_language().thresholds.tool_guidance_reading_grade


def test_the_topics_file_loads_and_says_who_keeps_it():
    topics_file = content.load("topics.yaml", TopicsFile)
    assert topics_file.maintainer == "ISC Blueprint content team"
    assert topics_file.last_reviewed == REVIEW_DATE


def test_the_topics_are_the_controlled_list():
    assert [t.id for t in guidebook.load_topics()] == CONTROLLED_TOPICS


def test_every_topic_has_a_label_and_a_one_line_description():
    for topic in guidebook.load_topics():
        assert topic.label
        assert "\n" not in topic.description


def test_the_guidebook_loads_and_says_who_keeps_it():
    guidebook_file = content.load("guidebook.yaml", GuidebookFile)
    assert guidebook_file.maintainer == "ISC Blueprint content team"
    assert guidebook_file.last_reviewed == REVIEW_DATE


def test_the_seed_has_between_35_and_60_entries():
    assert 35 <= len(guidebook.load_seed_entries()) <= 60


def test_the_seed_has_organizations_programs_and_case_studies_but_no_people():
    kinds = {entry.kind for entry in guidebook.load_seed_entries()}
    assert kinds == {"organization", "program", "case_study"}


def test_every_topic_an_entry_names_exists():
    known = {t.id for t in guidebook.load_topics()}
    for entry in guidebook.load_seed_entries():
        assert set(entry.topics) <= known, entry.id


def test_every_controlled_topic_is_used_by_some_entry():
    used = {topic for entry in guidebook.load_seed_entries() for topic in entry.topics}
    assert used == set(CONTROLLED_TOPICS)


def test_entry_ids_are_unique():
    ids = [entry.id for entry in guidebook.load_seed_entries()]
    assert len(ids) == len(set(ids))


def test_every_entry_has_an_https_website():
    for entry in guidebook.load_seed_entries():
        assert entry.website.startswith("https://"), entry.id


def test_no_email_address_or_phone_number_appears_anywhere_in_the_guidebook():
    text = (CONTENT_DIR / "guidebook.yaml").read_text(encoding="utf-8")
    assert EMAIL.findall(text) == []
    assert PHONE.findall(text) == []


def test_every_entry_names_its_source_and_was_verified_on_the_review_date():
    for entry in guidebook.load_seed_entries():
        assert entry.source == "public website", entry.id
        assert entry.last_verified == REVIEW_DATE, entry.id


def test_every_time_sensitive_note_asks_the_reader_to_verify():
    notes = [e.verify_note for e in guidebook.load_seed_entries() if e.verify_note]
    assert notes, "closed or changed programs must carry a verify_note"
    for note in notes:
        assert "Verify before you rely on it." in note


def test_programs_known_to_have_changed_carry_a_verify_note():
    by_id = {entry.id: entry for entry in guidebook.load_seed_entries()}
    for entry_id in ("derisking-government-technology-guide", "ms-isac", "broadbandusa"):
        assert by_id[entry_id].verify_note, entry_id


def test_summaries_and_help_read_at_tool_guidance_grade_or_lower():
    limit = guidance_grade_limit()
    for entry in guidebook.load_seed_entries():
        for text in (entry.summary, entry.help_with, entry.verify_note or ""):
            if text:
                assert textstat.flesch_kincaid_grade(text) <= limit, (entry.id, text)


def test_topic_descriptions_read_at_tool_guidance_grade_or_lower():
    limit = guidance_grade_limit()
    for topic in guidebook.load_topics():
        assert textstat.flesch_kincaid_grade(topic.description) <= limit, topic.id


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "http://example.org",
        "data:text/html,hello",
        "ftp://example.org",
        "//example.org",
        "example.org",
        "https://",
        "https://localhost",
        "https://user:secret@example.org",
        "https://exa mple.org",
        "https://example.org/\nnext",
    ],
)
def test_a_website_that_is_not_a_plain_https_address_is_refused(address):
    with pytest.raises(ValidationError):
        Entry.model_validate(a_valid_entry(website=address))


def test_a_plain_https_address_with_a_path_is_accepted():
    entry = Entry.model_validate(a_valid_entry(website="https://example.org/a/b?c=d"))
    assert entry.website == "https://example.org/a/b?c=d"


def test_a_city_without_a_state_is_refused():
    with pytest.raises(ValidationError):
        Entry.model_validate(a_valid_entry(city="Springfield"))


def test_a_person_entry_is_possible_for_contributions_later():
    assert Entry.model_validate(a_valid_entry(kind="person")).kind == "person"


def test_a_malformed_copy_raises_a_content_error_naming_the_file_and_the_field(tmp_path):
    raw = yaml.safe_load((CONTENT_DIR / "guidebook.yaml").read_text(encoding="utf-8"))
    raw["entries"][2]["website"] = "javascript:alert(document.cookie)"
    path = tmp_path / "guidebook.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        content.parse(path, GuidebookFile)
    message = str(caught.value)
    assert str(path) in message
    assert "entries[2].website" in message


def test_a_repeated_entry_id_is_refused(tmp_path):
    raw = yaml.safe_load((CONTENT_DIR / "guidebook.yaml").read_text(encoding="utf-8"))
    raw["entries"][1]["id"] = raw["entries"][0]["id"]
    path = tmp_path / "guidebook.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match="used twice"):
        content.parse(path, GuidebookFile)


def test_an_unknown_topic_in_a_copy_is_refused_by_the_loader(tmp_path, monkeypatch):
    shutil.copy(CONTENT_DIR / "topics.yaml", tmp_path / "topics.yaml")
    raw = yaml.safe_load((CONTENT_DIR / "guidebook.yaml").read_text(encoding="utf-8"))
    raw["entries"][0]["topics"] = ["data", "smart_everything"]
    (tmp_path / "guidebook.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    with pytest.raises(ContentError) as caught:
        guidebook.load_seed_entries()
    message = str(caught.value)
    assert str(tmp_path / "guidebook.yaml") in message
    assert "entries[0].topics" in message and "smart_everything" in message
