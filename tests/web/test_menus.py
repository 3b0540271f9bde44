"""The main menu asks the route tables (may_reach): each role sees the links it may open, and every one opens."""
from __future__ import annotations

import re

import pytest

from budget_eval.platform.domain.roles import Role
from tests.web.client import WebClient

NAV = re.compile(r'<nav class="mainnav">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')

EXPECTED = {  # the menu each role gets, in order (the 工作台, its home, first)
    Role.DEPARTMENT: ["工作台", "项目申报", "新建申报", "综合考评"],
    Role.REVIEWER: ["工作台", "项目申报", "我的评审", "批量筛查", "单位成本库"],
    Role.EXPERT: ["工作台", "我的评审"],
    Role.ADMIN: ["工作台", "项目申报", "批量筛查", "评估进度", "会议决策", "单位成本库", "部门管理", "用户管理", "专家库", "审计日志", "规则文件"],
    Role.EVAL_OFFICE: ["工作台", "部门综合考评"],
    Role.THIRD_PARTY: ["工作台", "项目申报"],  # the proposals its agency was commissioned to assess
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_menu_it_may_use_and_every_link_opens(app, make, role):
    client = WebClient(app)
    client.login(make.user(role))
    page = client.get("/account/password").get_data(as_text=True)
    nav = NAV.search(page).group(1)
    assert re.findall(r">([^<>]+)</a>", nav) == EXPECTED[role]
    for url in HREF.findall(nav):
        with client.get(url) as response:
            assert response.status_code in (200, 302), f"{role.value}: {url} → {response.status_code}"
            assert not response.headers.get("Location", "").startswith("/login")
