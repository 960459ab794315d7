"""The Action Plan section of the Blueprint PDF and its workbook sheets."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pdfplumber
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from exports import action_plan as export
from exports import pdf, workbook
from tests.helpers import member
from toolkit import action_plan as ap
from toolkit.demo import demo_budget

DAY = dt.date(2026, 12, 9)
START = dt.date(2027, 1, 4)
HOSTILE = '<b>bold</b> & <img src="/etc/passwd"> =HYPERLINK("http://x") 名前 '


def _pdf(section: export.ActionPlanSection) -> bytes:
    meta = pdf.Meta(title="Action plan", author="Test", subject="Test", footer="Test")
    return pdf.render(meta, cover=[], body=export.section(section, 2, "Project action plan"))


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _outline(data: bytes) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(PdfReader(io.BytesIO(data)).outline)
    return titles


@pytest.fixture
def riverton(store, teams):
    team = teams["riverton"]  # the demo workshop already holds Riverton's plan
    return export.gather(store, member(team), team.id, DAY)


@pytest.fixture(scope="module")
def demo_pdf() -> bytes:
    """Riverton's demo plan rendered once: reading a PDF back with pdfplumber takes seconds."""
    _, budget = demo_budget("riverton")
    return _pdf(export.ActionPlanSection(ap.demo_document("riverton"),
                                         ap.budget_fte_moves(budget), DAY))


@pytest.fixture(scope="module")
def demo_text(demo_pdf) -> str:
    return _flat(_text(demo_pdf))


def _three_hundred() -> ap.ActionPlan:
    phases = [ap.Phase(id=f"p{i}", name=f"Phase {i}") for i in range(4)]
    milestones = [
        ap.PlanMilestone(id=f"m{i}", name=f"Milestone number {i} of the long plan",
                         phase=f"p{i * 4 // 300}", owner="Lead",
                         start=START + dt.timedelta(days=2 * i),
                         end=START + dt.timedelta(days=2 * i + 14),
                         depends_on=[f"m{i - 1}"] if i else [],
                         status=list(ap.STATUS_LABELS)[i % 4])
        for i in range(300)]
    return ap.ActionPlan(plan_start=START, phases=phases, milestones=milestones)


def test_gather_reads_the_plan_and_the_budgets_staff_moves(riverton):
    assert riverton.started
    assert [(m.fte, m.is_proposal) for m in riverton.fte_moves] == [(3, True)]
    assert riverton.start == START


def test_the_section_shows_every_part_of_the_demo_plan(demo_pdf, demo_text):
    text = demo_text
    for expected in (
        "2. Project action plan", "Readiness", "Every part of the plan is filled in.",
        "Logic model", "Three crime analysts", "Measures", "Gun homicides in the",
        "Not representative",
        "Timeline", "Chart in words: 23 milestones, from Jan 4, 2027 to Jun 30, 2028",
        "Milestones", "The first 90 days, from Jan 4, 2027",
        "Consulted", "Informed", "Street outreach", "Operations plan", "Crime analyst",
        "Staff moves in the budget tool", "they match.", "Partners",
        "University of Riverton", "Risks", "Heat map", "Chart in words: 8 rated risks"):
        assert expected in text, expected
    assert {"2. Project action plan", "Logic model", "Measures", "Timeline", "Heat map",
            "Risks"} <= set(_outline(demo_pdf))


def test_the_calls_for_service_measure_carries_its_caution_into_the_pdf(demo_text):
    text = demo_text
    assert "comes from calls for service, 311 or complaints, so it is not representative" in text


def test_a_plan_not_started_says_so_and_adds_no_sheets():
    section = export.ActionPlanSection(ap.ActionPlan(), [], DAY)
    assert not section.started
    text = _text(_pdf(section))
    assert "Not started yet." in text
    wb = Workbook()
    export.add_sheets(wb, section)
    assert wb.sheetnames == ["Sheet"]


def test_300_milestones_export_as_charts_of_at_most_40_rows_and_a_full_table():
    section = export.ActionPlanSection(_three_hundred(), [], DAY)
    data = _pdf(section)
    reader = PdfReader(io.BytesIO(data))  # pypdf: much faster than pdfplumber on 40 pages
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    continued = [t for t in _outline(data) if t.startswith("Timeline, continued")]
    assert continued[0] == "Timeline, continued: milestones 41 to 80"
    assert continued[-1] == "Timeline, continued: milestones 281 to 300"
    assert len(continued) == 7
    assert "Chart in words: Milestones 1 to 40 of 300" in text
    assert "Milestone number 299 of the long plan" in text
    assert len(reader.pages) < 60


def test_every_timeline_chart_fits_on_its_page():
    section = export.ActionPlanSection(_three_hundred(), [], DAY)
    charts = [f for f in export.section(section, 2, "Action plan")
              if isinstance(f, pdf.KeepTogether)]
    drawings = [d for keep in charts for d in keep._content
                if d.__class__.__name__ == "Drawing"]
    assert len(drawings) == 8 + 0  # 300 rows in charts of 40; the heat map needs risks
    frame_height = pdf.PAGE_H - pdf.MARGIN - 0.95 * 72
    assert all(d.height < frame_height - 40 for d in drawings)


def test_hostile_text_prints_literally_and_names_in_any_script_survive():
    plan = ap.ActionPlan(
        plan_start=START,
        inputs=[ap.LogicItem(text=HOSTILE)],
        measures=[ap.PlanMeasure(name=HOSTILE, baseline=3, target=3, owner=HOSTILE)],
        milestones=[ap.PlanMilestone(name=HOSTILE + "W" * 120, owner="=cmd|calc",
                                     start=START, end=START - dt.timedelta(days=2),
                                     depends_on=["gone"])],
        roles=[ap.RaciRole(name=HOSTILE)], workstreams=[ap.Workstream(name=HOSTILE)],
        partners=[ap.PlanPartner(name=HOSTILE, status="active")],
        risks=[ap.Risk(description=HOSTILE, likelihood=5, impact=5)])
    data = _pdf(export.ActionPlanSection(plan, [], DAY))
    text = _flat(_text(data))
    assert '<b>bold</b> & <img src="/etc/passwd">' in text
    assert "名前" in text
    assert "ends on Jan 2, 2027, before it starts on Jan 4, 2027" in text
    assert "depends on a milestone that was deleted" in text
    assert "has no one accountable (A)" in text


def test_a_long_name_is_shortened_on_the_chart_but_whole_in_the_table():
    label, font = export._fit("A" * 200, 180, 7)
    assert label.endswith("…") and len(label) < 200 and font == "DejaVuSans"
    assert export._fit("路線の計画", 180, 7)[1] == "STSong-Light"
    assert export._fit("short", 180, 7) == ("short", "DejaVuSans")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_the_timeline_page_renders_with_ink_on_it(demo_pdf, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(demo_pdf)
    page = next(i for i, p in enumerate(PdfReader(io.BytesIO(demo_pdf)).pages, start=1)
                if "23 milestones" in p.extract_text())
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", str(page), "-l", str(page), str(path),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.pgm")).read_bytes()
    dark = sum(1 for b in image[-50_000:] if b < 128)
    assert dark > 500


def test_the_workbook_has_a_sheet_per_list_with_text_kept_as_text(riverton):
    plan = riverton.plan.model_copy(update={
        "partners": [*riverton.plan.partners, ap.PlanPartner(name='=HYPERLINK("http://x")')]})
    section = export.ActionPlanSection(plan, riverton.fte_moves, DAY)
    wb = Workbook()
    export.add_sheets(wb, section)
    data = workbook.to_bytes(wb)
    book = load_workbook(io.BytesIO(data))
    for name in ("Plan readiness", "Logic model", "Goals", "Measures", "Milestones", "Roles",
                 "RACI", "Staff to redeploy", "Training", "Hires", "Partners", "Risks",
                 "First 90 days"):
        assert name in book.sheetnames, name
    partners = book["Partners"]
    assert partners.freeze_panes == "A2"
    last = partners.cell(row=partners.max_row, column=1)
    assert last.value == '=HYPERLINK("http://x")' and last.data_type == "s"
    milestones = book["Milestones"]
    assert milestones.cell(row=2, column=5).value == dt.datetime(2027, 1, 4)
    assert book["Measures"].cell(row=2, column=4).value == 41
    assert book["Plan readiness"].cell(row=2, column=2).value == 100


def test_the_standalone_pdf_has_a_cover_and_the_section(riverton):
    data = export.standalone_pdf(riverton, place="Riverton, OH", initiative="Cut gun homicides")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Riverton, OH action plan"
    text = _flat(" ".join(page.extract_text() for page in reader.pages[:3]))
    assert "Riverton, OH" in text and "Prepared Dec 9, 2026" in text
    assert "2. Project action plan" in text
