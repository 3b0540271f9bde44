"""Tables for the Word templates: fixed column widths chosen per content, header rows repeated on every page,
rows never split across pages, numbers right-aligned, dimension cells merged vertically inside docxtpl loops.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from budget_eval.platform.layout import TABLE_HEAD, TABLE_TEXT

TWIPS_PER_MM = 56.7
LEAD = "\x01"  # in a cell text: what comes before it is a bold lead-in at 五号


@dataclass(frozen=True)
class Col:
    width_mm: float
    align: str = "left"  # left / center / right (numbers)


@dataclass(frozen=True)
class Cell:
    """One cell: its paragraphs, an optional horizontal span, and a Jinja test that starts a vertical merge."""

    text: str | tuple[str | tuple[str, str], ...] = ""  # a (text, style) pair sets one paragraph's style
    span: int = 1
    vmerge_first: str | None = None  # e.g. "i.first": restart the merge where true, continue it elsewhere
    align: str | None = None
    bold: bool = False
    style: str | None = None


def _twips(mm: float) -> int:
    return int(round(mm * TWIPS_PER_MM))


def _borders(size: int = 4) -> str:
    edges = "".join(f'<w:{e} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
                    for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return f"<w:tblBorders>{edges}</w:tblBorders>"


def table(container, columns: list[Col], head: list[list[Cell | str]] | None, rows: list[list[Cell | str] | str],
          borders: bool | str = True, font_style: str = TABLE_TEXT, keep_rows_with: str | None = None):
    """Build a table. A row given as a plain string is a docxtpl control row ({%tr for … %} / {%tr endfor %}).

    `keep_rows_with` is a Jinja test (e.g. "not i.last"): where true, a looped row keeps with the next one, so a
    merged dimension cell is not split across pages (Word honours keep-with-next on table rows)."""
    total = sum(_twips(c.width_mm) for c in columns)
    tbl = container.add_table(rows=0, cols=len(columns))
    element = tbl._tbl
    tblpr = element.tblPr
    for child in list(tblpr):
        tblpr.remove(child)
    tblpr.append(parse_xml(
        f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>'))
    tblpr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'))
    if borders == "imprint":  # 版记: thick first and last rules, thin rules between, no verticals
        tblpr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}><w:top w:val="single" w:sz="8" w:space="0" '
                               'w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
                               '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>'))
    elif borders:
        tblpr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{_borders()[len("<w:tblBorders>"):]}'))
    tblpr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    tblpr.append(parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:top w:w="28" w:type="dxa"/>'
                           '<w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>'
                           '<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'))
    tblpr.append(parse_xml(f'<w:tblLook {nsdecls("w")} w:val="04A0" w:firstRow="1" w:lastRow="0" '
                           'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'))
    grid = element.tblGrid
    for col, gridcol in zip(columns, grid.findall("{*}gridCol"), strict=True):
        gridcol.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w", str(_twips(col.width_mm)))
    for row in head or []:
        _row(tbl, columns, row, header=True)
    for row in rows:
        if isinstance(row, str):
            _row(tbl, columns, [Cell(row, span=len(columns))], header=False)
        else:
            merged = any(isinstance(c, Cell) and c.vmerge_first for c in row)  # a looped row
            _row(tbl, columns, row, header=False, style=font_style, keep_if=keep_rows_with if merged else None)
    return tbl


def _row(tbl, columns: list[Col], cells: list[Cell | str], header: bool, style: str = TABLE_TEXT,
         keep_if: str | None = None) -> None:
    tr = parse_xml(f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit/>{"<w:tblHeader/>" if header else ""}'
                   '</w:trPr></w:tr>')
    position = 0
    for cell in cells:
        cell = cell if isinstance(cell, Cell) else Cell(cell)
        width = sum(_twips(c.width_mm) for c in columns[position:position + cell.span])
        align = cell.align or ("center" if header else columns[position].align)
        merge = ""
        if cell.vmerge_first:
            merge = (f'<w:vMerge w:val="{{% if {cell.vmerge_first} %}}restart{{% else %}}continue{{% endif %}}"/>')
        span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
        texts = (cell.text,) if isinstance(cell.text, str) else cell.text
        if cell.vmerge_first and isinstance(texts[0], str) and texts[0]:
            texts = (f"{{% if {cell.vmerge_first} %}}{texts[0]}{{% endif %}}", *texts[1:])
        para_style = cell.style or (TABLE_HEAD if header else style)
        keep = f"{{% if {keep_if} %}}<w:keepNext/>{{% endif %}}" if keep_if else ""
        paragraphs = "".join(_para(t[0], t[1], align, cell.bold, keep) if isinstance(t, tuple)
                             else _para(t, para_style, align, cell.bold, keep) for t in texts)
        tr.append(parse_xml(f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                            f'<w:vAlign w:val="center"/></w:tcPr>{paragraphs}</w:tc>'))
        position += cell.span
    tbl._tbl.append(tr)


def _para(text: str, style_id: str, align: str, bold: bool, keep: str = "") -> str:
    jc = {"left": "left", "center": "center", "right": "right", "both": "both"}[align]
    run = ""
    if LEAD in text:  # a bold lead-in at 五号 before the paragraph's own (smaller) text
        lead, text = text.split(LEAD, 1)
        run = (f'<w:r><w:rPr><w:b/><w:bCs/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>'
               f'<w:t xml:space="preserve">{_escape(lead)}</w:t></w:r>')
    if text:
        rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
        run += f'<w:r>{rpr}<w:t xml:space="preserve">{_escape(text)}</w:t></w:r>'
    return f'<w:p><w:pPr><w:pStyle w:val="{_style_id(style_id)}"/>{keep}<w:jc w:val="{jc}"/></w:pPr>{run}</w:p>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _style_id(name: str) -> str:
    return name.replace(" ", "")  # python-docx's style id: the name without spaces
