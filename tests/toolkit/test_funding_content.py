"""content/funding.yaml and budget_flags.yaml: they load, link up, read plainly and catch real lines."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import textstat
import yaml

from toolkit import content, funding, workshop
from toolkit.content import ContentError
from toolkit.funding import (
    BudgetFlagsFile,
    FundingCatalog,
    flags_for,
    load_budget_flags,
    load_funding_catalog,
)

BUDGETS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "budgets"
needs_budgets = pytest.mark.skipif(
    not BUDGETS.is_dir(),
    reason=f"the shared real budget files are not here ({BUDGETS}); they live beside the repo",
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|mailto:", re.IGNORECASE)
PHONE = re.compile(r"\(?\b\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}\b|\btel:", re.IGNORECASE)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def as_prose(items: list[str]) -> str:
    """A list read as a whole, one bullet to a sentence, as a reader takes it in."""
    return " ".join(i if i.rstrip().endswith((".", "?", "!")) else f"{i}." for i in items)


def ids(flag_list) -> list[str]:
    return [f.id for f in flag_list]


@pytest.fixture(scope="module")
def catalog() -> FundingCatalog:
    content.clear_cache()
    return load_funding_catalog()


@pytest.fixture(scope="module")
def budget_flags() -> BudgetFlagsFile:
    return load_budget_flags()


def _raw(name: str) -> dict:
    return yaml.safe_load((content.CONTENT_DIR / name).read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- funding.yaml ----------------------------------------------------------------------


def test_the_funding_catalog_loads_with_its_area_links_checked(catalog):
    assert isinstance(catalog, FundingCatalog)


def test_both_files_name_their_maintainer_and_last_review_date(catalog, budget_flags):
    for loaded in (catalog, budget_flags):
        assert loaded.maintainer == "ISC Blueprint content team"
        assert loaded.last_reviewed == dt.date(2026, 11, 22)


def test_funding_source_and_cost_category_ids_are_unique(catalog):
    source_ids = [s.id for s in catalog.sources]
    cost_ids = [c.id for c in catalog.cost_categories]
    assert len(source_ids) == len(set(source_ids))
    assert len(cost_ids) == len(set(cost_ids))


def test_the_catalog_covers_the_kinds_of_money_the_institute_asked_for(catalog):
    asked_for = {
        "federal_formula",
        "federal_competitive",
        "state_grants",
        "local_philanthropy",
        "national_philanthropy",
        "university_partners",
        "employer_partners",
        "public_private_agreements",
        "bonds_capital",
        "fees_charges",
        "legacy_savings",
        "operating_reallocation",
        "regional_transit",
    }
    assert asked_for <= {s.id for s in catalog.sources}


def test_every_area_a_funding_source_names_exists_in_areas_yaml(catalog):
    area_ids = {a.id for a in workshop.areas()}
    for source in catalog.sources:
        assert set(source.good_for_areas) <= area_ids, source.id


def test_every_initiative_area_has_funding_sources_to_suggest(catalog):
    for area in workshop.areas():
        assert catalog.sources_for_area(area.id), area.id


def test_the_catalog_carries_a_verify_note_and_so_does_every_example(catalog):
    assert catalog.verify_note.startswith("Verify the current status before you apply")
    for source in catalog.sources:
        assert source.examples, source.id
        for example in source.examples:
            note = example.verify_note.lower()
            assert any(word in note for word in ("check", "verify", "ask", "read")), (
                f"{source.id}: {example.name}"
            )


def test_no_dollar_amounts_or_percentages_are_stated_as_facts():
    text = (content.CONTENT_DIR / "funding.yaml").read_text(encoding="utf-8")
    assert "$" not in text
    assert not re.search(r"\d\s*(%|percent)", text)


def test_cost_categories_cover_the_five_year_total_cost_of_ownership(catalog):
    kinds = {c.id: c.kind for c in catalog.cost_categories}
    one_time = {"procurement", "implementation", "data_migration", "hardware", "user_research"}
    recurring = {
        "licenses",
        "hosting",
        "maintenance_support",
        "staffing",
        "training",
        "evaluation",
    }
    assert {k for k, v in kinds.items() if v == "one_time"} == one_time
    assert {k for k, v in kinds.items() if v == "recurring"} == recurring


def test_cost_hints_name_what_people_forget(catalog):
    assert "exit costs" in catalog.cost_category("licenses").often_missed
    assert "product owner" in catalog.cost_category("staffing").description
    for category in catalog.cost_categories:
        assert category.often_missed, category.id


def test_funding_guidance_reads_at_grade_nine_or_lower(catalog):
    texts = {"intro": catalog.intro, "verify_note": catalog.verify_note}
    texts["cost_intro"] = catalog.cost_intro
    for s in catalog.sources:
        texts[f"{s.id}.description"] = s.description
        texts[f"{s.id}.match_requirements"] = s.match_requirements
        texts[f"{s.id}.timeline"] = s.timeline
        texts[f"{s.id}.typically_funds"] = as_prose(s.typically_funds)
        texts[f"{s.id}.watch_outs"] = as_prose(s.watch_outs)
        texts[f"{s.id}.verify_notes"] = " ".join(e.verify_note for e in s.examples)
    for c in catalog.cost_categories:
        texts[f"{c.id}.description"] = c.description
        texts[f"{c.id}.often_missed"] = c.often_missed
    for where, text in texts.items():
        assert grade(text) <= 9, f"{where}: grade {grade(text)}: {text}"


@pytest.mark.parametrize("name", ["funding.yaml", "budget_flags.yaml"])
def test_no_email_addresses_or_phone_numbers_anywhere(name):
    text = (content.CONTENT_DIR / name).read_text(encoding="utf-8")
    assert not EMAIL.search(text), EMAIL.search(text)
    assert not PHONE.search(text), PHONE.search(text)


def test_a_source_missing_a_field_is_refused_naming_the_file_and_field(tmp_path):
    raw = _raw("funding.yaml")
    del raw["sources"][3]["timeline"]
    path = _write(tmp_path, "funding.yaml", raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, FundingCatalog)
    assert str(path) in str(caught.value)
    assert "sources[3].timeline" in str(caught.value)


def test_an_example_without_a_verify_note_is_refused(tmp_path):
    raw = _raw("funding.yaml")
    del raw["sources"][0]["examples"][0]["verify_note"]
    path = _write(tmp_path, "funding.yaml", raw)
    with pytest.raises(ContentError, match=r"sources\[0\]\.examples\[0\]\.verify_note"):
        content.parse(path, FundingCatalog)


def test_a_cost_category_of_an_unknown_kind_is_refused(tmp_path):
    raw = _raw("funding.yaml")
    raw["cost_categories"][0]["kind"] = "sometimes"
    path = _write(tmp_path, "funding.yaml", raw)
    with pytest.raises(ContentError, match=r"cost_categories\[0\]\.kind"):
        content.parse(path, FundingCatalog)


def test_a_link_to_a_missing_area_is_refused_on_load(tmp_path, monkeypatch):
    shutil.copy(content.CONTENT_DIR / "areas.yaml", tmp_path / "areas.yaml")
    raw = _raw("funding.yaml")
    raw["sources"][0]["good_for_areas"] = ["mobility", "crystal_balls"]
    _write(tmp_path, "funding.yaml", raw)
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    content.clear_cache()
    with pytest.raises(ContentError) as caught:
        load_funding_catalog()
    assert "funding.yaml: sources[0].good_for_areas" in str(caught.value)
    assert "crystal_balls" in str(caught.value)


# --- budget_flags.yaml -----------------------------------------------------------------


def test_flag_rule_ids_are_unique_across_both_groups(budget_flags):
    rule_ids = [rule.id for _, rule in budget_flags.rules()]
    assert len(rule_ids) == len(set(rule_ids))


def test_both_groups_of_flags_are_present(budget_flags):
    assert {"debt_service", "pensions_retirement", "legal_obligations", "grant_match"} <= {
        r.id for r in budget_flags.mandated
    }
    assert {"restricted_fund", "enterprise_fund", "insurance_claims"} <= {
        r.id for r in budget_flags.mandated
    }
    assert {r.id for r in budget_flags.personnel_heavy} == {"overtime", "salaries_wages",
                                                            "employee_benefits"}


def test_flag_explanations_read_at_grade_nine_or_lower(budget_flags):
    assert grade(budget_flags.intro) <= 9
    for _, rule in budget_flags.rules():
        assert grade(rule.explanation) <= 9, f"{rule.id}: {rule.explanation}"


def test_a_personnel_and_overhead_line_is_flagged_as_personnel_heavy():
    flags = flags_for("Police", "Personnel & OH", "General Fund: General Purpose")
    assert ids(flags) == ["salaries_wages"]
    assert flags[0].group == "personnel_heavy"
    assert flags[0].field == "category"
    assert flags[0].matched == "Personnel & OH"


def test_matching_ignores_case_padding_and_doubled_spaces():
    assert ids(flags_for("", "  employee   SERVICES ", "")) == ["salaries_wages"]
    assert ids(flags_for("", "", "DEBT SERVICE                  ")) == ["debt_service"]


def test_a_line_can_carry_more_than_one_flag():
    assert ids(flags_for("", "Debt Service - Pensions", "General Fund")) == [
        "debt_service",
        "pensions_retirement",
    ]


def test_a_flag_explains_why_the_line_is_risky():
    (flag,) = flags_for("FINANCE GENERAL", "CONSENT DECREE", "CORPORATE FUND")
    assert flag.id == "legal_obligations"
    assert "court" in flag.explanation.lower()


@pytest.mark.parametrize(
    ("department", "category", "fund"),
    [
        ("Public Works", "Office Supplies", "General Fund"),
        ("DOF", "STATIONERY AND OFFICE SUPPLIES", "CORPORATE FUND"),
        ("Finance Department", "Postage and Mailing", "General Fund: General Purpose"),
        ("AIS", "SOFTWARE MAINTENANCE AND LICENSING", "CORPORATE FUND"),
        # Traps found in the real files: none of these is what its words suggest.
        (
            "LAW",
            "For Legal Technical Medical and Professional Services and Other Incidental Contractual Services",
            "CORPORATE FUND",
        ),
        ("Aging", "Utility Assistance Debt Relief", "General Fund"),
        ("Bureau of Street Lighting", "Street Lighting General Benefit", "General Fund"),
        (
            "Fire",
            "Furniture and Equipment: Additions (Fixed Asset Number Mandatory)",
            "General Fund",
        ),
        ("Transportation", "Vision Zero Safety Program", "General Fund"),
        # A personnel department buys office supplies like anyone else.
        ("Personnel", "Office Supplies", "General Fund"),
    ],
)
def test_ordinary_operating_lines_are_not_flagged(department, category, fund):
    assert flags_for(department, category, fund) == []


def test_fund_rules_look_only_at_the_fund_name():
    # A city paying out grants is not spending restricted grant money.
    assert flags_for("DCASE", "CULTURAL PROGRAMMING GRANTS", "CORPORATE FUND") == []
    assert ids(flags_for("DCASE", "OFFICE SUPPLIES", "CDOT - PRIVATE GRANTS")) == [
        "restricted_fund"
    ]


def test_flags_come_from_the_content_directory_in_use(tmp_path, monkeypatch):
    _write(
        tmp_path,
        "budget_flags.yaml",
        {
            "maintainer": "Test team",
            "last_reviewed": "2026-11-22",
            "intro": "Only one rule here.",
            "mandated": [
                {"id": "zoo", "label": "Zoo", "explanation": "Animals first.", "match": ["zoo"]}
            ],
            "personnel_heavy": [
                {"id": "keepers", "label": "Keepers", "explanation": "People.", "match": ["keeper"]}
            ],
        },
    )
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    content.clear_cache()
    assert ids(flags_for("", "Zoo keepers", "")) == ["zoo", "keepers"]
    assert flags_for("", "Personnel & OH", "") == []


def test_a_malformed_flags_file_is_refused_naming_the_file_and_field(tmp_path):
    raw = _raw("budget_flags.yaml")
    raw["mandated"][1]["match"].append("(unclosed")
    path = _write(tmp_path, "budget_flags.yaml", raw)
    with pytest.raises(ContentError) as caught:
        content.parse(path, BudgetFlagsFile)
    assert str(path) in str(caught.value)
    assert "mandated[1].match" in str(caught.value)


def test_an_upper_case_pattern_is_refused_because_it_could_never_match(tmp_path):
    raw = _raw("budget_flags.yaml")
    raw["personnel_heavy"][0]["match"].append("Overtime")
    path = _write(tmp_path, "budget_flags.yaml", raw)
    with pytest.raises(ContentError, match=r"personnel_heavy\[0\]\.match.*lowercase"):
        content.parse(path, BudgetFlagsFile)


def test_a_pattern_that_matches_every_line_is_refused(tmp_path):
    raw = _raw("budget_flags.yaml")
    raw["mandated"][0]["match"] = ["x*"]
    path = _write(tmp_path, "budget_flags.yaml", raw)
    with pytest.raises(ContentError, match=r"mandated\[0\]\.match.*every line"):
        content.parse(path, BudgetFlagsFile)


def test_an_unknown_field_name_on_a_rule_is_refused(tmp_path):
    raw = _raw("budget_flags.yaml")
    raw["mandated"][0]["fields"] = ["fund", "program"]
    path = _write(tmp_path, "budget_flags.yaml", raw)
    with pytest.raises(ContentError, match=r"mandated\[0\]\.fields\[1\]"):
        content.parse(path, BudgetFlagsFile)


def test_the_patterns_are_compiled_once_per_content_directory():
    funding.clear_cache()
    flags_for("", "Salaries General", "General Fund")
    flags_for("", "Overtime General", "General Fund")
    info = funding._compiled.cache_info()
    assert (info.misses, info.currsize) == (1, 1)


# --- against the real budget files ------------------------------------------------------


def _csv_rows(name: str, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(BUDGETS / name, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def oakland() -> list[dict[str, object]]:
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(BUDGETS / "oakland_fy2016-17_midcycle_budget_data.xlsx")
    rows = grid.get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def _first(rows, **where) -> dict:
    return next(r for r in rows if all(str(r[k]).strip() == v for k, v in where.items()))


@needs_budgets
def test_a_real_oakland_personnel_and_oh_line_is_flagged(oakland):
    row = _first(oakland, Categ="Personnel & OH", **{"Account Description": "Civilian: Regular"})
    flags = flags_for(row["Department"], row["Categ"], row["Fund And Descrciption"])
    assert "salaries_wages" in ids(flags)
    # Mapped by account name instead, as the importer proposes, the line is still caught.
    by_account = flags_for(
        row["Department"], row["Account Description"], row["Fund And Descrciption"]
    )
    assert "salaries_wages" in ids(by_account)


@needs_budgets
def test_every_oakland_personnel_line_is_flagged_and_no_o_and_m_supplies_line_is(oakland):
    for row in oakland:
        fund = str(row["Fund And Descrciption"])
        if row["Categ"] == "Personnel & OH":
            assert "salaries_wages" in ids(flags_for(row["Department"], row["Categ"], fund))
        if row["Account Description"] == "Stationery and Office Supplies" and fund.startswith(
            "General Fund"
        ):
            assert flags_for(row["Department"], row["Account Description"], fund) == [], row


@needs_budgets
def test_real_sacramento_employee_services_lines_are_flagged():
    rows = _csv_rows("sacramento_approved_budgets_fy2013-2022.csv", encoding="utf-8-sig")
    employee = [r for r in rows if r["CATEGORY"].strip() == "Employee Services"]
    assert employee
    for row in employee:
        assert "salaries_wages" in ids(flags_for(row["Department"], row["CATEGORY"], row["Fund"]))
    supplies = [
        r
        for r in rows
        if r["CATEGORY"].strip() == "Other Services and Supplies" and r["Fund"] == "General Fund"
    ]
    assert supplies
    for row in supplies:
        assert flags_for(row["Department"], row["CATEGORY"], row["Fund"]) == [], row


@needs_budgets
def test_real_chicago_pension_debt_and_consent_decree_lines_are_flagged():
    rows = _csv_rows("chicago_2021_budget_ordinance_appropriations.csv")

    def line_flags(row):
        return ids(
            flags_for(
                row["DEPARTMENT DESCRIPTION"],
                row["APPROPRIATION ACCOUNT DESCRIPTION"],
                row["FUND DESCRIPTION"],
            )
        )

    pension = _first(rows, **{"FUND DESCRIPTION": "POLICEMEN'S ANNUITY AND BENEFIT"})
    assert "pensions_retirement" in line_flags(pension)
    debt = _first(rows, **{"FUND DESCRIPTION": "BOND REDEMPTION AND INTEREST"})
    assert "debt_service" in line_flags(debt)
    decree = _first(rows, **{"APPROPRIATION ACCOUNT DESCRIPTION": "CONSENT DECREE"})
    assert "legal_obligations" in line_flags(decree)
    salaries = _first(
        rows, **{"APPROPRIATION ACCOUNT DESCRIPTION": "SALARIES AND WAGES - ON PAYROLL"}
    )
    assert "salaries_wages" in line_flags(salaries)
    supplies = [
        r
        for r in rows
        if r["APPROPRIATION ACCOUNT DESCRIPTION"] == "STATIONERY AND OFFICE SUPPLIES"
        and r["FUND DESCRIPTION"] == "CORPORATE FUND"
    ]
    assert supplies
    assert all(line_flags(r) == [] for r in supplies)


@needs_budgets
def test_real_los_angeles_and_oklahoma_city_lines_are_flagged():
    la = _csv_rows("los_angeles_fy2021-22_adopted_expenditures_sec2.csv", encoding="utf-8-sig")
    salaries = _first(la, **{"Account Name": "Salaries General"})
    assert "salaries_wages" in ids(
        flags_for(salaries["Dept Name"], salaries["Account Name"], salaries["Fund Name"])
    )
    claims = _first(la, **{"Dept Name": "Liability Claims"})
    assert "insurance_claims" in ids(
        flags_for(claims["Dept Name"], claims["Account Name"], claims["Fund Name"])
    )
    okc = [r for r in _csv_rows("oklahoma_city_fy2016_expense_budget.csv") if r["FundCode"]]
    opeb = _first(okc, **{"Account Description": "OPEB EXPENSE"})
    # Oklahoma City pads every name to 30 characters; the padding must not matter.
    assert opeb["Account Description"] != opeb["Account Description"].strip()
    assert "pensions_retirement" in ids(
        flags_for("", opeb["Account Description"], opeb["FundDescription"])
    )
    office = [
        r
        for r in okc
        if r["Account Description"].strip() == "OFFICE SUPPLIES"
        and r["FundDescription"].strip() == "GENERAL FUND"
    ]
    assert office
    assert all(flags_for("", r["Account Description"], r["FundDescription"]) == [] for r in office)
