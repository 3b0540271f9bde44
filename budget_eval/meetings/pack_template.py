"""The meeting pack (会议材料) as one printable Word template: cover, 目录, 汇报说明, the summary table on landscape
pages, then every project's assessment report; page numbers from the 目录 on.
"""
from __future__ import annotations

from budget_eval.assessment.documents.report_template import report_body
from budget_eval.platform.doc_fields import bookmark, toc_line
from budget_eval.platform.layout import new_section, paragraph, PLAIN, raw, SIZE
from budget_eval.platform.doc_tables import Cell, Col, table

TEXT_WIDTH_TWIPS = 8845  # 156 mm


def _bookmark(para, name_expr: str, id_expr: str) -> None:
    bookmark(para, name_expr, id_expr)


def _toc_line() -> str:
    return toc_line(TEXT_WIDTH_TWIPS)


def cover(document) -> None:
    paragraph(document, "{{ marking }}", PLAIN, font="hei")
    for _ in range(5):
        paragraph(document, "")
    paragraph(document, "{{ meeting_title }}", "Title")
    paragraph(document, "")
    paragraph(document, "事前绩效评估项目汇报材料", "Title", size=26)
    for _ in range(9):
        paragraph(document, "")
    paragraph(document, "{{ assessing_unit }}", PLAIN, align="center", size=SIZE["三号"])
    paragraph(document, "{{ date }}", PLAIN, align="center")
    document.sections[0].different_first_page_header_footer = True


def contents(document) -> None:
    paragraph(document, "目　　录", "Title")
    paragraph(document, "")
    paragraph(document, "{%p for e in toc %}", PLAIN)
    raw(document, _toc_line())
    paragraph(document, "{%p endfor %}", PLAIN)


def _section(document, title: str, bookmark: str, bookmark_id: str, paragraphs: str) -> None:
    """A section on a new page: its title (bookmarked for the 目录) and one paragraph per item of `paragraphs`."""
    heading = paragraph(document, title, "Title")
    heading.paragraph_format.page_break_before = True
    _bookmark(heading, bookmark, bookmark_id)
    paragraph(document, "")
    paragraph(document, f"{{%p for t in {paragraphs} %}}", PLAIN)
    paragraph(document, "{{ t }}")
    paragraph(document, "{%p endfor %}", PLAIN)


def briefing(document) -> None:
    _section(document, "汇报说明", "hbsm", "9001", "briefing")
    paragraph(document, "")
    table(document, [Col(56), Col(24, "right"), Col(36, "right"), Col(40, "right")],
          [["评估结论", "项目数（个）", "申请资金（万元）", "建议安排资金（万元）"]],
          ["{%tr for c in by_conclusion %}",
           ["{{ c.label }}", "{{ c.count }}", "{{ c.requested }}", "{{ c.recommended }}"],
           "{%tr endfor %}",
           [Cell("合计", bold=True), "{{ rows|length }}", "{{ totals.requested }}", "{{ totals.recommended }}"]])


def motions(document) -> None:
    """提请审议事项: what the meeting is asked to decide, on its own page after the 汇报说明."""
    _section(document, "提请审议事项", "tqsy", "9003", "motions")


def summary(document) -> None:
    new_section(document, landscape=True)
    heading = paragraph(document, "事前绩效评估项目汇总表", "Title")
    _bookmark(heading, "hzb", "9002")
    paragraph(document, "制表单位：{{ assessing_unit }}　　　　制表日期：{{ date }}　　　　金额单位：万元", PLAIN,
              align="center", size=SIZE["小四"])
    table(document, [Col(10, "center"), Col(40), Col(34), Col(16, "center"), Col(22, "right"), Col(13, "right"),
                     Col(22, "center"), Col(22, "right"), Col(46)],
          [["序号", "项目名称", "申报单位", "类别", "申请资金（万元）", "评估得分", "评估结论", "建议安排资金（万元）",
            "主要意见"]],
          ["{%tr for r in rows %}",
           ["{{ r.seq }}", "{{ r.name }}", "{{ r.department }}", "{{ r.category }}", "{{ r.requested }}",
            "{{ r.score }}", "{{ r.conclusion }}", "{{ r.recommended }}", "{{ r.opinion }}"],
           "{%tr endfor %}",
           [Cell("合计（{{ rows|length }}个项目）", span=4, bold=True, align="center"), "{{ totals.requested }}",
            "", "", "{{ totals.recommended }}", ""]])


def reports(document) -> None:
    new_section(document, landscape=False)
    paragraph(document, "{%p for r in reports %}", PLAIN)

    def hook(title):
        title.paragraph_format.page_break_before = True
        _bookmark(title, "{{ r.bookmark }}", "{{ 100 + loop.index }}")

    report_body(document, "r.", hook)
    paragraph(document, "{%p endfor %}", PLAIN)


def meeting_pack(document) -> None:
    cover(document)
    new_section(document, restart_numbering=True)
    contents(document)
    briefing(document)
    motions(document)
    summary(document)
    reports(document)
