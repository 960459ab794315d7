"""The Engagement and Digital Inclusion sections of the Blueprint, and their Excel sheets."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
from typing import ClassVar

import pdfplumber
import pytest
from openpyxl import Workbook, load_workbook
from reportlab.graphics.shapes import String
from reportlab.platypus import KeepTogether, Table

from exports import engagement as ex
from exports import pdf
from exports import styles as st
from tests.helpers import member, put
from toolkit import engagement as eg
from toolkit.workshop import Document

DAY = dt.date(2026, 12, 9)
SPANISH = "¿Cuánto tiempo esperó su autobús hoy? Ayúdenos a que llegue a tiempo."
CHINESE = "公交车将准时到达。请告诉我们您的意见。"
ARABIC = "ستصل الحافلات في الوقت المحدد"
HOSTILE = 'S&P <b> <img src="/etc/passwd"> </para> & <font size=90>'


class FakeActionPlan(Document):
    """Stands in for the action plan's document, which another tool defines: only its JSON
    shape matters here."""

    KIND: ClassVar[str] = "action_plan"
    milestones: list[dict] = []


def _section(plan: eg.EngagementPlan, milestones=None) -> ex.EngagementSection:
    return ex.EngagementSection(plan, eg.load_engagement_content(), eg.load_plain_language(),
                                milestones)


def _render(s: ex.EngagementSection) -> bytes:
    body = ex.section(s, 4, "Resident engagement") + ex.inclusion_section(
        s, 5, "Digital inclusion roadmap")
    return pdf.render(pdf.Meta("Test", "Test", "Test", "Test"), cover=[], body=body)


def _text(data: bytes) -> str:
    # pdfplumber keeps right-to-left text in the order it was typed; pypdf reverses it.
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cells(flowables: list) -> list[str]:
    """The text of every table cell the section lays out (side-by-side cells interleave line
    by line in the PDF's text, so tables are read before layout)."""
    out = []
    for item in flowables:
        if isinstance(item, KeepTogether):
            out += _cells(item._content)
        elif isinstance(item, Table):
            for row in item._cellvalues:
                for cell in row:
                    markup = re.sub(r"<br/>", " ", cell.text)
                    out.append(_flat(html.unescape(re.sub(r"<[^>]+>", "", markup))))
    return out


@pytest.fixture(scope="module")
def demo_section() -> ex.EngagementSection:
    return _section(eg.demo_document("mesa-verde"))


def test_the_grid_draws_one_numbered_marker_per_group_and_labels_every_quadrant():
    groups = [eg.Stakeholder(name=n, influence=i, affected=a)
              for n, i, a in (("Riders", 2, 5), ("Council", 5, 2), ("Operators", 4, 4))]
    drawing = ex.grid_drawing(eg.place_groups(groups))
    strings = [item for item in drawing.getContents() if isinstance(item, String)]
    numbers = sorted(s.text for s in strings if s.fontName == st.BOLD and s.text.isdigit())
    assert numbers == ["1", "2", "3"]
    texts = {s.text for s in strings}
    for q in eg.QUADRANTS.values():
        assert q.advice in texts and q.label in texts


def test_each_group_marker_sits_in_its_quadrant_on_the_drawing():
    groups = [eg.Stakeholder(name="Low", influence=1, affected=1),
              eg.Stakeholder(name="High", influence=5, affected=5)]
    drawing = ex.grid_drawing(eg.place_groups(groups))
    labels = {s.text: (s.x, s.y) for s in drawing.getContents()
              if isinstance(s, String) and s.fontName == st.BOLD and s.text.isdigit()}
    (lx, ly), (hx, hy) = labels["1"], labels["2"]
    assert lx < hx and ly < hy


def test_the_demo_section_shows_the_grid_tactics_languages_loop_and_trust(demo_section):
    text = _flat(_text(_render(demo_section)))
    cells = _cells(ex.section(demo_section, 4, "Resident engagement")
                   + ex.inclusion_section(demo_section, 5, "Digital inclusion roadmap"))
    for expected in ("Representative surveys", "26% of residents Source: Team estimate from "
                     "the city's 2025 resident survey; check against Census data.",
                     "People without home internet", "Riders without a car on Central Avenue "
                     "and Route 9", "Go to them and give them a real say"):
        assert expected in cells, expected
    for expected in (
        "4. Resident engagement", "Stakeholder map", "Chart in words: High influence, highly "
        "affected (work closely with them): Bus operators and their union",
        "Depth of participation", "IAP2 Spectrum of Public Participation", "Tactic plan",
        "Languages and access", "Closing the loop", "How residents' input will change a decision",
        "Riders' answers set the order", "Trust: data about residents",
        "What we will never collect", "Immigration or citizenship status",
        "Resident-facing texts", "Ayúdenos a que su autobús llegue a tiempo",
        "Reading grade applies to English text only",
        "5. Digital inclusion roadmap", "National Digital Inclusion Alliance",
    ):
        assert expected in text, expected
    assert "Every tactic in this plan is online" not in text


@pytest.mark.parametrize("sample", [SPANISH, CHINESE, ARABIC])
def test_text_typed_in_spanish_chinese_or_arabic_comes_back_out_of_the_pdf(sample):
    plan = eg.EngagementPlan(
        groups=[eg.Stakeholder(name=sample[:100])],
        languages=[eg.LanguageNeed(language=sample[:20], translation=sample)],
        report_back=sample,
        texts=[eg.ResidentText(title=sample[:40], language="other", text=sample)],
        inclusion=[eg.InclusionStep(group=sample[:50], actions=sample)])
    text = _text(_render(_section(plan)))
    assert text.count(sample) >= 2, text  # the report-back field and the resident text
    assert sample[:20] in text


def test_chinese_text_is_set_in_the_cjk_font_in_the_pdf():
    data = _render(_section(eg.EngagementPlan(texts=[eg.ResidentText(text=CHINESE)])))
    with pdfplumber.open(io.BytesIO(data)) as doc:
        fonts = {c["fontname"] for page in doc.pages for c in page.chars if c["text"] == "公"}
    assert any("STSong" in f for f in fonts)


def test_markup_typed_by_a_team_prints_literally():
    plan = eg.EngagementPlan(
        groups=[eg.Stakeholder(name=HOSTILE[:100], decisions=HOSTILE)],
        input_changes_decision=HOSTILE,
        texts=[eg.ResidentText(title=HOSTILE[:100], text=HOSTILE)],
        inclusion=[eg.InclusionStep(group="Older adults", actions=HOSTILE)])
    text = _flat(_text(_render(_section(plan))))
    assert text.count('S&P <b> <img src="/etc/passwd">') >= 4


def test_a_missing_statement_of_how_input_changes_a_decision_is_called_out():
    text = _flat(_text(_render(_section(eg.EngagementPlan(groups=[
        eg.Stakeholder(name="Riders")])))))
    assert ("Missing, and required: the plan does not yet say how input will change a "
            "decision.") in text
    assert "Required: say how residents' input will change a decision." in text


def test_an_online_only_plan_carries_the_warning_into_the_inclusion_section():
    riders = eg.Stakeholder(name="Riders")
    plan = eg.EngagementPlan(groups=[riders], tactics=[
        eg.PlannedTactic(tactic="open_online_survey", groups=[riders.id])])
    text = _flat(_text(_render(_section(plan))))
    assert "Warning: Every tactic in this plan is online. It will leave out people without " \
           "home internet" in text


def test_an_empty_plan_is_not_started_and_still_renders_honest_notices():
    s = _section(eg.EngagementPlan())
    assert not s.started and not s.inclusion_started
    text = _flat(_text(_render(s)))
    assert "No groups on the map yet." in text
    assert "No roadmap yet" in text


def test_gather_reads_the_plan_and_the_action_plans_milestones(store, teams):
    team = teams["riverton"]
    actor = member(team)
    put(store, actor, team.id, FakeActionPlan(milestones=[
        {"id": "m1", "name": "Outreach workers hired", "end": "2027-03-31"}]))
    riders = eg.Stakeholder(name="East Side residents")
    put(store, actor, team.id, eg.EngagementPlan(groups=[riders], tactics=[
        eg.PlannedTactic(tactic="door_to_door", groups=[riders.id], milestone="m1",
                         when=dt.date(2027, 3, 1))]))
    s = ex.gather(store, actor, team.id, DAY)
    assert s.started
    assert [m.name for m in s.milestones] == ["Outreach workers hired"]
    assert "March 1, 2027 Milestone: Outreach workers hired" in _cells(
        ex.section(s, 4, "Resident engagement"))
    assert "Milestone:" in _text(_render(s))


def test_gather_without_an_action_plan_has_no_milestones(store, teams):
    s = ex.gather(store, member(teams["lakeport"]), teams["lakeport"].id, DAY)
    assert s.milestones is None and not s.started


def test_the_workbook_sheets_keep_typed_text_as_text(demo_section):
    plan = demo_section.plan.model_copy(update={
        "groups": [eg.Stakeholder(name="=HYPERLINK(\"http://x\",\"y\")", influence=2,
                                  affected=5)],
        "texts": [eg.ResidentText(title="+1+2", language="Chinese", text=CHINESE),
                  eg.ResidentText(title="Árabe", text=ARABIC)]})
    wb = Workbook()
    ex.add_sheets(wb, _section(plan))
    book = load_workbook(io.BytesIO(_save(wb)))
    assert {"Engagement groups", "Engagement tactics", "Languages and access",
            "Loop and trust", "Resident texts", "Digital inclusion"} <= set(book.sheetnames)
    groups = book["Engagement groups"]
    assert groups["B2"].value == "=HYPERLINK(\"http://x\",\"y\")"
    assert groups["B2"].data_type == "s"
    assert (groups["C2"].value, groups["D2"].value) == (2, 5)
    assert groups["E2"].value == "Go to them and give them a real say"
    assert groups.freeze_panes == "A2"
    texts = book["Resident texts"]
    assert texts["A2"].value == "+1+2" and texts["D2"].value == CHINESE
    assert texts["D3"].value == ARABIC
    tactics = book["Engagement tactics"]
    assert tactics["A2"].value.date() == plan.tactics[0].when
    loop = book["Loop and trust"]
    assert loop["B3"].value == plan.input_changes_decision


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_page_with_the_grid_renders_with_visible_drawing(demo_section, tmp_path):
    source = tmp_path / "engagement.pdf"
    source.write_bytes(_render(demo_section))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "2", "-l", "2", str(source),
                    str(tmp_path / "p")], check=True)
    page = next(tmp_path.glob("p-*.pgm"))
    pixels = page.read_bytes().split(b"\n", 3)[3]
    # The grid's quadrant fills and markers make this page much darker than text alone.
    assert sum(1 for value in pixels if value < 235) > 8000


def test_a_section_without_a_number_is_headed_by_its_title_alone(demo_section):
    assert ex.inclusion_section(demo_section, None, "Digital inclusion")[0].outline_title == (
        "Digital inclusion")
    assert ex.section(demo_section, 4, "Resident engagement")[0].outline_title == (
        "4. Resident engagement")
