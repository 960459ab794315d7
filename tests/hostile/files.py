"""Bad and awkward files, built in memory: small on disk even when they claim to be huge."""

from __future__ import annotations

import io
import zipfile

import openpyxl

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"".join(b"&lol%s;" % (b"" if n == 2 else b"%d" % (n - 1))
                                               for _ in range(10)))
        for n in range(2, 10))
    + b"]>\n"
)


def xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


BUDGET_ROWS = [["Department", "Category", "Fund", "Amount"],
               ["Police", "Overtime", "General", 1200],
               ["Parks", "Supplies", "General", 300]]
XLSX = xlsx(BUDGET_ROWS)
BUDGET_CSV = b"Department,Category,Fund,Amount\nPolice,Overtime,General,1200\nParks,Supplies,General,300\n"


def _rebuild(data: bytes, part: str, write) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in source.infolist():
            if info.filename == part:
                with z.open(part, "w", force_zip64=True) as fh:
                    write(fh, source.read(part))
            else:
                z.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 300) -> bytes:
    """A real workbook whose sheet XML unpacks to `unpacked_mb` MB (a comment of spaces):
    about 300 KB on disk, streamed so the test never holds the unpacked text."""

    def write(fh, original: bytes) -> None:
        head, tail = original.split(b"</sheetData>", 1)
        fh.write(head + b"</sheetData><!--")
        chunk = b" " * (1024 * 1024)
        for _ in range(unpacked_mb):
            fh.write(chunk)
        fh.write(b"-->" + tail)

    return _rebuild(XLSX, "xl/worksheets/sheet1.xml", write)


def entity_bomb() -> bytes:
    """Billion laughs in the sheet XML: a billion 'lol's if a parser expands entities."""

    def write(fh, original: bytes) -> None:
        fh.write(LAUGHS + original.replace(b"<t>Police</t>", b"<t>&lol9;</t>"))

    return _rebuild(XLSX, "xl/worksheets/sheet1.xml", write)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]
