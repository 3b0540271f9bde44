"""The standalone assessment report as a third-party firm issues it: 封面, 摘要 (the conclusion first) and 目录 without
page numbers, then the body of report_template (numbered from 1), with the assessing body's seal and signature
block and the 附件."""
from __future__ import annotations

from docx.shared import Pt

from budget_eval.assessment.documents.report_template import (
    attachments,
    front,
    section_one,
    section_three,
    section_two,
    sections_four_to_seven,
    Writer,
)
from budget_eval.platform.doc_fields import move_page_numbers, toc_line
from budget_eval.platform.layout import new_section, page_break, PLAIN, raw, SIZE


def cover(w: Writer) -> None:
    """封面: 报告编号 at the top right, the project and the report's name, who was assessed, by whom, when."""
    w.para(f"报告编号：{w.v('report_number')}", PLAIN, align="right")
    for _ in range(5):
        w.para("", PLAIN)
    w.para(w.v("project.name"), "Title")
    w.para("事前绩效评估报告", "Title", size=26)
    for _ in range(7):
        w.para("", PLAIN)
    for label, value in (("申报单位", "project.department"), ("评估机构", "assessing_unit"), ("报告日期", "date")):
        para = w.para(f"{label}：{w.v(value)}", PLAIN, size=SIZE["三号"])
        para.paragraph_format.left_indent = Pt(16 * 6)


def abstract(w: Writer) -> None:
    """摘要: the conclusion first, then the figures, the main problems and suggestions, on one page."""
    page_break(w.doc)
    w.para("摘　　要", "Title")
    w.para("")
    w.para(f"评估结论：{w.v('conclusion')}。项目总分{w.v('total')}分（满分{w.v('full_marks')}分），"
           f"等级为“{w.v('grade')}”。{w.v('funding_text')}")
    w.para(f"评估对象：{w.v('project.department')}申报的“{w.v('project.name')}”，{w.v('project.category')}，"
           f"{w.v('project.new_label')}项目，实施期{w.v('project.period')}，项目资金总额{w.v('project.funds_total')}，"
           f"其中申请财政资金{w.v('project.total')}。")
    w.para(f"评估情况：{w.v('panel_summary')}各维度得分见正文表1。")
    w.ctl("if abstract_problems")
    w.para("主要问题：", PLAIN, keep_next=True).paragraph_format.first_line_indent = Pt(32)
    w.lines("abstract_problems")
    w.ctl("endif")
    w.ctl("if abstract_suggestions")
    w.para("主要建议：", PLAIN, keep_next=True).paragraph_format.first_line_indent = Pt(32)
    w.lines("abstract_suggestions")
    w.ctl("endif")


def contents(w: Writer) -> None:
    page_break(w.doc)
    w.para("目　　录", "Title")
    w.para("")
    w.ctl("for e in toc")
    raw(w.doc, toc_line())
    w.ctl("endfor")


def report_document(document) -> None:
    """The standalone report as a third-party firm issues it: 封面, 摘要 and 目录 without page numbers, then the
    body (title, seven parts, the assessing body's seal and signature block, 附件) numbered from 1."""
    w = Writer(document, "", marks=True)
    cover(w)
    abstract(w)
    contents(w)
    body = new_section(document, restart_numbering=True)
    move_page_numbers(document, body)
    front(w)
    section_one(w)
    section_two(w)
    section_three(w)
    sections_four_to_seven(w)
    attachments(w)
