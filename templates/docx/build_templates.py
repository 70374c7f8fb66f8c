"""Build the DOCX templates tanxin renders its documents from (docxtpl: Jinja inside a .docx).

Run `python templates/docx/build_templates.py` to regenerate every template in this folder; the built files are
committed too, so a unit can copy one, edit it in Word or WPS and point tanxin at it (`--template`, or the
setting `templates.<kind>`). README.md beside this script lists the variables each template may use.

Formatting follows GB/T 9704-2012: A4, margins 37/35/28/26 mm, title 2号 方正小标宋简体, body 3号 仿宋_GB2312 on a
fixed 28.95 pt line (22 lines a page), levels 黑体/楷体, page numbers 4号 "— 1 —". Forms use 小四 single spacing so
a record stays on its pages. python-docx writes only w:ascii/w:hAnsi and its default styles point at theme
fonts, so every font here is written explicitly to ascii, hAnsi, eastAsia and cs with the theme attributes
removed; the language is zh-CN. LibreOffice ignores cell widths without a table grid, so every table gets
gridCol widths and a fixed layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent

# The font names a template is built with; tanxin swaps them for the setting `document_fonts` at render time.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAITI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

LINE_PITCH = Pt(28.95)  # 22 lines on the GB/T 9704 type area
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm between the margins
BUILT_ON = dt.datetime(2026, 1, 1, 0, 0, 0)  # fixed, so rebuilding changes nothing but zip timestamps

SIGNATURE_DATE = "年　　月　　日"
RETENTION_NOTE = "由组织部门留存，不归入本人档案"


# -- fonts, styles, page --------------------------------------------------------------------------------


def set_fonts(r_pr: BaseOxmlElement, font: str) -> None:
    """Write the font to every script slot; drop theme references, which would win over explicit names."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for name in list(fonts.attrib):
        if name.endswith("Theme") or name.endswith("theme"):
            del fonts.attrib[name]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


def set_language(r_pr: BaseOxmlElement) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def clean_document_defaults(doc: DocumentObject) -> None:
    """The default run properties: 仿宋 3号, zh-CN, and no theme fonts anywhere in styles.xml."""
    styles_root = doc.styles.element
    for fonts in styles_root.iter(qn("w:rFonts")):
        for name in list(fonts.attrib):
            if name.lower().endswith("theme"):
                del fonts.attrib[name]
    r_pr_default = styles_root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr_default, BODY_FONT)
    set_language(r_pr_default)
    # The theme's font language, so Word and WPS pick Chinese fallbacks.
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), "en-US")
    theme_lang.set(qn("w:eastAsia"), "zh-CN")


@dataclass(frozen=True)
class StyleSpec:
    style_id: str
    name: str
    font: str
    size: float
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH | None = None
    exact_line: bool = True  # GB/T 9704 fixed line pitch; forms use single spacing instead
    first_line_chars: int = 0
    right_chars: int = 0
    space_before_lines: float = 0
    space_after_lines: float = 0
    keep_with_next: bool = False
    # Body text of a 公文 sits on the document grid (28 characters a line); forms, tables, notes and footers
    # keep their own size and spacing, which the grid would stretch to 3号's pitch.
    on_grid: bool = False
    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH


STYLES = (
    StyleSpec("TxTitle", "公文标题", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=False,
              space_after_lines=0.5, keep_with_next=True),
    StyleSpec("TxBody", "公文正文", BODY_FONT, 16, first_line_chars=2, on_grid=True),
    StyleSpec("TxPlain", "公文顶格", BODY_FONT, 16, on_grid=True),
    StyleSpec("TxLevel1", "一级标题", HEADING_FONT, 16, first_line_chars=2, keep_with_next=True, on_grid=True),
    StyleSpec("TxLevel2", "二级标题", KAITI_FONT, 16, first_line_chars=2, keep_with_next=True, on_grid=True),
    # GB/T 9704 7.3.5.1 (加盖印章的公文): the 成文日期 four characters in from the right margin; the 发文机关署名
    # on the line above, centred on the date — notes/documents/signoff.py sets its indent from both texts.
    StyleSpec("TxIssuer", "发文机关署名", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4,
              keep_with_next=True),
    StyleSpec("TxSignOff", "落款", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4),
    StyleSpec("TxMark", "密级标识", HEADING_FONT, 16, exact_line=False),
    StyleSpec("TxNote", "保存说明", KAITI_FONT, 14, exact_line=False),
    StyleSpec("TxFormHead", "表头信息", BODY_FONT, 12, exact_line=False, space_after_lines=0.3),
    StyleSpec("TxCell", "表格文字", BODY_FONT, 12, exact_line=False),
    StyleSpec("TxCellLabel", "表格栏目", HEADING_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=False),
    StyleSpec("TxCellHeading", "表格小标题", HEADING_FONT, 12, exact_line=False, keep_with_next=True),
    # The brief is a working paper, not a 公文: 4号 single-spaced keeps it to a few pages.
    StyleSpec("TxBriefItem", "提纲条目", BODY_FONT, 14, exact_line=False, first_line_chars=2,
              space_after_lines=0.15),
    StyleSpec("TxCheck", "校验码", BODY_FONT, 9, exact_line=False, space_after_lines=0.3),
    StyleSpec("TxPageNumber", "页码", PAGE_NUMBER_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=False),
    StyleSpec("TxFooterCheck", "页脚校验", BODY_FONT, 9, exact_line=False),
)


def add_styles(doc: DocumentObject) -> None:
    for spec in STYLES:
        style = doc.styles.add_style(spec.name, spec.kind)
        style.element.set(qn("w:styleId"), spec.style_id)
        style.base_style = None
        style.quick_style = True
        font = style.font
        font.size = Pt(spec.size)
        font.bold = spec.bold
        r_pr = style.element.get_or_add_rPr()
        set_fonts(r_pr, spec.font)
        set_language(r_pr)
        if spec.on_grid:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(BODY_CHARACTER_SPACING))
            r_pr.append(spacing)
        fmt = style.paragraph_format
        fmt.alignment = spec.align
        fmt.keep_with_next = spec.keep_with_next
        if spec.exact_line:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_PITCH
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = Pt(spec.space_before_lines * spec.size * 1.3)
        fmt.space_after = Pt(spec.space_after_lines * spec.size * 1.3)
        p_pr = style.element.get_or_add_pPr()
        if spec.right_chars:
            fmt.right_indent = Pt(spec.right_chars * spec.size)
        if spec.first_line_chars:
            # firstLineChars scales with the font (2 characters), which a fixed indent would not.
            ind = OxmlElement("w:ind")
            ind.set(qn("w:firstLineChars"), str(spec.first_line_chars * 100))
            ind.set(qn("w:firstLine"), str(int(spec.first_line_chars * spec.size * 20)))
            p_pr.append(ind)
        # Chinese punctuation may hang and compress as Word/WPS do for 公文.
        for tag in ("w:kinsoku", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):
            p_pr.append(OxmlElement(tag))
        if not spec.on_grid:
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            p_pr.append(snap)


def set_page(doc: DocumentObject, landscape: bool = False) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28) - Mm(7)  # the page number sits 7 mm below the type area


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES …) with a cached result, as raw OOXML runs."""

    def run_with(child: BaseOxmlElement) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_page_number(doc: DocumentObject) -> None:
    """GB/T 9704 7.5.1: 4号 "— 1 —" at the outside edge, one character in from it: odd pages on the right,
    even pages on the left (so the document has odd and even footers)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["页码"]
        paragraph.alignment = align
        indent = Pt(14)  # one character of the 4号 page number
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        paragraph.add_run("— ")
        add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")


def add_page_of_pages(doc: DocumentObject) -> None:
    """A record's footer on every page: its 校验码 on the left, "第 N 页 共 M 页" on the right. A page taken out
    of one record and put into another shows at once: another code, another count."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["页脚校验"]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("{{ check_code }}\t第 ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页 共 ")
    add_field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(" 页")


def add_confidential_header(doc: DocumentObject) -> None:
    """Top left, 3号黑体 as GB/T 9704 places a 密级; shown only on internal archive copies (on even pages too,
    when the document has even-page footers)."""
    section = doc.sections[0]
    headers = [section.header] + ([section.even_page_header] if doc.settings.odd_and_even_pages_header_footer else [])
    for header in headers:
        paragraph = header.paragraphs[0]
        paragraph.style = doc.styles["密级标识"]
        paragraph.add_run("{{ internal_mark }}")


# GB/T 9704 fonts are often missing (a new Windows has 仿宋 but not 仿宋_GB2312): the font table names the face a
# viewer should use instead.
FONT_ALTERNATIVES = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    KAITI_FONT: "楷体",
    HEADING_FONT: "SimHei",
    PAGE_NUMBER_FONT: "SimSun",
}


def declare_font_alternatives(doc: DocumentObject) -> None:
    """Each font the template uses, with its alternative name and the GB2312 character set, in fontTable.xml."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.FONT_TABLE)
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, alternative in FONT_ALTERNATIVES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternative)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name == HEADING_FONT else "roman")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# GB/T 9704 5.2.2: 28 characters a line. 3号 is 16 pt, and 28 of them are 158 mm, 2 mm more than the type area:
# the body's characters are set a quarter point closer (15.75 pt × 28 = 155.6 mm). Word's character grid would
# do the same, but LibreOffice spreads gridded text to the grid's pitch, tables included.
BODY_CHARACTER_SPACING = -5  # twentieths of a point


def set_character_grid(doc: DocumentObject) -> None:
    """GB/T 9704 5.2.2: 22 lines a page: the section's line grid at the 28.95 pt pitch of the body text."""
    sect_pr = doc.sections[0]._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for name in list(grid.attrib):
        del grid.attrib[name]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")


def new_document(title: str, landscape: bool = False, *, form: bool = False, grid: bool = True) -> DocumentObject:
    """An empty template. `form`: a document of one talk, numbered "第 N 页 共 M 页" with its 校验码 on every
    page; otherwise a 公文 numbered "— N —" at the outside edge. `grid`: its body is 公文 text on the 22 × 28
    document grid (a record form is not)."""
    doc = Document()
    clean_document_defaults(doc)
    add_styles(doc)
    set_page(doc, landscape)
    if grid:
        set_character_grid(doc)
    declare_font_alternatives(doc)
    if form:
        add_page_of_pages(doc)
    else:
        add_page_number(doc)
    add_confidential_header(doc)
    props = doc.core_properties
    props.title = title
    props.author = "tanxin"
    props.last_modified_by = "tanxin"
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    props.language = "zh-CN"
    props.created = BUILT_ON
    props.modified = BUILT_ON
    props.revision = 1
    # Document() starts with one empty paragraph; templates start with their own content.
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return doc


# -- schema order -----------------------------------------------------------------------------------------

# OOXML property elements are sequences: Word and WPS refuse ("unreadable content") a file whose children are
# out of order, where LibreOffice shrugs. Elements added here with OxmlElement are appended, so every
# property element is put back into the schema's order before saving.
SCHEMA_ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
           "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
           "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
             "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription "
             "tblPrChange",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc "
            "hidden ins del trPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
            "hideMark headers cellIns cellDel cellMerge tcPrChange",
}


def put_in_schema_order(root: BaseOxmlElement) -> None:
    for tag, sequence in SCHEMA_ORDER.items():
        rank = {qn(f"w:{name}"): index for index, name in enumerate(sequence.split())}
        for element in root.iter(qn(f"w:{tag}")):
            children = list(element)
            ordered = sorted(children, key=lambda child: rank.get(child.tag, len(rank)))
            if ordered != children:
                for child in children:
                    element.remove(child)
                element.extend(ordered)


def schema_ordered(doc: DocumentObject) -> DocumentObject:
    put_in_schema_order(doc.styles.element)
    put_in_schema_order(doc.element)
    section = doc.sections[0]
    for part in (section.header, section.footer, section.even_page_header, section.even_page_footer):
        if not part.is_linked_to_previous:
            put_in_schema_order(part._element)
    return doc


# -- content helpers ------------------------------------------------------------------------------------


Container = DocumentObject | _Cell


def para(container: Container, text: str, style: str, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    paragraph = container.add_paragraph(text, style=style)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def block(container: Container, lines: Sequence[tuple[str, str]]) -> None:
    """Several paragraphs (text, style) — Jinja {%p …%} tags each stand in a paragraph of their own."""
    for text, style in lines:
        para(container, text, style)


def sign_off(doc: DocumentObject, last_body: str) -> None:
    """The body's last paragraph, then 发文机关署名 and 成文日期 where the organisation's seal goes (GB/T 9704
    7.3.5.1). The seal (about 42 mm, four lines) is pressed centred over both lines with them a little below its
    centre, and its top must lie within one line of the body: two blank lines under the body give that. The last
    lines of the body, the blank lines, the name and the date keep together, so the seal never stands on a page
    without text (7.3.5.5: no 此页无正文)."""
    para(doc, last_body, "公文正文").paragraph_format.keep_with_next = True
    for _ in range(2):
        para(doc, "", "公文顶格").paragraph_format.keep_with_next = True
    para(doc, "{{ issuer }}", "发文机关署名")
    para(doc, "{{ issue_date }}", "落款")


def head_line(doc: DocumentObject, left: str, right: str) -> None:
    """'单位：… … 编号：…' on one line: the right part on a right-aligned tab stop at the margin."""
    paragraph = para(doc, f"{left}\t{right}", "表头信息")
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)


def loop_lines(variable: str, item_lines: Sequence[tuple[str, str]], empty_style: str) -> list[tuple[str, str]]:
    """A {%p for %} loop over a list; an empty list leaves one empty paragraph (a cell needs one)."""
    return [
        (f"{{%p for item in {variable} %}}", empty_style),
        *item_lines,
        ("{%p endfor %}", empty_style),
        (f"{{%p if not {variable} %}}", empty_style),
        ("", empty_style),
        ("{%p endif %}", empty_style),
    ]


def grouped_content(variable: str) -> list[tuple[str, str]]:
    """Entries grouped under their headings (谈思想 / a required point …): heading in 黑体, text below."""
    return loop_lines(variable, [("{{ item.heading }}", "表格小标题"), ("{{ item.text }}", "表格文字")], "表格文字")


def optional(variable: str, text: str | None = None) -> list[tuple[str, str]]:
    """A paragraph only when the value is not empty: a cell holding several values shows no blank lines."""
    return [(f"{{%p if {variable} %}}", "表格文字"), (text or f"{{{{ {variable} }}}}", "表格文字"),
            ("{%p endif %}", "表格文字")]


def summary_lines() -> list[tuple[str, str]]:
    """The interviewer's 信息汇总, when there is one, under the entries."""
    return optional("summary", "（汇总）{{ summary }}")


@dataclass
class Cell:
    lines: list[tuple[str, str]]
    span: int = 1
    label: bool = False


def label(text: str) -> Cell:
    return Cell([(text, "表格栏目")], label=True)


def value(text: str, span: int = 1) -> Cell:
    return Cell([(text, "表格文字")], span=span)


def lines(cell_lines: list[tuple[str, str]], span: int = 1) -> Cell:
    return Cell(cell_lines, span=span)


@dataclass
class Row:
    cells: list[Cell]
    min_height_mm: float = 7.5
    keep_together: bool = False
    header: bool = False  # repeated at the top of every page the table runs onto


def set_table_grid(table: Table, widths_mm: Sequence[float]) -> None:
    """Grid columns, cell widths and a fixed layout: LibreOffice needs all three to keep the widths."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(int(Mm(w).twips) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(width)
    grid = tbl.tblGrid
    for col, width_mm in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width_mm).twips)))
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[index])


def set_borders(table: Table, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            element.set(qn("w:sz"), "6")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def set_cell_margins(table: Table, left_right_mm: float = 1.8, top_bottom_mm: float = 0.8) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", top_bottom_mm), ("left", left_right_mm), ("bottom", top_bottom_mm),
                       ("right", left_right_mm)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Mm(size).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def form_table(doc: DocumentObject, widths_mm: Sequence[float], rows: Sequence[Row], borders: bool = True) -> Table:
    table: Table = doc.add_table(rows=len(rows), cols=len(widths_mm))
    table.style = None
    set_table_grid(table, widths_mm)
    set_borders(table, borders)
    set_cell_margins(table)
    for row_spec, row in zip(rows, table.rows, strict=True):
        row.height = Mm(row_spec.min_height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if row_spec.keep_together:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # put in order when saving
        if row_spec.header:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        column = 0
        for cell_spec in row_spec.cells:
            cell = row.cells[column]
            if cell_spec.span > 1:
                cell = cell.merge(row.cells[column + cell_spec.span - 1])
            column += cell_spec.span
            first = cell.paragraphs[0]
            first_text, first_style = cell_spec.lines[0]
            first.style = doc.styles[first_style]
            if first_text:
                first.add_run(first_text)
            for text, style in cell_spec.lines[1:]:
                para(cell, text, style)
            cell.vertical_alignment = (
                WD_CELL_VERTICAL_ALIGNMENT.CENTER if cell_spec.label else WD_CELL_VERTICAL_ALIGNMENT.TOP
            )
        if column != len(widths_mm):
            raise ValueError(f"row spans {column} columns, the table has {len(widths_mm)}")
    return table


# Signature lines that some copies leave out: the internal archive copy is never shown to the interviewee, and a
# talk held by letter (函询) has no note-taker.
SIGNED_WHEN = {"谈话对象": "not internal", "本人": "not internal", "记录人": "not by_letter"}


def signature_block(role: str) -> Cell:
    """'谈话人（签字）：', room to sign, and a blank date to fill in by hand."""
    block_lines = [(f"{role}（签字）：", "表格文字"), ("", "表格文字"), (SIGNATURE_DATE, "表格文字")]
    if role not in SIGNED_WHEN:
        return lines(block_lines)
    return lines([(f"{{%p if {SIGNED_WHEN[role]} %}}", "表格文字"), *block_lines, ("{%p else %}", "表格文字"),
                  ("", "表格文字"), ("{%p endif %}", "表格文字")])


def signature_row(roles: Sequence[str]) -> Row:
    return Row([signature_block(role) for role in roles], min_height_mm=16, keep_together=True)


def right_aligned_dates(table: Table) -> None:
    """The blank dates sit at the right of each block, with room below before the next row of signers."""
    for index, row in enumerate(table.rows):
        for cell in row.cells:
            # The date line itself: a block shown only on some copies ends with its {%p endif %} tag.
            for paragraph in (p for p in cell.paragraphs if p.text == SIGNATURE_DATE):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if index < len(table.rows) - 1:
                    paragraph.paragraph_format.space_after = Pt(10)


def check_code_line(doc: DocumentObject) -> None:
    """The 校验码 of a sealed record, near the top: it never ends up alone on a page of its own."""
    block(doc, [("{%p if check_code %}", "校验码"), ("{{ check_code }}", "校验码"), ("{%p endif %}", "校验码")])


def retention_line(doc: DocumentObject, condition: str | None = "retention_note") -> None:
    if condition is None:
        para(doc, RETENTION_NOTE, "保存说明", WD_ALIGN_PARAGRAPH.RIGHT)
        return
    block(doc, [(f"{{%p if {condition} %}}", "保存说明"), ("{{ retention_note }}", "保存说明"),
                ("{%p endif %}", "保存说明")])
    doc.paragraphs[-2].alignment = WD_ALIGN_PARAGRAPH.RIGHT


# -- the templates ---------------------------------------------------------------------------------------

# label, value, label, value = 156 mm; the first label column holds 整改要求与时限 (7 characters of 小四) on one line.
FORM_4 = (34.0, 58.0, 22.0, 42.0)


def tag_row(tag: str, columns: int = 4) -> Row:
    """A row holding only a {%tr %} tag: docxtpl removes it and repeats or keeps the rows between tags."""
    return Row([value(tag, span=columns)], min_height_mm=0)


def people_rows() -> list[Row]:
    """Who, when, where. A talk held by letter (函询, 004 三.5) has no time, place or note-taker: its record
    shows the letter's dates, its questions and the written reply instead."""
    return [
        Row([label("谈话人"), value("{{ interviewers }}", span=3)]),
        Row([label("谈话对象"), value("{{ interviewees }}", span=3)]),
        tag_row("{%tr if not by_letter %}"),
        Row([label("记录人"), value("{{ note_taker }}", span=3)]),
        Row([label("谈话时间"), value("{{ time }}", span=3)]),
        Row([label("谈话地点"), value("{{ place }}"), label("谈话类型"), value("{{ talk_type }}")]),
        tag_row("{%tr else %}"),
        Row([label("发函日期"), value("{{ sent_date }}"), label("回复期限"), value("{{ reply_due_date }}")]),
        Row([label("函询事项"), value("{{ questions }}", span=3)], min_height_mm=12),
        Row([label("收到回复"), value("{{ received_date }}"), label("谈话类型"), value("{{ talk_type }}")]),
        Row([label("本人书面说明"), value("{{ reply }}", span=3)], min_height_mm=16),
        tag_row("{%tr endif %}"),
        Row([label("谈话形式"), value("{{ form }}·{{ channel }}"), label("谈话类别"), value("{{ category }}")]),
    ]


def form_head(doc: DocumentObject, title: str) -> None:
    """The title (the talk type's form name, `{{ title }}`, or a fixed one), the retention note, unit and
    number, and the 校验码."""
    para(doc, title, "公文标题")
    retention_line(doc)
    head_line(doc, "单位：{{ unit }}", "编号：{{ code }}")
    check_code_line(doc)


# The form's last rows travel with the signatures: a page holding only signatures (or 备注 and signatures) could
# be put under another record's first page.
ROWS_KEPT_WITH_SIGNATURES = 3


def form_tail(doc: DocumentObject, signer_rows: Sequence[Sequence[str]]) -> None:
    """The signature blocks: a borderless table, one row per line of signers, kept with the form's last rows so
    that a long record never leaves the signatures alone on a page."""
    for row in doc.tables[-1].rows[-ROWS_KEPT_WITH_SIGNATURES:]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    para(doc, "", "表格文字").paragraph_format.keep_with_next = True
    columns = len(signer_rows[0])
    table = form_table(doc, [TEXT_WIDTH_MM / columns] * columns, [signature_row(roles) for roles in signer_rows],
                       borders=False)
    right_aligned_dates(table)
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


TALK_SIGNERS = (("谈话人", "谈话对象", "记录人"),)


def record_template() -> DocumentObject:
    doc = new_document("谈心谈话记录表", form=True, grid=False)
    form_head(doc, "{{ title }}")
    form_table(doc, FORM_4, [
        *people_rows(),
        # Only a subject the user wrote: the one filled in when planning ("某某同志日常谈话") says nothing more.
        tag_row("{%tr if subject %}"),
        Row([label("事由/主题"), value("{{ subject }}", span=3)]),
        tag_row("{%tr endif %}"),
        Row([label("主要内容"), lines([*grouped_content("content"), *summary_lines()], span=3)], min_height_mm=32),
        Row([label("谈话对象表态"), value("{{ statements }}", span=3)], min_height_mm=12),
        Row([label("意见建议"), value("{{ suggestions }}", span=3)], min_height_mm=10),
        Row([label("整改要求与时限"), lines([("{{ requirements }}", "表格文字"), *optional("deadlines")], span=3)],
            min_height_mm=12),
        Row([label("跟踪落实情况"), value("{{ tracking }}", span=3)], min_height_mm=10),
        Row([label("备注"), value("{{ remarks }}", span=3)]),
    ])
    form_tail(doc, TALK_SIGNERS)
    return doc


def interviewee_side() -> list[tuple[str, str]]:
    """What the interviewee said: explanations and requests, then suggestions (the 表态 has its own row)."""
    return [*optional("explanations"), *optional("suggestions")]


def reminder_template() -> DocumentObject:
    doc = new_document("提醒谈话记录表", form=True, grid=False)
    form_head(doc, "{{ title }}")
    form_table(doc, FORM_4, [
        *people_rows(),
        Row([label("提醒事由"), value("{{ reason }}", span=3)], min_height_mm=14),
        Row([label("本人说明"), lines(interviewee_side(), span=3)], min_height_mm=20),
        Row([label("本人表态"), value("{{ statements }}", span=3)], min_height_mm=10),
        Row([label("提醒要求"), lines([("{{ requirements }}", "表格文字"), *summary_lines()], span=3)],
            min_height_mm=16),
        Row([label("整改时限"), value("{{ deadlines }}", span=3)]),
        Row([label("跟踪落实情况"), value("{{ tracking }}", span=3)], min_height_mm=11),
        Row([label("备注"), value("{{ remarks }}", span=3)]),
    ])
    form_tail(doc, TALK_SIGNERS)
    return doc


def admonition_template() -> DocumentObject:
    doc = new_document("诫勉谈话记录", form=True, grid=False)
    para(doc, "{{ title }}", "公文标题")
    retention_line(doc, None)
    head_line(doc, "单位：{{ unit }}", "编号：{{ code }}")
    check_code_line(doc)
    form_table(doc, FORM_4, [
        *people_rows(),
        Row([label("诫勉决定"), value("{{ decision }}", span=3)]),
        Row([label("诫勉事由"), value("{{ reason }}", span=3)], min_height_mm=14),
        Row([label("分析原因"), value("{{ causes }}", span=3)], min_height_mm=12),
        Row([label("本人说明"), lines(interviewee_side(), span=3)], min_height_mm=20),
        Row([label("本人表态"), value("{{ statements }}", span=3)], min_height_mm=10),
        Row([label("整改要求与时限"), lines([("{{ requirements }}", "表格文字"), *optional("deadlines"),
                                          *summary_lines()], span=3)], min_height_mm=14),
        Row([label("跟踪落实情况"), value("{{ tracking }}", span=3)]),
        Row([label("备注"), value("{{ remarks }}", span=3)]),
    ])
    # The organisation's 主要负责人 signs a 诫勉 record too.
    form_tail(doc, (("谈话人", "谈话对象"), ("记录人", "主要负责人")))
    return doc


def notice_template() -> DocumentObject:
    doc = new_document("诫勉通知书", form=True)
    para(doc, "诫勉通知书", "公文标题")
    # The decision's 文号; a decision without one leaves no empty line.
    para(doc, "{%p if notice_number %}", "公文顶格")
    para(doc, "{{ notice_number }}", "公文顶格", WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{%p endif %}", "公文顶格")
    check_code_line(doc)
    para(doc, "{{ interviewee_name }}同志：", "公文顶格")
    para(doc, "{{ opening }}", "公文正文")
    para(doc, "一、需要整改的问题", "一级标题")
    block(doc, [("{%p for item in problem_items %}", "公文正文"), ("{{ item }}", "公文正文"),
                ("{%p endfor %}", "公文正文")])
    para(doc, "二、整改要求", "一级标题")
    block(doc, [("{%p for item in requirement_items %}", "公文正文"), ("{{ item }}", "公文正文"),
                ("{%p endfor %}", "公文正文")])
    sign_off(doc, "{{ deadline_sentence }}")
    para(doc, "", "公文正文")
    para(doc, "本人签收：＿＿＿＿＿＿＿＿　　" + SIGNATURE_DATE, "公文顶格")
    para(doc, "", "公文顶格")
    retention_line(doc, None)
    return doc


def inquiry_template() -> DocumentObject:
    doc = new_document("函询通知书", form=True)
    para(doc, "函询通知书", "公文标题")
    para(doc, "{{ notice_number }}", "公文顶格", WD_ALIGN_PARAGRAPH.CENTER)
    check_code_line(doc)
    para(doc, "{{ interviewee_name }}同志：", "公文顶格")
    para(doc, "{{ opening }}", "公文正文")
    block(doc, [("{%p for item in question_items %}", "公文正文"), ("{{ item }}", "公文正文"),
                ("{%p endfor %}", "公文正文")])
    sign_off(doc, "{{ reply_request }}")
    para(doc, "函询回复表", "公文标题").paragraph_format.page_break_before = True
    retention_line(doc, None)
    head_line(doc, "编号：{{ code }}", "")
    form_table(doc, FORM_4, [
        Row([label("姓名"), value("{{ interviewee_name }}"), label("单位职务"), value("{{ interviewee_post }}")]),
        Row([label("函询事项"), value("{{ questions }}", span=3)], min_height_mm=30),
        Row([label("本人说明"), value("{{ reply }}", span=3)], min_height_mm=80),
        Row([label("发函日期"), value("{{ sent_date }}"), label("收到回复"), value("{{ received_date }}")]),
        Row([label("组织意见"), value("", span=3)], min_height_mm=22),
    ])
    form_tail(doc, (("本人",),))
    return doc


def brief_template() -> DocumentObject:
    doc = new_document("谈话提纲")
    para(doc, "谈话提纲", "公文标题")
    head_line(doc, "谈话对象：{{ interviewee }}", "{{ planned }}")
    block(doc, [
        ("{%p for section in sections %}", "公文正文"),
        ("{{ section.heading }}", "一级标题"),
        ("{%p for item in section.points %}", "提纲条目"),
        ("{{ item }}", "提纲条目"),
        ("{%p endfor %}", "提纲条目"),
        ("{%p endfor %}", "公文正文"),
    ])
    return doc


def report_template() -> DocumentObject:
    doc = new_document("谈心谈话工作情况报告")
    para(doc, "{{ title }}", "公文标题")
    para(doc, "", "公文顶格")
    para(doc, "{{ addressee }}", "公文顶格")
    para(doc, "{{ opening }}", "公文正文")

    def count_table(heading: str, variable: str, first: str) -> None:
        para(doc, heading, "二级标题")
        table = form_table(doc, (78.0, 39.0, 39.0), [
            Row([label(first), label("次数"), label("人数")], min_height_mm=8, header=True),
            Row([value(f"{{%tr for item in {variable} %}}", span=3)], min_height_mm=0),
            Row([value("{{ item.name }}"), value("{{ item.talks }}"), value("{{ item.people }}")], min_height_mm=8,
                keep_together=True),
            Row([value("{%tr endfor %}", span=3)], min_height_mm=0),
        ])
        for cell in table.rows[2].cells[1:]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    para(doc, "一、基本情况", "一级标题")
    para(doc, "{{ overview }}", "公文正文")
    count_table("（一）按谈话类型", "by_type", "谈话类型")
    count_table("（二）按谈话类别", "by_category", "谈话类别")
    count_table("（三）按谈话形式", "by_form", "谈话形式")
    count_table("（四）按谈话方式", "by_channel", "谈话方式")
    para(doc, "二、制度落实和覆盖情况", "一级标题")
    para(doc, "{{ coverage_summary }}", "公文正文")
    table = form_table(doc, (48.0, 62.0, 14.0, 14.0, 18.0), [
        Row([label("规定"), label("依据"), label("应谈"), label("已谈"), label("覆盖率")], min_height_mm=8,
            header=True),
        Row([value("{%tr for item in coverage %}", span=5)], min_height_mm=0),
        Row([value("{{ item.rule }}"), value("{{ item.source }}"), value("{{ item.required }}"),
             value("{{ item.done }}"), value("{{ item.rate }}")], min_height_mm=8, keep_together=True),
        Row([value("{%tr endfor %}", span=5)], min_height_mm=0),
    ])
    for cell in table.rows[2].cells[2:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "三、跟踪落实情况", "一级标题")
    para(doc, "{{ followup_summary }}", "公文正文")
    table = form_table(doc, (48.0, 27.0, 27.0, 27.0, 27.0), [
        Row([label("事项类别"), label("新增"), label("已办结"), label("未办结"), label("逾期")], min_height_mm=8,
            header=True),
        Row([value("{%tr for item in followups %}", span=5)], min_height_mm=0),
        Row([value("{{ item.kind }}"), value("{{ item.opened }}"), value("{{ item.closed }}"),
             value("{{ item.open }}"), value("{{ item.overdue }}")], min_height_mm=8, keep_together=True),
        Row([value("{%tr endfor %}", span=5)], min_height_mm=0),
    ])
    for cell in table.rows[2].cells[1:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "四、存在的不足和下一步打算", "一级标题")
    sign_off(doc, "{{ next_steps }}")
    return doc


def handbook_template() -> DocumentObject:
    doc = new_document("《党员手册》其他情况记录")
    para(doc, "《党员手册》“其他情况记录”（谈心谈话）", "公文标题")
    head_line(doc, "单位：{{ unit }}", "{{ year }}年度")
    form_table(doc, (12.0, 26.0, 34.0, 84.0), [
        Row([label("序号"), label("姓名"), label("所在组织"), label("其他情况记录")], min_height_mm=8, header=True),
        Row([value("{%tr for item in members %}", span=4)], min_height_mm=0),
        Row([value("{{ item.number }}"), value("{{ item.name }}"), value("{{ item.unit }}"),
             value("{{ item.lines }}")], min_height_mm=8, keep_together=True),
        Row([value("{%tr endfor %}", span=4)], min_height_mm=0),
    ])
    return doc


TEMPLATES = {
    "record.docx": record_template,
    "reminder.docx": reminder_template,
    "admonition.docx": admonition_template,
    "notice.docx": notice_template,
    "inquiry.docx": inquiry_template,
    "brief.docx": brief_template,
    "report.docx": report_template,
    "handbook.docx": handbook_template,
}


def build(out_dir: Path = HERE) -> list[Path]:
    written: list[Path] = []
    for name, make in TEMPLATES.items():
        path = out_dir / name
        schema_ordered(make()).save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for built in build():
        print(built)
