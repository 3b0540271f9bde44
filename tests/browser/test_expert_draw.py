"""The expert draw in a real browser: the admin draws a panel from the pool for the demo proposal awaiting one,
the drawn expert finds the proposal closed to them until they sign the 回避与保密承诺, signs, then opens the
materials. Screenshots under test-artifacts/."""
import re

import pytest

from budget_eval.demo.experts import AWAITING_DRAW, POOL

pytestmark = pytest.mark.browser
USERNAMES = {name: username for username, name, *_ in POOL}


def test_admin_draws_a_panel_and_the_expert_signs_before_the_materials_open(person):
    admin = person("admin")
    page = admin.page
    admin.go("/admin/experts/")
    assert "专家库" in admin.text() and "郑敏" in admin.text()
    admin.shot("pool")
    admin.go("/proposals/?status=finance_review")
    page.click(f"text={AWAITING_DRAW}")
    proposal_path = "/" + page.url.split("/", 3)[3].split("?")[0]  # /proposals/<id>
    page.click("text=评审组与评估结论")
    page.select_option("#draw-specialty", "finance")
    page.fill("#draw-size", "3")
    page.click("button:has-text('随机抽取')")
    text = admin.text()
    assert "已随机抽取3名评审专家" in text and "✓ 一致" in text
    assert "郑敏：本人申报须回避该单位" in text and "蒋红：已停用" in text  # the exclusions, each with its reason
    admin.shot("drawn")
    chosen = re.search(r"抽中\s*(\S+)", text).group(1).split("、")
    assert len(chosen) == 3 and not {"郑敏", "蒋红"} & set(chosen)

    expert = person(USERNAMES[chosen[0]])
    epage = expert.page
    expert.go(proposal_path)
    assert "页面不存在" in expert.text()  # nothing of the proposal opens before the pledge
    expert.shot("closed-before-signing")
    expert.go("/reviews/")
    epage.locator("tr", has_text=AWAITING_DRAW).get_by_text("开始").click()
    assert "回避与保密承诺" in expert.text() and "本人承诺" in expert.text()
    assert epage.locator("input.score, fieldset.point").count() == 0
    expert.shot("pledge")
    epage.check("#pledge-agree")
    epage.click("button:has-text('签署承诺')")
    # this project is rated by 审核要点 (rules/assessment.yaml point_scoring): each 要点 a fieldset of levels
    assert "已签署回避与保密承诺" in expert.text() and epage.locator("input.score, fieldset.point").count() > 0
    expert.shot("signed")
    epage.click("text=查看项目申报内容、绩效目标和附件")
    assert AWAITING_DRAW in expert.text() and "绩效目标" in expert.text()
    expert.shot("materials-open")

    admin.go(proposal_path + "/assessment")
    assert "已签署" in admin.text()
    admin.shot("panel-signed")
