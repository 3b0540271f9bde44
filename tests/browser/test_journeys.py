"""Each role's main journey in a real browser, in order, on one demo instance."""
import io

import pandas as pd
import pytest

from tests.browser.axe import violations
from tests.tools import tool_available

pytestmark = pytest.mark.browser


def test_department_submits_and_later_revises(person):
    staff = person("jiaotong")
    page = staff.page
    staff.go("/proposals/new")
    page.fill("#name", "钱江新城地下通道工程")
    page.check("input[name=category][value=infra]")
    page.check("input[name=is_new][value=new]")
    page.fill("#start_year", "2027")
    page.fill("#end_year", "2028")
    page.fill("[name='fund_years-0-year']", "2027")
    page.fill("[name='fund_years-0-amount']", "12,000")
    page.click("table[data-repeat=fund_years] .add-row")  # the browser adds a row
    page.fill("[name='fund_years-1-year']", "2028")
    page.fill("[name='fund_years-1-amount']", "13000")
    page.fill("[name='sources-general']", "25000")
    page.select_option("[name='targets-0-level1']", "产出指标")
    page.select_option("[name='targets-0-level2']", "数量指标")
    page.fill("[name='targets-0-name']", "新建通道长度")
    page.fill("[name='targets-0-value']", "2.4")
    page.select_option("[name='targets-0-comparator']", "≥")
    page.fill("[name='targets-0-unit']", "公里")
    page.fill("[name='targets-0-basis']", "可研批复")
    assert page.inner_text("[data-sum='fund_years']") == "25,000.00"
    page.click("button[value=submit]")
    assert "请填写立项依据及必要性" in staff.text()  # refused, and what was typed is still there
    assert page.input_value("[name='fund_years-1-amount']") == "13000"
    staff.shot("form-errors")
    page.fill("#basis_text", "依据《杭州市综合交通规划》")
    page.fill("#plan_text", "分两期建设")
    page.fill("#budget_text", "按概算测算")
    page.click("button[value=submit]")
    assert "事前绩效评估范围判定：需要" in staff.text() and "达到基建投资项目2亿元的评估门槛" in staff.text()
    staff.shot("submitted")

    # later: the demo project concluded 调整完善后予以支持 is revised and resubmitted
    staff.go("/proposals/")
    page.click("text=城西综合交通枢纽配套道路工程")
    page.click("button:has-text('开始调整完善')")
    page.click("text=修改 / 重新提交")
    page.fill("[name='fund_years-0-amount']", "7500")
    page.fill("[name='sources-general']", "14500")
    page.click("button[value=submit]")
    assert "已重新提交" in staff.text() and "财政评估" in staff.text()
    staff.shot("resubmitted")


@pytest.mark.parametrize("username", ["expert1", "expert2", "reviewer2"])
def test_reviewer_declares_and_scores(person, username):
    reviewer = person(username)
    page = reviewer.page
    reviewer.go("/reviews/")
    row = page.locator("tr", has_text="学前教育普惠性民办园补助政策")
    row.get_by_text("开始").click()
    assert "利益冲突声明" in reviewer.text()
    reviewer.shot("declare")
    page.click("button[value=declare]")
    for field in page.locator("input.score").all():
        field.fill("9.2")
    page.fill("textarea[name=opinion]", "政策必要，测算基本合理。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[value=submit]")
    assert "评分已提交" in reviewer.text()
    reviewer.shot("submitted")


def test_admin_checks_materials_concludes_and_downloads(person, tmp_path):
    admin = person("admin")
    page = admin.page
    admin.go("/proposals/?status=materials")
    page.click("text=天子岭生活垃圾分类处置中心扩建工程")
    page.click("text=材料审查清单")
    for select in page.locator("select[name^=status-]").all():
        select.select_option("received")
    page.click("button:has-text('保存审查情况')")
    assert "材料审查情况已保存" in admin.text()
    admin.shot("materials")
    page.click("text=返回项目")
    page.click("button:has-text('材料齐全，转部门自评')")
    assert "部门自评" in admin.text()

    admin.go("/proposals/?status=finance_review")
    page.click("text=学前教育普惠性民办园补助政策")
    page.click("text=评审组与评估结论")
    page.fill("textarea[name=opinion]", "政策设立必要，资金测算依据充分，建议予以支持。")
    page.click("button:has-text('按评审组评分出具结论')")
    assert "已出具评估结论：予以支持" in admin.text()
    admin.shot("concluded")
    with page.expect_download() as report:
        page.click("text=下载评估报告（Word）")
    path = tmp_path / "report.docx"
    report.value.save_as(path)
    from docx import Document

    assert "四、评估结论" in "\n".join(p.text for p in Document(path).paragraphs)

    admin.go("/meetings/")
    page.click("text=2027年第1次市政府常务会议")
    with page.expect_download() as pack:
        page.click("text=下载会议材料")
    assert pack.value.suggested_filename.endswith(".zip")
    admin.shot("meeting")


def test_evaluation_office_imports_and_publishes(person, tmp_path):
    office = person("kpb")
    page = office.page
    rows = [(f"B{i:03d}", "市民代表", "杭州市交通运输局", "满意" if i % 3 else "比较满意", "地铁换乘方便") for i in range(30)]
    sheet = tmp_path / "问卷.xlsx"
    pd.DataFrame(rows, columns=["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"]).to_excel(sheet, index=False)
    office.go("/evaluation/2026/")
    page.set_input_files("input[name=file]", str(sheet))
    page.click("button:has-text('导入')")
    assert "/jobs/" in page.url  # the import is a job: its page refreshes itself until the worker is done
    page.wait_for_selector("text=导入问卷 30 行，拒收 0 行", timeout=60_000)  # the page follows the job in place
    assert "已完成" in office.text()
    if tool_available("axe-core"):  # the job's page is reached only by starting one
        assert violations(page) == []
    office.shot("imported")
    office.go("/evaluation/2026/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('公布考评结果')")
    assert "考评结果已公布" in office.text()
    office.shot("published")
    office.go("/evaluation/2026/hotwords")
    assert "地铁" in office.text()
    office.shot("hotwords")


def test_department_files_an_appeal(person):
    staff = person("jiaotong")
    page = staff.page
    staff.go("/evaluation/mine")
    page.click("text=2026年度")
    assert "考评结果" in staff.text() and "组内第" in staff.text()
    page.fill("input[name=reason]", "目标考核第二项已完成，佐证材料见附件。")
    page.click("button:has-text('提出申诉')")
    assert "申诉已提交" in staff.text() and "待处理" in staff.text()
    staff.shot("appeal")
