"""content/starter_packs.yaml: every area gets a sound, plainly written first draft of its plan."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import typing
from pathlib import Path

import pytest
import textstat
import yaml

from toolkit import content, workshop
from toolkit.action_plan import (
    MEASURE_KINDS,
    PartnerType,
    StarterPacksFile,
    load_starter_packs,
    relies_on_reports,
    starter_pack,
)
from toolkit.content import ContentError

PACKS_FILE = content.CONTENT_DIR / "starter_packs.yaml"
PARTNER_TYPES = set(typing.get_args(PartnerType))
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|mailto:", re.IGNORECASE)
PHONE = re.compile(r"\(?\b\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}\b|\btel:", re.IGNORECASE)
LOGIC_MODEL_FIELDS = (
    "inputs",
    "activities",
    "outputs",
    "outcomes_short",
    "outcomes_medium",
    "outcomes_long",
    "impact",
)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def as_prose(items: list[str]) -> str:
    """A list read as a whole, one bullet to a sentence, as a reader takes it in."""
    return " ".join(i if i.rstrip().endswith((".", "?", "!")) else f"{i}." for i in items)


@pytest.fixture(scope="module")
def packs() -> StarterPacksFile:
    return load_starter_packs()


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(PACKS_FILE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "starter_packs.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_starter_packs_load_with_their_areas_checked(packs):
    assert isinstance(packs, StarterPacksFile)


def test_the_file_names_its_maintainer_and_last_review_date(packs):
    assert packs.maintainer == "ISC Blueprint content team"
    assert packs.last_reviewed == dt.date(2026, 11, 22)


def test_there_is_one_pack_per_area_and_every_area_exists(packs):
    area_ids = [a.id for a in workshop.areas()]
    pack_areas = [p.area for p in packs.packs]
    assert len(pack_areas) == len(set(pack_areas))
    assert set(pack_areas) <= set(area_ids)
    assert {"public_safety", "permitting", "mobility", "other"} <= set(pack_areas)


def test_an_unknown_or_empty_area_gets_the_blank_pack(packs):
    assert starter_pack("mobility").area == "mobility"
    assert starter_pack("housing").area == "other"
    assert starter_pack("").area == "other"


def test_the_measure_kinds_are_the_three_results_based_accountability_questions(packs):
    assert [(k.id, k.label) for k in packs.measure_kinds] == [
        ("how_much", "How much did we do?"),
        ("how_well", "How well did we do it?"),
        ("better_off", "Is anyone better off?"),
    ]


def test_each_starter_pack_covers_all_three_measure_kinds(packs):
    for pack in packs.packs:
        assert {m.kind for m in pack.measures} == set(MEASURE_KINDS), pack.area


def test_every_measure_built_on_calls_or_complaints_is_marked_not_representative(packs):
    report_driven = 0
    for pack in packs.packs:
        for measure in pack.measures:
            assert measure.representativeness_note, f"{pack.area}: {measure.name}"
            if relies_on_reports(measure.name, measure.suggested_source):
                report_driven += 1
                assert measure.representative is False, f"{pack.area}: {measure.name}"
    # Each pack shows the trap once, so teams see why such data is not the whole story.
    assert report_driven >= len(packs.packs)


def test_the_report_check_knows_calls_311_911_and_complaints():
    assert relies_on_reports("Shots-fired calls for service", "")
    assert relies_on_reports("Requests", "311 request records")
    assert relies_on_reports("", "911 call logs")
    assert relies_on_reports("Complaints about permits", "")
    assert not relies_on_reports("Residents who feel safe", "A random household survey")


def test_better_off_measures_lean_on_representative_data(packs):
    for pack in packs.packs:
        assert any(m.representative for m in pack.measures_of("better_off")), pack.area


def test_no_pack_states_a_baseline_or_a_target(packs):
    text = PACKS_FILE.read_text(encoding="utf-8")
    assert not re.search(r"\d\s*(%|percent)", text)
    assert "$" not in text
    for pack in packs.packs:
        for measure in pack.measures:
            numbers = set(re.findall(r"\d+", f"{measure.name} {measure.unit}")) - {"311", "911"}
            assert not numbers, f"{pack.area}: {measure.name} ({measure.unit})"


def test_every_pack_has_an_in_house_product_owner_and_one_accountable_role(packs):
    for pack in packs.packs:
        owner = pack.role("product_owner")
        assert "city employee" in owner.does.lower(), pack.area
        assert [r.raci for r in pack.raci_roles].count("accountable") == 1, pack.area


def test_milestones_fall_in_the_first_ninety_days_and_are_owned_by_roles(packs):
    for pack in packs.packs:
        role_ids = {r.id for r in pack.raci_roles}
        weeks = [m.week for m in pack.first_90_days]
        assert weeks == sorted(weeks) and 1 <= weeks[0] and weeks[-1] <= 13, pack.area
        assert {m.owner for m in pack.first_90_days} <= role_ids, pack.area
        # The first step is naming who owns the work.
        assert "product owner" in pack.first_90_days[0].milestone, pack.area


def test_every_pack_names_what_each_kind_of_partner_brings(packs):
    for pack in packs.packs:
        assert {p.type for p in pack.partner_types} == PARTNER_TYPES, pack.area
        for partner in pack.partner_types:
            assert partner.brings and partner.watch_out, f"{pack.area}: {partner.type}"


def test_every_pack_asks_teams_to_check_the_evidence_for_their_context(packs):
    for pack in packs.packs:
        note = pack.evidence_note.lower()
        assert "check the evidence" in note and "context" in note, pack.area


def test_evidence_based_practices_are_named_generically(packs):
    expected = {
        "public_safety": [
            "focused deterrence",
            "street outreach",
            "hospital-based violence intervention",
        ],
        "permitting": ["online permit intake with status tracking"],
        "mobility": ["bus lanes", "signals that give buses priority"],
    }
    for area, practices in expected.items():
        note = starter_pack(area).evidence_note.lower()
        for practice in practices:
            assert practice in note, f"{area} should name {practice!r}"


def test_every_pack_cites_results_based_accountability_and_the_seed(packs):
    for pack in packs.packs:
        sources = " ".join(pack.sources)
        assert "Results-Based Accountability" in sources, pack.area
        assert "Reinvent Albany" in sources, pack.area


def test_summaries_notes_and_intro_read_at_grade_nine_or_lower(packs):
    texts = {"intro": packs.intro, "representative_note": packs.representative_note}
    texts |= {f"kind {k.id}": k.description for k in packs.measure_kinds}
    for pack in packs.packs:
        texts[f"{pack.area}.summary"] = pack.summary
        texts[f"{pack.area}.evidence_note"] = pack.evidence_note
    for where, text in texts.items():
        assert grade(text) <= 9, f"{where}: grade {grade(text)}: {text}"


def test_lists_read_at_grade_nine_or_lower_as_a_whole(packs):
    for pack in packs.packs:
        lists = {
            "typical_goals": pack.typical_goals,
            "logic_model": [
                item for field in LOGIC_MODEL_FIELDS for item in getattr(pack.logic_model, field)
            ],
            "measure names": [m.name for m in pack.measures],
            "measure sources": [m.suggested_source for m in pack.measures],
            "representativeness notes": [m.representativeness_note for m in pack.measures],
            "common_pitfalls": pack.common_pitfalls,
            "partners bring": [b for p in pack.partner_types for b in p.brings],
            "partner watch-outs": [p.watch_out for p in pack.partner_types],
            "data_needed": pack.data_needed,
            "first_90_days": [m.milestone for m in pack.first_90_days],
            "what roles do": [r.does for r in pack.raci_roles],
        }
        for where, items in lists.items():
            text = as_prose(items)
            assert grade(text) <= 9, f"{pack.area}.{where}: grade {grade(text)}"


def test_no_email_addresses_or_phone_numbers_anywhere():
    text = PACKS_FILE.read_text(encoding="utf-8")
    assert not EMAIL.search(text), EMAIL.search(text)
    assert not PHONE.search(text), PHONE.search(text)


def test_a_measure_missing_its_kind_is_refused_naming_the_file_and_field(tmp_path, raw):
    del raw["packs"][0]["measures"][2]["kind"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, StarterPacksFile)
    assert str(path) in str(caught.value)
    assert "packs[0].measures[2].kind" in str(caught.value)


def test_a_311_measure_marked_representative_is_refused(tmp_path, raw):
    raw["packs"][1]["measures"][0]["suggested_source"] = "311 request records"
    raw["packs"][1]["measures"][0]["representative"] = True
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"packs\[1\]\.measures\[0\].*representative: false"):
        content.parse(path, StarterPacksFile)


def test_a_pack_without_a_better_off_measure_is_refused(tmp_path, raw):
    measures = raw["packs"][2]["measures"]
    raw["packs"][2]["measures"] = [m for m in measures if m["kind"] != "better_off"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"packs\[2\]\.measures: .*better_off"):
        content.parse(path, StarterPacksFile)


def test_a_pack_without_a_product_owner_is_refused(tmp_path, raw):
    roles = raw["packs"][0]["raci_roles"]
    raw["packs"][0]["raci_roles"] = [r for r in roles if r["id"] != "product_owner"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"packs\[0\]\.raci_roles: .*product_owner"):
        content.parse(path, StarterPacksFile)


def test_a_milestone_owned_by_a_person_not_a_role_is_refused(tmp_path, raw):
    raw["packs"][0]["first_90_days"][1]["owner"] = "jane_smith"
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"packs\[0\].*jane_smith"):
        content.parse(path, StarterPacksFile)


def test_a_milestone_after_week_thirteen_is_refused(tmp_path, raw):
    raw["packs"][0]["first_90_days"][-1]["week"] = 20
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"packs\[0\]\.first_90_days\[\d+\]\.week"):
        content.parse(path, StarterPacksFile)


def test_a_file_without_the_blank_pack_is_refused(tmp_path, raw):
    raw["packs"] = [p for p in raw["packs"] if p["area"] != "other"]
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError, match=r"packs: .*'other'"):
        content.parse(path, StarterPacksFile)


def test_a_pack_for_a_missing_area_is_refused_on_load(tmp_path, raw, monkeypatch):
    shutil.copy(content.CONTENT_DIR / "areas.yaml", tmp_path / "areas.yaml")
    raw["packs"][0]["area"] = "crystal_balls"
    _write(tmp_path, raw)
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    content.clear_cache()
    with pytest.raises(ContentError) as caught:
        load_starter_packs()
    assert "starter_packs.yaml: packs[0].area" in str(caught.value)
    assert "crystal_balls" in str(caught.value)
