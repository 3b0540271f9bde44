"""Build report_templates/feedback_report.docx (社会评价意见报告) in the GB/T 9704 layout.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号; body 仿宋_GB2312 三号
with 28-point line spacing; headings 黑体 三号; page numbers "— n —" in 宋体 四号 at the foot. Edit the result in
Word freely afterwards; this script only makes the first version. Usage: python scripts/make_feedback_report_template.py
"""
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "report_templates" / "feedback_report.docx"
BODY, HEAD, TITLE = "仿宋_GB2312", "黑体", "方正小标宋简体"


def font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def para(doc, text: str, name: str = BODY, size: float = 16, align=None, indent: bool = True):
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    p.paragraph_format.space_after = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    font(p.add_run(text), name, size)
    return p


def table(doc, headers: list[str], cells: list[str], loop: str) -> None:
    t = doc.add_table(rows=3, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        font(t.rows[0].cells[i].paragraphs[0].add_run(h), HEAD, 12)
    font(t.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for r in {loop} %}}"), BODY, 12)
    for i, c in enumerate(cells):
        font(t.rows[2].cells[i].paragraphs[0].add_run(c), BODY, 12)
    row = t.add_row()
    font(row.cells[0].paragraphs[0].add_run("{%tr endfor %}"), BODY, 12)


def page_number(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    font(p.add_run(" —"), "宋体", 14)


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    page_number(section)
    para(doc, "{{ year }}年度综合考评社会评价意见报告", TITLE, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    para(doc, "", indent=False)
    para(doc, "一、总体情况", HEAD)
    para(doc, "{{ year }}年度社会评价共有{{ raters }}人参加评价，提出意见建议{{ comments }}条，合并相同意见后{{ merged }}条，"
              "其中表扬{{ praise_count }}条。各评价层面和各被评单位的意见条数如下。")
    table(doc, ["评价层面", "意见条数"], ["{{ r.group }}", "{{ r.count }}"], "groups")
    para(doc, "", indent=False)
    table(doc, ["被评单位", "意见条数", "已反馈确认"], ["{{ r.unit }}", "{{ r.count }}", "{{ r.confirmed }}"], "units")
    para(doc, "二、十大热词及反映的主要问题", HEAD)
    para(doc, "{{ hot_words_line }}")
    para(doc, "{%p for w in words %}", indent=False)
    para(doc, "（{{ w.n }}）{{ w.word }}：意见{{ w.count }}条，{{ w.raters }}人提出，占评价人数的{{ w.share }}{{ w.tie }}。"
              "涉及单位：{{ w.units }}。")
    para(doc, "主要问题：{{ w.issues }}")
    para(doc, "代表性意见：{{ w.examples }}")
    para(doc, "{%p endfor %}", indent=False)
    para(doc, "三、表扬情况", HEAD)
    para(doc, "{{ praise_line }}")
    para(doc, "四、各单位回应和整改承诺", HEAD)
    table(doc, ["单位", "问题（热词）", "回应", "整改目标和措施", "公开", "完成期限", "状态"],
          ["{{ r.unit }}", "{{ r.topic }}", "{{ r.response }}", "{{ r.measures }}", "{{ r.public }}", "{{ r.deadline }}",
           "{{ r.status }}"], "answers")
    para(doc, "五、跟踪督办事项", HEAD)
    table(doc, ["督办事项", "牵头单位", "配合单位", "检查日期", "状态和结果"],
          ["{{ r.title }}", "{{ r.lead }}", "{{ r.supporting }}", "{{ r.check_date }}", "{{ r.status }}"], "items")
    para(doc, "", indent=False)
    para(doc, "{{ office }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    doc.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
