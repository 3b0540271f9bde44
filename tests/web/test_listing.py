"""The proposal list: filters and pagination for finance staff."""
from decimal import Decimal

from budget_eval.intake.domain.intake import FundYear
from budget_eval.platform.domain.roles import Role


def test_filters_narrow_the_list(client, make):
    staff = make.user(Role.DEPARTMENT)
    make.proposal(staff, submit=True, name="基建大项目")
    make.proposal(staff, submit=True, name="小政策", category="policy",
                  fund_years=(FundYear(2027, Decimal("500")),), sources={"general": Decimal("500")})
    make.proposal(staff, name="草稿项目", year=2028)
    client.login(make.user(Role.REVIEWER))
    page = client.text("/proposals/?category=infra")
    assert "基建大项目" in page and "小政策" not in page
    page = client.text("/proposals/?outcome=not_required")
    assert "小政策" in page and "基建大项目" not in page
    page = client.text("/proposals/?status=draft")
    assert "草稿项目" in page and "基建大项目" not in page
    page = client.text("/proposals/?outcome=required")
    assert "基建大项目" in page and "草稿项目" not in page
    assert "草稿项目" in client.text("/proposals/?outcome=none")
    page = client.text("/proposals/?year=2028")
    assert "草稿项目" in page and "基建大项目" not in page
    assert "基建大项目" in client.text("/proposals/?q=基建")
    assert "没有符合条件的项目" in client.text("/proposals/?q=100%25_")


def test_pagination(client, make, app):
    app.config["PER_PAGE"] = 5
    staff = make.user(Role.DEPARTMENT)
    for i in range(12):
        make.proposal(staff, name=f"项目{i:02d}")
    client.login(make.user(Role.ADMIN))
    first = client.text("/proposals/?status=draft")
    assert "共 12 条" in first and first.count('href="/proposals/') >= 5
    third = client.text("/proposals/?status=draft&page=3")
    assert third.count("项目0") + third.count("项目1") == 2
    assert "page=2" in third and "status=draft" in third  # links keep the filters
