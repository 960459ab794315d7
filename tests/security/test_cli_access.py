"""The `isc` command acts as the operator (the person who runs the server and can read the
database file), so it may read every team; what it writes must still hold one team only,
and listing teams prints no join code."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from pypdf import PdfReader

import cli
from tests.security.conftest import B_MARK, C_MARK


def _isc(capsys, *argv) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def test_exporting_one_team_writes_that_team_only(capsys, world, tmp_path):
    out = tmp_path / "riverton.xlsx"  # the check below finds B's words where they are
    _isc(capsys, "export", "riverton", "--format", "xlsx", "--out", str(out))
    cells = [list(ws.iter_rows(values_only=True)) for ws in load_workbook(out)]
    assert B_MARK in repr(cells)
    for fmt in ("json", "pdf", "xlsx"):
        out = tmp_path / f"lakeport.{fmt}"
        _isc(capsys, "export", "lakeport", "--format", fmt, "--out", str(out))
        data = out.read_bytes()
        if fmt == "pdf":
            data = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).encode()
        if fmt == "xlsx":  # compressed: read the cells
            book = load_workbook(io.BytesIO(data))
            data = repr([list(ws.iter_rows(values_only=True)) for ws in book]).encode()
        assert B_MARK.encode() not in data and C_MARK.encode() not in data
    mine = json.loads((tmp_path / "lakeport.json").read_text())
    assert mine["team"]["slug"] == "lakeport"


def test_exporting_every_team_writes_one_file_per_team_with_its_own_work(capsys, world,
                                                                         tmp_path):
    _isc(capsys, "export", "--all", "--format", "json", "--out", str(tmp_path))
    files = {p.name: p.read_text() for p in tmp_path.glob("*.json")}
    assert set(files) == {"riverton-blueprint.json", "lakeport-blueprint.json",
                          "mesa-verde-blueprint.json", "farnham-blueprint.json"}
    for name, text in files.items():
        assert (B_MARK in text) == name.startswith("riverton"), name
        assert (C_MARK in text) == name.startswith("farnham"), name


def test_the_progress_report_of_one_team_holds_that_team_only(capsys, world, tmp_path):
    out = tmp_path / "report.pdf"
    _isc(capsys, "progress", "lakeport", "--out", str(out))
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Lakeport" in text and B_MARK not in text


def test_listing_teams_prints_no_join_code(capsys, store, world):
    printed = _isc(capsys, "teams") + _isc(capsys, "teams", "--json")
    assert "riverton" in printed and "farnham" in printed
    for code in [*world.codes.values(), world.invite_code]:
        assert code not in printed
    for team in store.list_teams(world.facilitator):
        assert team.join_sealed not in printed
