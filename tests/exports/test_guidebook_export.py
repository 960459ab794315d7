"""The Resources section of the Blueprint and its workbook sheets."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pdfplumber
import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from exports import guidebook as ge
from exports import pdf
from tests.helpers import FACILITATOR, member
from toolkit import guidebook as gb
from toolkit.store import SYSTEM

DAY = dt.date(2026, 12, 9)
HOSTILE = '<b>bold</b> & <img src="/etc/passwd"> =HYPERLINK("https://evil.example")'


@pytest.fixture
def lakeport(store, teams):
    gb.load_demo(store, teams["lakeport"].id)
    return teams["lakeport"]


def _render(section: ge.GuidebookSection) -> bytes:
    meta = pdf.Meta(title="Resources", author="test", subject="test", footer="test")
    return pdf.render(meta, cover=[], body=ge.section(section, 5, "Resource guidebook"))


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _column(data: bytes, left: float, right: float) -> str:
    """The text between two distances (inches) from the left margin, on every page: one
    table column read top to bottom (plain extraction would interleave the columns)."""
    x0, x1 = pdf.MARGIN + left * 72, pdf.MARGIN + right * 72
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return _squash(" ".join(page.crop((x0, 0, x1, page.height)).extract_text() or ""
                                for page in doc.pages))


WHO, WHY, REACH, CHECKED = (0, 1.9), (1.9, 4.2), (4.2, 5.83), (5.83, 6.8)
STATUS = (4.6, 6.8)


def test_a_team_that_saved_and_added_nothing_has_not_started(store, teams):
    gb.seed_guidebook(store)
    section = ge.gather(store, SYSTEM, teams["riverton"].id, DAY)
    assert not section.started
    text = _text(_render(section))
    assert "The team has not saved anyone to call yet." in text


def test_the_demo_team_lists_who_it_will_call_with_why(store, lakeport):
    section = ge.gather(store, SYSTEM, lakeport.id, DAY)
    assert section.started and len(section.listed) == 4 and len(section.contributed) == 1
    data = _render(section)
    text = _squash(_text(data))
    assert "5. Resource guidebook" in text and "Who we will call" in text
    assert "What the team added to the guidebook" in text
    note = gb.demo_document("lakeport").saved[0].note
    assert _squash(note) in _column(data, *WHY)
    assert "SolarAPP+ National Renewable Energy Laboratory Program or tool" in _column(data, *WHO)
    assert "https://solarapp.nrel.gov" in _column(data, *REACH)
    assert "Nov 22, 2026" in _column(data, *CHECKED)
    assert "Waiting for a facilitator's review" in _column(data, *STATUS)


def test_the_section_starts_with_a_numbered_level_zero_heading_that_becomes_a_bookmark(
        store, lakeport):
    flow = ge.section(ge.gather(store, SYSTEM, lakeport.id, DAY), 5, "Resource guidebook")
    assert (flow[0].outline_title, flow[0].outline_level) == ("5. Resource guidebook", 0)
    reader = PdfReader(io.BytesIO(_render(ge.gather(store, SYSTEM, lakeport.id, DAY))))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "5. Resource guidebook"


def test_text_a_team_typed_prints_literally(store, lakeport):
    team = member(lakeport, "Lee")
    entry = gb.contribute(store, team, {
        "kind": "organization", "name": "Odd Name Group", "topics": ["data"],
        "help_with": "Helps with data sharing.", "contact": HOSTILE})
    store.guide_approve(FACILITATOR, entry.id)
    store.guide_save(team, lakeport.id, entry.id, HOSTILE)
    data = _render(ge.gather(store, SYSTEM, lakeport.id, DAY))
    # Narrow columns split long words, so compare without spaces.
    assert HOSTILE.replace(" ", "") in _column(data, *WHY).replace(" ", "")  # the note
    assert HOSTILE.replace(" ", "") in _column(data, *REACH).replace(" ", "")  # the contact


def test_a_withdrawn_entry_is_left_out_and_counted(store, lakeport):
    saved = store.guide_saved(SYSTEM, lakeport.id)
    store.guide_withdraw(FACILITATOR, saved[0].entry_id)
    section = ge.gather(store, SYSTEM, lakeport.id, DAY)
    assert len(section.listed) == 3
    text = _squash(_text(_render(section)))
    assert "1 saved entry is no longer listed in the guidebook and left out." in text
    assert saved[0].entry.name not in text


def test_a_rejected_contribution_shows_the_reason(store, lakeport):
    [mine] = store.guide_search(SYSTEM, contributed_by=lakeport.id, statuses=("pending",)
                                ).entries
    store.guide_reject(FACILITATOR, mine.id, "Name who vouched for them.")
    data = _render(ge.gather(store, SYSTEM, lakeport.id, DAY))
    assert "Not accepted: Name who vouched for them." in _column(data, *STATUS)


def test_a_withdrawn_contribution_is_not_in_the_blueprint(store, lakeport):
    [mine] = store.guide_search(SYSTEM, contributed_by=lakeport.id, statuses=("pending",)
                                ).entries
    store.guide_withdraw(member(lakeport), mine.id)
    assert ge.gather(store, SYSTEM, lakeport.id, DAY).contributed == ()


def test_another_teams_member_cannot_gather_the_section(store, lakeport, teams):
    from toolkit.store import AccessDenied

    with pytest.raises(AccessDenied):
        ge.gather(store, member(teams["riverton"]), lakeport.id, DAY)


def test_the_workbook_has_a_who_we_will_call_sheet_with_frozen_headers(store, lakeport):
    wb = Workbook()
    ge.add_sheets(wb, ge.gather(store, SYSTEM, lakeport.id, DAY))
    sheet = wb["Who we will call"]
    assert [c.value for c in sheet[1]] == ge.SAVED_COLUMNS
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 5
    names = [sheet.cell(row=r, column=1).value for r in range(2, 6)]
    assert "SolarAPP+" in names
    assert wb["Our guidebook entries"]["A2"].value == "Lakeport Small Business Alliance"
    assert sheet.column_dimensions["H"].width == 50


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(store, lakeport):
    saved = store.guide_saved(SYSTEM, lakeport.id)[0]
    store.guide_save(SYSTEM, lakeport.id, saved.entry_id, HOSTILE[HOSTILE.index("=HYPERLINK"):])
    wb = Workbook()
    ge.add_sheets(wb, ge.gather(store, SYSTEM, lakeport.id, DAY))
    cell = wb["Who we will call"]["H2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_a_team_without_contributions_gets_no_contributions_sheet(store, teams):
    gb.seed_guidebook(store)
    wb = Workbook()
    ge.add_sheets(wb, ge.gather(store, SYSTEM, teams["mesa-verde"].id, DAY))
    assert "Our guidebook entries" not in wb.sheetnames
    assert "Who we will call" in wb.sheetnames


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_the_section_renders_to_a_page_that_is_not_blank(store, lakeport, tmp_path):
    path = tmp_path / "resources.pdf"
    path.write_bytes(_render(ge.gather(store, SYSTEM, lakeport.id, DAY)))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "2", "-l", "2", str(path),
                    str(tmp_path / "page")], check=True)
    pgm = next(tmp_path.glob("page*.pgm")).read_bytes()
    body = pgm[pgm.index(b"255\n") + 4:]
    assert sum(1 for byte in body if byte < 128) > 500  # text and table rules, not white
