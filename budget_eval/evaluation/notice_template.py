"""The results notice (结果通报) as a Word template: 发文机关标志, 文号, results per group, 落款 and 版记 (GB/T 9704)."""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from budget_eval.platform.doc_tables import Cell, Col, table
from budget_eval.platform.layout import bottom_rule, CAPTION, IMPRINT, page_break, paragraph, PLAIN, RED

MARK_TOP_MM = 35


def notice(document) -> None:
    mark = paragraph(document, "{{ issuer_mark }}", "Title", colour=RED, size=30)
    # GB/T 9704 7.2.1: the mark's top edge 35 mm below the top of the text area (the glyphs start about 6 pt
    # below the top of their 40 pt line)
    mark.paragraph_format.space_before = Pt(MARK_TOP_MM / 25.4 * 72 - 6)
    mark.paragraph_format.line_spacing = Pt(40)
    # a long name is narrowed (字符缩放) so that the mark stays on one line within the text width
    mark.runs[0]._r.get_or_add_rPr().append(parse_xml(f'<w:w {nsdecls("w")} w:val="{{{{ issuer_scale }}}}"/>'))
    paragraph(document, "")
    number = paragraph(document, "{{ number }}", PLAIN, align="center")
    bottom_rule(number, RED, 18)
    paragraph(document, "")
    paragraph(document, "关于{{ year }}年度部门综合考评结果的通报", "Title")
    paragraph(document, "")
    paragraph(document, "{{ recipients }}", PLAIN)
    paragraph(document, "{% if basis %}根据《{{ basis }}》，{% endif %}{{ year }}年度综合考评共有{{ count }}个单位参加，"
                        "考评内容包括{{ components }}。经目标考核、社会评价等环节，现将考评结果通报如下。")
    paragraph(document, "{{ grading_rule }}{{ promoted }}")
    paragraph(document, "{%p for g in groups %}", PLAIN)
    paragraph(document, "{{ g.heading }}", "Heading 1")
    paragraph(document, "{{ g.summary }}", keep_next=True)
    paragraph(document, "表{{ loop.index }}  {{ g.label }}考评结果", CAPTION)
    table(document, [Col(11, "center"), Col(39), Col(17, "right"), Col(17, "right"), Col(17, "right"),
                     Col(14, "right"), Col(14, "right"), Col(12, "right"), Col(15, "center")],
          [["排名", "单位", "{{ headers[0] }}", "{{ headers[1] }}", "{{ headers[2] }}", "{{ bonus_label }}",
            "{{ deduction_label }}", "总分", "等级"]],
          ["{%tr for r in g.rows %}",
           ["{{ r.rank }}", "{{ r.name }}", "{{ r.c1 }}", "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.bonus }}",
            "{{ r.deduction }}", "{{ r.total }}", "{{ r.grade }}"],
           "{%tr endfor %}"])
    paragraph(document, "")
    paragraph(document, "{%p endfor %}", PLAIN)
    paragraph(document, "{%p if hot_words %}", PLAIN)
    paragraph(document, "{{ hot_heading }}", "Heading 1")
    paragraph(document, "社会评价意见的十大热词为：{{ hot_words }}。请各相关单位认真研究社会评价意见，"
                        "于{{ response_deadline }}前提出回应和整改措施。")
    paragraph(document, "{%p endif %}", PLAIN)
    paragraph(document, "{%p if appeal_deadline %}", PLAIN)
    # the last paragraph goes with the 落款, so that the signature never stands alone on a page
    paragraph(document, "对考评结果有异议的单位，可于{{ appeal_deadline }}前向{{ office }}提出申诉。", keep_next=True)
    paragraph(document, "{%p endif %}", PLAIN)
    for _ in range(3):  # room for the seal (印章) above the date
        paragraph(document, "", keep_next=True)
    office = paragraph(document, "{{ office }}", PLAIN, align="right", keep_next=True)
    office._p.get_or_add_pPr().append(parse_xml(  # centred over the date
        f'<w:ind {nsdecls("w")} w:rightChars="{{{{ office_indent * 100 }}}}" w:right="{{{{ office_indent * 320 }}}}"/>'))
    office.runs[0].text = "{{ issuer }}"
    date = paragraph(document, "{{ date }}", PLAIN, align="right")
    date.paragraph_format.right_indent = Pt(64)  # 成文日期右空四字
    paragraph(document, "{%p for _ in range(imprint_breaks) %}", PLAIN)
    page_break(document)
    paragraph(document, "{%p endfor %}", PLAIN)
    paragraph(document, "{%p for _ in range(imprint_gap) %}", PLAIN)
    paragraph(document, "", PLAIN)
    paragraph(document, "{%p endfor %}", PLAIN)
    imprint(document)
    # the paragraph Word needs after a table: 1 pt high, so that a 版记 on the last line never pushes it over
    end = paragraph(document, "", PLAIN)
    end.paragraph_format.line_spacing = Pt(1)
    ppr = end._p.get_or_add_pPr()
    ppr.find(qn("w:spacing")).addprevious(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))  # off the grid
    end._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'))


def imprint(document) -> None:
    """版记: 抄送 and 印发机关 with the date, between rules, on the last lines of the last page (GB/T 9704 7.4.1):
    blank lines before it (imprint_gap) and page breaks when needed (imprint_breaks), found by
    documents.render_with_imprint from a first layout."""
    table(document, [Col(84), Col(72)], None, [
        [Cell("{% if cc %}抄送：{{ cc }}{% endif %}", span=2, style=IMPRINT)],
        [Cell("{{ office }}", style=IMPRINT), Cell("{{ printed }}印发", style=IMPRINT, align="right")],
    ], borders="imprint")
