"""The yearly 社会评价意见报告 (feedback_report.docx) as a Word template, in the GB/T 9704 page layout.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号; body 仿宋_GB2312 三号
with 28-point line spacing; headings 黑体 三号; page numbers "— n —" in 宋体 四号 at the foot. Unlike the other
templates it is laid out on python-docx's default document with fonts set run by run, not with the styles of
platform.layout; budget_eval/report_templates.py builds it so, unchanged.
"""
from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY, HEAD, TITLE = "仿宋_GB2312", "黑体", "方正小标宋简体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc, text: str, name: str = BODY, size: float = 16, align=None, indent: bool = True):
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    p.paragraph_format.space_after = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), name, size)
    return p


def _table(doc, headers: list[str], cells: list[str], loop: str) -> None:
    t = doc.add_table(rows=3, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        _font(t.rows[0].cells[i].paragraphs[0].add_run(h), HEAD, 12)
    _font(t.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for r in {loop} %}}"), BODY, 12)
    for i, c in enumerate(cells):
        _font(t.rows[2].cells[i].paragraphs[0].add_run(c), BODY, 12)
    row = t.add_row()
    _font(row.cells[0].paragraphs[0].add_run("{%tr endfor %}"), BODY, 12)


def _page_number(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    _font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(p.add_run(" —"), "宋体", 14)


def feedback_report(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number(section)
    _para(doc, "{{ year }}年度综合考评社会评价意见报告", TITLE, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    _para(doc, "一、总体情况", HEAD)
    _para(doc, "{{ year }}年度社会评价共有{{ raters }}人参加评价，提出意见建议{{ comments }}条，合并相同意见后{{ merged }}条，"
              "其中表扬{{ praise_count }}条。各评价层面和各被评单位的意见条数如下。")
    _table(doc, ["评价层面", "意见条数"], ["{{ r.group }}", "{{ r.count }}"], "groups")
    _para(doc, "", indent=False)
    _table(doc, ["被评单位", "意见条数", "已反馈确认"], ["{{ r.unit }}", "{{ r.count }}", "{{ r.confirmed }}"], "units")
    _para(doc, "二、十大热词及反映的主要问题", HEAD)
    _para(doc, "{{ hot_words_line }}")
    _para(doc, "{%p for w in words %}", indent=False)
    _para(doc, "（{{ w.n }}）{{ w.word }}：意见{{ w.count }}条，{{ w.raters }}人提出，占评价人数的{{ w.share }}{{ w.tie }}。"
              "涉及单位：{{ w.units }}。")
    _para(doc, "主要问题：{{ w.issues }}")
    _para(doc, "代表性意见：{{ w.examples }}")
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "三、表扬情况", HEAD)
    _para(doc, "{{ praise_line }}")
    _para(doc, "四、各单位回应和整改承诺", HEAD)
    _table(doc, ["单位", "问题（热词）", "回应", "整改目标和措施", "公开", "完成期限", "状态"],
          ["{{ r.unit }}", "{{ r.topic }}", "{{ r.response }}", "{{ r.measures }}", "{{ r.public }}", "{{ r.deadline }}",
           "{{ r.status }}"], "answers")
    _para(doc, "五、跟踪督办事项", HEAD)
    _table(doc, ["督办事项", "牵头单位", "配合单位", "检查日期", "状态和结果"],
          ["{{ r.title }}", "{{ r.lead }}", "{{ r.supporting }}", "{{ r.check_date }}", "{{ r.status }}"], "items")
    _para(doc, "", indent=False)
    _para(doc, "{{ office }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
