"""Issue 21 (points 2 and 3) in Chromium on the demo: typed work is never lost and nothing irreversible happens
without a question that states its consequence.

One served copy of the demo (its own: the year is withdrawn here), several checks per page load:
- each irreversible action asks first, with its consequence, and 取消 sends nothing;
- a form sent back with an error keeps every field and choice (the proposal with its radio choice, the appeal
  decision with 成立 chosen) and lists every error at its top; the appeal decision previews every unit's result;
- leaving a changed form warns; Enter in 项目名称 sends nothing; the live total says what it cannot read;
- publishing an incomplete year is refused with the list of what is missing;
- a published year is withdrawn with its reason, and the department sees it.
Screenshots in test-artifacts/i21safe/.
"""
from __future__ import annotations

import sqlite3

import pytest

from tests.browser.conftest import ROOT, Person, serve

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-artifacts" / "i21safe"


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_instance):
    with serve(tmp_path_factory.mktemp("safeguards-instance"), demo_instance) as base:
        yield base


class User(Person):
    """A demo user whose confirmations are recorded, and whose posts are counted (取消 must send nothing)."""

    def __init__(self, browser, base: str, name: str):
        super().__init__(browser, base, name)
        self.posts: list[str] = []
        self.page.on("request", lambda r: self.posts.append(r.url) if r.method == "POST" else None)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(SHOTS / f"{self.journey}-{self.shots:02d}-{name}.png"), full_page=True)

    def cancelled(self, selector: str) -> str:
        """Click the button, answer 取消, and return what was asked; nothing may have been sent."""
        self.dialogs.clear()
        self.posts.clear()
        self.answer = False
        url = self.page.url
        self.page.click(selector)
        self.answer = True
        assert self.posts == [] and self.page.url == url, (selector, self.posts)
        assert len(self.dialogs) == 1, (selector, self.dialogs)
        return self.dialogs[0]


@pytest.fixture
def user(browser, site):
    base = site
    made = []

    def make(username: str, name: str) -> User:
        who = User(browser, base, name)
        made.append(who)
        return who.login(username)

    yield make
    for who in made:
        who.close()


def ids(demo_instance):
    """Record ids of the demo, read from its seeded database."""
    with sqlite3.connect(demo_instance / "demo.sqlite3") as conn:
        proposal = dict(conn.execute("SELECT name, id FROM proposal"))
        meeting = conn.execute("SELECT meeting_id FROM meeting_item WHERE decision IS NULL").fetchone()[0]
        unit = conn.execute("SELECT u.id FROM evaluation_unit u JOIN evaluation_year y ON y.id = u.year_id "
                            "JOIN department d ON d.id = u.department_id JOIN user_account a ON a.department_id = d.id "
                            "WHERE y.year = 2025 AND a.username = 'jiaotong'").fetchone()[0]
    return proposal, meeting, unit


def test_department_typed_work_is_kept_and_submitting_asks_first(user):
    staff = user("jiaotong", "department")
    page = staff.page
    staff.go("/proposals/new")
    # Enter in 项目名称 sends nothing (it saved a stray draft)
    page.fill("#name", "钱江新城地下通道工程")
    staff.posts.clear()
    page.press("#name", "Enter")
    assert staff.posts == [] and page.url.endswith("/proposals/new")
    # the live total says what it cannot read instead of adding up what it could (12.00 for “1,2OO”)
    page.fill("[name='fund_years-0-amount']", "1,2OO")
    total = page.inner_text("[data-sum='fund_years']")
    assert "无法计算" in total and "1,2OO" in total and "12.00" not in total
    page.fill("[name='fund_years-0-amount']", "1,200")
    assert page.inner_text("[data-sum='fund_years']") == "1,200.00"
    staff.shot("live-total")
    # 提交 asks first and says what follows; 取消 sends nothing
    asked = staff.cancelled("button[value=submit]")
    assert asked.startswith("提交后项目报财政局受理") and "不能再作为草稿修改" in asked
    # leaving the changed form by a menu link warns; staying keeps everything typed
    staff.answer = False
    staff.dialogs.clear()
    page.click("nav.mainnav a[href='/']", no_wait_after=True)
    staff.answer = True
    assert staff.dialogs == ["beforeunload"]
    assert page.url.endswith("/proposals/new") and page.input_value("#name") == "钱江新城地下通道工程"
    # sent with errors, everything typed and chosen comes back, with one summary of every error at the top
    page.check("input[name=category][value=infra]")
    page.click("button[value=submit]")  # 确定
    staff.text()
    staff.shot("sent-back-with-errors")
    assert page.locator(".error-summary").count() == 1, page.locator("main form .error").count() and page.locator(".error-summary li").count() >= 2
    assert page.input_value("#name") == "钱江新城地下通道工程"
    assert page.input_value("[name='fund_years-0-amount']") == "1,200"
    assert page.locator("input[name=category][value=infra]").is_checked()
    staff.shot("sent-back-with-errors")


def test_admin_actions_ask_first(user, demo_instance):
    proposal, meeting, _ = ids(demo_instance)
    admin = user("admin", "admin")
    page = admin.page
    # 材料齐全 (a step of the proposal's lifecycle): the question names the state it leads to
    admin.go(f"/proposals/{proposal['天子岭生活垃圾分类处置中心扩建工程']}")
    asked = admin.cancelled("button:has-text('材料齐全，转部门自评')")
    assert "材料齐全，转部门自评" in asked and "部门自评" in asked and "不能撤回" in asked
    # (the conclusion form keeping its texts after "1,8OO万" is checked in tests/web/test_forms_keep_input.py: no round
    # of the demo has every sheet in, so its button is disabled here)
    # 记录会议决策 and 提交会议
    admin.go(f"/meetings/{meeting}")
    page.check("form[action$='/decide'] input[name=decision][value=deferred]")
    asked = admin.cancelled("button:has-text('记录会议决策')")
    assert "会议决策记录后不能修改" in asked
    admin.go("/meetings/")
    page.select_option("#meeting-kind", "mayor")
    page.fill("#meeting-session", "3")
    page.fill("#meeting-date", "2027-04-20")
    page.locator("main form input[type=checkbox]").first.check()
    asked = admin.cancelled("button:has-text('提交会议')")
    assert "列入该次会议议程" in asked


def test_evaluation_office_safeguards_and_withdrawal_seen_by_the_department(user, demo_instance):
    _, _, unit = ids(demo_instance)
    staff = user("jiaotong", "evaluation-department")
    staff.go(f"/evaluation/units/{unit}")
    staff.page.fill("input[name=reason]", "满意度样本中本单位服务对象偏少")
    asked = staff.cancelled("button:has-text('提出申诉')")
    assert "申诉提出后由考评办处理" in asked
    staff.page.click("button:has-text('提出申诉')")
    assert "申诉已提交" in staff.text()

    office = user("kpb", "evaluation-office")
    page = office.page
    # 按原单位确认全部 states the count
    office.go("/evaluation/2026/feedback")
    asked = office.cancelled("button:has-text('按原单位确认全部')")
    assert "条待确认意见" in asked and "确认后各单位即可看到" in asked
    # the appeal decision: nothing chosen in advance; a bad value keeps 成立 and the text; the preview shows the
    # effect on every unit; confirming asks first
    office.go(f"/evaluation/units/{unit}")
    form = page.locator("form:has(input[name=upheld])")
    assert form.locator("input[name=upheld]:checked").count() == 0
    form.locator("input[name=upheld][value=yes]").check()
    form.locator("input[name=change]").fill("一分")
    form.locator("textarea[name=decision]").fill("样本偏少属实，酌情加分")
    form.locator("button:has-text('预览')").click()
    assert "调整分值应为数字" in office.text()
    form = page.locator("form:has(input[name=upheld])")
    assert form.locator("input[name=upheld][value=yes]").is_checked()
    assert form.locator("textarea[name=decision]").input_value() == "样本偏少属实，酌情加分"
    assert form.locator("input[name=change]").input_value() == "一分"
    form.locator("input[name=change]").fill("1")
    form.locator("button:has-text('预览')").click()
    assert "处理后各单位的结果（预览，尚未保存）" in office.text() and page.locator("#appeal-preview tbody tr").count() > 3
    office.shot("appeal-preview")
    asked = office.cancelled("button:has-text('确认处理')")
    assert "将按预览改变并通知各单位" in asked
    page.click("button:has-text('确认处理')")
    assert "申诉已处理" in office.text()

    # publishing a new year with no data is refused with the list of what is missing
    office.go("/evaluation/")
    page.fill("#open-year", "2027")
    page.click("button:has-text('建立')")
    assert "已建立2027年度考评" in office.text()
    asked = office.cancelled("button:has-text('公布考评结果')")
    assert "公布后各单位即可看到2027年度考评结果" in asked
    page.click("button:has-text('公布考评结果')")
    text = office.text()
    assert "考评结果未公布" in text and "缺少数据的单位" in text and "请补齐数据或写明原因" in text
    assert page.locator("#publish .error").count() >= 3 and "2027" in page.url
    office.shot("incomplete-year-refused")

    # the published 2025 year is withdrawn with its reason
    office.go("/evaluation/2025/")
    page.fill("#withdraw-reason", "社会评价样本口径有误，更正后重新公布")
    asked = office.cancelled("button:has-text('撤回公布')")
    assert "撤回后各单位看不到2025年度考评结果" in asked
    page.click("button:has-text('撤回公布')")
    assert "2025年度考评结果已撤回" in office.text()
    office.shot("withdrawn")

    # the department sees the withdrawal and its reason, and is told
    staff.go("/evaluation/mine")
    assert "已撤回，更正中" in staff.text()
    staff.go(f"/evaluation/units/{unit}")
    text = staff.text()
    assert "本年度考评结果已撤回" in text and "社会评价样本口径有误，更正后重新公布" in text
    staff.shot("department-sees-withdrawal")
    staff.go("/")
    assert "2025年度部门综合考评结果已撤回" in staff.text()
