"""Every upload path against bad and awkward files: a plain message naming the file, or the
data imported exactly as written; never a crash, never half a file saved."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

import cli
from exports import workbook
from tests.helpers import FACILITATOR, member
from tests.hostile import battery, files
from toolkit import budget as bg
from toolkit import budget_import as bi
from toolkit import guidebook as gb
from toolkit import portable
from toolkit import workshop as ws
from toolkit.store import SYSTEM


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return files.zip_bomb(250)


# --- one way in per upload path: the bytes go in, a message (or nothing) comes out -------------


def budget_message(name: str, data: bytes) -> str | None:
    try:
        bi.inspect_file(data, name)
    except bi.BudgetFileError as exc:
        return str(exc)
    return None


def guidebook_message(name: str, data: bytes) -> str | None:
    try:
        report = gb.import_csv(data, name)
    except gb.CsvImportError as exc:
        return str(exc)
    return "; ".join(f"Row {p.row}: {p.message}" for p in report.problems) or None


def teams_message(name: str, data: bytes) -> str | None:
    good, problems = ws.parse_teams_csv(data, name)
    return " ".join(problems) or None


def portable_message(name: str, data: bytes) -> str | None:
    try:
        portable.parse(data)
    except portable.PortableError as exc:
        return f"{name}: {exc}"
    return None


UPLOADERS = {"budget": budget_message, "guidebook": guidebook_message,
             "teams": teams_message, "portable": portable_message}

# (case, file name, bytes or a fixture name) -> the words each uploader's message must hold.
BAD = [
    ("pdf", "report.pdf", files.PDF, {"budget": "is a PDF document", "guidebook": "PDF",
                                      "teams": "PDF", "portable": "not valid JSON"}),
    ("png", "photo.png", files.PNG, {"budget": "is a picture", "guidebook": "picture",
                                     "teams": "picture", "portable": "not text"}),
    ("exe", "setup.exe", files.EXE, {"budget": "not a CSV or Excel file",
                                     "guidebook": "a program", "teams": "a program",
                                     "portable": "not text"}),
    ("pdf named xlsx", "budget.xlsx", files.PDF, {"budget": "is a PDF document",
                                                  "guidebook": "PDF", "teams": "PDF",
                                                  "portable": "not valid JSON"}),
    ("empty", "empty.csv", b"", {"budget": "is empty", "guidebook": "is empty",
                                 "teams": "is empty", "portable": "is empty"}),
    ("truncated xlsx", "cut.xlsx", files.truncated(files.XLSX),
     {"budget": "damaged or incomplete", "guidebook": "Excel workbook",
      "teams": "Excel workbook", "portable": "not text"}),
    ("zip bomb", "bomb.xlsx", "zip_bomb", {"budget": "would unpack to far more data",
                                           "guidebook": "Excel workbook",
                                           "teams": "Excel workbook", "portable": "not text"}),
    ("entity bomb", "laughs.xlsx", files.entity_bomb(),
     {"budget": "damaged or incomplete", "guidebook": "Excel workbook",
      "teams": "Excel workbook", "portable": "not text"}),
    ("xlsx named csv", "budget.csv", files.XLSX,
     {"guidebook": "Excel workbook", "teams": "Excel workbook", "portable": "not text"}),
    ("csv named xlsx", "budget.xlsx", files.BUDGET_CSV,
     {"guidebook": "missing these columns", "teams": "has no 'city' column",
      "portable": "not valid JSON"}),
]


# The budget reads a renamed file by what it is (see the test after this one).
CASES = [(uploader, name, data, words[uploader]) for _, name, data, words in BAD
         for uploader in UPLOADERS if uploader in words]


@pytest.mark.parametrize("uploader, name, data, expected", CASES,
                         ids=[f"{u}-{case}" for case, _, _, words in BAD
                              for u in UPLOADERS if u in words])
def test_a_wrong_file_gets_a_plain_message_naming_it(request, uploader, name, data, expected):
    if isinstance(data, str):
        data = request.getfixturevalue(data)
    message = UPLOADERS[uploader](name, data)
    assert message is not None, f"{uploader} accepted {name}"
    assert name in message and expected in message
    assert "Traceback" not in message and "Error" not in message


def test_a_renamed_file_is_read_by_what_it_is_not_by_its_name():
    workbook_as_csv = bi.inspect_file(files.XLSX, "budget.csv")
    csv_as_workbook = bi.inspect_file(files.BUDGET_CSV, "budget.xlsx")
    assert workbook_as_csv.format == "xlsx" and csv_as_workbook.format == "csv"
    assert workbook_as_csv.rows == csv_as_workbook.rows
    assert any("has a CSV name but is an Excel workbook" in w for w in workbook_as_csv.warnings)
    assert any("has an Excel name but holds plain text" in w for w in csv_as_workbook.warnings)


def test_openpyxl_refuses_xml_entities_through_defusedxml():
    import defusedxml

    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(io.BytesIO(files.entity_bomb()))
    chain, exc = [], caught.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(e, defusedxml.DefusedXmlException) for e in chain)


def test_calamine_does_not_expand_the_entity_bomb_either():
    with pytest.raises(bi.CorruptFileError, match="laughs.xlsx"):
        bi.read_budget(files.entity_bomb(), "laughs.xlsx")


def test_defusedxml_is_a_declared_dependency():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert any(d.startswith("defusedxml") for d in project["project"]["dependencies"])


# --- too big --------------------------------------------------------------------------------


def test_files_over_each_size_limit_are_refused_before_they_are_read():
    assert "the limit is 50 MB" in budget_message("huge.csv", b"a,b\n" * (bi.MAX_BYTES // 4 + 1))
    assert "the limit is 5 MB" in guidebook_message(
        "huge.csv", b"kind,name\n" * (gb.MAX_IMPORT_BYTES // 10 + 1))
    assert "the limit is 1 MB" in teams_message("huge.csv", b"city\n" * (ws.TEAM_CSV_MAX_BYTES
                                                                          // 5 + 1))
    assert "the limit is 60 MB" in portable_message("huge.json",
                                                    b" " * (portable.MAX_BYTES + 1))


def test_csvs_over_each_row_limit_name_the_limit():
    rows = b"Department,Amount\n" + b"Police,1\n" * (bi.MAX_ROWS + 40)
    assert "more than 200,000 rows" in budget_message("rows.csv", rows)
    guide = b"kind,name,topics,help_with\n" + b"organization,X,data,Helps a lot\n" * 5001
    assert "has 5,001 entries; the limit is 5,000" in guidebook_message("rows.csv", guide)
    teams = b"city\n" + b"".join(b"City %d\n" % n for n in range(201))
    assert "has 201 rows; a workshop holds at most 200" in teams_message("rows.csv", teams)


def test_a_cell_longer_than_the_csv_module_allows_is_refused_with_its_line():
    long_cell = b"kind,name,topics,help_with\norganization,X,data," + b"y" * 200_000 + b"\n"
    message = guidebook_message("long.csv", long_cell)
    assert '"long.csv" cannot be read as CSV at line 2' in message
    assert "longer than 131,072 characters" in message
    teams = teams_message("long.csv", b"city\n" + b"y" * 200_000 + b"\n")
    assert '"long.csv" cannot be read as CSV at line 2' in teams


@pytest.mark.parametrize("data", [b"[" * 100_000 + b"]" * 100_000,
                                  json.dumps({"schema": "isc-blueprint"}).encode()[:-1]
                                  + b', "x": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001])
def test_json_nested_far_too_deep_is_refused_plainly(data):
    assert "nests its data more than 32 levels deep" in portable_message("deep.json", data)


# --- encodings, formulas, markup, long text, emoji and right-to-left ---------------------------

ACCENTED = "Sécurité publique – Café Numérique"


def test_cp1252_and_utf16_budgets_keep_their_accents():
    text = f"Department,Amount\n{ACCENTED},1200\nParks,300\n"
    for encoding in ("cp1252", "utf-16"):
        table = bi.inspect_file(text.encode(encoding), f"budget-{encoding}.csv")
        assert table.rows[0][0] == ACCENTED, encoding


def test_cp1252_and_utf16_guidebook_files_keep_their_accents():
    text = ("kind,name,topics,help_with,website\n"
            f"organization,{ACCENTED},data,Helps with open data portals.,https://example.org\n")
    for encoding in ("cp1252", "utf-16"):
        report = gb.import_csv(text.encode(encoding), f"guide-{encoding}.csv")
        assert [e.name for _, e in report.entries] == [ACCENTED], encoding


def test_cp1252_and_utf16_team_files_keep_their_accents():
    text = "city,state,mayor\nEspañola,NM,Zoë Núñez\nSaint-Étienne,,Renée\n"
    for encoding in ("cp1252", "utf-16", "utf-8-sig"):
        good, problems = ws.parse_teams_csv(text.encode(encoding), f"teams-{encoding}.csv")
        assert problems == [], encoding
        assert [(r.profile.city, r.profile.mayor) for r in good] == [
            ("Española", "Zoë Núñez"), ("Saint-Étienne", "Renée")], encoding


HOSTILE_CELLS = [battery.FORMULA, battery.PLUS, battery.MINUS, battery.AT, battery.SCRIPT,
                 battery.IMG, battery.JS_LINK, battery.REMOTE_IMAGE, battery.EMOJI, battery.RTL,
                 battery.COMBINING, battery.STREAMLIT, battery.TEMPLATE, "x" * 5000]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_a_budget_with_formulas_markup_emoji_and_rtl_is_stored_and_exported_as_typed(
        store, teams):
    rows = ["Department,Category,Amount"] + [f"{_csv_cell(t)},Personnel,{n + 1}00"
                                             for n, t in enumerate(HOSTILE_CELLS)]
    table = bi.inspect_file(("\n".join(rows) + "\n").encode(), "hostile.csv")
    result = bi.import_lines(table, table.mapping)
    team = teams["lakeport"]
    bg.save_import(store, SYSTEM, team.id, result)
    stored = [line[1] for line in store.all_budget_lines(SYSTEM, team.id)]
    assert stored == HOSTILE_CELLS
    wb = openpyxl.Workbook()
    workbook.add_budget_sheets(wb, lines=store.all_budget_lines(SYSTEM, team.id),
                               plan=bg.BudgetPlan(), index=None, years=[])
    cells = {c.value: c for row in wb["Budget lines"].iter_rows(min_row=2) for c in row}
    for text in HOSTILE_CELLS:
        assert cells[text].data_type == "s", text  # text, never a formula
    reread = openpyxl.load_workbook(io.BytesIO(workbook.to_bytes(wb)))["Budget lines"]
    assert {c.value for row in reread.iter_rows(min_row=2) for c in row} >= set(HOSTILE_CELLS)


def test_guidebook_cells_with_formulas_and_markup_import_as_typed_and_export_safely(
        store, demo):
    names = [battery.FORMULA, battery.AT + " Agency", battery.SCRIPT, battery.EMOJI,
             battery.RTL, battery.PLUS + " Lab"]
    lines = ["kind,name,topics,help_with,website"] + [
        f"organization,{_csv_cell(n)},data,{_csv_cell(battery.JS_LINK + ' helps a lot')},"
        f"https://example{i}.org" for i, n in enumerate(names)]
    report = gb.add_imported(store, FACILITATOR, gb.import_csv("\n".join(lines) + "\n"))
    assert report.problems == [] and report.added == len(names)
    saved = gb.all_entries(store, FACILITATOR, statuses=("approved",))
    assert set(names) <= {e.name for e in saved}
    exported = gb.export_csv([e for e in saved if e.name in names])
    cells = {row[1] for row in csv.reader(io.StringIO(exported))}
    assert "'" + battery.FORMULA in cells and "'" + battery.AT + " Agency" in cells
    again = gb.import_csv(exported)
    assert sorted(e.name for _, e in again.entries) == sorted(names)


def test_a_guidebook_row_too_long_is_named_by_its_row_and_nothing_else_is_lost():
    text = ("kind,name,topics,help_with,website\n"
            "organization,Good Org,data,Helps with data.,https://good.example\n"
            f"organization,{'N' * 500},data,Helps with data.,https://long.example\n")
    report = gb.import_csv(text, "cohort.csv")
    assert [e.name for _, e in report.entries] == ["Good Org"]
    assert report.problems[0].row == 3 and "160 characters or fewer" in report.problems[0].message


def test_team_rows_with_markup_are_kept_as_typed_and_bad_rows_named():
    text = ("city,state,population\n"
            f"{_csv_cell(battery.IMG)},OH,1000\n"
            f"{_csv_cell('=cmd|' + chr(39) + '/C calc' + chr(39) + '!A0')},,\n"
            f"{'C' * 200},,\n"
            f"{_csv_cell(battery.RTL)},,many\n")
    good, problems = ws.parse_teams_csv(text.encode("utf-8"), "teams.csv")
    assert [r.profile.city for r in good] == [battery.IMG, "=cmd|'/C calc'!A0"]
    assert problems == ["Row 4: City: String should have at most 80 characters.",
                        "Row 5: population 'many' is not a whole number."]


# --- the JSON file: wrong schema, another team, a broken budget part -----------------------------


def test_json_of_the_wrong_schema_names_the_field(store, teams):
    data = portable.export_team(store, SYSTEM, teams["riverton"].id)
    data["documents"]["initiative"]["title"] = 12
    message = portable_message("plan.json", portable.dumps(data).encode())
    assert "plan.json: Field 'documents.initiative.title'" in message
    data = portable.export_team(store, SYSTEM, teams["riverton"].id)
    data["budget"]["details"]["counts"] = "lots"
    assert "Field 'budget.details.counts'" in portable_message("x.json",
                                                               portable.dumps(data).encode())
    assert "its 'schema' field is not 'isc-blueprint'" in portable_message("x.json", b"[1, 2]")


def test_json_for_another_team_is_flagged_before_it_replaces_anything(store, teams):
    raw = portable.dumps(portable.export_team(store, SYSTEM, teams["mesa-verde"].id))
    parsed, _ = portable.parse(raw)
    warning = portable.other_team_warning(parsed, teams["lakeport"])
    assert "work of team 'mesa-verde', not of your team ('lakeport')" in warning
    assert portable.other_team_warning(parsed, teams["mesa-verde"]) is None


def test_a_refused_json_file_changes_nothing(store, key, teams):
    team = teams["riverton"]
    before = store.document_bodies(SYSTEM, team.id)
    data = portable.export_team(store, SYSTEM, team.id)
    data["documents"]["initiative"]["title"] = "Replaced"
    data["documents"]["action_plan"]["milestones"] = "not a list"
    with pytest.raises(portable.PortableError):
        portable.import_team(store, member(team), key, portable.dumps(data),
                             workshop_id=team.workshop_id, into_team_id=team.id)
    assert store.document_bodies(SYSTEM, team.id) == before


def test_a_json_file_with_a_blank_city_becomes_a_team_named_by_its_slug(store, key, teams):
    data = portable.export_team(store, SYSTEM, teams["lakeport"].id)
    data["documents"]["profile"]["city"] = ""
    data["team"]["slug"] = "harbor-city"
    team, code = portable.import_team(store, SYSTEM, key, portable.dumps(data),
                                      workshop_id=teams["lakeport"].workshop_id)
    assert team.city == "harbor-city" and code


# --- the command line --------------------------------------------------------------------------


def _run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name, data, words", [
    ("report.pdf", files.PDF, "not valid JSON"),
    ("empty.json", b"", "is empty"),
    ("deep.json", b"[" * 50_000 + b"]" * 50_000, "levels deep"),
    ("photo.json", files.PNG, "not text"),
])
def test_isc_import_refuses_bad_files_plainly_and_adds_no_team(capsys, tmp_path, store, demo,
                                                               name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    before = len(store.list_teams(SYSTEM))
    status, out, err = _run(capsys, "import", str(path), "--new-team")
    assert status == 2 and out == ""
    assert err.startswith(f"isc import: {name}: ") and words in err
    assert "Traceback" not in err
    assert len(store.list_teams(SYSTEM)) == before


@pytest.mark.parametrize("name, data, words", [
    ("report.pdf", files.PDF, "is a PDF document"),
    ("empty.csv", b"", "is empty"),
    ("cut.xlsx", files.truncated(files.XLSX), "damaged or incomplete"),
    ("laughs.xlsx", files.entity_bomb(), "damaged or incomplete"),
    ("setup.exe", files.EXE, "not a CSV or Excel file"),
])
def test_isc_budget_inspect_refuses_bad_files_plainly(capsys, tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    status, out, err = _run(capsys, "budget", "inspect", str(path))
    assert status == 2 and out == ""
    assert f'"{name}"' in err and words in err and "Traceback" not in err


def test_isc_budget_inspect_refuses_a_zip_bomb(capsys, tmp_path, zip_bomb):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb)
    status, _, err = _run(capsys, "budget", "inspect", str(path))
    assert status == 2 and '"bomb.xlsx" would unpack to far more data' in err


def test_isc_budget_inspect_reads_a_utf16_file_with_formulas_as_text(capsys, tmp_path):
    path = tmp_path / "budget.csv"
    path.write_bytes(f"Department,Amount\n{ACCENTED},100\n=1+1,50\n".encode("utf-16"))
    status, out, _ = _run(capsys, "budget", "inspect", str(path), "--json")
    assert status == 0
    summary = json.loads(out)
    assert summary["rows"] == 2 and summary["total"] == "150.00"
