"""Keyboard alone (WCAG 2.1.1): a department submits a proposal and an expert scores one with Tab, Shift+Tab, Enter,
Space and the arrow keys only; the mouse is never used. The confirmation (data-confirm) fires for a submit button
and for a form, from the keyboard, and Esc/取消 keeps the page as it was.

These run on their own copy of the demo data, so the journeys in test_journeys.py find theirs as seeded.
Screenshots of the focus (test-artifacts/screenshots/keyboard-*) show what a keyboard user sees.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, serve

pytestmark = pytest.mark.browser

PASSWORD = "Hz-Demo@2026"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory, demo_instance):
    with serve(tmp_path_factory.mktemp("keyboard-instance"), demo_instance) as base:
        yield base


class Keyboard:
    """One user at the keyboard: Tab until focus is where the user wants it, then type or press a key."""

    def __init__(self, browser, base: str, name: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.base, self.name, self.shots = base, name, 0
        self.dialogs: list[str] = []
        self.answer = True  # what the user answers the next confirmation with (Enter = 确定, Esc = 取消)
        self.page.on("dialog", self._dialog)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept() if self.answer else dialog.dismiss()

    def open(self, path: str) -> None:  # typing an address into the address bar
        self.page.goto(self.base + path)

    def login(self, username: str) -> Keyboard:
        self.open("/login")
        assert self.is_focused("#username")  # the login page puts the cursor in the first field
        self.page.keyboard.type(username)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(PASSWORD)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        return self

    def is_focused(self, selector: str) -> bool:
        return self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 250) -> None:
        """Press Tab (or Shift+Tab) until the focused element matches the selector."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            if self.is_focused(selector):
                return
        raise AssertionError(f"{limit} presses of Tab never reached {selector}")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def choose(self, selector: str, value: str, limit: int = 30) -> None:
        """A drop-down (select) or a radio group: focus it, then the arrow keys until the value is chosen."""
        self.tab_to(selector)
        for _ in range(limit):
            if self.page.evaluate("() => document.activeElement.type === 'radio' ? "
                                  "(document.activeElement.checked && document.activeElement.value) : "
                                  "document.activeElement.value") == value:
                return
            if self.page.evaluate("() => document.activeElement.type === 'radio' && "
                                  "!document.querySelector(`[name='${document.activeElement.name}']:checked`)"):
                self.page.keyboard.press("Space")  # a group with nothing chosen yet: Space chooses the first
                continue
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"the arrow keys never chose {value} in {selector}")

    def press(self, key: str, navigates: bool = True) -> None:
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)

    def focus_outline(self) -> str:
        return self.page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                                  "return s.outlineStyle + ' ' + s.outlineWidth; }")

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(SHOTS / f"keyboard-{self.name}-{self.shots:02d}-{name}.png"))

    def text(self) -> str:
        return self.page.inner_text("body")


@pytest.fixture
def keyboard(browser, own_server):
    users: list[Keyboard] = []

    def make(username: str, name: str) -> Keyboard:
        user = Keyboard(browser, own_server, name)
        users.append(user)
        return user.login(username)

    yield make
    for user in users:
        user.context.close()


def test_department_submits_a_proposal_with_the_keyboard_alone(keyboard):
    staff = keyboard("jiaotong", "department")
    page = staff.page
    # the first Tab reaches 跳到主要内容, shown on screen; Enter takes the focus past the menu into the page
    page.keyboard.press("Tab")
    assert staff.is_focused("a.skip-link") and page.locator("a.skip-link").bounding_box()["y"] >= 0
    staff.shot("skip-link")
    page.keyboard.press("Enter")
    assert staff.is_focused("main")
    staff.tab_to("a[href='/proposals/new']", back=True)  # back up into the menu
    assert staff.focus_outline().startswith("solid 3px")
    staff.shot("menu-focus")
    staff.press("Enter")

    staff.type_into("#name", "钱江新城地下通道工程（键盘）")
    staff.choose("input[name=category]", "infra")
    staff.shot("radio-focus")
    staff.choose("input[name=is_new]", "new")
    staff.type_into("#start_year", "2027")
    staff.type_into("#end_year", "2028")
    staff.type_into("[name='fund_years-0-year']", "2027")
    staff.type_into("[name='fund_years-0-amount']", "12,000")
    staff.tab_to("table[data-repeat=fund_years] .add-row")
    page.keyboard.press("Enter")  # a new row, and the cursor is in it
    assert staff.is_focused("[name='fund_years-1-year']")
    assert page.get_attribute("[name='fund_years-1-year']", "aria-label") == "年度（第2行）"
    page.keyboard.type("2028")
    page.keyboard.press("Tab")
    page.keyboard.type("13000")
    staff.type_into("[name='sources-general']", "25000")
    staff.type_into("#basis_text", "依据《杭州市综合交通规划》")
    staff.type_into("#plan_text", "分两期建设")
    staff.type_into("#budget_text", "按概算测算")
    staff.choose("[name='targets-0-level1']", "产出指标")
    staff.choose("[name='targets-0-level2']", "数量指标")
    staff.type_into("[name='targets-0-name']", "新建通道长度")
    staff.choose("[name='targets-0-comparator']", "≥")
    staff.type_into("[name='targets-0-value']", "2.4")
    staff.type_into("[name='targets-0-unit']", "公里")
    staff.type_into("[name='targets-0-basis']", "可研批复")
    staff.tab_to("button[value=submit]")
    staff.shot("submit-focus")
    staff.press("Enter")
    assert "事前绩效评估范围判定：需要" in staff.text(), staff.text()[:600]
    assert len(staff.dialogs) == 1 and staff.dialogs[0].startswith("提交后项目报财政局受理")  # 提交 asks first
    staff.shot("submitted")


def test_expert_scores_with_the_keyboard_alone_and_confirms(keyboard):
    expert = keyboard("expert1", "expert")
    page = expert.page
    assert page.url.endswith("/") and "待签承诺" in expert.text()  # an expert's home is the 工作台: the seat waits
    expert.tab_to("a[href^='/reviews/']:not([aria-current])")
    while "学前教育普惠性民办园补助政策" not in page.evaluate("() => document.activeElement.closest('tr')?.innerText || ''"):
        expert.tab_to("main a[href^='/reviews/']")
    expert.press("Enter")
    expert.tab_to("#pledge-agree")  # the 回避与保密承诺 is ticked, then signed
    expert.press("Space", navigates=False)
    expert.tab_to("button[value=declare]")
    expert.press("Space")  # a button answers Space as well as Enter
    assert "已签署回避与保密承诺" in expert.text()

    scores = page.eval_on_selector_all("input.score", "els => els.map(e => e.name)")
    assert len(scores) >= 10
    for name in scores:
        expert.type_into(f"[name='{name}']", "9.2")
    expert.shot("score-focus")
    # Enter in a one-line field sends nothing (a stray Enter saved drafts); the buttons send the form
    expert.press("Enter", navigates=False)
    assert "评分草稿已保存" not in expert.text()
    expert.tab_to("button[value=save]")
    expert.press("Enter")  # 保存草稿: no confirmation is asked for a draft
    assert "评分草稿已保存" in expert.text() and expert.dialogs == []

    expert.type_into("#opinion", "政策必要，测算基本合理。")
    expert.tab_to("button[value=submit]")
    expert.shot("submit-focus")
    expert.answer = False  # Esc: the confirmation on the button fires, and nothing is sent
    expert.press("Enter", navigates=False)
    assert expert.dialogs == ["提交后评分不能再修改，确定提交？"]
    assert expert.is_focused("button[value=submit]") and "评分已提交" not in expert.text()
    expert.answer = True  # Enter: 确定
    expert.press("Enter")
    assert expert.dialogs == ["提交后评分不能再修改，确定提交？"] * 2
    assert "评分已提交，不能再修改" in expert.text()
    expert.shot("submitted")


def test_confirmation_on_a_form_fires_from_the_keyboard(keyboard):
    """data-confirm on the form itself (deleting an attachment of the demo's draft): 取消 keeps the attachment."""
    staff = keyboard("yiyuan", "attachment")
    assert staff.page.url.endswith("/") and "草稿待提交" in staff.text()  # a department's home is the 工作台
    staff.tab_to("main td a[href^='/proposals/']")
    while "门急诊综合楼改扩建工程" not in staff.page.evaluate("() => document.activeElement.innerText"):
        staff.tab_to("main td a[href^='/proposals/']")
    staff.press("Enter")
    staff.tab_to("form[data-confirm] button")
    staff.answer = False
    staff.press("Enter", navigates=False)
    assert len(staff.dialogs) == 1 and staff.dialogs[0].startswith("删除后附件“") and "不能恢复" in staff.dialogs[0]
    assert staff.page.locator("form[data-confirm] button").count() == 1 and "已删除" not in staff.text()
