import io

from pypdf import PdfReader

from exports.cards import Card, join_cards


def test_each_team_gets_a_page_with_its_city_code_and_the_address():
    data = join_cards("Demo Institute", "http://10.0.0.5:8501",
                      [Card("Riverton", "OH", "7KQ2-M9XD-4TPRW"), Card("Lakeport", "MN", "X")])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert "Riverton, OH" in first and "7KQ2-M9XD-4TPRW" in first
    assert "http://10.0.0.5:8501" in first
    assert reader.metadata.title == "Join cards: Demo Institute"


def test_a_very_long_city_name_is_shortened_not_run_off_the_page():
    data = join_cards("W", "http://x", [Card("Llanfair" * 20, "", "CODE")])
    assert "…" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
