"""Budget file importer: the six real city files, ugly generated files, and every refusal."""

from __future__ import annotations

import csv
import functools
import io
import json
import time
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import budget_import as bi
from toolkit.budget_import import (
    ALL_YEARS,
    BudgetFileError,
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    NotABudgetError,
    NotInFileError,
    TooManyRowsError,
    UnsupportedFormatError,
    ZipBombError,
    cents_to_str,
    fiscal_years,
    import_lines,
    inspect_file,
    parse_amount,
    propose_mapping,
    read_budget,
    to_json_summary,
)

BUDGETS = Path(__file__).resolve().parents[3] / "shared" / "data" / "budgets"
needs_budgets = pytest.mark.skipif(
    not BUDGETS.is_dir(), reason=f"the shared real budget files are not at {BUDGETS}"
)

CHICAGO = "chicago_2021_budget_ordinance_appropriations.csv"
LA_CSV = "los_angeles_fy2021-22_adopted_expenditures_sec2.csv"
LA_XLSX = "los_angeles_fy2021-22_adopted_expenditures_sec2.xlsx"
SACRAMENTO = "sacramento_approved_budgets_fy2013-2022.csv"
OKLAHOMA = "oklahoma_city_fy2016_expense_budget.csv"
OAKLAND = "oakland_fy2016-17_midcycle_budget_data.xlsx"
ALL_FILES = [CHICAGO, LA_CSV, LA_XLSX, SACRAMENTO, OKLAHOMA, OAKLAND]
LA_AMOUNT_COLUMNS = [
    "2019-20 Actuals",
    "2020-21 Adopted Budget",
    "2020-21 Estimates",
    "2021-22 Proposed Budget",
    "2021-22 Adopted",
]


# --------------------------------------------------------------------------- helpers
# The expected figures are computed here with the csv module, openpyxl and Decimal, never
# with the importer's own code, so a bug in the importer cannot hide in its own yardstick.


@functools.cache
def _bytes(name: str) -> bytes:
    return (BUDGETS / name).read_bytes()


def _csv_records(name: str) -> list[list[str]]:
    text = (BUDGETS / name).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _cents(text: str) -> int:
    return int(Decimal(text.strip()) * 100)


def _records_as_dicts(name: str) -> list[dict[str, str]]:
    header, *rows = _csv_records(name)
    return [dict(zip(header, row, strict=True)) for row in rows if any(c.strip() for c in row)]


@functools.cache
def _oakland_rows() -> list[dict[str, object]]:
    wb = openpyxl.load_workbook(BUDGETS / OAKLAND, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _forge_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite one member's uncompressed size in the zip's central directory."""
    raw = bytearray(data)
    entry = raw.find(b"PK\x01\x02")
    while entry != -1:
        name_len = int.from_bytes(raw[entry + 28 : entry + 30], "little")
        name = bytes(raw[entry + 46 : entry + 46 + name_len]).decode()
        if name == member:
            raw[entry + 24 : entry + 28] = size.to_bytes(4, "little")
            return bytes(raw)
        entry = raw.find(b"PK\x01\x02", entry + 4)
    raise AssertionError(f"{member} not in zip")


# No example database: the tests leave nothing behind in the working tree.
HYPOTHESIS = {"database": None, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]}

SIMPLE_CSV = (
    "Department,Fund,Account,Amount\r\n"
    'Police,General,Salaries,"1,234"\r\n'
    "Fire,General,Overtime,500.25\r\n"
    "Parks,Parks Fund,Supplies,(20)\r\n"
)


def _write_csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


# --------------------------------------------------------------------------- real files


@needs_budgets
def test_chicago_total_matches_the_sum_of_its_line_items():
    records = _records_as_dicts(CHICAGO)
    expected = sum(_cents(r["2021 ORDINANCE (AMOUNT $)"]) for r in records)

    result = read_budget(_bytes(CHICAGO), CHICAGO)

    assert len(records) == 3384
    assert len(result.lines) == 3384
    assert expected == 13_522_521_000_00
    assert result.total_cents == expected == sum(line.amount_cents for line in result.lines)
    assert cents_to_str(result.total_cents) == "13522521000.00"
    assert result.counts.negative == 15
    assert result.skipped == ()


@needs_budgets
def test_chicago_maps_descriptions_rather_than_codes():
    mapping = inspect_file(_bytes(CHICAGO), CHICAGO).mapping
    assert mapping.department == "DEPARTMENT DESCRIPTION"
    assert mapping.division == "APPROPRIATION AUTHORITY DESCRIPTION"
    assert mapping.category == "APPROPRIATION ACCOUNT DESCRIPTION"
    assert mapping.fund == "FUND DESCRIPTION"
    assert mapping.amount == "2021 ORDINANCE (AMOUNT $)"
    assert mapping.amount_candidates == ("2021 ORDINANCE (AMOUNT $)",)


@needs_budgets
def test_chicago_mojibake_control_character_is_repaired_to_an_en_dash():
    result = read_budget(_bytes(CHICAGO), CHICAGO)
    line = next(line for line in result.lines if line.row == 274)
    assert line.fund == "ASSISTANCE TO FIREFIGHTERS \u2013 CARES ACT"
    assert not any("\u0096" in line.fund for line in result.lines)
    assert any("garbled" in w for w in result.warnings)


@needs_budgets
def test_chicago_keeps_alphanumeric_fund_codes_as_text():
    table = inspect_file(_bytes(CHICAGO), CHICAGO)
    codes = {row[table.headers.index("FUND CODE")] for row in table.rows}
    assert {"0J47", "100", "023C"} <= codes
    assert len(codes) == 317


@needs_budgets
def test_los_angeles_csv_skips_the_unlabelled_grand_total_and_the_empty_row():
    records = _csv_records(LA_CSV)
    header, body = records[0], records[1:]
    adopted = header.index("2021-22 Adopted")
    grand_total_row = body[-2]
    lines = body[:-2]
    expected = sum(_cents(r[adopted]) for r in lines if r[adopted].strip())

    result = read_budget(_bytes(LA_CSV), LA_CSV)

    assert len(result.lines) == 6055 == len(lines)
    assert result.total_cents == expected == _cents(grand_total_row[adopted])
    assert [(s.row, s.reason) for s in result.skipped] == [
        (6057, "total row"),
        (6058, "blank row"),
    ]
    assert "6057" in result.skipped[0].detail


@needs_budgets
def test_los_angeles_proposes_the_latest_adopted_column_and_lists_all_five():
    mapping = inspect_file(_bytes(LA_CSV), LA_CSV).mapping
    assert mapping.amount == "2021-22 Adopted"
    assert mapping.amount_candidates == tuple(LA_AMOUNT_COLUMNS)
    assert (mapping.department, mapping.division, mapping.category, mapping.fund) == (
        "Dept Name",
        "Prog Name",
        "Account Name",
        "Fund Name",
    )


@needs_budgets
@pytest.mark.parametrize("column", LA_AMOUNT_COLUMNS)
def test_los_angeles_every_amount_column_reconciles_with_an_independent_sum(column):
    records = _csv_records(LA_CSV)
    i = records[0].index(column)
    lines = records[1:-2]
    expected = sum(_cents(r[i]) for r in lines if r[i].strip())
    blanks = sum(1 for r in lines if not r[i].strip())

    result = read_budget(_bytes(LA_CSV), LA_CSV, amount=column)

    assert result.amount_column == column
    assert result.total_cents == expected
    assert result.counts.missing == blanks
    assert len(result.lines) == 6055
    grand_total = records[-2][i]
    if grand_total:  # the proposed-budget column has no grand total in the file
        assert _cents(grand_total) == expected


@needs_budgets
def test_los_angeles_blank_amounts_are_missing_not_zero():
    records = _csv_records(LA_CSV)
    i = records[0].index("2021-22 Adopted")
    lines = records[1:-2]
    result = read_budget(_bytes(LA_CSV), LA_CSV)

    assert result.counts.missing == sum(1 for r in lines if r[i] == "") == 1836
    assert result.counts.zero == sum(1 for r in lines if r[i] == "0")
    missing = [line for line in result.lines if line.amount_missing]
    assert len(missing) == 1836 and all(line.amount_cents == 0 for line in missing)
    assert any("no amount" in w for w in result.warnings)


@needs_budgets
@pytest.mark.parametrize("name", [LA_CSV, LA_XLSX])
def test_los_angeles_codes_keep_their_leading_zeros(name):
    table = inspect_file(_bytes(name), name)
    first = dict(zip(table.headers, table.rows[0], strict=True))
    assert first["Dept Code"] == "02"
    assert first["Prog Code"] == "0201"
    assert first["Account Code"] == "001010"
    accounts = {row[table.headers.index("Account Code")] for row in table.rows}
    assert {"001010", "001070", "620P15P"} <= accounts


@needs_budgets
def test_los_angeles_xlsx_equals_the_csv():
    from_csv = inspect_file(_bytes(LA_CSV), LA_CSV)
    from_xlsx = inspect_file(_bytes(LA_XLSX), LA_XLSX)

    assert from_xlsx.sheets == ("Expenditures- Sec2",)
    assert from_xlsx.headers == from_csv.headers
    # The CSV ends with one extra all-empty record that the workbook does not have.
    assert from_csv.rows[-1] == [""] * len(from_csv.headers)
    assert from_xlsx.rows == from_csv.rows[:-1]
    assert from_xlsx.mapping == from_csv.mapping

    a, b = import_lines(from_csv, from_csv.mapping), import_lines(from_xlsx, from_xlsx.mapping)
    assert a.lines == b.lines
    assert a.total_cents == b.total_cents


@needs_budgets
def test_los_angeles_trailing_spaces_are_trimmed_but_inner_spaces_kept():
    table = inspect_file(_bytes(LA_CSV), LA_CSV)
    names = {row[table.headers.index("Account Name")] for row in table.rows}
    assert "Office and Administrative" in names
    assert not any(n != n.strip() for n in names)


@needs_budgets
def test_oklahoma_city_three_decimal_amounts_are_dollars_not_thousands():
    records = _records_as_dicts(OKLAHOMA)
    expected = sum(_cents(r["FY2016 Budget"]) for r in records)

    result = read_budget(_bytes(OKLAHOMA), OKLAHOMA)

    assert len(result.lines) == len(records) == 4736
    assert result.total_cents == expected
    by_row = {line.row: line for line in result.lines}
    assert by_row[2].amount_cents == 20_00  # "20.000"
    assert by_row[3].amount_cents == 8_670_00  # "8670.000"
    assert result.counts.negative == 358
    assert [(s.row, s.reason) for s in result.skipped] == [(4738, "blank row")]


@needs_budgets
def test_oklahoma_city_padding_to_thirty_characters_is_stripped():
    result = read_budget(_bytes(OKLAHOMA), OKLAHOMA)
    assert result.mapping.fund == "FundDescription"
    assert result.mapping.category == "Account Description"
    assert result.mapping.division == "ProgramName"
    assert result.lines[0].fund == "SPECIAL PURPOSE"
    assert result.lines[0].category == "OTHER SERVICES AND CHARGES"
    for line in result.lines:
        assert line.fund == line.fund.strip() and line.category == line.category.strip()


@needs_budgets
def test_oakland_imports_its_expense_lines_well_under_four_seconds():
    data = _bytes(OAKLAND)
    start = time.perf_counter()
    result = read_budget(data, OAKLAND)
    elapsed = time.perf_counter() - start

    rows = _oakland_rows()
    expense = [r for r in rows if r["Account Type"] == "Expense"]
    assert len(rows) == 11231 and len(expense) == 10595
    assert elapsed < 4.0
    assert len(result.lines) == 10595
    assert result.expenses_only is True
    assert result.counts.filtered_out == {"revenue row": 636}
    assert result.total_cents == sum(int(r["AMT"]) * 100 for r in expense)
    assert any("Only expense rows" in w for w in result.warnings)


@needs_budgets
def test_oakland_with_revenue_included_keeps_all_11231_rows():
    rows = _oakland_rows()
    result = read_budget(_bytes(OAKLAND), OAKLAND, expenses_only=False)
    assert len(result.lines) == 11231
    assert result.total_cents == sum(int(r["AMT"]) * 100 for r in rows)
    assert result.counts.negative == sum(1 for r in rows if r["AMT"] < 0) == 94


@needs_budgets
def test_oakland_mapping_finds_year_kind_and_the_misspelled_fund_name():
    table = inspect_file(_bytes(OAKLAND), OAKLAND)
    m = table.mapping
    assert (m.department, m.division, m.category) == (
        "Department",
        "Division",
        "Account Description",
    )
    assert m.fund == "Fund And Descrciption"
    assert (m.year, m.kind, m.amount) == ("Budget Year Name", "Account Type", "AMT")
    assert fiscal_years(table) == ("FY16-17",)


@needs_budgets
def test_oakland_codes_stored_as_text_or_numbers_both_read_as_plain_text():
    table = inspect_file(_bytes(OAKLAND), OAKLAND)
    first = dict(zip(table.headers, table.rows[0], strict=True))
    assert first["Org"] == "92214"  # stored as text
    assert first["Unit"] == "92214"  # stored as the number 92214.0
    assert first["Old Proj"] == "0000000"
    assert first["AMT"] == "252000"


@needs_budgets
def test_oakland_line_items_whose_names_end_in_total_are_not_taken_for_totals():
    rows = _oakland_rows()
    name = "Budget Only: Prior  Year Allocation Offset Project Total"
    expected = sum(1 for r in rows if r["Account Description"] == name)
    result = read_budget(_bytes(OAKLAND), OAKLAND, expenses_only=False)
    assert expected == 34
    assert sum(1 for line in result.lines if line.category == name) == expected
    assert result.skipped == ()


@needs_budgets
def test_sacramento_defaults_to_the_latest_year_and_to_expenses_and_says_so():
    records = _records_as_dicts(SACRAMENTO)
    expected = [r for r in records if r["Fiscal_Year"] == "2022" and r["ExpenseRevenue"] == "E"]

    result = read_budget(_bytes(SACRAMENTO), SACRAMENTO)

    assert result.years == tuple(str(y) for y in range(2013, 2023))
    assert result.year == "2022"
    assert result.expenses_only is True
    assert len(result.lines) == len(expected)
    assert result.total_cents == sum(_cents(r["Amount"]) for r in expected)
    assert any("10 fiscal years" in w and "2022" in w for w in result.warnings)
    assert any("Only expense rows" in w for w in result.warnings)


@needs_budgets
@pytest.mark.parametrize("year", [str(y) for y in range(2013, 2023)])
def test_sacramento_each_year_of_expenses_matches_an_independent_sum(year):
    records = _records_as_dicts(SACRAMENTO)
    expected = [r for r in records if r["Fiscal_Year"] == year and r["ExpenseRevenue"] == "E"]
    result = read_budget(_bytes(SACRAMENTO), SACRAMENTO, year=year)
    assert len(result.lines) == len(expected)
    assert result.total_cents == sum(_cents(r["Amount"]) for r in expected)
    assert {line.year for line in result.lines} == {year}


@needs_budgets
def test_sacramento_all_years_with_revenue_gives_all_5353_rows():
    records = _records_as_dicts(SACRAMENTO)
    result = read_budget(_bytes(SACRAMENTO), SACRAMENTO, year=ALL_YEARS, expenses_only=False)
    assert len(result.lines) == len(records) == 5353
    assert result.total_cents == sum(_cents(r["Amount"]) for r in records)
    assert result.counts.negative == 288


@needs_budgets
def test_sacramento_bom_is_removed_from_the_first_header():
    table = inspect_file(_bytes(SACRAMENTO), SACRAMENTO)
    assert table.headers[0] == "ObjectId"
    assert table.encoding == "utf-8"
    assert table.mapping.year == "Fiscal_Year"
    assert table.mapping.kind == "ExpenseRevenue"
    assert table.mapping.amount == "Amount"


@needs_budgets
@pytest.mark.parametrize("name", ALL_FILES)
def test_every_shared_file_reconciles_to_the_cent_and_accounts_for_every_row(name):
    table = inspect_file(_bytes(name), name)
    result = import_lines(table, table.mapping, year=ALL_YEARS, expenses_only=False)

    assert result.total_cents == sum(line.amount_cents for line in result.lines)
    assert result.counts.lines == len(result.lines)
    skipped_rows = sum(result.counts.skipped.values())
    assert len(result.lines) + skipped_rows == len(table.rows)
    assert all(line.row > table.header_row for line in result.lines)
    summary = to_json_summary(result)
    assert json.loads(json.dumps(summary)) == summary


@needs_budgets
@pytest.mark.parametrize("name", ALL_FILES)
def test_every_shared_file_is_recognised_even_under_the_wrong_extension(name):
    wrong = name.rsplit(".", 1)[0] + (".csv" if name.endswith(".xlsx") else ".xlsx")
    right, renamed = read_budget(_bytes(name), name), read_budget(_bytes(name), wrong)
    assert renamed.total_cents == right.total_cents
    assert renamed.format == right.format
    assert any("name but" in w for w in renamed.warnings)


# --------------------------------------------------------------------------- amounts

AMOUNTS = [
    ("1,234", 123400),
    (" 1,234 ", 123400),
    ("$1,234.50", 123450),
    ("(3,420)", -342000),
    ("-3,420", -342000),
    ("3,420-", -342000),
    ("$(1,234.56)", -123456),
    ("-$12", -1200),
    ("$ -12", -1200),
    ("+12", 1200),
    ("\u22125", -500),
    (" -   ", 0),
    ("-", 0),
    ("$ -", 0),
    ("0", 0),
    ("-0", 0),
    ("(0)", 0),
    ("8670.000", 867000),
    ("20.000", 2000),
    ("-35763.000", -3576300),
    ("1234567.89", 123456789),
    (".5", 50),
    ("5.", 500),
    ("1.2E+06", 120000000),
    ("9999999999999.99", 999999999999999),
]


@pytest.mark.parametrize(("text", "cents"), AMOUNTS)
def test_amount_formats_parse_exactly_into_cents(text, cents):
    parsed = parse_amount(text)
    assert (parsed.status, parsed.cents, parsed.rounded) == ("number", cents, False)


@pytest.mark.parametrize(
    "text", ["", "   ", "#Missing", "N/A", "#N/A", "n/a", "NA", "null", "NULL", "--", "\u2013"]
)
def test_blanks_and_markers_are_missing_not_zero(text):
    assert parse_amount(text).status == "missing"


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0.125", 12), ("0.135", 14), ("1.005", 100), ("-2.675", -268), ("0.001", 0)],
)
def test_fractions_of_a_cent_round_half_to_even_and_are_flagged(text, cents):
    parsed = parse_amount(text)
    assert (parsed.status, parsed.cents, parsed.rounded) == ("number", cents, True)


@pytest.mark.parametrize(
    "text",
    [
        "abc", "1,23", "1234,567", "12 34", "(5", "5)", "--5", "(-5)", "1.2.3", "$", "+",
        "Infinity", "1e999", "5%", "1.234,50", "0x1F", "1,234e3", "10000000000000",
    ],
)  # fmt: skip
def test_garbage_amounts_are_invalid_with_a_reason(text):
    parsed = parse_amount(text)
    assert parsed.status == "invalid"
    assert parsed.reason


@pytest.mark.parametrize(
    ("cents", "text"),
    [(1352252100000, "13522521000.00"), (0, "0.00"), (-5, "-0.05"), (123, "1.23"), (-100, "-1.00")],
)
def test_cents_to_str_gives_a_plain_decimal_string(cents, text):
    assert cents_to_str(cents) == text


@settings(**HYPOTHESIS)
@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_cents_to_str_parses_back_to_the_same_cents(cents):
    assert parse_amount(cents_to_str(cents)).cents == cents


FORMATS = {
    "plain": lambda c: cents_to_str(c),
    "thousands": lambda c: f"{Decimal(c) / 100:,.2f}",
    "dollars": lambda c: ("-" if c < 0 else "") + f"${Decimal(abs(c)) / 100:,.2f}",
    "accounting": lambda c: (
        " -   "
        if c == 0
        else (f"({Decimal(-c) / 100:,.2f})" if c < 0 else f"{Decimal(c) / 100:,.2f}")
    ),
    "three_decimals": lambda c: f"{Decimal(c) / 100:.3f}",
}


@settings(**HYPOTHESIS, max_examples=60)
@given(
    amounts=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=40),
    style=st.sampled_from(sorted(FORMATS)),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_amounts_written_to_a_csv_import_to_their_exact_sum(
    amounts, style, delimiter, encoding
):
    rows = [["Department", "Fund", "Amount"]]
    rows += [[f"Dépt {i}", "General", FORMATS[style](c)] for i, c in enumerate(amounts)]
    data = _write_csv(rows, delimiter, encoding)

    result = read_budget(data, "budget.csv")

    assert result.total_cents == sum(amounts)
    assert len(result.lines) == len(amounts)
    assert [line.amount_cents for line in result.lines] == amounts
    assert result.lines[0].department == "Dépt 0"


@settings(**HYPOTHESIS, max_examples=25)
@given(
    amounts=st.lists(st.integers(min_value=-(10**11), max_value=10**11), min_size=1, max_size=30)
)
def test_any_amounts_stored_as_excel_numbers_import_to_their_exact_sum(amounts):
    rows: list[list[object]] = [["Department", "Amount"]]
    rows += [[f"Dept {i}", c / 100] for i, c in enumerate(amounts)]
    result = read_budget(_xlsx({"Budget": rows}), "budget.xlsx")
    assert [line.amount_cents for line in result.lines] == amounts
    assert result.total_cents == sum(amounts)
    assert result.counts.rounded == 0


# --------------------------------------------------------------------------- ugly CSVs


def test_cp1252_csv_is_decoded_and_says_so():
    data = "Department,Program,Amount\r\nCafé Services,Rec – Youth,100\r\nParks,Trees,50\r\n"
    result = read_budget(data.encode("cp1252"), "budget.csv")
    assert result.lines[0].department == "Café Services"
    assert result.lines[0].division == "Rec – Youth"
    assert result.total_cents == 15000
    assert any("Windows" in w for w in result.warnings)


def test_utf16_tab_delimited_csv_with_bom_is_read():
    rows = [
        ["Department", "Account", "Amount"],
        ["Police", "Salaries", "1,000"],
        ["Fire", "Gear", "5"],
    ]
    table = inspect_file(_write_csv(rows, "\t", "utf-16"), "unicode text.txt")
    assert table.delimiter == "\t"
    assert table.encoding == "utf-16-le"
    assert table.headers == ("Department", "Account", "Amount")
    assert import_lines(table, table.mapping).total_cents == 100500


def test_utf16_without_a_bom_is_recognised():
    rows = [["Department", "Amount"], ["Police", "7"], ["Fire", "8"]]
    data = _write_csv(rows, ",", "utf-16-le")
    assert read_budget(data, "b.csv").total_cents == 1500


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_pipe_delimited_csvs_are_sniffed(delimiter):
    rows = [
        ["Department", "Fund", "Amount"],
        ["Police", "General", "1,234.50"],
        ["Fire", "General", "(34.50)"],
        ["Parks", "Parks, Trees and Open Space", "100"],
    ]
    table = inspect_file(_write_csv(rows, delimiter), "budget.csv")
    assert table.delimiter == delimiter
    result = import_lines(table, table.mapping)
    assert result.total_cents == 123450 - 3450 + 10000
    assert result.lines[2].fund == "Parks, Trees and Open Space"


def test_title_rows_above_the_header_are_passed_over_and_row_numbers_match_excel():
    data = (
        b"City of Springfield\r\n"
        b"Adopted Budget FY2024,,\r\n"
        b"(all amounts in dollars)\r\n"
        b"\r\n"
        b"Department,Account,Amount\r\n"
        b'Police,Salaries,"1,000"\r\n'
        b"Fire,Bad,twelve\r\n"
        b"Parks,Trees,250\r\n"
    )
    table = inspect_file(data, "springfield.csv")
    assert table.header_row == 5
    assert table.headers == ("Department", "Account", "Amount")
    assert any("row 5" in w for w in table.warnings)

    result = import_lines(table, table.mapping)
    assert [line.row for line in result.lines] == [6, 8]
    assert [(s.row, s.reason) for s in result.skipped] == [(7, "amount is not a number")]
    assert '"twelve"' in result.skipped[0].detail
    assert result.total_cents == 125000


def test_title_rows_above_the_header_in_a_workbook_starting_in_column_b():
    rows: list[list[object]] = [
        [None, "Springfield budget"],
        [],
        [None, "Department", "Fund", "Adopted"],
        [None, "Police", "General", 1000],
        [None, "Fire", "General", 2000.5],
    ]
    result = read_budget(_xlsx({"Sheet1": rows}), "springfield.xlsx")
    assert result.header_row == 3
    assert [(line.row, line.amount_cents) for line in result.lines] == [(4, 100000), (5, 200050)]


def test_duplicate_and_blank_headers_are_made_unique():
    data = b"Department,,Amount,Amount,Note\r\nPolice,x,1,2,a\r\nFire,y,3,4,b\r\n"
    table = inspect_file(data, "b.csv")
    assert table.headers == ("Department", "Column 2", "Amount", "Amount (2)", "Note")


def test_bom_and_padding_are_removed_from_headers():
    data = "\ufeff Department , Amount \r\nPolice,5\r\nFire,6\r\n".encode()
    table = inspect_file(data, "b.csv")
    assert table.headers == ("Department", "Amount")


def test_total_and_subtotal_rows_are_left_out_with_their_row_numbers():
    data = (
        b"Department,Division,Account,Amount\r\n"
        b"Police,Patrol,Salaries,100\r\n"
        b"Police,Patrol,Overtime,50\r\n"
        b"Police Total,,,150\r\n"
        b"Fire,Suppression,Salaries,200\r\n"
        b"Fire,Suppression,Subtotal,200\r\n"
        b",,Sub-total,200\r\n"
        b"Parks,Total Maintenance Services,Supplies,25\r\n"
        b"TOTAL,,,375\r\n"
        b",,,375\r\n"
        b"\r\n"
        b"Grand Total,,,375\r\n"
    )
    result = read_budget(data, "b.csv")

    assert result.total_cents == 37500 == sum(line.amount_cents for line in result.lines)
    assert [line.row for line in result.lines] == [2, 3, 5, 8]
    assert [(s.row, s.reason) for s in result.skipped] == [
        (4, "total row"),
        (6, "total row"),
        (7, "total row"),
        (9, "total row"),
        (10, "total row"),
        (11, "blank row"),
        (12, "total row"),
    ]
    assert result.counts.skipped == {"total row": 6, "blank row": 1}


def test_repeated_header_rows_and_notes_below_the_table_are_left_out():
    data = (
        b"Department,Fund,Amount\r\n"
        b"Police,General,10\r\n"
        b"Department,Fund,Amount\r\n"
        b"Fire,General,20\r\n"
        b"\r\n"
        b"Source: City Budget Office\r\n"
    )
    result = read_budget(data, "b.csv")
    assert result.total_cents == 3000
    assert [(s.row, s.reason) for s in result.skipped] == [
        (3, "repeated header row"),
        (5, "blank row"),
        (6, "note or heading row"),
    ]


def test_many_blank_rows_at_the_end_are_reported_once():
    data = b"Department,Amount\r\nPolice,1\r\n" + b",\r\n" * 500
    result = read_budget(data, "b.csv")
    assert [(s.row, s.reason) for s in result.skipped] == [(3, "blank row")]
    assert "3 to 502" in result.skipped[0].detail
    assert result.counts.skipped == {"blank row": 500}


def test_counts_report_zero_missing_negative_rounded_and_garbage():
    data = (
        b"Department,Fund,Amount\r\n"
        b"A,GF,100\r\nB,GF, -   \r\nC,GF,#Missing\r\nD,GF,N/A\r\nE,GF,(5)\r\n"
        b"F,GF,0.125\r\nG,GF,abc\r\nH,GF,\r\nI,GF,null\r\n"
    )
    result = read_budget(data, "b.csv")
    c = result.counts
    assert (c.lines, c.parsed, c.zero, c.missing, c.negative, c.rounded) == (8, 4, 1, 4, 1, 1)
    assert c.skipped == {"amount is not a number": 1}
    assert result.total_cents == 10000 + 0 - 500 + 12
    assert any("fractions of a cent" in w for w in result.warnings)
    assert any("not a number" in w and "row 8" in w for w in result.warnings)


def test_a_row_with_one_label_and_no_amount_is_taken_for_a_heading():
    data = b"Department,Amount\r\nPUBLIC SAFETY,\r\nPolice,10\r\nFire,\r\n"
    result = read_budget(data, "b.csv")
    assert [line.row for line in result.lines] == [3]
    assert [(s.row, s.reason) for s in result.skipped] == [
        (2, "note or heading row"),
        (4, "note or heading row"),
    ]


def test_row_numbers_count_records_like_excel_when_a_cell_spans_lines():
    data = b'Department,Note,Amount\r\nPolice,"two\r\nlines",1\r\nFire,x,bad\r\nZoo,y,2\r\n'
    result = read_budget(data, "b.csv")
    assert [line.row for line in result.lines] == [2, 4]
    assert result.lines[0].department == "Police"
    assert [(s.row, s.reason) for s in result.skipped] == [(3, "amount is not a number")]


def test_ragged_rows_are_padded_and_extra_cells_get_their_own_column():
    data = (
        b"Department,Fund,Amount\r\nPolice,General,10\r\nFire,General\r\nParks,General,5,note\r\n"
    )
    table = inspect_file(data, "b.csv")
    assert table.headers == ("Department", "Fund", "Amount", "Column 4")
    result = import_lines(table, table.mapping)
    assert result.total_cents == 1500 and result.counts.missing == 1


def test_chicago_style_mojibake_is_repaired_and_other_odd_characters_kept():
    data = (
        "Department,Fund,Amount\r\nFire,GRANT \u0096 CARES,1\r\nParks,Caf\u00bf Fund,2\r\n".encode()
    )
    result = read_budget(data, "b.csv")
    assert result.lines[0].fund == "GRANT \u2013 CARES"
    assert result.lines[1].fund == "Caf\u00bf Fund"


def test_codes_with_leading_zeros_are_never_turned_into_numbers():
    data = b"Dept Code,Account Code,Department,Amount\r\n02,001010,Aging,5\r\n007,000100,Zoo,6\r\n"
    table = inspect_file(data, "b.csv")
    assert table.rows == [["02", "001010", "Aging", "5"], ["007", "000100", "Zoo", "6"]]
    assert table.mapping.amount_candidates == ("Amount",)


def test_a_wide_table_prefers_the_latest_adopted_column():
    data = (
        b"Department,FY2022 Actual,FY2023 Adopted,FY2024 Proposed,FY2024 Adopted,FY2025 Estimate,FTE\r\n"
        b"Police,1,2,3,4,5,6\r\nFire,1,2,3,4,5,6\r\n"
    )
    mapping = inspect_file(data, "b.csv").mapping
    assert mapping.amount == "FY2024 Adopted"
    assert "FTE" not in mapping.amount_candidates
    assert len(mapping.amount_candidates) == 5


def test_bare_year_headers_are_amount_columns():
    data = b"Department,2023,2024\r\nPolice,1,2\r\nFire,3,4\r\n"
    table = inspect_file(data, "b.csv")
    assert table.header_row == 1
    assert table.mapping.amount == "2024"


def test_the_caller_can_override_the_amount_and_any_role():
    table = inspect_file(SIMPLE_CSV.encode(), "b.csv")
    assert table.mapping.department == "Department"
    mapping = table.mapping.with_roles(department="Fund", fund=None)
    result = import_lines(table, mapping)
    assert [line.department for line in result.lines] == ["General", "General", "Parks Fund"]
    assert {line.fund for line in result.lines} == {""}
    with pytest.raises(TypeError):
        table.mapping.with_roles(colour="Fund")


def test_read_budget_accepts_role_overrides():
    result = read_budget(SIMPLE_CSV.encode(), "b.csv", roles={"category": "Fund"})
    assert result.mapping.category == "Fund"
    assert [line.category for line in result.lines] == ["General", "General", "Parks Fund"]
    assert result.mapping.roles()["amount"] == "Amount"


def test_an_override_naming_a_missing_column_lists_the_columns():
    with pytest.raises(NotInFileError) as err:
        read_budget(SIMPLE_CSV.encode(), "b.csv", amount="Dollars")
    assert '"b.csv" has no column named "Dollars"' in str(err.value)
    assert '"Amount"' in str(err.value)


def test_asking_for_a_year_that_is_not_in_the_file_lists_the_years():
    data = b"Fiscal Year,Department,Amount\r\n2023,Police,1\r\n2024,Police,2\r\n"
    with pytest.raises(NotInFileError) as err:
        read_budget(data, "b.csv", year="2030")
    assert "2023, 2024" in str(err.value)
    assert read_budget(data, "b.csv").total_cents == 200
    assert read_budget(data, "b.csv", year=ALL_YEARS).total_cents == 300


def test_revenue_rows_are_kept_when_the_caller_asks():
    data = b"Type,Department,Amount\r\nExpense,Police,10\r\nRevenue,Police,4\r\nExpense,Fire,1\r\n"
    assert read_budget(data, "b.csv").total_cents == 1100
    assert read_budget(data, "b.csv", expenses_only=False).total_cents == 1500


def test_propose_mapping_works_on_plain_lists():
    mapping = propose_mapping(
        ["Dept", "Object Code", "Object Name", "Fund", "Budget Amount"],
        [
            ["Police", "5100", "Salaries", "General", "1,000"],
            ["Fire", "5200", "Gear", "General", "2"],
        ],
    )
    assert mapping.department == "Dept"
    assert mapping.category == "Object Name"
    assert mapping.fund == "Fund"
    assert mapping.amount == "Budget Amount"
    assert mapping.amount_candidates == ("Budget Amount",)


def test_progress_is_reported_from_zero_to_one():
    calls: list[tuple[float, str]] = []
    read_budget(SIMPLE_CSV.encode(), "b.csv", progress=lambda f, m: calls.append((f, m)))
    fractions = [f for f, _ in calls]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(isinstance(m, str) and m for _, m in calls)


def test_json_summary_has_the_keys_the_cli_prints():
    summary = to_json_summary(read_budget(SIMPLE_CSV.encode(), "b.csv"))
    assert {"rows", "total", "amount_column", "mapping", "skipped", "warnings"} <= set(summary)
    assert summary["rows"] == 3
    assert summary["total"] == "1714.25"
    assert summary["mapping"]["amount"] == "Amount"
    json.dumps(summary)


# --------------------------------------------------------------------------- workbooks


def test_a_workbook_with_a_cover_sheet_defaults_to_the_first_sheet_that_holds_a_budget():
    data = _xlsx(
        {
            "Cover": [["Springfield FY2024 budget"], ["Prepared by the budget office"]],
            "Empty": [],
            "Lines": [["Department", "Amount"], ["Police", 5], ["Fire", 6]],
            "Revenue": [["Source", "Amount"], ["Taxes", 100]],
        }
    )
    table = inspect_file(data, "b.xlsx")
    assert table.sheets == ("Cover", "Empty", "Lines", "Revenue")
    assert table.sheet == "Lines"
    assert any("4 sheets" in w for w in table.warnings)
    assert import_lines(table, table.mapping).total_cents == 1100

    other = inspect_file(data, "b.xlsx", sheet="Revenue")
    assert import_lines(other, other.mapping).total_cents == 10000

    with pytest.raises(NotInFileError) as err:
        inspect_file(data, "b.xlsx", sheet="Expenses")
    assert '"Lines"' in str(err.value)


def test_hidden_sheets_are_listed_but_not_picked_by_default():
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "Lookup"
    hidden.append(["Code", "Amount"])
    hidden.append(["X", 1])
    hidden.sheet_state = "hidden"
    shown = wb.create_sheet("Budget")
    shown.append(["Department", "Amount"])
    shown.append(["Police", 2])
    out = io.BytesIO()
    wb.save(out)
    table = inspect_file(out.getvalue(), "b.xlsx")
    assert table.sheets == ("Lookup", "Budget")
    assert table.sheet == "Budget"


def test_workbook_cells_come_back_as_careful_text():
    import datetime as dt

    rows: list[list[object]] = [
        ["Code", "Department", "Start", "Amount"],
        ["001010", "Police", dt.date(2024, 7, 1), 1234.0],
        ["0201", "Fire", dt.datetime(2024, 7, 1, 12, 30), 0.1 + 0.2],
        ["0300", "Parks", None, 1e15],
        ["0400", True, None, -0.0],
    ]
    table = inspect_file(_xlsx({"S": rows}), "b.xlsx")
    assert table.rows == [
        ["001010", "Police", "2024-07-01", "1234"],
        ["0201", "Fire", "2024-07-01 12:30:00", "0.3"],
        ["0300", "Parks", "", "1000000000000000"],
        ["0400", "TRUE", "", "0"],
    ]


def test_too_many_rows_in_a_workbook_is_refused():
    rows: list[list[object]] = [["Department", "Amount"]] + [[f"D{i}", i] for i in range(12)]
    with pytest.raises(TooManyRowsError):
        read_budget(_xlsx({"S": rows}), "b.xlsx", max_rows=11)
    assert len(read_budget(_xlsx({"S": rows}), "b.xlsx", max_rows=12).lines) == 12


def test_an_xml_entity_bomb_in_shared_strings_is_not_expanded():
    data = _xlsx({"S": [["Department", "Amount"], ["Police", 1], ["Fire", 2]]})
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    # openpyxl writes inline strings, so the entities go into the sheet itself.
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {n: src.read(n) for n in src.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.split("?>", 1)[-1].replace(">Police<", ">&lol9;<")
    assert "&lol9;" in sheet
    members["xl/worksheets/sheet1.xml"] = (laughs + sheet).encode()
    bomb = _zip(members)

    start = time.perf_counter()
    try:
        result = read_budget(bomb, "laughs.xlsx")
    except BudgetFileError as exc:
        assert isinstance(exc, CorruptFileError | NotABudgetError)
    else:
        assert all(len(line.department) < 100 for line in result.lines)
    assert time.perf_counter() - start < 2.0


# --------------------------------------------------------------------------- refusals


def test_a_zero_byte_file_is_refused_as_empty():
    with pytest.raises(EmptyFileError) as err:
        read_budget(b"", "budget.csv")
    assert str(err.value) == (
        '"budget.csv" is empty (0 bytes). Check that you picked the right file, then upload it again.'
    )


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\r\n\r\n  \r\n", b",,,\r\n,,,\r\n"])
def test_files_with_no_text_are_refused_as_empty(data):
    with pytest.raises((EmptyFileError, NotABudgetError)) as err:
        read_budget(data, "budget.csv")
    assert '"budget.csv"' in str(err.value)


def test_column_names_with_no_rows_are_refused_as_empty():
    with pytest.raises(EmptyFileError) as err:
        read_budget(b"Department,Fund,Amount\r\n", "b.csv")
    assert "column names but no rows" in str(err.value)


def test_a_workbook_with_only_empty_sheets_is_refused_as_empty():
    with pytest.raises(EmptyFileError):
        read_budget(_xlsx({"A": [], "B": []}), "b.xlsx")


def test_a_csv_with_no_numeric_column_is_not_a_budget():
    data = b"Name,Role,Email\r\nAna,Mayor,a@x.org\r\nBo,Staff,b@x.org\r\n"
    with pytest.raises(NotABudgetError) as err:
        read_budget(data, "contacts.csv")
    assert str(err.value).startswith('"contacts.csv" does not look like a budget table')
    assert "no column holds amounts" in str(err.value)


@needs_budgets
def test_a_text_document_with_a_few_stray_numbers_is_not_a_budget():
    with pytest.raises(NotABudgetError):
        read_budget(_bytes("SOURCES.md"), "SOURCES.md")


def test_a_single_column_of_text_is_not_a_budget():
    with pytest.raises(NotABudgetError) as err:
        read_budget(b"hello\r\nworld\r\n", "notes.csv")
    assert "no row of column names" in str(err.value)


def test_a_truncated_xlsx_is_refused_as_corrupt():
    data = _xlsx({"S": [["Department", "Amount"]] + [[f"D{i}", i] for i in range(200)]})
    with pytest.raises(CorruptFileError) as err:
        read_budget(data[: len(data) // 2], "budget.xlsx")
    message = str(err.value)
    assert message.startswith('"budget.xlsx" looks like an Excel workbook but it is damaged')
    assert "Save As > Excel Workbook (.xlsx)" in message


def test_a_zip_that_lies_about_its_sizes_is_refused_before_parsing():
    data = _xlsx({"S": [["Department", "Amount"]] + [[f"D{i}", i] for i in range(200)]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        real = zf.getinfo("xl/worksheets/sheet1.xml").file_size
    with pytest.raises(CorruptFileError) as err:
        read_budget(_forge_declared_size(data, "xl/worksheets/sheet1.xml", real // 2), "b.xlsx")
    assert "checksum" in str(err.value)


def test_an_xlsx_declaring_a_huge_unpacked_size_is_refused_as_a_zip_bomb():
    data = _xlsx({"S": [["Department", "Amount"], ["Police", 1]]})
    bomb = _forge_declared_size(data, "xl/worksheets/sheet1.xml", 3_000_000_000)
    with pytest.raises(ZipBombError) as err:
        read_budget(bomb, "bomb.xlsx")
    assert str(err.value).startswith(
        '"bomb.xlsx" would unpack to far more data than a budget needs'
    )
    assert "once unpacked" in str(err.value)


def test_an_xlsx_with_an_extreme_compression_ratio_is_refused_as_a_zip_bomb():
    data = _xlsx({"S": [["Department", "Amount"], ["Police", 1]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {n: src.read(n) for n in src.namelist()}
    members["xl/media/padding.xml"] = b"\0" * (20 * 1024 * 1024)
    with pytest.raises(ZipBombError) as err:
        read_budget(_zip(members), "ratio.xlsx")
    assert "compressed" in str(err.value) and "to 1" in str(err.value)


@pytest.mark.parametrize(
    ("data", "filename", "kind", "phrase"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "budget.xlsx", "pdf", "is a PDF document"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "Workbook".encode("utf-16-le"),
            "budget.xls",
            "xls",
            "old-style Excel workbook (.xls)",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "Workbook".encode("utf-16-le"),
            "renamed.csv",
            "xls",
            "Save As > Excel Workbook (.xlsx) or CSV",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 500
            + "EncryptionInfo".encode("utf-16-le")
            + "EncryptedPackage".encode("utf-16-le"),
            "budget.xlsx",
            "encrypted",
            "protected with a password",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le"),
            "budget.doc",
            "word",
            "word-processing document",
        ),
        (
            _zip(
                {
                    "[Content_Types].xml": b'<Types><Override ContentType="application/'
                    b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
                    "xl/workbook.xml": b"<workbook/>",
                    "xl/vbaProject.bin": b"\0" * 10,
                }
            ),
            "budget.xlsm",
            "xlsm",
            "macro-enabled workbook",
        ),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0" * 10}),
            "budget.xlsx",
            "xlsb",
            "binary Excel workbook",
        ),
        (
            _zip(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                },
                zipfile.ZIP_STORED,
            ),
            "budget.ods",
            "ods",
            "OpenDocument spreadsheet",
        ),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "budget.xlsx",
            "word",
            "word-processing document",
        ),
        (_zip({"budget.csv": b"Department,Amount\r\nPolice,1\r\n"}), "budget.zip", "zip", "Unzip it"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "budget.png", "image", "picture"),
        (b"\x1f\x8b\x08\x00" + b"\0" * 50, "budget.csv.gz", "zip", "compressed archive"),
        (
            b"<html><body><table><tr><td>Department</td></tr></table></body></html>",
            "export.xls",
            "html",
            "web page saved with a spreadsheet name",
        ),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "budget.xml",
            "xml",
            "Excel 2003 XML",
        ),
        (b"\x00\x01\x02\x03binary\x00\x00\xff\xfe\x00", "budget.csv", "binary", "not a CSV or Excel"),
    ],
    ids=[
        "renamed-pdf", "xls", "xls-renamed-csv", "password", "doc", "xlsm", "xlsb", "ods",
        "docx-renamed", "plain-zip", "png", "gzip", "html-as-xls", "xml-2003", "binary",
    ],
)  # fmt: skip
def test_unsupported_formats_are_recognised_by_their_bytes_and_explained(
    data, filename, kind, phrase
):
    with pytest.raises(UnsupportedFormatError) as err:
        inspect_file(data, filename)
    assert err.value.kind == kind
    assert phrase in str(err.value)
    assert str(err.value).startswith(f'"{filename}" ')
    assert err.value.filename == filename


def test_a_file_over_the_size_limit_is_refused_before_reading():
    data = SIMPLE_CSV.encode()
    with pytest.raises(FileTooLargeError) as err:
        read_budget(data, "C:\\Users\\me\\budget.csv", max_bytes=100)
    assert str(err.value).startswith(f'"budget.csv" is {len(data)} bytes; the limit is 100 bytes.')
    assert read_budget(data, "budget.csv", max_bytes=len(data)).total_cents == 171425


def test_too_many_rows_are_refused_with_the_limit_named():
    rows = [["Department", "Amount"]] + [[f"D{i}", "1"] for i in range(50)]
    data = _write_csv(rows)
    with pytest.raises(TooManyRowsError) as err:
        read_budget(data, "big.csv", max_rows=49)
    assert str(err.value).startswith('"big.csv" has more than 49 rows')
    assert len(read_budget(data, "big.csv", max_rows=50).lines) == 50


def test_too_many_rows_stops_reading_a_huge_csv_early():
    data = b"Department,Amount\r\n" + b"Police,1\r\n" * 300_000
    start = time.perf_counter()
    with pytest.raises(TooManyRowsError):
        read_budget(data, "huge.csv", max_rows=1000)
    assert time.perf_counter() - start < 1.0


def test_an_unclosed_quote_is_reported_as_a_damaged_csv():
    data = b'Department,Amount\r\nPolice,1\r\n"Fire,2\r\nParks,3\r\nZoo,4\r\nLibrary,5\r\n'
    with pytest.raises(CorruptFileError) as err:
        read_budget(data, "b.csv")
    assert "quote mark" in str(err.value)
    assert "save it again as CSV" in str(err.value)


def test_a_csv_asked_for_a_sheet_says_it_has_none():
    with pytest.raises(NotInFileError) as err:
        inspect_file(SIMPLE_CSV.encode(), "b.csv", sheet="Budget")
    assert "CSV file, so it has no sheet" in str(err.value)


def test_every_error_is_a_budget_file_error_with_a_plain_message():
    for cls in (
        EmptyFileError,
        NotABudgetError,
        CorruptFileError,
        ZipBombError,
        FileTooLargeError,
        UnsupportedFormatError,
        TooManyRowsError,
        NotInFileError,
    ):
        assert issubclass(cls, BudgetFileError)
    assert set(bi.__all__) >= {"BudgetFileError", "read_budget", "inspect_file", "import_lines"}


def test_the_module_never_imports_streamlit():
    source = Path(bi.__file__).read_text(encoding="utf-8")
    assert "streamlit" not in source


def test_shared_budget_files_counts_match_sources_md():
    if not BUDGETS.is_dir():
        pytest.skip(f"the shared real budget files are not at {BUDGETS}")
    counts = Counter(r["FUND TYPE"] for r in _records_as_dicts(CHICAGO))
    assert counts == {"LOCAL": 2396, "GRANTS": 774, "CDBG": 214}
