"""Fields and bookmarks of the Word templates: 目录 lines (PAGEREF to a bookmark, with a cached page number) and
page numbers that start after the front matter (see documents.render_paginated for the cached numbers)."""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from budget_eval.platform.layout import LATIN, PLAIN, rfonts


def bookmark(para, name: str, bookmark_id: str) -> None:
    """Wrap the paragraph's text in a bookmark (the target of a 目录 line's PAGEREF); name and id may be template
    expressions."""
    para._p.insert(1, parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{bookmark_id}" w:name="{name}"/>'))
    para._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{bookmark_id}"/>'))


def toc_line(text_width_twips: int = 8845) -> str:
    """One 目录 line inside `{%p for e in toc %}`: text, dot leader, the page of its bookmark as a PAGEREF field
    whose cached result is `e.page` (documents.render_paginated fills it in; Word refreshes it on opening)."""
    rpr = f'<w:rPr>{rfonts("fangsong", LATIN)}</w:rPr>'
    return (f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{PLAIN}"/><w:tabs><w:tab w:val="right" w:leader="dot" '
            f'w:pos="{text_width_twips}"/></w:tabs>'
            '<w:ind w:left="{{ e.indent }}" w:firstLine="0" w:firstLineChars="0"/></w:pPr>'
            f'<w:r>{rpr}<w:t xml:space="preserve">{{{{ e.label }}}}</w:t></w:r><w:r>{rpr}<w:tab/></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGEREF {{{{ e.bookmark }}}} \\h </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>{{{{ e.page }}}}</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r></w:p>')


def move_page_numbers(document, section) -> None:
    """Page numbers from `section` on only: the first section's footer references move to it (front matter such
    as a cover, 摘要 and 目录 then has no page number)."""
    first = document.sections[0]._sectPr
    for ref in first.findall(qn("w:footerReference")):
        first.remove(ref)
        section._sectPr.insert(0, ref)
    for old in first.findall(qn("w:titlePg")):
        first.remove(old)
