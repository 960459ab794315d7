"""Join cards: one page per team with its join code, for a facilitator to print and hand out."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from exports import styles as st

MONO = "DejaVuSansMono-Bold"


@dataclass(frozen=True)
class Card:
    city: str
    state: str
    code: str


def join_cards(workshop_name: str, address: str, cards: list[Card]) -> bytes:
    """A letter-size page per team: the city, the code in large type, and three steps."""
    st.register_fonts()
    if MONO not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(MONO, str(st.FONT_DIR / "DejaVuSansMono-Bold.ttf")))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.setTitle(f"Join cards: {workshop_name}")
    canvas.setAuthor("ISC Blueprint")
    width, height = LETTER
    for card in cards:
        canvas.setFillColor(st.ACCENT)
        canvas.setFont(st.BOLD, 14)
        canvas.drawString(inch, height - inch, "ISC BLUEPRINT · JOIN YOUR TEAM")
        canvas.setFillColor(st.INK)
        canvas.setFont(st.BODY, 12)
        canvas.drawString(inch, height - 1.35 * inch, _fit(workshop_name, st.BODY, 12, width))
        canvas.setFont(st.BOLD, 34)
        place = f"{card.city}, {card.state}" if card.state else card.city
        canvas.drawString(inch, height - 2.4 * inch, _fit(place, st.BOLD, 34, width))
        canvas.setFont(st.BODY, 13)
        canvas.drawString(inch, height - 3.3 * inch, "Your team's join code")
        canvas.setFont(MONO, 44)
        canvas.drawString(inch, height - 4.2 * inch, card.code)
        canvas.setStrokeColor(st.RULE)
        canvas.line(inch, height - 4.7 * inch, width - inch, height - 4.7 * inch)
        canvas.setFont(st.BODY, 14)
        steps = [
            f"1. Open {address} in a web browser.",
            "2. Choose “Join your team”.",
            "3. Type this code and your own name, then press Join.",
            "Dashes and capital letters do not matter.",
            "Keep this card at your table: anyone with the code",
            "can join your team and see its work.",
        ]
        for n, line in enumerate(steps):
            canvas.drawString(inch, height - (5.3 + 0.42 * n) * inch, _fit(line, st.BODY, 14,
                                                                        width))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fit(text: str, font: str, size: float, page_width: float) -> str:
    """Shorten text that would run off the page, with an ellipsis."""
    limit = page_width - 2 * inch
    if pdfmetrics.stringWidth(text, font, size) <= limit:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > limit:
        text = text[:-1]
    return text + "…"
