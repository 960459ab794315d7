"""The one place for the Blueprint's fonts, colours and paragraph styles."""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

# DejaVu Sans ships inside matplotlib (a declared dependency), so every install has it:
# Latin, Greek, Cyrillic and Vietnamese text render with real glyphs, embedded as subsets.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
BODY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
# Reportlab's CID fonts cover Chinese, Japanese and Korean without shipping font files;
# PDF viewers supply the glyphs.
CJK_FONTS = {"han": "STSong-Light", "hangul": "HYSMyeongJo-Medium"}

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#4A5360")
ACCENT = colors.HexColor("#0B4F8A")  # dark blue: 8.6:1 on white, legible in greyscale
RULE = colors.HexColor("#C9D1DA")
PALE = colors.HexColor("#EEF3F8")


@functools.cache
def register_fonts() -> None:
    for name, filename in (
        (BODY, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (ITALIC, "DejaVuSans-Oblique.ttf"),
        ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        BODY, normal=BODY, bold=BOLD, italic=ITALIC, boldItalic="DejaVuSans-BoldOblique"
    )
    for cid in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(cid))


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=BODY, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT,
        spaceAfter=6, splitLongWords=1,
    )

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "small": derive("small", fontSize=8.5, leading=11.5, textColor=MUTED),
        "label": derive("label", fontName=BOLD, fontSize=8.5, leading=11, textColor=MUTED,
                        spaceAfter=1),
        "cell": derive("cell", fontSize=9, leading=12, spaceAfter=0),
        "cell_head": derive("cell_head", fontName=BOLD, fontSize=9, leading=12, spaceAfter=0,
                            textColor=colors.white),
        "h1": derive("h1", fontName=BOLD, fontSize=20, leading=25, textColor=ACCENT,
                     spaceBefore=0, spaceAfter=10),
        "h2": derive("h2", fontName=BOLD, fontSize=13.5, leading=18, textColor=INK,
                     spaceBefore=10, spaceAfter=5),
        "h3": derive("h3", fontName=BOLD, fontSize=11, leading=15, textColor=INK,
                     spaceBefore=8, spaceAfter=3),
        "cover_kicker": derive("cover_kicker", fontName=BOLD, fontSize=11, leading=15,
                               textColor=ACCENT, spaceAfter=14),
        "cover_title": derive("cover_title", fontName=BOLD, fontSize=30, leading=36,
                              textColor=INK, spaceAfter=12),
        "cover_sub": derive("cover_sub", fontSize=15, leading=21, textColor=INK, spaceAfter=24),
        "cover_meta": derive("cover_meta", fontSize=10.5, leading=16, textColor=MUTED),
        "notice": derive("notice", fontName=ITALIC, textColor=MUTED),
    }
