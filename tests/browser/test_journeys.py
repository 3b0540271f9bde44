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

    # later: the demo project concluded 调整完善后予以支持 is revised, and each opinion answered
    staff.go("/proposals/")
    page.click("text=城西综合交通枢纽配套道路工程")
    page.click("button:has-text('开始调整完善')")
    page.click("a:has-text('调整完善说明')")
    page.wait_for_url("**/adjustment")
    assert "尚未修改申报内容" in staff.text()  # nothing changed yet: nothing to submit
    page.click("text=返回项目")
    page.click("a:has-text('修改申报内容')")
    page.fill("[name='fund_years-0-amount']", "7500")
    page.fill("[name='sources-general']", "14500")
    page.click("button[value=submit]")
    assert "修改已保存" in staff.text()
    page.click("a:has-text('调整完善说明')")
    assert "逐条回应评估意见" in staff.text() and "分年度申请本级财政资金" in staff.text()
    page.click("button:has-text('提交调整完善情况')")
    assert "请填写修改说明" in staff.text()  # every answer and the 修改说明 are required
    for field in page.locator("textarea[name^=change-]").all():
        field.fill("压减2027年安排500万元，并补充分项测算")
    for field in page.locator("input[name^=where-]").all():
        field.fill("分年度申请资金表、预算测算依据")
    page.fill("#explanation", "按评估意见压减首年资金，细化了测算依据。")
    staff.shot("adjustment-answers")
    page.click("button:has-text('提交调整完善情况')")
    assert "调整完善情况已提交，待财政局确认" in staff.text() and "调整待确认" in staff.text()
    staff.shot("adjusted")


@pytest.mark.parametrize("username", ["expert1", "expert2", "reviewer2"])
def test_reviewer_declares_and_scores(person, username):
    reviewer = person(username)
    page = reviewer.page
    reviewer.go("/reviews/")
    row = page.locator("tr", has_text="学前教育普惠性民办园补助政策")
    row.get_by_text("开始").click()
    assert "回避与保密承诺" in reviewer.text()
    reviewer.shot("declare")
    page.check("#pledge-agree")
    page.click("button[value=declare]")
    for field in page.locator("input.score").all():
        field.fill("9.2")
    page.fill("textarea[name=opinion]", "政策必要，测算基本合理。")
    page.click("button[value=submit]")
    assert "评分已提交" in reviewer.text()
    reviewer.shot("submitted")


def test_admin_checks_materials_concludes_and_downloads(person, tmp_path):
    admin = person("admin")
    page = admin.page
    admin.go("/proposals/?status=materials")
    page.click("text=天子岭生活垃圾分类处置中心扩建工程")
    page.click("text=材料审查清单")
    received(page)  # each item as the department's uploaded study (已收 needs a file)
    page.click("button:has-text('保存审查情况')")
    assert "材料审查情况已保存" in admin.text()
    admin.shot("materials")
    # the assessor of record (art. 2): the department itself, then changed to the finance bureau's panel
    page.check("#kind-department")
    page.click("button:has-text('保存评估主体')")
    assert "评估主体已确定：申报部门自行评估" in admin.text()
    page.check("#kind-finance")
    page.click("button:has-text('保存评估主体')")
    assert "评估主体已确定：财政局组织评估" in admin.text()
    admin.shot("assessor")
    page.click("text=返回项目")
    assert "财政局组织评估" in page.inner_text("#assessor")
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
    page.click("text=生成会议材料")  # a job (issue 22): its page offers the file once it is made
    link = page.locator("a.button", has_text=".zip")
    link.wait_for()
    with page.expect_download() as pack:
        link.click()
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
    # the import queued the year's 十大热词 (a job of their own): the page shows their progress while the worker
    # computes them, follows it in place and shows the words when they are stored
    office.go("/evaluation/2026/hotwords")
    if "十大热词正在计算" in office.text():
        office.shot("hotwords-computing")
        if tool_available("axe-core"):
            assert violations(page) == []
    page.wait_for_selector("text=地铁", timeout=60_000)
    office.go("/evaluation/2026/")
    if page.locator("#missing-all").count():  # units without data are published only with the reason on record
        page.fill("#missing-all", "本年度该项数据未录入（测试）")
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


def received(page) -> None:
    """Mark every material 已收 as the proposal's first attachment (已收 needs a file or a waiver)."""
    for select in page.locator("select[name^=status-]").all():
        select.select_option("received")
    for select in page.locator("select[name^=file-]").all():
        select.select_option(index=1)


def act(who, label: str, reason: str = "") -> None:
    """Take a step from the proposal page: its reason box (labelled with the step) and its button."""
    if reason:
        who.page.fill(f"input[aria-label^='{label}']", reason)
    who.page.click(f"button:has-text('{label}')")


def test_finance_confirms_an_adjustment_without_a_new_round(person):
    finance = person("reviewer1")
    page = finance.page
    finance.go("/proposals/?status=adjusted")
    page.click("text=城西综合交通枢纽配套道路工程")
    page.click("a:has-text('调整完善说明')")
    assert "压减2027年安排500万元" in finance.text() and "按评估意见压减首年资金" in finance.text()
    finance.shot("answers")
    page.click("text=返回项目")
    act(finance, "确认调整到位，转入报告审核", "已按评估意见逐条调整")
    assert "已确认调整到位，评估报告转入审核" in finance.text() and "报告审核" in finance.text()
    assert len(page.locator("button:has-text('报送')").all()) == 0
    finance.shot("confirmed")
    act(finance, "财政局审核通过", "调整后报告依据充分")  # 交通运输局 has no sector authority: finance alone
    assert "审核通过，评估报告可提交会议决策" in finance.text()
    assert "行业主管部门审核" not in finance.text()


def test_both_reviews_each_returning_once(person):
    finance, hospital, authority = person("reviewer1"), person("yiyuan"), person("weijian")
    # the reported bug: 卫健委's staff find their units' items waiting for them
    authority.go("/proposals/")
    waiting = authority.page.inner_text("#waiting")
    assert "待我审核" in waiting and "门诊智慧服务平台建设" in waiting
    authority.shot("waiting")
    authority.go("/proposals/?status=authority_review")
    assert "门诊智慧服务平台建设" in authority.text() and "没有符合条件的项目" not in authority.text()
    authority.page.click("text=门诊智慧服务平台建设")
    act(authority, "审核通过，报财政局评估")
    assert "已审核通过，报财政局评估" in authority.text()

    # finance returns the hospital's report once; the hospital corrects it and sends it again
    finance.go("/proposals/?status=report_review")
    finance.page.click("text=住院医技综合楼建设工程")
    act(finance, "财政局退回补正", "申请资金口径与申报表不一致")
    assert "已退回申报部门补正" in finance.text()
    hospital.go("/proposals/?status=correcting")
    hospital.page.click("text=住院医技综合楼建设工程")
    act(hospital, "补正后重新报送审核", "已统一申请资金口径")
    assert "已补正并重新报送审核" in hospital.text()
    # the sector authority finds it waiting, returns it once; corrected again; then both pass
    authority.go("/proposals/")
    authority.page.locator("#waiting").get_by_text("住院医技综合楼建设工程").click()
    act(authority, "行业主管部门退回补正", "请补充与区域医疗中心建设的衔接")
    assert "已退回申报部门补正" in authority.text()
    hospital.page.reload()
    act(hospital, "补正后重新报送审核", "已补充衔接分析")
    authority.page.reload()
    act(authority, "行业主管部门审核通过", "符合全市医疗卫生设施布局规划")
    assert "待财政局审核" in authority.text()
    finance.page.reload()
    act(finance, "财政局审核通过", "报告依据充分，同意提交会议")
    assert "审核通过，评估报告可提交会议决策" in finance.text()
    table = finance.page.inner_text("#report-reviews")
    assert "申请资金口径与申报表不一致" in table and "请补充与区域医疗中心建设的衔接" in table
    finance.shot("reviews")
    admin = person("admin")
    admin.go("/meetings/")
    assert "住院医技综合楼建设工程" in admin.text() and "城西综合交通枢纽配套道路工程" in admin.text()
    admin.shot("meeting-eligible")


def test_a_commissioned_third_party_assesses(person):
    finance = person("reviewer1")
    page = finance.page
    finance.go("/proposals/?status=submitted")
    page.click("text=钱江新城地下通道工程")
    act(finance, "受理，开始材料审查")
    page.click("text=材料审查清单")
    page.check("#kind-third_party")
    page.click("button:has-text('保存评估主体')")
    assert "请填写第三方评估机构名称" in finance.text()  # refused, with the reason on the field
    page.fill("#agency", "浙江求是工程咨询有限公司")
    page.fill("#contract", "HZCZ-JT-2027-031")
    page.select_option("#staff", label="钱伟（浙江求是工程咨询有限公司）")
    page.click("button:has-text('保存评估主体')")
    assert "评估主体已确定：申报部门委托第三方评估机构评估" in finance.text()
    staff = person("jiaotong")  # the department uploads its study during the materials check
    staff.go("/proposals/?status=materials")
    staff.page.click("text=钱江新城地下通道工程")
    staff.page.set_input_files("form.upload input[type=file]", files=[{
        "name": "可行性研究报告.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    staff.page.click("button:has-text('上传附件')")
    assert "可行性研究报告.pdf" in staff.text()
    page.reload()
    received(page)
    page.click("button:has-text('保存审查情况')")
    finance.shot("third-party")
    page.click("text=返回项目")
    page.click("button:has-text('材料齐全，转部门自评')")

    agency = person("zixun")
    agency.go("/proposals/")
    assert "受托评估项目" in agency.text()
    agency.page.click("text=钱江新城地下通道工程")
    assert "浙江求是工程咨询有限公司（委托合同编号 HZCZ-JT-2027-031）" in agency.text()
    agency.page.click("a:has-text('部门自评')")
    for field in agency.page.locator("input.score").all():
        field.fill("9")
    for field in agency.page.locator("textarea").all():
        field.fill("已按委托合同开展评估")
    agency.page.click("button[value=submit]")
    assert "自评已提交财政局评估" in agency.text()
    agency.shot("assessed")
