import datetime as dt
import io
import re
import shutil
import subprocess

import pdfplumber
import pytest
from pypdf import PdfReader

from exports import blueprint, pdf
from tests.helpers import member
from toolkit import workshop as ws
from toolkit.store import SYSTEM

DAY = dt.date(2026, 12, 9)


def _render(store, team, **changes):
    actor = member(team)
    if changes:
        current = store.load(actor, team.id, ws.Initiative)
        body = current.body.model_copy(update=changes)
        store.save(actor, team.id, body, base_version=current.version)
    return blueprint.render_pdf(blueprint.gather(store, actor, team.id, today=DAY))


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_the_cover_names_the_city_mayor_initiative_workshop_and_date(store, teams):
    text = _text(_render(store, teams["riverton"]))
    for expected in ("Riverton, OH", "Angela Ortiz", "Cut gun homicides on the East Side",
                     "Mayors Leadership Institute on Smart Cities (demo)", "December 9, 2026"):
        assert expected in text


def test_the_pdf_has_title_author_language_and_an_outline(store, teams):
    reader = PdfReader(io.BytesIO(_render(store, teams["lakeport"])))
    assert reader.metadata.title.startswith("Lakeport, MN Blueprint")
    assert reader.metadata.author == "Lakeport city team"
    assert reader.trailer["/Root"]["/Lang"] == "en-US"
    titles = _outline_titles(reader)
    assert {"Lakeport, MN", "The priority initiative", "What this Blueprint covers"} <= set(titles)


def test_every_page_after_the_cover_is_numbered(store, teams):
    reader = PdfReader(io.BytesIO(_render(store, teams["riverton"])))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f"Page {number} of {total}" in page.extract_text()


def _status_lines(text: str) -> dict[str, str]:
    """The contents table's rows: "2 Project action plan ... Included" -> tool -> status."""
    found = {}
    for tool in ws.tools():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"{tool.number} {tool.name}"))
        found[tool.id] = "Included" if "Included" in line else "Not started"
    return found


def test_tools_not_started_are_marked_not_filled_with_sample_text(store, teams):
    assert set(_status_lines(_text(_render(store, teams["lakeport"]))).values()) == {
        "Not started"}
    riverton = _text(_render(store, teams["riverton"]))
    assert _status_lines(riverton) == {"budget": "Included", "action_plan": "Included",
                                       "questions": "Included", "engagement": "Not started",
                                       "guidebook": "Not started"}
    assert "Budget analysis" in riverton and "Five-year financing plan" in riverton


def test_the_same_plan_gives_the_same_bytes(store, teams):
    assert _render(store, teams["riverton"]) == _render(store, teams["riverton"])


def test_markup_typed_by_a_team_prints_literally(store, teams):
    hostile = 'S&P <b> <img src="/etc/passwd"> </para> & <font size=90>'
    text = _text(_render(store, teams["riverton"], title=hostile[:160], problem=hostile))
    assert 'S&P <b> <img src="/etc/passwd">' in text.replace("\n", " ")


@pytest.mark.parametrize(
    "sample",
    [
        "Reducir la violencia armada en el barrio Año Nuevo: señal clara",
        "Réduire les délais de délivrance des permis à dix jours ouvrés",
        "Giảm tai nạn giao thông trên đường phố chính",
        "Сократить время ожидания автобуса на треть",
        "Μείωση του χρόνου αναμονής για άδειες",
    ],
)
def test_text_in_languages_the_font_covers_comes_back_out_of_the_pdf(store, teams, sample):
    assert sample in _text(_render(store, teams["mesa-verde"], goal=sample)).replace("\n", " ")


def test_chinese_japanese_and_korean_switch_to_a_cjk_font():
    assert 'name="STSong-Light"' in pdf.text("公交车 バス")
    assert 'name="HYSMyeongJo-Medium"' in pdf.text("버스 정류장")
    assert pdf.text("plain") == "plain"


def test_long_words_long_text_and_newlines_lay_out_without_error(store, teams):
    long_word = "Supercalifragilistic" * 40
    problem = ("A line.\n" * 150 + long_word)[:4000]
    data = _render(store, teams["riverton"], problem=problem, title=long_word[:160])
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3


def test_an_empty_team_still_gets_a_blueprint_that_says_what_is_missing(store, teams, key):
    team, _ = ws.add_team(store, SYSTEM, key, workshop_id=teams["riverton"].workshop_id,
                          profile=ws.TeamProfile(city="Emptyville"))
    text = _text(blueprint.render_pdf(blueprint.gather(store, SYSTEM, team.id, today=DAY)))
    assert "Priority initiative not named yet" in text
    assert "Still to fill in: Mayor, Priority area, Initiative title, Problem statement" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_pages_render_to_images_that_are_not_blank(store, teams, tmp_path):
    source = tmp_path / "bp.pdf"
    source.write_bytes(_render(store, teams["riverton"]))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(source), str(tmp_path / "p")],
                   check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) >= 2
    for page in pages:
        pixels = page.read_bytes().split(b"\n", 3)[3]
        dark = sum(1 for value in pixels if value < 128)
        assert dark > 200, f"{page.name} looks blank"


def test_the_clinic_appendix_is_included_unless_the_team_leaves_it_out(store, teams):
    from tests.helpers import FACILITATOR
    from toolkit import clinic

    team = teams["lakeport"]
    clinic.give_feedback(store, FACILITATOR, team.id, tool="home", kind="must_fix",
                         text="Name the accountable executive <b>now</b>.")
    clinic.rate(store, FACILITATOR, team.id, "home", "partly", "Goal needs a date.")
    bp = blueprint.gather(store, member(team), team.id, today=DAY)
    with_it = _text(blueprint.render_pdf(bp))
    assert "Appendix: clinic and peer feedback" in with_it
    assert "executive <b>now</b>." in with_it  # markup typed by a person prints literally
    assert "Appendix: clinic and peer feedback" not in _text(blueprint.render_pdf(bp,
                                                                       include_clinic=False))


def test_the_executive_summary_is_written_from_the_teams_data(store, teams):
    from exports import brief

    s = brief.summarize(blueprint.gather(store, member(teams["riverton"]),
                                         teams["riverton"].id, today=DAY))
    assert s.money[0].startswith("$3,544,000 moved to the initiative in FY2027")
    assert [m for m, _ in s.measures][0] == "Gun homicides in the four East Side neighborhoods"
    assert len(s.measures) == 3 and s.next_90_days[0][0] == "Week 1"
    assert s.accountable[0] == "Mayor Angela Ortiz"


def test_a_team_with_nothing_yet_gets_a_summary_that_says_so(store, teams):
    from exports import brief

    text = _text(brief.render_brief(blueprint.gather(store, member(teams["lakeport"]),
                                                     teams["lakeport"].id, today=DAY)))
    assert "The budget tool has not been started." in text
    assert "No measure with a target yet." in text


def test_the_mayors_brief_is_one_page(store, teams):
    from exports import brief

    data = brief.render_brief(blueprint.gather(store, member(teams["riverton"]),
                                               teams["riverton"].id, today=DAY))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert reader.metadata.title.startswith("Riverton, OH mayor's brief")


def test_the_contents_page_lists_sections_with_their_page_numbers(store, teams):
    with pdfplumber.open(io.BytesIO(_render(store, teams["riverton"]))) as doc:
        pages = [page.extract_text() or "" for page in doc.pages]
    contents = pages[2]
    assert contents.startswith("Contents")
    budget_page = next(i for i, text in enumerate(pages, start=1)
                       if i > 4 and "1. Budget analysis" in text)
    assert re.search(rf"1\. Budget analysis[ .]*{budget_page}\b", contents), contents


def test_a_facilitator_downloads_every_blueprint_in_one_zip(store, teams):
    import zipfile

    from tests.helpers import FACILITATOR

    data = blueprint.zip_all(store, FACILITATOR, teams["riverton"].workshop_id, today=DAY)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == ["lakeport-blueprint.pdf", "mesa-verde-blueprint.pdf",
                             "riverton-blueprint.pdf"]


def test_the_team_chooses_which_sections_go_into_the_blueprint(store, teams):
    bp = blueprint.gather(store, member(teams["riverton"]), teams["riverton"].id, today=DAY)
    assert blueprint.available_sections(bp) == ["assessment", "budget", "action_plan",
                                                "questions", "clinic", "sources"]
    titles = _outline_titles(PdfReader(io.BytesIO(blueprint.render_pdf(bp,
                                                                       include={"budget"}))))
    assert "1. Budget analysis" in titles
    assert "2. Project action plan" not in titles and "3. Ten tech questions" not in titles
    assert "Executive summary" in titles and "The priority initiative" in titles


def test_the_sources_appendix_names_the_budget_file_and_the_frameworks(store, teams):
    text = _text(_render(store, teams["riverton"]))
    sources = text[text.rindex("Appendix: sources"):]
    assert "riverton_budget_fy2027.csv, column 'Adopted Amount'" in sources.replace("\n", " ")
    assert "Results-Based Accountability" in sources
