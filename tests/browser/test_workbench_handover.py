"""Issue 21's hand-over walk in Chromium against gunicorn: for each role, log in, find the waiting item on the
工作台, do it, see it leave the list and the next person's 工作台 gain it. One served copy of the demo (its own,
so the other browser modules' journeys are not disturbed); the steps build on each other, in one test.

Screenshots in test-artifacts/i21ctx/.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Person, ROOT, serve

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-artifacts" / "i21ctx"
SHELTER = "城市应急避难场所提升改造工程"  # demo/waiting.py: submitted, waiting for 受理
HOSPITAL = "住院医技综合楼建设工程"  # the sector authority has passed its report; finance's review is pending
POLICY = "学前教育普惠性民办园补助政策"  # expert1 sits on its panel, pledge not yet signed
YEAR_2025 = "2025年度考评结果"


WORKBENCH = """() => Object.fromEntries([...document.querySelectorAll('section[id^="wb-"]')].map(s => [
    s.querySelector('h2').innerText.replace(/（\\d+项）$/, ''),
    [...s.querySelectorAll('tbody td:first-child a')].map(a => a.innerText.trim())]))"""


class Walker(Person):
    """A demo user in their own browser context, answering every confirmation with OK."""

    def __init__(self, browser, base: str, username: str):
        super().__init__(browser, base, "handover")
        self.username = username
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.login(username)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.username}-{name}.png"), full_page=True)

    def workbench(self) -> dict[str, list[str]]:
        self.go("/")
        return self.page.evaluate(WORKBENCH)

    def waiting(self, heading: str, title: str) -> bool:
        return title in self.workbench().get(heading, [])

    def open_from_workbench(self, heading: str, title: str) -> None:
        assert self.waiting(heading, title), (self.username, heading, self.workbench())
        section = self.page.locator("section[id^='wb-']", has=self.page.locator("h2", has_text=heading))
        with self.page.expect_navigation():
            section.get_by_role("link", name=title, exact=True).first.click()

    def act(self, action: str, reason: str = "") -> None:
        form = self.page.locator(f"form[action$='/act/{action}']")
        if reason:
            form.locator("input[name=reason]").fill(reason)
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()


@pytest.fixture(scope="module")
def base(tmp_path_factory, demo_instance):
    with serve(tmp_path_factory.mktemp("handover"), demo_instance) as url:
        yield url


def test_each_role_finds_its_item_on_the_workbench_does_it_and_hands_it_on(browser, base):
    people: dict[str, Walker] = {}

    def who(username: str) -> Walker:
        if username not in people:
            people[username] = Walker(browser, base, username)
        return people[username]

    try:
        _walk(who)
    finally:
        for person in people.values():
            person.close()


def _walk(who) -> None:
    admin, reviewer, department = who("admin"), who("reviewer1"), who("yingji")

    # 财政管理员: 待受理 → 退回补正 with reasons → the department's 工作台 gains it (申报退回待补正), with a notice
    admin.workbench()
    admin.shot("01-workbench")
    admin.open_from_workbench("待受理", SHELTER)
    page = admin.page.inner_text("main")
    assert "草稿" in page and "无需评估" not in page  # the tracker: this item's own road
    admin.act("return_submission", "请补充可行性研究报告并核实分年度金额")
    assert "申报退回补正" in admin.page.inner_text("main")
    admin.shot("02-returned")
    assert not admin.waiting("待受理", SHELTER)
    assert department.waiting("申报退回待补正", SHELTER)
    assert "退回理由：请补充可行性研究报告" in department.page.inner_text("#notifications")
    department.shot("03-workbench-returned")

    # 部门填报人: corrects and submits again → back on the admin's 工作台 under 待受理
    department.open_from_workbench("申报退回待补正", SHELTER)
    department.page.set_input_files("form.upload input[type=file]", files=[{
        "name": "可行性研究报告.docx", "buffer": _docx("城市应急避难场所提升改造工程可行性研究报告"),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    with department.page.expect_navigation():
        department.page.get_by_role("button", name="上传附件").click()
    with department.page.expect_navigation():
        department.page.get_by_role("link", name="编辑 / 提交").click()
    with department.page.expect_navigation():
        department.page.locator("main button[type=submit][value=submit]").click()
    assert "项目已提交" in department.page.inner_text("main")
    assert not department.waiting("申报退回待补正", SHELTER)
    assert admin.waiting("待受理", SHELTER)

    # 财政管理员: 受理 → the finance reviewers' 工作台 gain it under 待材料审查
    admin.open_from_workbench("待受理", SHELTER)
    admin.act("accept")
    assert not admin.waiting("待受理", SHELTER)
    assert reviewer.waiting("待材料审查", SHELTER)
    reviewer.shot("04-workbench-materials")

    # 财政评审人: the materials check → the department's 工作台 gains it under 待自评
    reviewer.open_from_workbench("待材料审查", SHELTER)
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("link", name=re.compile("材料审查")).first.click()
    reviewer.page.check("#kind-finance")
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("button", name="保存评估主体").click()
    for select in reviewer.page.locator("select[name^='status-']").all():
        select.select_option("received")
    with reviewer.page.expect_navigation():  # 已收 without its file is refused, nothing saved
        reviewer.page.get_by_role("button", name="保存审查情况").click()
    assert "须选择对应的附件" in reviewer.page.inner_text("main")
    for select in reviewer.page.locator("select[name^='status-']").all():
        select.select_option("received")
    for select in reviewer.page.locator("select[name^='file-']").all():
        select.select_option(label="可行性研究报告.docx")
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("button", name="保存审查情况").click()
    reviewer.shot("05-materials")
    assert reviewer.page.locator("table a", has_text="查看").count() >= 4  # each row links to its file
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("link", name="返回项目").click()
    reviewer.act("materials_complete")
    assert not reviewer.waiting("待材料审查", SHELTER)
    assert department.waiting("待自评", SHELTER)
    department.shot("06-workbench-self-assessment")

    # 财政评审人: the report's finance review → the admin's 工作台 gains it under 待上会
    reviewer.open_from_workbench("待审核评估报告", HOSPITAL)
    reviewer.act("finance_pass", "报告依据充分，同意")
    assert not reviewer.waiting("待审核评估报告", HOSPITAL)
    assert admin.waiting("待上会", HOSPITAL)
    admin.shot("07-workbench-meeting")

    # 评审专家: 待签承诺 → signs → the seat moves on to 待评分
    expert = who("expert1")
    expert.open_from_workbench("待签承诺", POLICY)
    expert.page.check("#pledge-agree")
    with expert.page.expect_navigation():
        expert.page.get_by_role("button", name="签署承诺").click()
    board = expert.workbench()
    assert POLICY not in board.get("待签承诺", []) and POLICY in board.get("待评分", []), board
    expert.shot("08-workbench-scoring")

    # 部门填报人 → 考评办: an appeal filed within the window → the office's 工作台 gains 待处理申诉; the office
    # decides it and it leaves the list
    unit, office = who("minzheng"), who("kpb")
    unit.open_from_workbench("申诉期内", YEAR_2025)
    unit.page.fill("input[name=reason]", "目标考核第二项完成情况已按期报送，请予复核")
    with unit.page.expect_navigation():
        unit.page.get_by_role("button", name="提出申诉").click()
    assert not unit.waiting("申诉期内", YEAR_2025)
    assert office.waiting("待处理申诉", "2025年度考评申诉")
    office.shot("09-workbench-appeal")
    before = len(office.workbench()["待处理申诉"])
    office.open_from_workbench("待处理申诉", "2025年度考评申诉")
    form = office.page.locator("form:has(input[name=upheld])").first
    form.locator("input[name=upheld][value=no]").check()
    form.locator("textarea[name=decision]").fill("经核实，已按原分计算")
    with office.page.expect_navigation():  # the decision's effect on every unit is previewed first
        form.locator("button:has-text('预览')").click()
    form = office.page.locator("form:has(input[name=upheld])").first
    with office.page.expect_navigation():  # the confirmation dialog is answered 确定 (tests/browser/conftest.Person)
        form.locator("button:has-text('确认处理')").click()
    assert len(office.workbench().get("待处理申诉", [])) == before - 1
    office.shot("10-workbench-after-appeal")


def _docx(title: str) -> bytes:
    import io

    from docx import Document

    document = Document()
    document.add_heading(title, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
