"""Reads an uploaded budget file (CSV or XLSX bytes) into line items with exact amounts in cents."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache
from typing import Any, Final, Literal

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

__all__ = [
    "ALL_YEARS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ROLES",
    "BudgetFileError",
    "BudgetImport",
    "BudgetLine",
    "CorruptFileError",
    "EmptyFileError",
    "FileTooLargeError",
    "ImportCounts",
    "Mapping",
    "NotABudgetError",
    "NotInFileError",
    "ParsedAmount",
    "RawTable",
    "SkippedRow",
    "TooManyRowsError",
    "UnsupportedFormatError",
    "ZipBombError",
    "cents_to_str",
    "fiscal_years",
    "import_lines",
    "inspect_file",
    "parse_amount",
    "propose_mapping",
    "read_budget",
    "to_json_summary",
]

MAX_BYTES: Final = 50 * 1024 * 1024
MAX_ROWS: Final = 200_000
# An xlsx is a zip of XML. Real budget workbooks unpack to a few tens of MB at most
# (Oakland's 11,231 rows: 10 MB, ratio 7); anything far beyond is refused before parsing.
MAX_UNZIPPED_BYTES: Final = 200 * 1024 * 1024
MAX_ZIP_RATIO: Final = 100
MAX_ZIP_MEMBERS: Final = 10_000
# Tiny archives can have high ratios without being dangerous, so the ratio rule starts here.
ZIP_RATIO_FLOOR: Final = 1024 * 1024
HEADER_SCAN_ROWS: Final = 30
# Pass as `year` to keep every fiscal year of a long table.
ALL_YEARS: Final = "*"
ROLES: Final = ("department", "division", "category", "fund", "year", "kind")

ProgressFn = Callable[[float, str], None]


# --------------------------------------------------------------------------- errors


class BudgetFileError(Exception):
    """A budget file cannot be used; str() is a plain-language message naming the file and the fix."""

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(message)
        self.filename = filename
        self.message = message

    def __str__(self) -> str:
        return self.message


class EmptyFileError(BudgetFileError):
    """The file holds nothing to read, or column names with no rows below them."""

    def __init__(self, filename: str, what: str = "is empty (0 bytes)") -> None:
        super().__init__(
            filename,
            f'"{filename}" {what}. Check that you picked the right file, then upload it again.',
        )


class NotABudgetError(BudgetFileError):
    """No row of column names, or no column of amounts, could be found."""

    def __init__(self, filename: str, problem: str) -> None:
        super().__init__(
            filename,
            f'"{filename}" does not look like a budget table: {problem}. A budget file needs one '
            "row of column names and a column of amounts below it. Check that you picked the right "
            "file (and sheet), or save just the budget table as CSV and upload that.",
        )


class CorruptFileError(BudgetFileError):
    """The file claims a format but its contents are damaged or cut short."""

    def __init__(self, filename: str, what: str = "an Excel workbook", detail: str = "") -> None:
        fix = (
            "Open it in Excel; if it opens, use File > Save As > Excel Workbook (.xlsx) and upload "
            "the new copy. If it does not open, ask for the file again."
            if "Excel" in what
            else "Open it in a spreadsheet program, save it again as CSV (UTF-8), and upload it."
        )
        why = f" ({detail})" if detail else ""
        super().__init__(
            filename,
            f'"{filename}" looks like {what} but it is damaged or incomplete{why}, so it cannot '
            f"be read. {fix}",
        )


class ZipBombError(BudgetFileError):
    """An xlsx that would unpack to far more data than any budget needs; refused before parsing."""

    def __init__(self, filename: str, detail: str) -> None:
        super().__init__(
            filename,
            f'"{filename}" would unpack to far more data than a budget needs ({detail}), so it was '
            "not opened: files like this can freeze the app. If it is a real budget, open it in "
            "Excel, save only the budget sheet as CSV, and upload that.",
        )


class FileTooLargeError(BudgetFileError):
    """The upload is bigger than the `max_bytes` limit."""

    def __init__(self, filename: str, size: int, max_bytes: int) -> None:
        super().__init__(
            filename,
            f'"{filename}" is {_human_size(size)}; the limit is {_human_size(max_bytes)}. Delete '
            "sheets and columns you do not need, or save only the budget table as CSV, then try "
            "again.",
        )


class TooManyRowsError(BudgetFileError):
    """The table has more data rows than the `max_rows` limit."""

    def __init__(self, filename: str, max_rows: int) -> None:
        super().__init__(
            filename,
            f'"{filename}" has more than {max_rows:,} rows, which is more than this tool can work '
            "with. Split it into smaller files (for example one per department or fund), or "
            "delete rows you do not need, then upload again.",
        )


_UNSUPPORTED: Final = {
    "xls": "is an old-style Excel workbook (.xls), which this tool cannot read. Open it in Excel "
    "and use File > Save As > Excel Workbook (.xlsx) or CSV, then upload the new file.",
    "encrypted": "is protected with a password, so it cannot be read. Open it in Excel, remove "
    "the password (File > Info > Protect Workbook > Encrypt with Password, then clear it), save "
    "it as an Excel Workbook (.xlsx) or CSV, and upload it again.",
    "xlsm": "is a macro-enabled workbook (.xlsm). For safety this tool does not open files that "
    "contain macros. Open it in Excel and use File > Save As > Excel Workbook (.xlsx) or CSV, "
    "then upload that copy.",
    "xlsb": "is a binary Excel workbook (.xlsb), which this tool cannot read. Open it in Excel "
    "and use File > Save As > Excel Workbook (.xlsx) or CSV, then upload that copy.",
    "ods": "is an OpenDocument spreadsheet (.ods). In LibreOffice use File > Save As > Excel "
    "2007-365 (.xlsx), or save it as CSV, then upload that copy.",
    "numbers": "is an Apple Numbers file. In Numbers use File > Export To > Excel (.xlsx) or CSV, "
    "then upload that copy.",
    "pdf": "is a PDF document, not a spreadsheet. Ask your budget office for the same figures as "
    "an Excel workbook (.xlsx) or CSV file.",
    "word": "is a word-processing document, not a spreadsheet. If the budget is a table in it, "
    "copy the table into Excel, save it as an Excel Workbook (.xlsx) or CSV, and upload that.",
    "powerpoint": "is a slide presentation, not a spreadsheet. Ask your budget office for the "
    "figures as an Excel workbook (.xlsx) or CSV file.",
    "office": "is an older Microsoft Office file that this tool cannot read. Open it and save "
    "the budget as an Excel Workbook (.xlsx) or CSV, then upload that copy.",
    "html": "is a web page saved with a spreadsheet name, not a real spreadsheet. Open it in "
    "Excel and use File > Save As > Excel Workbook (.xlsx) or CSV, then upload the new file.",
    "xml": "is an XML file (perhaps an Excel 2003 XML spreadsheet). Open it in Excel and use "
    "File > Save As > Excel Workbook (.xlsx) or CSV, then upload the new file.",
    "zip": "is a compressed archive (such as a .zip file), not a spreadsheet. Unzip it and upload "
    "the budget file (.xlsx or .csv) that is inside.",
    "image": "is a picture, not a spreadsheet. Upload the budget as an Excel workbook (.xlsx) or "
    "CSV file.",
    "binary": "is not a CSV or Excel file that this tool can read. Upload the budget as an Excel "
    "workbook (.xlsx) or CSV file.",
}


class UnsupportedFormatError(BudgetFileError):
    """A format this tool does not read (xls, xlsm, xlsb, password-protected, ods, pdf, ...)."""

    def __init__(self, filename: str, kind: str) -> None:
        self.kind = kind
        super().__init__(filename, f'"{filename}" {_UNSUPPORTED.get(kind, _UNSUPPORTED["binary"])}')


class NotInFileError(BudgetFileError):
    """A sheet, column or fiscal year that was asked for is not in the file."""


# --------------------------------------------------------------------------- models


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    """One amount cell read exactly: a number of cents, missing, or not a number (with why)."""

    status: Literal["number", "missing", "invalid"]
    cents: int = 0
    rounded: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Mapping:
    """Which column plays which role; every field is a header name or None."""

    department: str | None = None
    division: str | None = None
    category: str | None = None
    fund: str | None = None
    year: str | None = None
    kind: str | None = None
    amount: str | None = None
    amount_candidates: tuple[str, ...] = ()
    amount_guessed: bool = False

    def with_roles(self, **columns: str | None) -> Mapping:
        """Return a copy with some roles (or `amount`) pointed at other columns."""
        unknown = set(columns) - {*ROLES, "amount"}
        if unknown:
            raise TypeError(f"unknown role(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **columns)

    def roles(self) -> dict[str, str | None]:
        """The role -> column dictionary, amount included."""
        return {role: getattr(self, role) for role in (*ROLES, "amount")}


@dataclass(frozen=True)
class RawTable:
    """A sheet read as text: header row found, cells trimmed, plus a proposed Mapping."""

    # Row numbers are 1-based and count every record from the top, header and titles
    # included, as Excel shows them. For a CSV that is also the text-editor line number
    # unless a quoted cell spans several lines.

    filename: str
    format: Literal["csv", "xlsx"]
    headers: tuple[str, ...]
    rows: list[list[str]]
    row_numbers: list[int]
    header_row: int
    mapping: Mapping
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One kept line item; `amount_missing` marks a blank amount counted as 0 in totals."""

    row: int
    department: str
    division: str
    category: str
    fund: str
    year: str
    amount_cents: int
    amount_missing: bool = False


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row left out of the import: its file row number, a short reason and a sentence."""

    row: int
    reason: str
    detail: str


@dataclass(frozen=True)
class ImportCounts:
    """How the amount cells and rows were treated."""

    lines: int = 0
    parsed: int = 0
    zero: int = 0
    missing: int = 0
    negative: int = 0
    rounded: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    filtered_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BudgetImport:
    """The result of an import: kept lines, exact total, and everything left out with why."""

    filename: str
    format: str
    sheet: str | None
    header_row: int
    lines: tuple[BudgetLine, ...]
    total_cents: int
    amount_column: str
    mapping: Mapping
    year: str | None
    years: tuple[str, ...]
    expenses_only: bool
    skipped: tuple[SkippedRow, ...]
    warnings: tuple[str, ...]
    counts: ImportCounts


# --------------------------------------------------------------------------- amounts

_DECIMAL_CONTEXT: Final = Context(prec=60)
_CENT: Final = Decimal("0.01")
# A lone ASCII hyphen is how Excel's Accounting format shows zero (" -   "), so it is 0.
# A lone en or em dash, "--" and the markers below mean "no figure here", which is not 0.
_MISSING_MARKERS: Final = frozenset(
    {
        "#missing", "missing", "n/a", "#n/a", "na", "n.a.", "null", "none", "nil", "nan",
        "--", "\u2013", "\u2014", "#null!", "#value!", "#ref!", "#div/0!", "#name?", "#num!",
        "#getting_data",
    }
)  # fmt: skip
_AMOUNT_RE: Final = re.compile(
    r"""
    (?P<cur0>\$)?\s*
    (?P<open>\()?\s*
    (?P<sign1>[-+])?\s*
    (?P<cur>\$)?\s*
    (?P<sign2>[-+])?\s*
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)?
    (?:\.(?P<frac>\d*))?
    (?:[eE](?P<exp>[-+]?\d{1,3}))?
    \s*(?P<sign3>-)?\s*
    (?P<close>\))?
    """,
    re.VERBOSE,
)
# Ten trillion dollars: far beyond any city budget, and keeps totals inside SQLite's 64-bit INTEGER.
_MAX_ABS_DOLLARS: Final = Decimal(10) ** 13


@lru_cache(maxsize=1 << 16)
def parse_amount(text: str) -> ParsedAmount:
    """Parse one amount cell exactly (US style: `,` groups thousands, `.` is the decimal point)."""
    s = text.strip().replace("\u2212", "-")
    if not s or s.lower() in _MISSING_MARKERS:
        return ParsedAmount("missing")
    if s.replace("$", "").replace(" ", "") in ("-", "(-)"):
        return ParsedAmount("number", 0)
    m = _AMOUNT_RE.fullmatch(s)
    if not m or (m["int"] is None and not m["frac"]):
        return ParsedAmount("invalid", reason="not a number")
    if m["cur0"] and m["cur"]:
        return ParsedAmount("invalid", reason="not a number")
    if bool(m["open"]) != bool(m["close"]):
        return ParsedAmount("invalid", reason="unbalanced parentheses")
    signs = [g for g in (m["sign1"], m["sign2"], m["sign3"]) if g] + (["("] if m["open"] else [])
    if len(signs) > 1:
        return ParsedAmount("invalid", reason="more than one sign")
    int_part = (m["int"] or "0").replace(",", "")
    if m["exp"] and "," in (m["int"] or ""):
        return ParsedAmount("invalid", reason="not a number")
    value = Decimal(f"{int_part}.{m['frac'] or '0'}", context=_DECIMAL_CONTEXT)
    if m["exp"]:
        value = value.scaleb(int(m["exp"]), context=_DECIMAL_CONTEXT)
    if value >= _MAX_ABS_DOLLARS:
        return ParsedAmount("invalid", reason="too large to be a budget amount")
    cents_value = value.quantize(_CENT, rounding=ROUND_HALF_EVEN, context=_DECIMAL_CONTEXT)
    cents = int(cents_value.scaleb(2, context=_DECIMAL_CONTEXT))
    if signs and signs[0] in "-(":
        cents = -cents
    return ParsedAmount("number", cents, rounded=cents_value != value)


def cents_to_str(cents: int) -> str:
    """Format integer cents as a plain decimal string, e.g. 1352252100000 -> "13522521000.00"."""
    dollars, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{dollars}.{rest:02d}"


# --------------------------------------------------------------------------- text cleanup

# Windows-1252 text that was once decoded as Latin-1 and re-saved as UTF-8 leaves C1 control
# characters where cp1252 had punctuation (Chicago: U+0096 for an en dash). Control characters
# never belong in a budget cell, so map each one back to the cp1252 character it stood for.
# Five C1 positions (0x81, 0x8D, 0x8F, 0x90, 0x9D) are unassigned in cp1252 and are left alone.
_C1_TO_CP1252: Final = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_C1_RE: Final = re.compile("[\u0080-\u009f]")


def _repair_c1(text: str) -> tuple[str, int]:
    count = sum(1 for ch in _C1_RE.findall(text) if ord(ch) in _C1_TO_CP1252)
    return (text.translate(_C1_TO_CP1252), count) if count else (text, 0)


def _display_name(filename: str) -> str:
    # Browsers and the CLI may pass a full path; messages should show only the file's own name.
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    return name or "the file"


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _extension(filename: str) -> str:
    name = _display_name(filename).lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


# --------------------------------------------------------------------------- format detection

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC: Final = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"\x1f\x8b", "zip"),
    (b"Rar!", "zip"),
    (b"7z\xbc\xaf", "zip"),
    (b"{\\rtf", "word"),
)
_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff_format(data: bytes, name: str) -> Literal["csv", "xlsx"]:
    """Decide from the bytes (never only the extension) whether this is CSV text or a zip/xlsx."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx"
    if data.startswith(_OLE_MAGIC):
        # The OLE directory stores stream names in UTF-16; a plain substring search is enough
        # to tell an encrypted OOXML package from a legacy workbook or a Word file.
        if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
            raise UnsupportedFormatError(name, "encrypted")
        if _utf16("WordDocument") in data:
            raise UnsupportedFormatError(name, "word")
        if _utf16("PowerPoint Document") in data:
            raise UnsupportedFormatError(name, "powerpoint")
        if _utf16("Workbook") in data or _utf16("Book") in data:
            raise UnsupportedFormatError(name, "xls")
        raise UnsupportedFormatError(name, "office")
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(name, kind)
    has_bom = any(data.startswith(bom) for bom, _ in _BOMS)
    head = data[:4096]
    if not has_bom and _utf16_without_bom(head) is None and b"\x00" in head:
        raise UnsupportedFormatError(name, "binary")
    start = head.decode("latin-1").replace("\x00", "").lstrip("ï»¿ÿþ \t\r\n").lower()
    if start.startswith("<"):
        looks_html = any(tag in start[:4096] for tag in ("<html", "<table", "<!doctype html"))
        raise UnsupportedFormatError(name, "html" if looks_html else "xml")
    return "csv"


def _utf16_without_bom(head: bytes) -> str | None:
    # Some exports write UTF-16 without a BOM; ASCII text then has a NUL in every other byte.
    sample = head[:2000]
    if len(sample) < 4:
        return None
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    if odd_nuls > 0.4 and even_nuls < 0.1:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.1:
        return "utf-16-be"
    return None


def _zip_kind(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        content_types = b""
        if "[Content_Types].xml" in names:
            with zf.open("[Content_Types].xml") as fh:
                content_types = fh.read(1024 * 1024)
        if b"macroEnabled" in content_types or "xl/vbaProject.bin" in names:
            return "xlsm"
        return "xlsx"
    if "mimetype" in names:
        with zf.open("mimetype") as fh:
            mimetype = fh.read(200)
        return "ods" if b"opendocument.spreadsheet" in mimetype else "word"
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        return "numbers"
    if "word/document.xml" in names:
        return "word"
    if "ppt/presentation.xml" in names:
        return "powerpoint"
    return "zip"


def _check_zip(data: bytes, name: str) -> None:
    """Refuse zip bombs, non-workbook zips and damaged archives before any XML is parsed."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFileError(name, "an Excel workbook", "the zip structure is broken") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ZipBombError(name, f"it holds {len(infos):,} parts")
        declared = sum(info.file_size for info in infos)
        compressed = sum(info.compress_size for info in infos)
        if declared > MAX_UNZIPPED_BYTES:
            raise ZipBombError(name, f"{_human_size(declared)} once unpacked")
        if declared > ZIP_RATIO_FLOOR and declared > MAX_ZIP_RATIO * max(compressed, 1):
            ratio = declared // max(compressed, 1)
            raise ZipBombError(name, f"it is compressed {ratio:,} to 1")
        if any(info.flag_bits & 0x1 for info in infos):
            raise UnsupportedFormatError(name, "encrypted")
        try:
            kind = _zip_kind(zf, {info.filename for info in infos})
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
            raise CorruptFileError(name, "an Excel workbook", "a part cannot be unpacked") from exc
        if kind != "xlsx":
            raise UnsupportedFormatError(name, kind)
        _verify_members(zf, infos, name)


def _verify_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    # Declared sizes can be forged. zipfile stops at the declared size and then checks the
    # CRC, so streaming every part once (20 ms for Oakland) proves the sizes are honest
    # before calamine, which trusts them, unpacks the workbook.
    unpacked = 0
    try:
        for info in infos:
            with zf.open(info) as fh:
                while chunk := fh.read(1024 * 1024):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNZIPPED_BYTES:
                        raise ZipBombError(name, f"more than {_human_size(MAX_UNZIPPED_BYTES)}")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        raise CorruptFileError(name, "an Excel workbook", "a part fails its checksum") from exc


# --------------------------------------------------------------------------- reading CSV


def _decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings) trying BOMs, BOM-less UTF-16, UTF-8, then cp1252."""
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return (
                _decode_strict_or_replace(data[len(bom) :], encoding, warnings),
                encoding,
                warnings,
            )
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        return _decode_strict_or_replace(data, utf16, warnings), utf16, warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    # Not UTF-8: US budget offices' Excel "CSV" is Windows-1252. Latin-1 never fails, so it
    # catches the five bytes cp1252 leaves undefined.
    warnings.append(
        "The file is not UTF-8 text, so it was read as Windows (Western European) text. "
        "Check that accented letters look right."
    )
    try:
        return data.decode("cp1252"), "cp1252", warnings
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", warnings


def _decode_strict_or_replace(body: bytes, encoding: str, warnings: list[str]) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        text = body.decode(encoding, errors="replace")
        warnings.append(
            f"{text.count(chr(0xFFFD)):,} characters could not be read and show as '\ufffd'. "
            "The file may be cut short."
        )
        return text


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the most sample rows into the same number of fields."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_key = ",", (0, 0, 0)
    for preference, delimiter in enumerate((",", "\t", ";", "|")):
        try:
            widths = [
                len(r)
                for r in _take(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), 60)
                if any(c.strip() for c in r)
            ]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        key = (count if width > 1 else 0, width, -preference)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _take(iterable: Iterable[list[str]], n: int) -> list[list[str]]:
    out = []
    for item in iterable:
        out.append(item)
        if len(out) >= n:
            break
    return out


def _read_csv(
    data: bytes, name: str, max_rows: int, report: _Progress
) -> tuple[list[list[str]], str, str, list[str]]:
    text, encoding, warnings = _decode_text(data)
    text, repaired = _repair_c1(text)
    if repaired:
        warnings.append(_repair_warning(repaired))
    if not text.strip("\ufeff \t\r\n"):
        raise EmptyFileError(name, "has no text in it")
    if "\x00" in text:
        raise UnsupportedFormatError(name, "binary")
    delimiter = _sniff_delimiter(text)
    report(0.2, "Reading rows")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[list[str]] = []
    filled = 0
    limit = max_rows + HEADER_SCAN_ROWS + 1
    line_count = max(1, text.count("\n"))
    try:
        for record in reader:
            cells = [c.strip() for c in record]
            grid.append(cells)
            if any(cells):
                filled += 1
                if filled > limit:
                    raise TooManyRowsError(name, max_rows)
            if len(grid) % 20000 == 0:
                report(0.2 + 0.5 * reader.line_num / line_count, "Reading rows")
    except csv.Error as exc:
        raise CorruptFileError(
            name,
            "a CSV file",
            f"near row {len(grid) + 1}: {exc}; perhaps a quote mark is not closed",
        ) from exc
    # The csv module silently swallows the rest of the file into one field after an
    # unclosed quote; a last cell spanning several lines is the tell-tale sign.
    if grid and any(cell.count("\n") > 2 and delimiter in cell for cell in grid[-1]):
        raise CorruptFileError(
            name, "a CSV file", f"row {len(grid)} opens a quote mark that is never closed"
        )
    return grid, encoding, delimiter, warnings


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def _repair_warning(count: int) -> str:
    return (
        f"Fixed {_plural(count, 'character')} garbled by a text-encoding mix-up "
        "(for example a dash that showed as an invisible control character)."
    )


# --------------------------------------------------------------------------- reading XLSX


def _cell_text(value: Any) -> str:
    # Calamine hands back typed cells; everything becomes text here so codes, amounts and
    # labels go through one path, and nothing is ever inferred as a float again.
    if isinstance(value, str):
        return value.strip()
    if value is None or isinstance(value, bool):
        return "" if value is None else ("TRUE" if value else "FALSE")
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        # Excel keeps 15 significant digits; repr() would expose binary noise such as
        # 0.30000000000000004 and turn it into a bogus "fraction of a cent".
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _sheet_grid(wb: CalamineWorkbook, sheet: str) -> tuple[list[list[str]], int]:
    rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    # Most cells are text; the inline fast path halves the time on a 100,000-row sheet.
    grid = [[v.strip() if v.__class__ is str else _cell_text(v) for v in row] for row in rows]
    repaired = 0
    for row in grid:
        if all(map(str.isascii, row)):
            continue
        for i, cell in enumerate(row):
            if not cell.isascii() and _C1_RE.search(cell):
                row[i], n = _repair_c1(cell)
                repaired += n
    return grid, repaired


def _open_workbook(data: bytes, name: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise UnsupportedFormatError(name, "encrypted") from exc
    except (CalamineError, OSError, ValueError, RuntimeError) as exc:
        raise CorruptFileError(name, "an Excel workbook", "its contents cannot be parsed") from exc


# --------------------------------------------------------------------------- header and table


def _last_filled(row: Sequence[str]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if row[i]:
            return i
    return -1


def _is_number(cell: str) -> bool:
    return parse_amount(cell).status == "number"


_YEAR_VALUE_RE: Final = re.compile(
    r"(?:19|20)\d{2}(?:\s*[-/\u2013]\s*(?:\d{2}|\d{4}))?|FY\s*'?\d{2}(?:\d{2})?(?:\s*[-/\u2013]\s*(?:\d{2}|\d{4}))?",
    re.IGNORECASE,
)


def _headerish(cell: str) -> bool:
    # Wide tables often use bare years ("2023", "FY2024") as column names.
    return bool(cell) and (not _is_number(cell) or bool(_YEAR_VALUE_RE.fullmatch(cell)))


def _find_header(grid: list[list[str]]) -> int | None:
    """Index of the row that looks most like column names above rows of data."""
    # Column names are mostly text, as wide as the data, all different, and sit above the
    # columns that hold numbers further down; titles and notes fail at least one of these.
    filled_rows = [i for i, row in enumerate(grid) if any(row)]
    best, best_score = None, 0.0
    for pos, i in enumerate(filled_rows[:HEADER_SCAN_ROWS]):
        row = grid[i]
        cells = [c for c in row if c]
        if len(cells) < 2:
            continue
        text_ratio = sum(1 for c in cells if _headerish(c)) / len(cells)
        if text_ratio < 0.5:
            continue
        below = [grid[j] for j in filled_rows[pos + 1 : pos + 11]]
        if not below:
            continue
        width = max(_last_filled(row), *(_last_filled(r) for r in below)) + 1
        fill = len(cells) / width
        numeric_cols = [
            c
            for c in range(width)
            if sum(1 for r in below if c < len(r) and _is_number(r[c])) * 2 >= len(below)
        ]
        covered = (
            sum(1 for c in numeric_cols if c < len(row) and _headerish(row[c])) / len(numeric_cols)
            if numeric_cols
            else 0.0
        )
        distinct = len(set(cells)) / len(cells)
        score = text_ratio * fill * distinct + covered
        if score > best_score:
            best, best_score = i, score
    return best


def _unique_headers(cells: Sequence[str], width: int) -> tuple[str, ...]:
    headers: list[str] = []
    seen: set[str] = set()
    for i in range(width):
        base = cells[i].lstrip("\ufeff").strip() if i < len(cells) else ""
        base = base or f"Column {i + 1}"
        candidate, n = base, 2
        while candidate.lower() in seen:
            candidate, n = f"{base} ({n})", n + 1
        seen.add(candidate.lower())
        headers.append(candidate)
    return tuple(headers)


def _table_from_grid(
    grid: list[list[str]], name: str, max_rows: int
) -> tuple[int, tuple[str, ...], list[list[str]], list[int], list[str]]:
    """Find the header and square up the rows below it; raise if there is no usable table."""
    header_i = _find_header(grid)
    if header_i is None:
        filled = [row for row in grid if any(row)]
        if len(filled) == 1 and sum(1 for c in filled[0] if c) >= 2:
            raise EmptyFileError(name, "has column names but no rows below them")
        raise NotABudgetError(name, "no row of column names was found")
    body = grid[header_i + 1 :]
    data_rows = sum(1 for row in body if any(row))
    if data_rows > max_rows:
        raise TooManyRowsError(name, max_rows)
    width = max(_last_filled(grid[header_i]), *(_last_filled(r) for r in body), 0) + 1
    headers = _unique_headers(grid[header_i], width)
    rows = [r if len(r) == width else (r + [""] * (width - len(r)))[:width] for r in body]
    numbers = list(range(header_i + 2, header_i + 2 + len(rows)))
    warnings = []
    if header_i > 0:
        warnings.append(
            f"The column names are in row {header_i + 1}; the {_plural(header_i, 'row')} above "
            "them (titles or notes) were not read as data."
        )
    return header_i + 1, headers, rows, numbers, warnings


# --------------------------------------------------------------------------- mapping

_TOKEN_RE: Final = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[$#%]")
_ROLE_WORDS: Final = {
    "department": {"department": 3, "departments": 3, "dept": 3, "agency": 3},
    "division": {
        "division": 3, "div": 3, "program": 3, "programs": 3, "prog": 3, "programme": 3,
        "authority": 2, "activity": 2, "lob": 2, "section": 1, "bureau": 1, "org": 1,
        "organization": 1, "unit": 1, "service": 1, "center": 1,
    },
    "category": {
        "account": 3, "acct": 3, "object": 3, "obj": 3, "category": 2, "categ": 2, "class": 2,
        "classification": 2, "type": 1, "item": 1,
    },
    "fund": {"fund": 3, "funds": 3},
}  # fmt: skip
_NAME_WORDS: Final = frozenset({"name", "title", "label", "desc", "descr"})
_CODE_WORDS: Final = frozenset({"code", "cd", "number", "num", "no", "nbr", "id", "key", "#"})
_YEAR_WORDS: Final = frozenset({"year", "yr", "fy", "fiscal", "period"})
_KIND_WORDS: Final = frozenset({"expense", "expenses", "revenue", "revenues", "type", "kind"})
# Words that mark a numeric column as money even when a code word is also present ("Program Budget").
_STRONG_AMOUNT_WORDS: Final = frozenset(
    {
        "amount", "amt", "amounts", "$", "dollars", "dollar", "usd", "budget", "budgeted",
        "adopted", "approved", "proposed", "actual", "actuals", "estimate", "estimates",
        "estimated", "ordinance", "enacted", "revised", "amended", "recommended", "requested",
        "expenditure", "expenditures",
    }
)  # fmt: skip
# Numeric columns that hold codes rather than money ("DEPARTMENT NUMBER", "APPROPRIATION ACCOUNT").
_NOT_AMOUNT_WORDS: Final = frozenset(
    {
        *_CODE_WORDS, "account", "acct", "fund", "org", "organization", "unit", "object", "obj",
        "program", "prog", "project", "proj", "dept", "department", "division", "div",
        "authority", "activity", "line", "lob", "index", "seq", "sequence", "row", "class",
        "category", "categ", "type", "center", "zip",
    }
)  # fmt: skip
# Numeric columns that are never money, whatever else the header says ("Budgeted FTE").
_NEVER_AMOUNT_WORDS: Final = frozenset(
    {
        "fte", "ftes", "position", "positions", "headcount", "count", "qty", "quantity",
        "hours", "percent", "pct", "%", "rate", "ratio",
    }
)  # fmt: skip
# Budget stages, most authoritative last: the proposal prefers an adopted column of the latest year.
_STAGE_WORDS: Final = (
    (5, {"adopted", "approved", "enacted", "ordinance", "final"}),
    (3, {"proposed", "recommended", "request", "requested", "preliminary", "draft"}),
    (2, {"estimate", "estimates", "estimated", "projected", "projection", "forecast"}),
    (1, {"actual", "actuals", "spent", "ytd"}),
    (4, {"budget", "budgeted", "amount", "amt", "appropriation", "appropriations", "revised",
         "amended", "$", "dollars", "total", "value"}),
)  # fmt: skip
_EXPENSE_VALUES: Final = frozenset(
    {"e", "exp", "expense", "expenses", "expenditure", "expenditures", "spending"}
)
_REVENUE_VALUES: Final = frozenset({"r", "rev", "revenue", "revenues", "income", "receipts"})
_SAMPLE_ROWS: Final = 2000
_HEADER_YEAR_RE: Final = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:\s*[-/\u2013]\s*(\d{4}|\d{2}))?(?!\d)"
)
_FY_YEAR_RE: Final = re.compile(r"FY\s*'?(\d{2})(?:\s*[-/\u2013]\s*(\d{2}))?(?!\d)", re.IGNORECASE)


def _tokens(header: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN_RE.findall(header))


@dataclass
class _Profile:
    index: int
    header: str
    tokens: tuple[str, ...]
    filled: int = 0
    numbers: int = 0
    invalid: int = 0
    leading_zero: bool = False
    years: int = 0
    ranged_years: int = 0
    expense: int = 0
    revenue: int = 0
    sampled: int = 0

    @property
    def numeric(self) -> bool:
        # Mostly numbers where filled, and filled in a fair share of rows: one stray figure
        # in a column of notes does not make it an amount column.
        return self.numbers >= 0.6 * (self.numbers + self.invalid) and self.numbers >= max(
            1, 0.2 * self.sampled
        )

    @property
    def texty(self) -> bool:
        return self.filled > 0 and self.numbers * 2 < self.filled


def _sample(rows: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    filled = [r for r in rows if any(r)]
    if len(filled) <= _SAMPLE_ROWS:
        return filled
    step = len(filled) / _SAMPLE_ROWS
    return [filled[int(i * step)] for i in range(_SAMPLE_ROWS)]


def _profile(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[_Profile]:
    sample = _sample(rows)
    profiles = [_Profile(i, h, _tokens(h), sampled=len(sample)) for i, h in enumerate(headers)]
    for row in sample:
        for p in profiles:
            cell = row[p.index] if p.index < len(row) else ""
            if not cell:
                continue
            p.filled += 1
            status = parse_amount(cell).status
            if status == "number":
                p.numbers += 1
                if len(cell) > 1 and cell[0] == "0" and cell[1].isdigit():
                    p.leading_zero = True
            elif status == "invalid":
                p.invalid += 1
            if _YEAR_VALUE_RE.fullmatch(cell):
                p.years += 1
                if not cell.isdigit():
                    p.ranged_years += 1
            low = cell.lower()
            if low in _EXPENSE_VALUES:
                p.expense += 1
            elif low in _REVENUE_VALUES:
                p.revenue += 1
    return profiles


def _header_year(header: str) -> int:
    """The latest fiscal year a header mentions ("2021-22 Adopted" -> 2022), or 0."""
    best = 0
    for m in _HEADER_YEAR_RE.finditer(header):
        start, end = int(m[1]), m[2]
        if end is None:
            best = max(best, start)
        elif len(end) == 4:
            best = max(best, int(end))
        else:  # "2021-22": the end year shares the start year's century
            best = max(best, start // 100 * 100 + int(end))
    for m in _FY_YEAR_RE.finditer(header):
        best = max(best, 2000 + int(m[2] or m[1]))
    return best


def _value_year(value: str) -> tuple[int, str]:
    return (_header_year(value) or 10_000, value)


def _stage(tokens: tuple[str, ...]) -> int:
    for stage, words in _STAGE_WORDS:
        if words.intersection(tokens):
            return stage
    return 0


def _amount_key(p: _Profile) -> tuple[bool, int, int, int]:
    stage = _stage(p.tokens)
    return (stage >= 4, _header_year(p.header), stage, p.index)


def _role_score(p: _Profile, role: str) -> int:
    words = _ROLE_WORDS[role]
    base = max((words.get(t, 0) for t in p.tokens), default=0)
    if base == 0 or p.filled == 0:
        return 0
    score = base
    if any(t in _NAME_WORDS or t.startswith("desc") for t in p.tokens):
        score += 1
    if _CODE_WORDS.intersection(p.tokens):
        score -= 1
    if "and" in p.tokens:
        score -= 1
    if sum(1 for w in _ROLE_WORDS.values() if any(t in w for t in p.tokens)) > 1:
        score -= 2  # a combined column such as "Dept-Div" or "Fund_Category"
    if len(p.tokens) == 1:
        score += 1
    if p.texty:
        score += 2  # names read better in reports than codes
    return score


def propose_mapping(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Mapping:
    """Guess which column is department, division, category, fund, year, kind and amount."""
    profiles = _profile(headers, rows)
    used: set[int] = set()

    year_cols = [
        p
        for p in profiles
        if p.filled
        and p.years >= 0.9 * p.filled
        and (_YEAR_WORDS.intersection(p.tokens) or p.ranged_years >= 0.9 * p.filled)
    ]
    year = year_cols[0] if year_cols else None
    if year:
        used.add(year.index)

    kind_cols = [
        p
        for p in profiles
        if p.index not in used and p.filled and p.expense + p.revenue >= 0.95 * p.filled
    ]
    kind_cols.sort(key=lambda p: (not _KIND_WORDS.intersection(p.tokens), p.index))
    kind = kind_cols[0] if kind_cols else None
    if kind:
        used.add(kind.index)

    numeric = [
        p
        for p in profiles
        if p.index not in used
        and p.numeric
        and not p.leading_zero
        and not _NEVER_AMOUNT_WORDS.intersection(p.tokens)
    ]
    candidates = [
        p
        for p in numeric
        if _STRONG_AMOUNT_WORDS.intersection(p.tokens)
        or not _NOT_AMOUNT_WORDS.intersection(p.tokens)
    ]
    guessed = not candidates and bool(numeric)
    candidates = candidates or numeric
    amount = max(candidates, key=_amount_key) if candidates else None
    used.update(p.index for p in candidates)

    chosen: dict[str, str | None] = dict.fromkeys(_ROLE_WORDS)
    scored = sorted(
        ((_role_score(p, role), -p.index, role, p) for role in _ROLE_WORDS for p in profiles),
        key=lambda item: item[:2],
        reverse=True,
    )
    for score, _, role, p in scored:
        if score > 0 and chosen[role] is None and p.index not in used:
            chosen[role] = p.header
            used.add(p.index)

    return Mapping(
        department=chosen["department"],
        division=chosen["division"],
        category=chosen["category"],
        fund=chosen["fund"],
        year=year.header if year else None,
        kind=kind.header if kind else None,
        amount=amount.header if amount else None,
        amount_candidates=tuple(p.header for p in candidates),
        amount_guessed=guessed,
    )


# --------------------------------------------------------------------------- progress


class _Progress:
    """Forwards (fraction, message) to the caller's callback, scaled into [start, end]."""

    def __init__(self, callback: ProgressFn | None, start: float = 0.0, end: float = 1.0) -> None:
        self.callback, self.start, self.end = callback, start, end

    def __call__(self, fraction: float, message: str) -> None:
        if self.callback is not None:
            fraction = min(1.0, max(0.0, fraction))
            self.callback(self.start + (self.end - self.start) * fraction, message)


# --------------------------------------------------------------------------- public entry points


def inspect_file(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    progress: ProgressFn | None = None,
) -> RawTable:
    """Detect the format, pick the sheet, find the header row and propose a column mapping."""
    return _inspect(data, filename, sheet, max_bytes, max_rows, _Progress(progress))


def _inspect(
    data: bytes, filename: str, sheet: str | None, max_bytes: int, max_rows: int, report: _Progress
) -> RawTable:
    name = _display_name(filename)
    report(0.0, "Checking the file")
    if not data:
        raise EmptyFileError(name)
    if len(data) > max_bytes:
        raise FileTooLargeError(name, len(data), max_bytes)
    fmt = _sniff_format(data, name)
    ext = _extension(filename)
    warnings: list[str] = []
    if fmt == "csv" and ext in ("xlsx", "xls", "xlsm", "xlsb"):
        warnings.append(f'"{name}" has an Excel name but holds plain text, so it was read as CSV.')
    if fmt == "xlsx" and ext in ("csv", "txt", "tsv"):
        warnings.append(f'"{name}" has a CSV name but is an Excel workbook, so it was read as one.')

    if fmt == "xlsx":
        _check_zip(data, name)
        report(0.1, "Opening the workbook")
        return _inspect_xlsx(data, name, sheet, max_rows, report, warnings)

    if sheet is not None:
        raise NotInFileError(name, f'"{name}" is a CSV file, so it has no sheet named "{sheet}".')
    grid, encoding, delimiter, csv_warnings = _read_csv(data, name, max_rows, report)
    report(0.8, "Finding the column names")
    header_row, headers, rows, numbers, table_warnings = _table_from_grid(grid, name, max_rows)
    report(0.9, "Matching columns")
    mapping = _require_amount(propose_mapping(headers, rows), name)
    report(1.0, "File read")
    return RawTable(
        filename=name,
        format="csv",
        headers=headers,
        rows=rows,
        row_numbers=numbers,
        header_row=header_row,
        mapping=mapping,
        encoding=encoding,
        delimiter=delimiter,
        warnings=tuple(warnings + csv_warnings + table_warnings),
    )


def _require_amount(mapping: Mapping, name: str) -> Mapping:
    if mapping.amount is None:
        raise NotABudgetError(name, "no column holds amounts (numbers)")
    return mapping


def _inspect_xlsx(
    data: bytes, name: str, sheet: str | None, max_rows: int, report: _Progress, warnings: list[str]
) -> RawTable:
    wb = _open_workbook(data, name)
    try:
        try:
            meta = wb.sheets_metadata
        except CalamineError as exc:
            raise CorruptFileError(
                name, "an Excel workbook", "the sheet list is unreadable"
            ) from exc
        worksheets = tuple(m.name for m in meta if m.typ == SheetTypeEnum.WorkSheet)
        visible = [
            m.name
            for m in meta
            if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible
        ]
        if not worksheets:
            raise EmptyFileError(name, "has no worksheets")
        if sheet is not None and sheet not in worksheets:
            raise NotInFileError(
                name,
                f'"{name}" has no sheet named "{sheet}". Its sheets are: '
                + ", ".join(f'"{s}"' for s in worksheets)
                + ".",
            )
        order = [sheet] if sheet is not None else (visible or list(worksheets))
        first_error: BudgetFileError | None = None
        for n, candidate in enumerate(order):
            report(0.1 + 0.6 * n / len(order), f'Reading sheet "{candidate}"')
            try:
                grid, repaired = _sheet_grid(wb, candidate)
            except CalamineError as exc:
                raise CorruptFileError(
                    name, "an Excel workbook", f'sheet "{candidate}" cannot be parsed'
                ) from exc
            if not any(any(row) for row in grid):
                continue
            try:
                report(0.8, "Finding the column names")
                header_row, headers, rows, numbers, table_warnings = _table_from_grid(
                    grid, name, max_rows
                )
                report(0.9, "Matching columns")
                mapping = _require_amount(propose_mapping(headers, rows), name)
            except (NotABudgetError, EmptyFileError) as exc:
                first_error = first_error or exc
                continue
            sheet_warnings = []
            if len(worksheets) > 1:
                sheet_warnings.append(
                    f"This workbook has {len(worksheets)} sheets; the budget was read from "
                    f'"{candidate}". Choose another sheet if that is not the right one.'
                )
            if repaired:
                sheet_warnings.append(_repair_warning(repaired))
            report(1.0, "File read")
            return RawTable(
                filename=name,
                format="xlsx",
                headers=headers,
                rows=rows,
                row_numbers=numbers,
                header_row=header_row,
                mapping=mapping,
                sheet=candidate,
                sheets=worksheets,
                warnings=tuple(warnings + sheet_warnings + table_warnings),
            )
        if first_error is not None:
            raise first_error
        raise EmptyFileError(
            name, "has only empty sheets" if len(order) > 1 else f'has an empty sheet "{order[0]}"'
        )
    finally:
        wb.close()


def fiscal_years(table: RawTable, mapping: Mapping | None = None) -> tuple[str, ...]:
    """The distinct values of the mapping's year column, oldest first (empty without one)."""
    mapping = mapping or table.mapping
    if mapping.year is None:
        return ()
    i = _column_index(table, mapping.year, "year")
    return tuple(sorted({r[i] for r in table.rows if r[i]}, key=_value_year))


def _column_index(table: RawTable, column: str, role: str) -> int:
    try:
        return table.headers.index(column)
    except ValueError:
        raise NotInFileError(
            table.filename,
            f'"{table.filename}" has no column named "{column}" (asked for as the {role}). '
            "Its columns are: " + ", ".join(f'"{h}"' for h in table.headers) + ".",
        ) from None


_TOTAL_EXACT_RE: Final = re.compile(r"(?:grand\s+|sub[\s-]?)?totals?\s*:?", re.IGNORECASE)
_TOTAL_EDGE_RE: Final = re.compile(
    r"^(?:grand\s+|sub[\s-]?)?totals?\b|\b(?:grand\s+|sub[\s-]?)?totals?\s*:?$", re.IGNORECASE
)


def _total_label(row: Sequence[str], dims: Sequence[int]) -> str | None:
    """The cell that marks this row as a total or subtotal, if any."""
    if "otal" not in "\x1f".join(row).lower():
        return None
    for cell in row:
        if _TOTAL_EXACT_RE.fullmatch(cell):
            return cell
    # "Police Total" is how Excel's Subtotal command labels a group, with the other labels
    # blank. A real line item may end in "Total" too (Oakland: "... Offset Project Total"),
    # so an edge match only counts when most of the row's labels are empty.
    filled = sum(1 for i in dims if row[i])
    if filled * 2 > len(dims):
        return None
    for cell in row:
        if cell and _TOTAL_EDGE_RE.search(cell):
            return cell
    return None


def import_lines(
    table: RawTable,
    mapping: Mapping,
    *,
    year: str | None = None,
    expenses_only: bool | None = None,
    progress: ProgressFn | None = None,
) -> BudgetImport:
    """Turn a RawTable into line items in exact cents, leaving out totals and blanks with reasons.

    year: None picks the latest fiscal year (when there is a year column), ALL_YEARS keeps all.
    expenses_only: None means "yes when there is an expense/revenue column".
    """
    report = _Progress(progress)
    name = table.filename
    if mapping.amount is None:
        raise NotInFileError(name, f'Choose the column of "{name}" that holds the amounts.')
    amount_i = _column_index(table, mapping.amount, "amount")
    role_i = {
        role: (_column_index(table, col, role) if col is not None else None)
        for role, col in mapping.roles().items()
    }
    year_i, kind_i = role_i["year"], role_i["kind"]
    numeric_i = sorted(
        {amount_i}
        | {table.headers.index(c) for c in mapping.amount_candidates if c in table.headers}
    )
    dims = [
        i for i in range(len(table.headers)) if i not in numeric_i and i != year_i and i != kind_i
    ]

    years = fiscal_years(table, mapping)
    chosen_year: str | None
    if year_i is None:
        if year not in (None, ALL_YEARS):
            raise NotInFileError(
                name, f'"{name}" has no fiscal year column, so it cannot be limited to {year}.'
            )
        chosen_year = None
    elif year is None:
        chosen_year = years[-1] if years else None
    elif year == ALL_YEARS:
        chosen_year = None
    elif year in years:
        chosen_year = year
    else:
        raise NotInFileError(
            name,
            f'"{name}" has no rows for fiscal year "{year}". The years in the file are: '
            + ", ".join(years)
            + ".",
        )
    # A single-year file is labelled with its year but not filtered, so rows with a blank
    # year cell are not lost for nothing.
    filter_year = (
        chosen_year if (year is not None and year != ALL_YEARS) or len(years) > 1 else None
    )
    use_expenses = bool(kind_i is not None and (expenses_only is None or expenses_only))

    headers = table.headers
    header_words = [h.lower() for h in headers]
    min_header_match = max(2, int(0.8 * len(headers)))
    last_filled = max((n for n, r in enumerate(table.rows) if any(r)), default=-1)

    lines: list[BudgetLine] = []
    skipped: list[SkippedRow] = []
    skip_counts: Counter[str] = Counter()
    filtered: Counter[str] = Counter()
    parsed = zero = missing = negative = rounded = 0
    invalid_examples: list[tuple[int, str]] = []
    trailing_blank: list[int] = []
    total = 0
    count = len(table.rows)
    dept_i, div_i, cat_i, fund_i = (
        role_i[r] for r in ("department", "division", "category", "fund")
    )

    def skip(row_number: int, reason: str, detail: str) -> None:
        skipped.append(SkippedRow(row_number, reason, detail))
        skip_counts[reason] += 1

    for n, (row_number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if n % 20000 == 0:
            report(n / max(1, count), "Checking rows")
        if not any(row):
            if n > last_filled:
                trailing_blank.append(row_number)
            else:
                skip(row_number, "blank row", f"Row {row_number} is blank.")
            continue
        # A header repeated mid-table (page breaks in a report export) has the amount
        # column's own name in the amount cell; checking that first keeps this cheap.
        if (
            row[amount_i].lower() == header_words[amount_i]
            and sum(1 for i, c in enumerate(row) if c.lower() == header_words[i])
            >= min_header_match
        ):
            skip(row_number, "repeated header row", f"Row {row_number} repeats the column names.")
            continue
        label = _total_label(row, dims)
        if label is not None:
            skip(
                row_number,
                "total row",
                f'Row {row_number} says "{label}", so it is a total or subtotal and was left out '
                "to avoid counting the same money twice.",
            )
            continue
        has_number = any(_is_number(row[i]) for i in numeric_i)
        if dims and has_number and not any(row[i] for i in dims):
            skip(
                row_number,
                "total row",
                f"Row {row_number} has amounts but no labels, so it looks like a total and was "
                "left out to avoid counting the same money twice.",
            )
            continue
        if not has_number and sum(1 for c in row if c) <= 1:
            text = next(c for c in row if c)
            skip(
                row_number,
                "note or heading row",
                f'Row {row_number} holds only "{_shorten(text)}" and no amount, so it looks like a '
                "note or a heading.",
            )
            continue
        if filter_year is not None and year_i is not None and row[year_i] != filter_year:
            filtered["other fiscal year"] += 1
            continue
        if use_expenses and kind_i is not None and row[kind_i].lower() in _REVENUE_VALUES:
            filtered["revenue row"] += 1
            continue

        cell = row[amount_i]
        amount = parse_amount(cell)
        if amount.status == "invalid":
            skip(
                row_number,
                "amount is not a number",
                f'Row {row_number}: "{_shorten(cell)}" in "{mapping.amount}" is not an amount '
                f"({amount.reason}), so the row was left out.",
            )
            invalid_examples.append((row_number, cell))
            continue
        if amount.status == "missing":
            missing += 1
        else:
            parsed += 1
            zero += amount.cents == 0
            negative += amount.cents < 0
            rounded += amount.rounded
            total += amount.cents
        lines.append(
            BudgetLine(
                row=row_number,
                department=row[dept_i] if dept_i is not None else "",
                division=row[div_i] if div_i is not None else "",
                category=row[cat_i] if cat_i is not None else "",
                fund=row[fund_i] if fund_i is not None else "",
                year=row[year_i] if year_i is not None else "",
                amount_cents=amount.cents,
                amount_missing=amount.status == "missing",
            )
        )

    if trailing_blank:
        first, last = trailing_blank[0], trailing_blank[-1]
        detail = (
            f"Row {first} is blank."
            if first == last
            else f"Rows {first} to {last} at the end are blank ({len(trailing_blank):,} rows)."
        )
        skipped.append(SkippedRow(first, "blank row", detail))
        skip_counts["blank row"] += len(trailing_blank)

    warnings = list(table.warnings)
    if mapping.amount_guessed:
        warnings.append(
            f'No column is clearly named as an amount, so "{mapping.amount}" was used. '
            "Check that it holds the money figures."
        )
    if len(mapping.amount_candidates) > 1:
        others = ", ".join(f'"{c}"' for c in mapping.amount_candidates)
        warnings.append(
            f"The file has {len(mapping.amount_candidates)} columns of amounts ({others}). "
            f'The import uses "{mapping.amount}"; choose another column to change that.'
        )
    if filter_year is not None and len(years) > 1:
        warnings.append(
            f"The file holds {len(years)} fiscal years ({years[0]} to {years[-1]}). Only "
            f"{chosen_year} is used ({_plural(filtered['other fiscal year'], 'row')} of other "
            "years are left out); choose another year to change that."
        )
    if use_expenses:
        revenue = filtered["revenue row"]
        warnings.append(
            f'Only expense rows are used (column "{mapping.kind}" marks expense and revenue); '
            + (
                f"{_plural(revenue, 'revenue row')} left out. Include revenue to change that."
                if revenue
                else "no revenue rows were found."
            )
        )
    if skip_counts["total row"]:
        warnings.append(
            f"{_plural(skip_counts['total row'], 'total or subtotal row')} left out so that no "
            "money is counted twice."
        )
    if missing:
        warnings.append(
            f'{_plural(missing, "row")} with no amount in "{mapping.amount}": kept, marked as '
            "missing, and counted as $0 in the total."
        )
    if rounded:
        warnings.append(
            f"{_plural(rounded, 'amount')} had fractions of a cent and were rounded to the "
            "nearest cent (exact halves go to the even cent)."
        )
    if invalid_examples:
        first_row, first_cell = invalid_examples[0]
        warnings.append(
            f"{_plural(len(invalid_examples), 'row')} left out because the amount is not a "
            f'number (the first is row {first_row}: "{_shorten(first_cell)}"). '
            "See the skipped rows."
        )
        if len(invalid_examples) > parsed:
            warnings.append(
                f'Most values in "{mapping.amount}" are not numbers. Check that it is the column '
                "that holds the amounts."
            )
    if not lines:
        warnings.append("No budget lines were found with these choices.")
    report(1.0, "Rows checked")

    return BudgetImport(
        filename=name,
        format=table.format,
        sheet=table.sheet,
        header_row=table.header_row,
        lines=tuple(lines),
        total_cents=total,
        amount_column=mapping.amount,
        mapping=mapping,
        year=chosen_year,
        years=years,
        expenses_only=use_expenses,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        counts=ImportCounts(
            lines=len(lines),
            parsed=parsed,
            zero=zero,
            missing=missing,
            negative=negative,
            rounded=rounded,
            skipped=dict(skip_counts),
            filtered_out=dict(filtered),
        ),
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def read_budget(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    amount: str | None = None,
    year: str | None = None,
    expenses_only: bool | None = None,
    roles: dict[str, str | None] | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    progress: ProgressFn | None = None,
) -> BudgetImport:
    """Inspect and import in one call with the proposed mapping, applying any overrides given."""
    table = _inspect(data, filename, sheet, max_bytes, max_rows, _Progress(progress, 0.0, 0.8))
    mapping = table.mapping.with_roles(**(roles or {}))
    if amount is not None:
        mapping = mapping.with_roles(amount=amount)
    scaled = _Progress(progress, 0.8, 1.0)
    return import_lines(table, mapping, year=year, expenses_only=expenses_only, progress=scaled)


def to_json_summary(result: BudgetImport) -> dict[str, Any]:
    """A JSON-ready summary of an import (for `isc budget inspect FILE --json`)."""
    c = result.counts
    return {
        "file": result.filename,
        "format": result.format,
        "sheet": result.sheet,
        "header_row": result.header_row,
        "rows": len(result.lines),
        "total": cents_to_str(result.total_cents),
        "amount_column": result.amount_column,
        "amount_candidates": list(result.mapping.amount_candidates),
        "mapping": result.mapping.roles(),
        "year": result.year,
        "years": list(result.years),
        "expenses_only": result.expenses_only,
        "counts": {
            "lines": c.lines,
            "parsed": c.parsed,
            "zero": c.zero,
            "missing": c.missing,
            "negative": c.negative,
            "rounded": c.rounded,
            "skipped": dict(c.skipped),
            "filtered_out": dict(c.filtered_out),
        },
        "skipped": [{"row": s.row, "reason": s.reason, "detail": s.detail} for s in result.skipped],
        "warnings": list(result.warnings),
    }
