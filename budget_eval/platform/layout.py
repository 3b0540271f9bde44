"""GB/T 9704-2012 page layout for the Word templates, built with python-docx (see report_templates/README.md).

Used only by the template builder (scripts/build_report_templates.py): A4, margins 37/35/28/26 mm, title in
方正小标宋简体 二号, body 仿宋 三号 with a two-character first-line indent and a fixed 28 pt line pitch, headings
黑体 / 楷体 / 仿宋 bold by level, page numbers "— 1 —" in 宋体 四号 at the outside edge, language zh-CN.
"""
from __future__ import annotations

import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

# Word on Windows knows the first name; altName and the GB2312 charset guide its substitution; LibreOffice maps
# the first name through fontconfig (report_templates/fonts.conf names the Noto CJK equivalents).
FONTS = {
    "title": ("方正小标宋简体", "宋体"),
    "fangsong": ("仿宋", "FangSong"),
    "hei": ("黑体", "SimHei"),
    "kai": ("楷体", "KaiTi"),
    "song": ("宋体", "SimSun"),
}
# fontTable.xml entries: name → (altName Word substitutes when the font is missing, PANOSE-1, family). Windows
# ships 仿宋/黑体/楷体/宋体 but not 方正小标宋简体 nor the GB2312 faces of older templates: their altName is a
# Windows font, so Word falls back to a Song (or 仿宋) face rather than to its Latin default.
FONT_TABLE = {
    "方正小标宋简体": ("宋体", "02000000000000000000", "script"),
    "仿宋": ("FangSong", "02010609060101010101", "modern"),
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern"),
    "黑体": ("SimHei", "02010609060101010101", "modern"),
    "楷体": ("KaiTi", "02010609060101010101", "modern"),
    "宋体": ("SimSun", "02010600030101010101", "auto"),
}
LATIN = "Times New Roman"
SIZE = {"二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225  # 版心
LINES, CHARS = 22, 28  # GB/T 9704 7.1: 22 lines of 28 characters in 三号
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM / 25.4 * 72 * 20 / LINES)  # 579: 22 lines fill the 225 mm height
BODY_PITCH = LINE_PITCH_TWIPS / 20  # pt, the body's fixed line spacing (28.95 pt), equal to the grid's
# Word's character grid: the pitch is the Normal font size plus charSpace/4096 pt; 156 mm / 28 = 15.79 pt
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS
CHAR_SPACE = int(round((CHAR_PITCH_PT - 16) * 4096))  # -848
# LibreOffice (7.4) puts each CJK character into two cells of a character grid whose pitch is below the font size,
# so the grid is declared for lines (type "lines", pitch 579) and the 28 characters come from condensing 三号 text
# by 0.25 pt (w:spacing -5 twentieths): 28 × 15.75 pt = 441 pt fits in 442.2 pt in Word and in LibreOffice alike.
CONDENSE_TWIPS = -5
PORTRAIT_MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm
LANDSCAPE_MARGINS = {"top": 28, "bottom": 26, "left": 37, "right": 35}  # the binding edge stays the same
RED = "C00000"


def rfonts(east: str, latin: str | None = None) -> str:
    name = FONTS[east][0]
    latin = latin or name
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{name}" w:cs="{latin}" w:hint="eastAsia"/>')


def _run_props(font: str, size: float, bold: bool = False, latin: str | None = None, colour: str = "000000") -> str:
    half = int(size * 2)
    return (f"<w:rPr {nsdecls('w')}>{rfonts(font, latin)}{'<w:b/><w:bCs/>' if bold else ''}"
            f'<w:color w:val="{colour}"/><w:spacing w:val="{CONDENSE_TWIPS if size == 16 else 0}"/>'
            f'<w:kern w:val="0"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            f"{LANG}</w:rPr>")


# Latin text and digits in en-US, Chinese in zh-CN: LibreOffice then breaks lines between words, never inside
# "2029" or "0.12" (tagged zh-CN, its line breaker split numbers at any digit)
LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'


def _para_props(align: str = "both", indent_chars: int = 0, size: float = 16, line: float | None = BODY_PITCH,
                before: float = 0, after: float = 0, keep_next: bool = False, outline: int | None = None,
                snap: bool = True) -> str:
    """`snap`: lines on the document's line grid (the body); titles, tables and the 版记 keep their own pitch."""
    indent = (f'<w:ind w:firstLineChars="{indent_chars * 100}" w:firstLine="{int(indent_chars * size * 20)}"/>'
              if indent_chars else '<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    spacing = f'w:before="{int(before * 20)}" w:after="{int(after * 20)}"'
    spacing += f' w:line="{int(line * 20)}" w:lineRule="exact"' if line else ' w:line="240" w:lineRule="auto"'
    return (f"<w:pPr {nsdecls('w')}>{'<w:keepNext/>' if keep_next else ''}<w:widowControl/>"
            f"{'' if snap else NO_SNAP}"
            f'<w:spacing {spacing}/>{indent}<w:jc w:val="{align}"/>'
            f"{_outline(outline)}</w:pPr>")


NO_SNAP = '<w:snapToGrid w:val="0"/>'


def _outline(level: int | None) -> str:
    return "" if level is None else f'<w:outlineLvl w:val="{level}"/>'



def _restyle(style, ppr: str, rpr: str) -> None:
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    element.append(parse_xml(ppr))
    element.append(parse_xml(rpr))


# name: (base font, size, bold, alignment, first-line indent in characters, line pitch, space before, outline level)
STYLES = {
    "Normal": ("fangsong", SIZE["三号"], False, "both", 2, BODY_PITCH, 0, None),
    "Title": ("title", SIZE["二号"], False, "center", 0, 36, 0, None),
    "Subtitle": ("kai", SIZE["三号"], False, "center", 0, BODY_PITCH, 0, None),
    "Heading 1": ("hei", SIZE["三号"], False, "both", 2, BODY_PITCH, 0, 0),
    "Heading 2": ("kai", SIZE["三号"], False, "both", 2, BODY_PITCH, 0, 1),
    "Heading 3": ("fangsong", SIZE["三号"], True, "both", 2, BODY_PITCH, 0, 2),
}
TABLE_TEXT = "表格文字"  # 仿宋 五号, single spacing, no indent
TABLE_HEAD = "表格标题行"  # 黑体 五号, centred
CAPTION = "题注"  # 黑体 小四, centred: 表1 … above a table, 图1 … below a figure
PLAIN = "无缩进"  # body text without the first-line indent (主送机关, 落款)
POINTS = "评分要点"  # 仿宋 小五 in the opinion form's indicator cells
IMPRINT = "版记"  # 仿宋 四号, one character in from both sides


def new_document():
    """An empty document with the GB/T 9704 page, styles, fonts, language and page numbers."""
    document = Document()
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.clear()
    rpr_default.append(parse_xml(_run_props("fangsong", SIZE["三号"], latin=LATIN)))
    for name, (font, size, bold, align, indent, line, before, outline) in STYLES.items():
        style = document.styles[name]
        style.next_paragraph_style = document.styles["Normal"]
        latin = LATIN if font == "fangsong" else None
        keep = name.startswith("Heading")
        _restyle(style, _para_props(align, indent, size, line, before, keep_next=keep, outline=outline,
                                    snap=line == BODY_PITCH),
                 _run_props(font, size, bold, latin))
    _add_style(document, TABLE_TEXT, "fangsong", SIZE["五号"], False, "left", None, LATIN)
    _add_style(document, TABLE_HEAD, "hei", SIZE["五号"], False, "center", None)
    _add_style(document, CAPTION, "hei", SIZE["小四"], False, "center", BODY_PITCH, keep_next=True)
    _add_style(document, PLAIN, "fangsong", SIZE["三号"], False, "both", BODY_PITCH, LATIN)
    _add_style(document, POINTS, "fangsong", SIZE["小五"], False, "left", None, LATIN)
    imprint = _add_style(document, IMPRINT, "fangsong", SIZE["四号"], False, "left", 22, LATIN)
    imprint.paragraph_format.left_indent = imprint.paragraph_format.right_indent = Pt(14)
    _fix_fonts_and_language(document)
    page_setup(document.sections[0])
    page_numbers(document)
    return document


def _add_style(document, name, font, size, bold, align, line, latin=None, keep_next=False):
    style = document.styles.add_style(name, 1)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _restyle(style, _para_props(align, 0, size, line, keep_next=keep_next, snap=line == BODY_PITCH),
             _run_props(font, size, bold, latin))
    return style


def _fix_fonts_and_language(document) -> None:
    """Declare the CJK fonts with the Windows fonts Word substitutes for them (altName, PANOSE, GB2312 charset);
    Chinese as the editing language; fields (目录 page numbers) updated when Word opens the file."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    update_fields_on_open(document)
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, (alt, panose, family) in FONT_TABLE.items()
    )
    part._blob = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml).encode("utf-8")


def update_fields_on_open(document) -> None:
    """w:updateFields: Word (and WPS) refresh PAGEREF/TOC fields on opening, no F9 needed."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        element = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        # CT_Settings is a sequence: updateFields comes after the header/footer and before the compatibility items
        anchor = next((settings.find(qn(t)) for t in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr",
                                                       "w:compat", "w:docVars", "w:rsids")
                       if settings.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(element)
        else:
            settings.append(element)


def doc_grid(section) -> None:
    """GB/T 9704's grid: 22 lines at a 579-twip pitch (see CONDENSE_TWIPS for the 28 characters)."""
    for old in section._sectPr.findall(qn("w:docGrid")):
        section._sectPr.remove(old)
    section._sectPr.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE_PITCH_TWIPS}" '
                                     f'w:charSpace="0"/>'))


def page_setup(section, landscape: bool = False) -> None:
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(margins["bottom"] - 7 - 6)  # page number 7 mm below the text area
    doc_grid(section)


def new_section(document, landscape: bool = False, restart_numbering: bool = False):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape)
    for inherited in ("w:titlePg", "w:pgNumType"):  # the new sectPr is a copy of the previous one
        for element in section._sectPr.findall(qn(inherited)):
            section._sectPr.remove(element)
    if restart_numbering:
        section._sectPr.append(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'))
    return section


def _page_field_paragraph(paragraph, align: str) -> None:
    """— 1 — in 宋体 四号; one character in from the outside edge (odd pages right, even pages left)."""
    ppr = paragraph._p.get_or_add_pPr()
    side = "right" if align == "right" else "left"
    ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:{side}="280" w:firstLine="0" w:firstLineChars="0"/>'))
    ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{align}"/>'))
    rpr = _run_props("song", SIZE["四号"], latin="宋体")
    runs = [f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve">— </w:t></w:r>',
            f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {nsdecls("w")}>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>',
            f'<w:r {nsdecls("w")}>{rpr}<w:t>1</w:t></w:r>',
            f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="end"/></w:r>',
            f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>']
    for run in runs:
        paragraph._p.append(parse_xml(run))


def page_numbers(document, first_page_blank: bool = False) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles[PLAIN]
        _page_field_paragraph(paragraph, align)
    if first_page_blank:
        section.different_first_page_header_footer = True


def paragraph(document_or_cell, text: str = "", style: str | None = None, align=None, keep_next: bool = False,
              bold: bool = False, font: str | None = None, size: float | None = None, colour: str | None = None):
    """A paragraph with one run; `font`/`size` override the style for that run."""
    para = document_or_cell.add_paragraph(style=style)
    if text:
        run = para.add_run(text)
        if bold:
            run.bold = True
        if font or size or colour:
            rpr = run._r.get_or_add_rPr()
            if font:
                rpr.insert(0, parse_xml(f"<w:rFonts {nsdecls('w')} " + rfonts(font)[len("<w:rFonts "):]))
            if size:
                run.font.size = Pt(size)
            if colour:
                rpr.append(parse_xml(f'<w:color {nsdecls("w")} w:val="{colour}"/>'))
    if align is not None:
        para.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                          "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    if keep_next:
        para.paragraph_format.keep_with_next = True
    return para


def page_break(document) -> None:
    para = document.add_paragraph(style=PLAIN)
    para._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'))


def bottom_rule(para, colour: str = "000000", size_eighths: int = 12) -> None:
    """A rule under the paragraph across the text width (红色分隔线, 版记 lines)."""
    ppr = para._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="{size_eighths}" w:space="1" '
                            f'w:color="{colour}"/></w:pBdr>'))


def raw(document, xml: str) -> None:
    """Append raw WordprocessingML (e.g. bookmarks with template tags in their names) before the sectPr."""
    body = document.element.body
    element = parse_xml(xml)
    body.insert(len(body) - 1, element)

