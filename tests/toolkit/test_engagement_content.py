"""The engagement tool's content (levels, groups, tactics, inclusion, data trust) and the
plain-language list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import textstat
import yaml
from pydantic import ValidationError

from toolkit import content, engagement, workshop
from toolkit.content import CONTENT_DIR, ContentError
from toolkit.engagement import LEVELS, EngagementFile, JargonEntry, PlainLanguageFile

REVIEW_DATE = dt.date(2026, 11, 22)
AT_RISK_GROUPS = {
    "no_home_broadband",
    "no_suitable_device",
    "limited_digital_skills",
    "limited_english",
    "disabilities",
    "older_adults",
    "no_id_or_bank_account",
    "unstable_housing",
}


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    content.clear_cache()
    yield
    content.clear_cache()


@pytest.fixture
def eng() -> EngagementFile:
    return engagement.load_engagement_content()


@pytest.fixture
def thresholds():
    return engagement.load_plain_language().thresholds


def guidance_texts(eng: EngagementFile) -> list[tuple[str, str]]:
    """Every piece of tool guidance in the engagement file, labeled for error messages."""
    texts: list[tuple[str, str]] = []
    for level in eng.participation_levels:
        texts += [(f"{level.id}.description", level.description)]
        texts += [(f"{level.id}.when_to_use", level.when_to_use)]
    for area, groups in eng.stakeholder_groups.items():
        texts += [(f"{area}.{group.id}.why", group.why) for group in groups]
    for tactic in eng.tactics:
        texts += [(f"{tactic.id}.description", tactic.description)]
        texts += [(f"{tactic.id}.accessibility_notes", tactic.accessibility_notes)]
        texts += [(f"{tactic.id}.language_notes", tactic.language_notes)]
    for barrier in eng.inclusion_barriers:
        texts += [(f"{barrier.id}.actions", action) for action in barrier.actions]
    trust = eng.data_trust
    texts += [("data_trust.summary", trust.summary)]
    texts += [("data_trust.collect", item) for item in trust.collect_only_what_you_need]
    texts += [(f"data_trust.{m.name}", m.description) for m in trust.measure_without_surveillance]
    return texts


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def write_copy(tmp_path, name: str, raw: dict):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def raw_copy(name: str) -> dict:
    return yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8"))


# --- the engagement file -----------------------------------------------------------------


def test_the_engagement_file_loads_and_says_who_keeps_it(eng):
    assert eng.maintainer == "ISC Blueprint content team"
    assert eng.last_reviewed == REVIEW_DATE


def test_participation_levels_are_exactly_the_five_in_order(eng):
    assert [level.id for level in eng.participation_levels] == [
        "inform",
        "consult",
        "involve",
        "collaborate",
        "empower",
    ]
    assert LEVELS == ("inform", "consult", "involve", "collaborate", "empower")


def test_participation_levels_name_the_iap2_spectrum_as_their_source(eng):
    assert "IAP2 Spectrum of Public Participation" in eng.participation_levels_source
    assert "own words" in eng.participation_levels_source


def test_every_level_makes_a_promise_to_the_public(eng):
    for level in eng.participation_levels:
        assert level.promise and level.description and level.when_to_use, level.id


def test_every_tactics_depth_values_are_valid_levels(eng):
    for tactic in eng.tactics:
        assert tactic.depth, tactic.id
        assert set(tactic.depth) <= set(LEVELS), tactic.id


def test_there_are_14_to_20_tactics_with_unique_ids(eng):
    ids = [tactic.id for tactic in eng.tactics]
    assert 14 <= len(ids) <= 20
    assert len(ids) == len(set(ids))


def test_the_tactics_reach_every_level_and_both_online_and_offline(eng):
    assert {level for tactic in eng.tactics for level in tactic.depth} == set(LEVELS)
    assert {tactic.online for tactic in eng.tactics} == {True, False}


def test_every_tactic_says_who_it_tends_to_miss(eng):
    for tactic in eng.tactics:
        assert tactic.tends_to_miss and all(tactic.tends_to_miss), tactic.id


def test_each_initiative_area_has_suggested_groups(eng):
    area_ids = {area.id for area in workshop.areas()}
    assert set(eng.stakeholder_groups) == area_ids
    for area in area_ids:
        assert len(eng.stakeholder_groups[area]) >= 5, area


def test_every_area_includes_the_council(eng):
    for area, groups in eng.stakeholder_groups.items():
        assert "council" in {group.id for group in groups}, area


def test_inclusion_barriers_cover_the_groups_at_risk_of_being_left_out(eng):
    assert {barrier.id for barrier in eng.inclusion_barriers} == AT_RISK_GROUPS
    for barrier in eng.inclusion_barriers:
        assert barrier.barriers and barrier.actions and barrier.partners, barrier.id


def test_inclusion_guidance_cites_the_ndia_definition(eng):
    assert "National Digital Inclusion Alliance" in eng.inclusion_source
    assert len(eng.ndia_elements) == 5
    cited = {element for barrier in eng.inclusion_barriers for element in barrier.ndia_elements}
    assert cited == {element.id for element in eng.ndia_elements}


def test_data_trust_measures_problems_without_watching_people(eng):
    names = " ".join(
        m.name + " " + m.description for m in eng.data_trust.measure_without_surveillance
    )
    assert "FloodNet" in names
    assert "Representative surveys instead of calls for service" in names
    assert len(eng.data_trust.never_collect) >= 4


def test_guidance_reads_at_tool_guidance_grade_or_lower(eng, thresholds):
    for label, text in guidance_texts(eng):
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= thresholds.tool_guidance_reading_grade, (label, grade, text)


def test_promises_to_residents_read_at_resident_grade_or_lower(eng, thresholds):
    for level in eng.participation_levels:
        grade = textstat.flesch_kincaid_grade(level.promise)
        assert grade <= thresholds.resident_reading_grade, (level.id, grade)


def test_guidance_sentences_stay_within_the_sentence_limit(eng, thresholds):
    texts = guidance_texts(eng) + [(lv.id, lv.promise) for lv in eng.participation_levels]
    for label, text in texts:
        for sentence in sentences(text):
            assert len(sentence.split()) <= thresholds.max_sentence_words, (label, sentence)


def test_engagement_guidance_avoids_the_words_on_the_jargon_list(eng):
    jargon = [entry.term for entry in engagement.load_plain_language().jargon]
    for label, text in guidance_texts(eng):
        found = [t for t in jargon if re.search(rf"\b{re.escape(t)}\b", text, re.IGNORECASE)]
        assert found == [], (label, found)


def test_a_malformed_copy_raises_a_content_error_naming_the_file_and_the_field(tmp_path):
    raw = raw_copy("engagement.yaml")
    raw["tactics"][3]["depth"] = ["consult", "decide"]
    path = write_copy(tmp_path, "engagement.yaml", raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, EngagementFile)
    message = str(caught.value)
    assert str(path) in message
    assert "tactics[3].depth[1]" in message


def test_levels_out_of_order_are_refused(tmp_path):
    raw = raw_copy("engagement.yaml")
    levels = raw["participation_levels"]
    levels[0], levels[1] = levels[1], levels[0]
    path = write_copy(tmp_path, "engagement.yaml", raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, EngagementFile)
    assert "participation_levels" in str(caught.value)


def test_an_area_without_suggested_groups_is_refused(tmp_path):
    raw = raw_copy("engagement.yaml")
    del raw["stakeholder_groups"]["mobility"]
    path = write_copy(tmp_path, "engagement.yaml", raw)
    with pytest.raises(ContentError, match="mobility"):
        content.parse(path, EngagementFile)


def test_a_barrier_citing_an_unknown_ndia_element_is_refused(tmp_path):
    raw = raw_copy("engagement.yaml")
    raw["inclusion_barriers"][0]["ndia_elements"] = ["free_everything"]
    path = write_copy(tmp_path, "engagement.yaml", raw)
    with pytest.raises(ContentError, match="free_everything"):
        content.parse(path, EngagementFile)


# --- the plain-language list -------------------------------------------------------------


def test_the_plain_language_file_loads_and_says_who_keeps_it():
    plain = engagement.load_plain_language()
    assert plain.maintainer == "ISC Blueprint content team"
    assert plain.last_reviewed == REVIEW_DATE


def test_the_thresholds_are_grade_8_for_residents_9_for_guidance_and_20_words(thresholds):
    assert thresholds.resident_reading_grade == 8
    assert thresholds.tool_guidance_reading_grade == 9
    assert thresholds.max_sentence_words == 20


def test_there_are_60_to_120_jargon_entries():
    assert 60 <= len(engagement.load_plain_language().jargon) <= 120


def test_jargon_entries_are_unique_and_lowercase():
    terms = [entry.term for entry in engagement.load_plain_language().jargon]
    assert len(terms) == len(set(terms))
    assert all(term == term.lower() for term in terms)


def test_every_jargon_entry_offers_a_plainer_choice():
    for entry in engagement.load_plain_language().jargon:
        assert entry.plain and all(entry.plain), entry.term
        assert entry.term not in entry.plain, entry.term


def test_the_examples_from_the_brief_are_on_the_list():
    plain = {entry.term: entry.plain for entry in engagement.load_plain_language().jargon}
    assert "use" in plain["utilize"]
    assert "start" in plain["commence"]
    assert "people affected" in plain["stakeholder"]
    assert "use" in plain["leverage"]
    assert "systems that work together" in plain["interoperability"]


def test_an_uppercase_jargon_term_is_refused():
    with pytest.raises(ValidationError):
        JargonEntry.model_validate({"term": "Utilize", "plain": ["use"]})


def test_a_repeated_jargon_term_in_a_copy_names_the_file_and_the_field(tmp_path):
    raw = raw_copy("plain_language.yaml")
    raw["jargon"].append({"term": "utilize", "plain": ["use"]})
    path = write_copy(tmp_path, "plain_language.yaml", raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, PlainLanguageFile)
    message = str(caught.value)
    assert str(path) in message
    assert "jargon" in message and "utilize" in message
