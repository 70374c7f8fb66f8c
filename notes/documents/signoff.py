"""发文机关署名 centred on the 成文日期, as GB/T 9704-2012 7.3.5.1 places them on a document the organisation seals:
the date four characters in from the right margin, the organisation's name on the line above "以成文日期为准居中".

Where the name sits depends on both texts (a ten-character 机关党委 over a 2026年12月5日 of six and a half), so
no template style can hold it: the name's right indent is set on each rendered document. The built-in templates
mark the name with the 发文机关署名 style and the date with 落款; a unit's own template made from an older built-in
one, with 落款 on both lines, is placed the same way. A paragraph is recognised by its style, never by its text.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

ISSUER_STYLE = "TxIssuer"
DATE_STYLE = "TxSignOff"
BODY_POINTS = 16.0  # 3号, the size of both lines in the built-in templates
AUTO_SPACE = 0.25  # of a character, between a digit or Latin letter and a Chinese character
# A name too long to be centred on a date four characters in keeps this much room at the right margin, as
# GB/T 9704-2012 7.3.5.2 keeps 2 characters for a signed name: never flush against the edge.
MIN_NAME_INDENT_CHARS = 2


def text_chars(text: str) -> float:
    """How many characters wide `text` is in a CJK face: full-width characters one, digits and Latin letters
    half (a 仿宋 digit is half as wide as a Chinese character), and a quarter more wherever digits or letters meet
    Chinese characters (the templates' autoSpaceDN/autoSpaceDE: Word, WPS and LibreOffice space them apart)."""
    wide = [unicodedata.east_asian_width(char) in ("W", "F") for char in text]
    width = sum(1.0 if full else 0.5 for full in wide)
    kinds = [_spacing_kind(char) for char in text]
    width += AUTO_SPACE * sum(1 for left, right in pairwise(kinds) if {left, right} == {"latin", "han"})
    return width


def _spacing_kind(char: str) -> str:
    """"latin" for an ASCII digit or letter, "han" for a Chinese character (not punctuation), else ""."""
    if char.isascii():
        return "latin" if char.isalnum() else ""
    return "han" if unicodedata.category(char) == "Lo" else ""


def _style_id(paragraph: Paragraph) -> str:
    return paragraph.style.style_id if paragraph.style is not None else ""


def _points(paragraph: Paragraph) -> tuple[float, float]:
    """The paragraph's character size and right indent, in points (its own settings, else its style's)."""
    style_format = paragraph.style.paragraph_format if paragraph.style is not None else None
    indent = paragraph.paragraph_format.right_indent
    if indent is None and style_format is not None:
        indent = style_format.right_indent
    size = paragraph.style.font.size if paragraph.style is not None else None
    return (size.pt if size is not None else BODY_POINTS), (indent.pt if indent is not None else 0.0)


def place_sign_off(document: Document) -> None:
    """Every 发文机关署名 directly above a 成文日期 right-indented so that its centre is the date's centre. A name
    too long to be centred on the date four characters in ends MIN_NAME_INDENT_CHARS from the right margin
    instead, and the date moves left to stay centred under it: the seal is pressed on the centre of both, so they
    must share it. A line already placed as a date is never taken for the name of the line under it (an older
    template with three 落款 lines)."""
    from docx.shared import Pt

    placed_dates: set[int] = set()  # indexes in document.paragraphs
    for index, (issuer, date) in enumerate(pairwise(document.paragraphs)):
        if _style_id(date) != DATE_STYLE or _style_id(issuer) not in (ISSUER_STYLE, DATE_STYLE):
            continue
        name, day = issuer.text.strip(), date.text.strip()
        if not name or not day or index in placed_dates:
            continue
        size, date_indent = _points(date)
        offset = (text_chars(day) - text_chars(name)) / 2 * size  # the name's indent minus the date's
        least = MIN_NAME_INDENT_CHARS * size
        if date_indent + offset < least:
            date_indent = least - offset
            date.paragraph_format.right_indent = Pt(date_indent)
        issuer.paragraph_format.right_indent = Pt(date_indent + offset)
        placed_dates.add(index + 1)
