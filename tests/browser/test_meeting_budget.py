"""Issue 19 (points 4 and 6) in a real browser on the demo: a decision at each meeting kind — nothing chosen in
advance, errors in Chinese beside their fields with what was typed kept, per-year amounts, a cut (核减) with its
reason —, 纳入项目库, and the budget export downloaded and read back."""
import pytest

pytestmark = pytest.mark.browser

INCUBATOR = "科技企业孵化器运营补助政策"


def test_admin_decides_at_both_meeting_kinds_and_exports_for_the_budget(person, tmp_path):
    admin = person("admin")
    page = admin.page
    admin.go("/meetings/")
    assert "审核通过后提交市政府常务会议或市长办公会议决策。" in admin.text()
    admin.shot("meetings")

    # the 市政府常务会议 the demo left undecided: nothing chosen, so a bare click is refused
    page.click("text=2027年第2次市政府常务会议")
    assert "会议类型：市政府常务会议" in admin.text()
    form = page.locator("form[action$='/decide']")
    assert form.locator("input[type=radio]:checked").count() == 0
    form.locator("textarea[name=note]").fill("待补充孵化器绩效数据后再议")
    form.locator("button:has-text('记录会议决策')").click()
    assert "请选择会议决策：通过、不通过、暂缓" in admin.text()
    assert page.locator("textarea[name=note]").input_value() == "待补充孵化器绩效数据后再议"  # typed, kept
    admin.shot("decision-refused")
    page.check("input[name=decision][value=deferred]")
    page.click("button:has-text('记录会议决策')")
    assert f"已记录“{INCUBATOR}”的会议决策" in admin.text()
    admin.shot("executive-deferred")

    # a 市长办公会议 takes it up again: 通过 with a cut, first without its reason
    admin.go("/meetings/")
    page.select_option("#meeting-kind", "mayor")
    page.fill("#meeting-session", "2")
    page.fill("#meeting-date", "2027-03-16")
    page.check(f"input[aria-label='选择{INCUBATOR}']")
    page.click("button:has-text('提交会议')")
    assert "2027年第2次市长办公会议" in admin.text() and "会议类型：市长办公会议" in admin.text()
    page.check("input[name=decision][value=approved]")
    page.fill("input[name=approved-2027]", "2,800")
    page.click("button:has-text('记录会议决策')")
    assert "安排资金合计2,800.00万元少于申请数3,000.00万元，请填写核减理由" in admin.text()
    assert page.input_value("input[name=approved-2027]") == "2,800"
    assert page.locator("input[name=decision][value=approved]").is_checked()
    admin.shot("cut-needs-reason")
    page.fill("textarea[name=cut_reason]", "在孵企业数按2026年实际核定，核减补助200万元")
    page.click("button:has-text('记录会议决策')")
    text = admin.text()
    assert "核减理由：在孵企业数按2026年实际核定，核减补助200万元" in text and "2,800.00万元" in text
    admin.shot("mayor-approved-with-cut")

    page.fill("input[name=library_date]", "2027-03-20")
    page.click("button:has-text('纳入项目库')")
    assert "已将“科技企业孵化器运营补助政策”纳入项目库" in admin.text() and "已纳入项目库" in admin.text()
    admin.shot("library")

    with page.expect_download() as export:
        page.click("text=导出本次会议决定")
    path = tmp_path / export.value.suggested_filename
    export.value.save_as(path)
    assert path.name == "2027年第2次市长办公会议_预算安排表.xlsx"
    from openpyxl import load_workbook

    book = load_workbook(path)
    rows = [[c.value for c in row] for row in book["项目清单"].iter_rows()]
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "2027年度金额（万元）" in header and row["2027年度金额（万元）"] == 2800
    assert (row["项目名称"], row["会议决定"], row["是否纳入项目库"]) == (INCUBATOR, "通过", "是")
    assert book["绩效目标"].max_row >= 2

    page.click(f"text=查看项目“{INCUBATOR}”")  # the project's own page shows the outcome too
    assert "/proposals/" in page.url
    assert "已纳入项目库（2027-03-20）" in admin.text()
    admin.shot("proposal")
