"""Small CSV uploads (teams, guidebook): refuse what is not text, decode what is, read rows."""

from __future__ import annotations

import csv
import io
import re

# What people pick by mistake, told apart by the first bytes (never by the file's name).
_NOT_TEXT = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"GIF8", "a picture"),
    (b"PK\x03\x04", "an Excel workbook or a zip archive"),
    (b"PK\x05\x06", "an Excel workbook or a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Office file (.xls or .doc)"),
    (b"MZ", "a program"),
    (b"\x7fELF", "a program"),
    (b"{\\rtf", "a word-processing document"),
    (b"\x1f\x8b", "a compressed archive"),
)
_FIX = "Open it in a spreadsheet program, save it as CSV (UTF-8), and upload that file."


class NotCsvText(ValueError):
    """The upload is not CSV text; the message names the file and says what to do."""


def display_name(filename: str) -> str:
    return re.split(r"[\\/]", filename or "")[-1].strip() or "The file"


def quoted(filename: str) -> str:
    """The file's own name in quotes, for the start of a message."""
    name = display_name(filename)
    return name if name == "The file" else f'"{name}"'


def decode(data: bytes, filename: str, *, max_bytes: int) -> str:
    """The file's text: UTF-8 (with or without a BOM), UTF-16 with a BOM, or Windows-1252."""
    name = quoted(filename)
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise NotCsvText(f"{name} is {what}, not a CSV file. {_FIX}")
    if len(data) > max_bytes:
        raise NotCsvText(f"{name} is {len(data) / 1_048_576:.1f} MB; the limit is "
                         f"{max_bytes / 1_048_576:.0f} MB. Split it into smaller files.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise NotCsvText(f"{name} is UTF-16 text that is cut short or damaged. "
                             f"{_FIX}") from None
    elif b"\x00" in data:
        raise NotCsvText(f"{name} is not a text file. {_FIX}")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Excel's "CSV" on Windows is cp1252; five bytes it leaves undefined fall to
            # Latin-1, which never fails.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise NotCsvText(f"{name} is not a text file. {_FIX}")
    return text


def rows(text: str, filename: str, dialect: type[csv.Dialect] | csv.Dialect = csv.excel
         ) -> list[list[str]]:
    """Every row; a broken file (an unclosed quote, a cell over the csv module's 131,072
    characters) is refused with the line it stopped at, never half-read."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return list(reader)
    except csv.Error as exc:
        why = (f"a cell is longer than {csv.field_size_limit():,} characters"
               if "field larger" in str(exc) else "a quote mark may be left open")
        raise NotCsvText(f"{quoted(filename)} cannot be read as CSV at line "
                         f"{reader.line_num}: {why}. {_FIX}") from None
