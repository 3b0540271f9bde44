"""The expert opinion form (专家评审意见表) as a Word template, laid out with the shared GB/T 9704 helpers."""
from __future__ import annotations

from docx.shared import Pt

from budget_eval.platform.layout import paragraph, PLAIN, POINTS, TABLE_HEAD
from budget_eval.platform.doc_tables import Cell, Col, LEAD, table


def _head(text: str) -> Cell:
    return Cell(text, style=TABLE_HEAD)


def opinion_form(document) -> None:
    paragraph(document, "{{ form_title }}", "Title").paragraph_format.space_after = Pt(14)  # off the grid
    table(document, [Col(24), Col(54), Col(22), Col(56)], None, [
        [_head("项目名称"), "{{ project.name }}", _head("评估轮次"), "第{{ round }}轮"],
        [_head("申报单位"), "{{ project.department }}", _head("申请资金"), "{{ project.total }}"],
        [_head("{{ reviewer.noun }}姓名"), "{{ reviewer.name }}", _head("职称"), "{{ reviewer.title }}"],
        [_head("工作单位"), Cell("{{ reviewer.unit }}", span=3)],
        [_head("回避与保密承诺"), Cell(("{{ pledge }}",
                                    "{% if reviewer.pledged %}系统记录：本人于{{ reviewer.pledged }}（北京时间）在系统中签署上述承诺。"
                                    "{% elif reviewer.declared %}系统记录：本人于{{ reviewer.declared }}声明与该项目无利益冲突。"
                                    "{% endif %}",
                                    "承诺人（签字）：　　　　　　　　　　日期：　　年　　月　　日"), span=3, style=POINTS)],
    ])
    _spacer(document)
    table(document, [Col(22, "center"), Col(62), Col(10, "right"), Col(12, "right"), Col(50)],
          [["评估维度", "指标及评分要点", "分值", "得分", "评分理由"]],
          ["{%tr for i in indicators %}",
           [Cell("{{ i.dimension }}", vmerge_first="i.first"),
            Cell("{{ i.label }}：" + LEAD + "{{ i.criteria }}", style=POINTS), "{{ i.points }}", "{{ i.score }}",
            "{{ i.comment }}"],
           "{%tr endfor %}",
           [Cell("合计", span=2, align="center", bold=True), "{{ full_marks }}", Cell("{{ reviewer.total }}", bold=True),
            "{{ reviewer.grade }}"]], keep_rows_with="not i.last", font_style=POINTS)
    _spacer(document)
    table(document, [Col(30), Col(126)], [[Cell("{{ reviewer.noun }}评审意见", span=2)]], [
        [_head("建议结论与资金"), ("{{ reviewer.conclusion_choices }}", "建议安排资金：{{ reviewer.amount_text }}")],
        [_head("总体评审意见"), Cell(("{%p for t in reviewer.opinion_paras %}", "{{ t }}", "{%p endfor %}",
                                  "{{ reviewer.noun }}（签字）：　　　　　　　　　　日期：{{ reviewer.submitted_line }}"))],
    ])


def _spacer(document) -> None:
    """A 3 pt paragraph between two tables, which Word and LibreOffice would otherwise join into one."""
    para = paragraph(document, "", PLAIN)
    para.paragraph_format.line_spacing = Pt(3)
