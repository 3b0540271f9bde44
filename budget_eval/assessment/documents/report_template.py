"""The assessment report's body (事前绩效评估报告) as a Word template, written once and used twice: alone (prefix "") and
for each project of the meeting pack (prefix "r.", inside {%p for r in reports %}; see meetings.pack_template).
"""
from __future__ import annotations

from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt

from budget_eval.platform.doc_fields import bookmark
from budget_eval.platform.layout import CAPTION, page_break, paragraph, PLAIN
from budget_eval.platform.doc_tables import Cell, Col, table


class Writer:
    """Shorthand for paragraphs whose template tags carry a prefix."""

    def __init__(self, document, prefix: str = "", marks: bool = False):
        self.doc, self.p = document, prefix
        self.marks = marks  # bookmark the headings for the 目录 (the standalone report only)
        self.marks_used: list[str] = []

    def v(self, name: str) -> str:
        return "{{ " + self.p + name + " }}"

    def n(self, name: str) -> str:  # a variable name inside a tag
        return self.p + name

    def para(self, text: str = "", style: str | None = None, **kw):
        return paragraph(self.doc, text, style=style, **kw)

    def ctl(self, tag: str):
        """A control paragraph ({%p … %}); docxtpl removes it."""
        return paragraph(self.doc, "{%p " + tag + " %}", style=PLAIN)

    def lines(self, listname: str, item_style: str | None = None) -> None:
        """One paragraph per item of a list of strings (keeps the first-line indent of each paragraph)."""
        self.ctl(f"for t in {self.n(listname)}")
        self.para("{{ t }}", item_style)
        self.ctl("endfor")

    def h1(self, text, mark: str | None = None):
        para = self.para(text, "Heading 1")
        if mark and self.marks:
            bookmark(para, mark, str(8000 + len(self.marks_used)))
            self.marks_used.append(mark)
        return para

    def attachment_head(self, text: str, mark: str):
        para = self.para(text, PLAIN, font="hei")
        if self.marks:
            bookmark(para, mark, str(8000 + len(self.marks_used)))
            self.marks_used.append(mark)
        return para

    def h2(self, text): return self.para(text, "Heading 2")
    def h3(self, text): return self.para(text, "Heading 3")


def front(w: Writer, title_xml_hook=None) -> None:
    title = w.para(w.v("project.name"), "Title")
    if title_xml_hook:
        title_xml_hook(title)
    w.para("事前绩效评估报告", "Title")
    w.para(w.v("report_number"), "Subtitle")
    w.para("")
    w.para(f"根据《杭州市预算事前绩效评估管理办法》，{w.v('assessing_unit')}对{w.v('project.department')}申报的"
           f"“{w.v('project.name')}”开展了事前绩效评估。现将评估情况报告如下。")


def section_one(w: Writer) -> None:
    w.h1("一、评估对象基本情况", "bg1")
    w.h2("（一）项目背景")
    w.lines("project.basis_paras")
    w.h2("（二）主要内容")
    w.para(f"该项目由{w.v('project.department')}申报，项目类别为{w.v('project.category')}，属{w.v('project.new_label')}"
           f"项目，实施期为{w.v('project.period')}。")
    w.ctl(f"if {w.n('project.emergency')}")
    w.para(f"申报单位将该项目列为应急、抢险、救灾急需项目，理由为：{w.v('project.emergency_reason')}")
    w.ctl("endif")
    w.lines("project.plan_paras")
    w.h2("（三）绩效目标")
    w.para(f"该项目申报绩效指标{w.v('project.targets|length')}项，详见附件1。主要指标如下：")
    w.ctl(f"for t in {w.n('project.targets')}")
    w.para("{{ loop.index }}. {{ t.level1 }}—{{ t.level2 }}：{{ t.name }}，指标值{{ t.value }}"
           "{% if t.unit and t.unit != '—' %}（{{ t.unit }}）{% endif %}。")
    w.ctl("endfor")
    w.h2("（四）资金构成")
    w.para(f"项目资金总额{w.v('project.funds_total')}，其中申请财政资金{w.v('project.total')}。"
           f"按资金来源分：{w.v('project.sources_text')}。")
    w.para(f"按年度分：{w.v('project.years_text')}。预算测算依据如下：")
    w.lines("project.budget_paras")


def section_two(w: Writer) -> None:
    w.h1("二、评估工作开展情况", "bg2")
    w.h2("（一）评估依据")
    w.ctl(f"for t in {w.n('basis_documents')}")
    w.para("{{ loop.index }}. {{ t }}")
    w.ctl("endfor")
    w.h2("（二）评估方法")
    w.para(f"评估采用《{w.v('template_name')}》，满分{w.v('full_marks')}分，{w.v('panel_summary')}{w.v('scoring_way')}")
    w.ctl(f"if {w.n('method_lines')}")
    w.para("评估中运用了以下方法（按评估机构的记录）：", keep_next=True)
    w.lines("method_lines")
    w.ctl("endif")
    w.h2("（三）评估程序")
    w.ctl(f"if {w.n('recorded_steps')}")
    w.para("评估机构记录的评估步骤如下：", keep_next=True)
    w.lines("recorded_steps")
    w.ctl("endif")
    w.para("根据系统记录，该项目的办理流程如下：")
    w.lines("procedure")


def section_three(w: Writer, caption_numbers: tuple[str, str] = ("表1", "图1")) -> None:
    w.h1("三、评估内容与分析", "bg3")
    w.para(f"评估组对照指标体系逐项评分，各维度得分情况见{caption_numbers[0]}和{caption_numbers[1]}。")
    w.para(f"{caption_numbers[0]}  各维度得分情况", CAPTION)
    table(w.doc, [Col(46), Col(22, "right"), Col(26, "right"), Col(26, "right"), Col(20, "center")],
          [["评估维度", "分值", "评估得分", "得分率", "等级"]],
          [f"{{%tr for d in {w.n('dimensions')} %}}",
           ["{{ d.label }}", "{{ d.points }}", "{{ d.score }}", "{{ d.rate }}", "{{ d.grade }}"],
           "{%tr endfor %}",
           [Cell("合计", bold=True), w.v("full_marks"), Cell(w.v("total"), bold=True), w.v("total_rate"),
            w.v("grade")]])
    image = w.para(w.v("radar"), PLAIN, align="center", keep_next=True)
    image.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact pitch would clip the picture
    w.para(f"{caption_numbers[1]}  各维度得分率（%）", CAPTION)
    w.ctl(f"for d in {w.n('dimensions')}")
    w.para("{{ d.heading }}", "Heading 2")
    w.para("该维度满分{{ d.points }}分，评估得分{{ d.score }}分，得分率{{ d.rate }}，等级为“{{ d.grade }}”。"
           "{% if d.weak %}得分较低的指标：{{ d.weak }}。{% endif %}")
    w.ctl("for part in d.parts")
    w.para("{{ part.heading }}", "Heading 3")
    w.ctl("for t in part.lines")
    w.para("{{ t }}")
    w.ctl("endfor")
    w.ctl("endfor")
    w.ctl("endfor")


def sections_four_to_seven(w: Writer) -> None:
    w.h1("四、评估结论", "bg4")
    w.para(f"经综合评估，该项目总分{w.v('total')}分，等级为“{w.v('grade')}”，评估结论为：{w.v('conclusion')}。")
    w.ctl(f"if {w.n('gate_failures')}")
    w.para(f"其中{w.v('gate_failures')}得分低于否决性门槛。")
    w.ctl("endif")
    w.ctl(f"if {w.n('conclusion_basis')}")
    w.para(w.v("conclusion_basis"))
    w.ctl("endif")
    w.para(f"评估意见：{w.v('opinion')}")
    w.para(w.v("funding_text"))
    w.h1("五、存在的主要问题", "bg5")
    w.lines("problems")
    w.h1("六、意见建议", "bg6")
    w.lines("suggestions")
    w.h1("七、其他需要说明的事项", "bg7")
    w.ctl(f"for t in {w.n('other_notes')}")
    w.para("{{ loop.index }}. {{ t }}")
    w.ctl("endfor")
    w.para("")
    w.para("附件：1. 绩效目标申报表", keep_next=True)
    _attachment_line(w, "2. 评分汇总表")
    w.ctl(f"if {w.n('evidence')}")
    _attachment_line(w, f"{w.v('annex.evidence')}. 评估依据清单")
    w.ctl("endif")
    w.ctl(f"if {w.n('unit_costs')}")
    _attachment_line(w, f"{w.v('annex.unit_costs')}. 单位成本比较明细")
    w.ctl("endif")
    w.ctl(f"if {w.n('reviewers')}")
    _attachment_line(w, f"{w.v('annex.opinions')}. 专家评估意见")
    w.ctl(f"if {w.n('variant')} != 'panel'")
    _attachment_line(w, f"{w.v('annex.names')}. 专家组及工作组名单")
    w.ctl("endif")
    w.ctl("endif")
    signature(w)


def _attachment_line(w: Writer, text: str) -> None:
    w.para("　　　" + text, keep_next=True)  # aligned under "1." after "附件："


def signature(w: Writer) -> None:
    """The assessor's block: organisation with room for the seal, the panel head's signature, the date."""
    w.para("", keep_next=True)
    for text in (f"评估机构（盖章）：{w.v('assessing_unit')}", "评估组负责人（签字）：", f"报告日期：{w.v('date')}"):
        para = w.para(text, PLAIN, keep_next=True)
        para.paragraph_format.left_indent = Pt(16 * 8)  # a block from the ninth character on
        para.paragraph_format.space_before = Pt(14)
    w.para("")


def attachments(w: Writer) -> None:
    page_break(w.doc)
    w.attachment_head("附件1", "fj1")
    w.para("绩效目标申报表", "Title")
    table(w.doc, [Col(30), Col(48), Col(30), Col(48)], None, [
        [Cell("项目名称", style="表格标题行"), Cell(w.v("project.name"), span=3)],
        [Cell("主管部门", style="表格标题行"), w.v("project.department"), Cell("项目属性", style="表格标题行"),
         w.v("project.new_label")],
        [Cell("实施期", style="表格标题行"), w.v("project.period"), Cell("资金总额", style="表格标题行"),
         w.v("project.funds_total")],
        [Cell("资金来源", style="表格标题行"), Cell(w.v("project.sources_text"), span=3)],
        [Cell("申请财政资金", style="表格标题行"), Cell(w.v("project.total"), span=3)],
    ])
    w.para("")
    w.para("绩效指标", CAPTION)
    table(w.doc, [Col(24, "center"), Col(28, "center"), Col(56), Col(28, "right"), Col(20, "center")],
          [["一级指标", "二级指标", "三级指标", "指标值", "计量单位"]],
          [f"{{%tr for t in {w.n('project.targets')} %}}",
           [Cell("{{ t.level1 }}", vmerge_first="t.first1"), Cell("{{ t.level2 }}", vmerge_first="t.first2"),
            "{{ t.name }}", "{{ t.value }}", "{{ t.unit }}"],
           "{%tr endfor %}"])
    page_break(w.doc)
    w.attachment_head("附件2", "fj2")
    w.para("评分汇总表", "Title")
    table(w.doc, [Col(32, "center"), Col(32), Col(14, "right"), Col(20, "right"), Col(16, "right"),
                  Col(16, "right"), Col(16, "center")],
          [["评估维度", "指标", "分值", "评估得分", "最高分", "最低分", "等级"]],
          [f"{{%tr for i in {w.n('indicators')} %}}",
           [Cell("{{ i.dimension }}", vmerge_first="i.first"), "{{ i.label }}", "{{ i.points }}", "{{ i.score }}",
            "{{ i.high }}", "{{ i.low }}", "{{ i.grade }}"],
           "{%tr endfor %}",
           [Cell("合计", span=2, bold=True, align="center"), w.v("full_marks"), Cell(w.v("total"), bold=True), "",
            "", w.v("grade")]], keep_rows_with="not i.last")
    w.para(w.v("aggregation_note"), "表格文字")
    w.ctl(f"if {w.n('evidence')}")
    page_break(w.doc)
    w.attachment_head(f"附件{w.v('annex.evidence')}", "fj5")
    w.para("评估依据清单", "Title")
    table(w.doc, [Col(12, "center"), Col(40), Col(14, "center"), Col(40), Col(70)],
          [["序号", "材料", "页码", "引文", "引用的审核要点及评审人（评定档次）"]],
          [f"{{%tr for e in {w.n('evidence')} %}}",
           ["{{ e.no }}", "{{ e.material }}", "{{ e.page }}", "{{ e.quote }}", "{{ e.point }}"],
           "{%tr endfor %}"])
    w.ctl("endif")
    w.ctl(f"if {w.n('unit_costs')}")
    page_break(w.doc)
    w.attachment_head(f"附件{w.v('annex.unit_costs')}", "fj6")
    w.para("单位成本比较明细", "Title")
    table(w.doc, [Col(10, "center"), Col(24), Col(47), Col(13, "center"), Col(31, "right"), Col(31, "right")],
          [["序号", "本项目费用", "可比项目及来源", "年度", "单价（元）", "折算单价（元）"]],
          [f"{{%tr for c in {w.n('unit_costs')} %}}",
           ["{{ c.no }}", Cell("{{ c.item }}", vmerge_first="c.first"), "{{ c.comparable }}，{{ c.basis }}",
            "{{ c.year }}", "{{ c.price }}", "{{ c.adjusted }}"],
           "{%tr endfor %}"])
    w.para("折算单价为按价格指数折算到本项目申报年度的价格；比较结果见正文“投入经济性”的测算分析。", "表格文字")
    w.ctl("endif")
    w.ctl(f"if {w.n('reviewers')}")
    page_break(w.doc)
    w.attachment_head(f"附件{w.v('annex.opinions')}", "fj3")
    w.para("专家评估意见", "Title")
    w.ctl(f"for m in {w.n('reviewers')}")
    # a finance reviewer is named as one (财政评审人员), never as an expert
    w.para("{{ loop.index }}. {{ m.name }}{% set finance = m.role == '财政评审人员' %}"
           "{% if m.unit or finance %}（{% if finance %}财政评审人员{% if m.unit %}，{% endif %}{% endif %}"
           "{{ m.unit }}{% if m.unit and m.title %}，{{ m.title }}{% endif %}）{% endif %}", "Heading 3")
    w.ctl(f"if {w.n('variant')} != 'panel'")
    w.para("评分合计：{{ m.total }}分。")
    w.ctl("endif")
    w.ctl("for t in m.opinion_paras")
    w.para("{{ t }}")
    w.ctl("endfor")
    w.ctl("endfor")
    w.ctl(f"if {w.n('variant')} != 'panel'")
    page_break(w.doc)
    w.attachment_head(f"附件{w.v('annex.names')}", "fj4")
    w.para("专家组及工作组名单", "Title")
    table(w.doc, [Col(14, "center"), Col(24, "center"), Col(56), Col(30, "center"), Col(32, "center")],
          [["序号", "姓名", "工作单位", "职称", "评估组职责"]],
          [f"{{%tr for m in {w.n('reviewers')} %}}",
           ["{{ loop.index }}", "{{ m.name }}", "{{ m.unit }}", "{{ m.title }}", "{{ m.role }}"],
           "{%tr endfor %}"])
    w.ctl("endif")
    w.ctl("endif")


def report_body(document, prefix: str = "", title_xml_hook=None) -> None:
    w = Writer(document, prefix)
    front(w, title_xml_hook)
    section_one(w)
    section_two(w)
    section_three(w)
    sections_four_to_seven(w)
    attachments(w)

