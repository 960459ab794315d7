"""Every text field a person can fill, filled with hostile text: every page renders it as text
for a member, a facilitator and a guest, and every export carries it literally."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from exports import blueprint, brief
from tests.helpers import shown
from tests.hostile import battery
from toolkit import auth, content, portable
from toolkit.demo import create_demo
from toolkit.store import SYSTEM, Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# The action plan runs only its open tab, so each tab is a page of its own here.
PLAN_TABS = ["Logic model", "Goals and measures", "Workplan", "Roles", "Operations",
             "Partners", "Risks", "Readiness"]
TEAM_PAGES = ["home", "assessment", "feedback", "peer", "followup", "budget",
              *[f"action_plan#{tab}" for tab in PLAN_TABS], "questions", "engagement",
              "guidebook", "blueprint"]
# Facilitators and guests read the same team pages read-only: the plan's first tab will do.
READ_ONLY_PAGES = [p for p in TEAM_PAGES if "#" not in p or p.endswith(PLAN_TABS[0])]
PAGES = {
    "team": TEAM_PAGES,
    "facilitator": ["workshop", "teams", "clinic", "peer_round", "present", "followup_admin",
                    *[p for p in READ_ONLY_PAGES if p not in ("feedback", "peer")]],
    "guest": ["clinic", *[p for p in READ_ONLY_PAGES if p not in ("feedback", "peer",
                                                                  "followup")]],
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """One demo workshop whose Riverton team holds hostile text everywhere, built once."""
    path = tmp_path_factory.mktemp("hostile") / "isc.db"
    content.clear_cache()
    with Store(path) as store:
        key = auth.server_key(path)
        password = auth.ensure_facilitator_password(store)
        create_demo(store, key, shared_extras=False)
        planted = battery.plant_team(store, key)
        team = planted["team"]
        tokens = {
            "team": planted["member"].token,
            "facilitator": auth.sign_in_facilitator(store, password, battery.IMG[:40]).token,
            "guest": auth.sign_in_with_code(
                store, key, auth.create_invite(store, SYSTEM, key, role="guest", name="G"),
                battery.REMOTE_IMAGE[:40]).token,
        }
    return {"path": path, "team": team, "tokens": tokens,
            "documents": planted["documents"], "planter": battery.hostile_documents.planter}


@pytest.fixture
def db(planted, isolated_db, monkeypatch):
    monkeypatch.setenv("ISC_DB", str(planted["path"]))
    with Store(planted["path"]) as store:
        yield store


def _open(planted, role: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = planted["tokens"][role]
    if role != "team":
        at.session_state["viewed_team_id"] = planted["team"].id
    page, _, tab = page.partition("#")
    if tab:
        at.session_state[f"plan_tab:{planted['team'].id}"] = tab
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    return at


# --- the documents themselves ------------------------------------------------------------------


def test_every_document_kind_takes_hostile_text_in_every_free_text_field(planted):
    planter = planted["planter"]
    kinds = {where.split(".")[0] for where, _ in planter.planted}
    assert kinds == set(battery.all_document_models())
    assert planter.refused == []
    assert len(planter.planted) > 300
    planted_strings = {text for _, text in planter.planted}
    for dangerous in (battery.SCRIPT, battery.REMOTE_IMAGE, battery.RTL, battery.EMOJI,
                      battery.CONTROL, battery.FORMULA):
        assert any(dangerous in text for text in planted_strings), dangerous


def test_the_stored_documents_are_exactly_the_hostile_ones(db, planted):
    for kind, document in planted["documents"].items():
        assert db.load(SYSTEM, planted["team"].id, type(document)).body == document, kind


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, page", [(r, p) for r, pages in PAGES.items() for p in pages])
def test_every_page_shows_hostile_text_as_text(db, planted, role, page):
    at = _open(planted, role, page)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    assert battery.live_on_page(at) == []
    assert battery.live_in_charts(at) == []


def test_the_city_and_title_read_back_exactly_as_typed(db, planted):
    at = _open(planted, "team", "home")
    assert shown(at.title[0].value) == f"{battery.IMG}: team home"
    title = next(t for t in at.text_input if t.label == "Initiative title")
    assert title.value == planted["documents"]["initiative"].title
    mayor = next(t for t in at.text_input if t.label == "Mayor")
    assert mayor.value == battery.SCRIPT


def test_the_projector_view_of_a_hostile_team_shows_it_as_text(db, planted):
    at = _open(planted, "facilitator", "present")
    at.sidebar.radio[0].set_value(planted["team"].id).run()
    assert not at.exception
    assert shown(at.title[0].value).startswith(battery.IMG)
    assert battery.live_on_page(at) == []


def test_feedback_and_replies_read_back_as_typed(db, planted):
    at = _open(planted, "team", "feedback")
    texts = [t.value for t in at.text]
    assert f"{battery.ALL_DANGEROUS}\n{battery.MARKDOWN}" in texts
    assert f"{battery.JS_LINK} {battery.RTL} {battery.EMOJI}" in texts
    labels = " ".join(shown(m.value) for m in at.markdown)
    assert f"› {battery.REMOTE_IMAGE}" in labels


# --- exports ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(planted):
    with Store(planted["path"]) as store:
        team_id = planted["team"].id
        bp = blueprint.gather(store, SYSTEM, team_id)
        return {
            "pdf": blueprint.render_pdf(bp),
            "brief": brief.render_brief(bp),
            "xlsx": blueprint.render_xlsx(blueprint.gather(store, SYSTEM, team_id,
                                                           with_lines=True)),
            "json": portable.dumps(portable.export_team(store, SYSTEM, team_id)),
        }


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_blueprint_pdf_prints_hostile_text_literally(exported):
    text = _pdf_text(exported["pdf"])
    for literal in (battery.SCRIPT, battery.IMG, battery.JS_LINK, battery.REMOTE_IMAGE,
                    battery.IFRAME, "{{7*7}} ${7*7}", battery.FORMULA, battery.STREAMLIT,
                    "NUL bell escape[31m vertical form end"):
        assert literal in text, literal


def test_right_to_left_letters_do_not_vanish_from_the_pdf(exported):
    # reportlab lays RTL runs out left to right without shaping (README, "The Blueprint
    # PDF"); what must hold is that every letter reaches the page.
    text = _pdf_text(exported["pdf"])
    letters = {ch for ch in battery.RTL if ch.isalpha()}
    assert letters and letters <= set(text)


def test_the_mayors_brief_prints_hostile_text_literally(exported):
    text = _pdf_text(exported["brief"])
    assert battery.IMG in text  # the city, on the brief's heading
    assert battery.REMOTE_IMAGE in text  # the initiative's title


def test_the_workbook_keeps_hostile_text_as_text_and_no_formula_of_a_persons(exported):
    wb = openpyxl.load_workbook(io.BytesIO(exported["xlsx"]))
    texts, formulas = [], []
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(str(cell.value))
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    assert formulas, "the workbook's own totals are live formulas"
    for formula in formulas:
        assert not any(bad in formula for bad in ("HYPERLINK", "203.0.113.9", "A1:A2", "1+1")), \
            formula
    joined = "\n".join(texts)
    for literal in (battery.FORMULA, battery.AT, battery.SCRIPT, battery.RTL, battery.EMOJI):
        assert literal in joined, literal
    assert "NUL bell escape[31m" in joined and "\x00" not in joined


def test_the_portable_file_carries_every_hostile_document_exactly(exported, planted):
    data = json.loads(exported["json"])
    parsed, documents = portable.parse(exported["json"])
    for kind, document in planted["documents"].items():
        if kind in documents:
            assert documents[kind] == document, kind
    assert set(planted["documents"]) - set(documents) <= {"followup"}
    assert data["documents"]["initiative"]["goal"].startswith(battery.SCRIPT)


def test_a_heading_with_markup_reaches_the_contents_as_text():
    from exports import pdf

    body = [pdf.contents_table(), pdf.heading(f"Reallocation: {battery.IMG}", 0),
            pdf.para("Body"), pdf.heading('<img src="/etc/passwd"/> & <b>', 1)]
    data = pdf.render(pdf.Meta("t", "a", "s", "f"), cover=[], body=body, cover_page=False)
    text = " ".join(_pdf_text(data).split())
    assert text.count(f"Reallocation: {battery.IMG}") == 2  # the contents line and the heading
    assert text.count('<img src="/etc/passwd"/> & <b>') == 2


def test_a_table_cell_taller_than_a_page_splits_across_pages():
    from exports import pdf

    body = [pdf.table(["Group", "Notes"], [[battery.LONG, battery.LONG], ["short", "row"]])]
    data = pdf.render(pdf.Meta("t", "a", "s", "f"), cover=[], body=body, cover_page=False)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 2
    assert "short" in _pdf_text(data)


def test_sheet_names_from_a_persons_text_keep_the_workbook_valid():
    from exports import workbook

    assert workbook.sheet_title("Scenario NUL\x00 bell\x07 esc\x1b[31m", []) == \
        "Scenario NUL bell esc 31m"
    assert workbook.sheet_title("'quoted'", []) == "quoted"
    assert workbook.sheet_title("Scenario " + "x" * 21 + " 'end", []) == "Scenario " + "x" * 21
    wb = openpyxl.Workbook()
    for name in ("NUL\x00", "'a'", "=1+1", battery.RTL, battery.EMOJI):
        wb.create_sheet(workbook.sheet_title(name, wb.sheetnames))
    reread = openpyxl.load_workbook(io.BytesIO(workbook.to_bytes(wb)))
    assert len(reread.sheetnames) == 6
