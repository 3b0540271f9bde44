"""The yearly 社会评价意见报告 (feedback_report.docx) as a Word template, on the shared GB/T 9704 layout of
platform.layout (page, styles, grid, fonts, "— n —" page numbers at the outer edge) like every other document.

Each section appears only when it has content, and its heading (一、二、…) is numbered by the context builder
(evaluation/feedback_report.py), so a missing section never leaves a gap in the numbering.
"""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from budget_eval.platform.doc_tables import Col, table
from budget_eval.platform.layout import CAPTION, paragraph, PLAIN


def _ctl(document, tag: str) -> None:
    paragraph(document, "{%p " + tag + " %}", PLAIN)


def _keep_with_table(para) -> None:
    para.paragraph_format.keep_with_next = True


def feedback_report(document) -> None:
    paragraph(document, "{{ year }}年度综合考评社会评价意见报告", "Title")
    paragraph(document, "")
    paragraph(document, "{{ h.overview }}", "Heading 1")
    paragraph(document, "{{ overview }}")
    _ctl(document, "if groups")
    _keep_with_table(paragraph(document, "表{{ t.groups }}  各评价层面意见条数", CAPTION))
    table(document, [Col(100), Col(40, "right")], [["评价层面", "意见条数（条）"]],
          ["{%tr for r in groups %}", ["{{ r.group }}", "{{ r.count }}"], "{%tr endfor %}"])
    _ctl(document, "endif")
    _ctl(document, "if units")
    _keep_with_table(paragraph(document, "表{{ t.units }}  各被评单位意见条数", CAPTION))
    table(document, [Col(90), Col(30, "right"), Col(30, "right")], [["被评单位", "意见条数（条）", "已反馈确认（条）"]],
          ["{%tr for r in units %}", ["{{ r.unit }}", "{{ r.count }}", "{{ r.confirmed }}"], "{%tr endfor %}"])
    _ctl(document, "endif")
    _ctl(document, "if words")
    paragraph(document, "{{ h.words }}", "Heading 1")
    paragraph(document, "{{ hot_words_line }}")
    _ctl(document, "for w in words")
    paragraph(document, "（{{ w.cn }}）{{ w.word }}", "Heading 2")
    paragraph(document, "意见{{ w.count }}条，{{ w.raters }}人提出，占评价人数的{{ w.share }}{{ w.tie }}。"
                        "涉及单位：{{ w.units }}。")
    _ctl(document, "if w.issues")
    paragraph(document, "主要问题：{{ w.issues }}")
    _ctl(document, "endif")
    _ctl(document, "if w.examples")
    paragraph(document, "代表性意见：{{ w.examples }}")
    _ctl(document, "endif")
    _ctl(document, "endfor")
    _ctl(document, "endif")
    _ctl(document, "if praise_line")
    paragraph(document, "{{ h.praise }}", "Heading 1")
    paragraph(document, "{{ praise_line }}")
    _ctl(document, "endif")
    _ctl(document, "if answers")
    paragraph(document, "{{ h.answers }}", "Heading 1")
    _keep_with_table(paragraph(document, "表{{ t.answers }}  各单位回应和整改承诺", CAPTION))
    table(document, [Col(26), Col(22), Col(34), Col(38), Col(10, "center"), Col(14, "center"), Col(12, "center")],
          [["单位", "问题（热词）", "回应", "整改目标和措施", "公开", "完成期限", "状态"]],
          ["{%tr for r in answers %}",
           ["{{ r.unit }}", "{{ r.topic }}", "{{ r.response }}", "{{ r.measures }}", "{{ r.public }}",
            "{{ r.deadline }}", "{{ r.status }}"], "{%tr endfor %}"])
    _ctl(document, "endif")
    _ctl(document, "if items")
    paragraph(document, "{{ h.supervision }}", "Heading 1")
    _keep_with_table(paragraph(document, "表{{ t.supervision }}  跟踪督办事项", CAPTION))
    table(document, [Col(46), Col(28), Col(34), Col(22, "center"), Col(26)],
          [["督办事项", "牵头单位", "配合单位", "检查日期", "状态和结果"]],
          ["{%tr for r in items %}",
           ["{{ r.title }}", "{{ r.lead }}", "{{ r.supporting }}", "{{ r.check_date }}", "{{ r.status }}"],
           "{%tr endfor %}"])
    _ctl(document, "endif")
    for _ in range(2):
        paragraph(document, "", keep_next=True)
    office = paragraph(document, "{{ office }}", PLAIN, align="right", keep_next=True)
    office._p.get_or_add_pPr().append(parse_xml(
        f'<w:ind {nsdecls("w")} w:rightChars="{{{{ office_indent * 100 }}}}" w:right="{{{{ office_indent * 320 }}}}"/>'))
    date = paragraph(document, "{{ date }}", PLAIN, align="right")
    date._p.get_or_add_pPr().append(parse_xml(f'<w:ind {nsdecls("w")} w:rightChars="400" w:right="1280"/>'))
